package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// Changelog writes release notes for the update in Markdown: what it adds,
// changes, deprecates and removes, grouped by operation (connector-wide
// changes first), in the words a connector's users read (actions, inputs,
// outputs), with the changes that break existing flows marked. It lists
// additions (info findings) whatever opts.MinLevel says, and no rule ids;
// findings that concern only the publisher (versioning lint, labels) are
// left out. A repository's release notes hold every connector that changed
// in a way its users can notice.
func Changelog(w io.Writer, r *breaking.Result, opts Options) error {
	return inertLines(w, nil, func(w io.Writer) error {
		if r.IsPair() {
			return changelog(w, &r.Connectors[0], opts, "")
		}
		return repoChangelog(w, r, opts)
	})
}

// changelog writes the changelog of one connector; in a repository's, the
// heading names its folder, since connectors may share a title.
func changelog(w io.Writer, r *breaking.ConnectorResult, opts Options, folder string) error {
	p := &printer{w: w}
	side := r.New
	if side.File == "" && side.Title == "" {
		side = r.Old // a connector that was removed
	}
	title := side.Title
	if title == "" {
		title = side.File
	}
	heading := md(inert(title)) + " " + md(inert(side.Version))
	if folder != "" {
		heading += " (" + md(inert(folder)) + ")"
	}
	p.f("## %s\n\n", heading)
	if r.Old.Version != "" && r.New.Version != "" && r.Old.Version != r.New.Version {
		p.f("Changes since %s.\n\n", md(inert(r.Old.Version)))
	}
	if r.Summary.Breaks() {
		p.f("> [!WARNING]\n> This update breaks existing flows and apps: %s, marked ⚠️ below.\n\n", plural(r.Summary.Breaking, "change"))
	}
	any := false
	for _, g := range groupFindings(connectorSection(r), breaking.Info) {
		var lines []string
		for _, section := range []string{"Added", "Changed", "Deprecated", "Removed"} {
			for _, f := range g.findings {
				sec, text := changelogEntry(f.Finding, f.text)
				if sec != section {
					continue
				}
				mark := ""
				if f.Level == breaking.Breaking {
					mark = "⚠️ "
				}
				lines = append(lines, fmt.Sprintf("- %s**%s:** %s", mark, sec, text))
			}
		}
		if len(lines) == 0 {
			continue
		}
		any = true
		heading := md(inert(g.title()))
		switch {
		case g.op == "" && g.file == "":
			heading = "Connector"
		case g.op == "" && strings.EqualFold(g.file, connector.PropertiesFile):
			heading = "Connection"
		case g.op == "" && strings.EqualFold(g.file, connector.ScriptFile):
			heading = "Custom code"
		}
		p.f("### %s\n\n%s\n\n", heading, strings.Join(lines, "\n"))
	}
	if !any {
		p.f("No changes that users of the connector can notice.\n")
	}
	return p.err
}

// responsePrefix is the part of a schema label that only says where an
// output sits in the response, which users never see.
var responsePrefix = regexp.MustCompile(`^(response [0-9A-Za-z]+|webhook payload)(/|$)`)

// userPath turns a change's subject into the name users know a field by:
// "response 200/items/name" is the output items/name, "parameter top
// (query)" the input top, "body/projectId" the input projectId of the body.
func userPath(subject string) string {
	s := strings.TrimPrefix(subject, "parameter ")
	s = responsePrefix.ReplaceAllString(s, "")
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		s = s[:i]
	}
	return s
}

// code quotes a name from the document as inline code, escaped.
func code(s string) string { return "`" + strings.ReplaceAll(inert(s), "`", "'") + "`" }

// changelogEntry is a finding as a release-note line: its section (Added,
// Changed, Deprecated, Removed; "" leaves it out) and its text. sentence is
// the finding's as the report shows it, for the changes said as they are.
func changelogEntry(f breaking.Finding, sentence string) (section, text string) {
	c := f.Change
	if c == nil {
		return "Changed", md(inert(sentence))
	}
	field := code(userPath(c.Subject))
	input, output := "input "+field, "output "+field
	switch f.Rule {
	case "operation-added":
		return "Added", "new action."
	case "operation-removed":
		return "Removed", "this action is no longer available."
	case "deprecated-operation-removed":
		return "Removed", "this deprecated action is no longer available."
	case "connector-added":
		return "Added", "new connector."
	case "connector-removed":
		return "Removed", "the connector and all its actions are no longer available."
	case "operation-id-changed":
		return "Changed", "renamed to " + code(c.After) + "; flows must pick the action again."
	case "operation-path-changed", "operation-method-changed":
		return "Changed", fmt.Sprintf("now calls %s (was %s).", code(c.After), code(c.Before))
	case "operation-deprecated":
		return "Deprecated", "this action is deprecated and hidden from new flows; existing flows keep working."
	case "operation-made-internal":
		return "Changed", "this action is no longer shown in the designer."
	case "trigger-changed", "trigger-mechanism-changed":
		return "Changed", "the trigger works differently now: " + md(inert(sentence)) + "."
	case "parameter-added", "request-body-property-added":
		return "Added", "optional " + input + "."
	case "parameter-required-added":
		return "Added", "required " + input + "."
	case "request-body-required-added":
		if c.Kind == diff.PropertyAdded {
			return "Added", "required " + input + "."
		}
		return "Changed", input + " is now required."
	case "parameter-became-required":
		return "Changed", input + " is now required."
	case "requirement-relaxed":
		return "Changed", input + " is now optional."
	case "parameter-removed", "request-body-property-removed":
		if c.Kind == diff.PropertyRemoved && c.After != "" {
			return "Changed", fmt.Sprintf("input %s renamed to %s.", field, code(c.After))
		}
		return "Removed", input + "."
	case "parameter-renamed":
		return "Changed", fmt.Sprintf("input %s renamed to %s.", code(c.Before), code(c.After))
	case "parameter-location-changed":
		return "Changed", fmt.Sprintf("%s is now sent in the %s (was the %s).", input, md(inert(c.After)), md(inert(c.Before)))
	case "parameter-type-changed", "parameter-format-changed", "request-body-type-changed":
		return "Changed", typeChange(c, input)
	case "parameter-enum-narrowed":
		if len(f.Removed) == 0 {
			return "Changed", input + " now accepts only listed values."
		}
		return "Changed", input + " no longer accepts " + valueList(f.Removed) + "."
	case "parameter-enum-added":
		if len(f.Added) == 0 {
			return "Changed", input + " accepts any value now."
		}
		return "Changed", input + " also accepts " + valueList(f.Added) + "."
	case "parameter-default-changed":
		return "Changed", fmt.Sprintf("default of %s is now %s (was %s).", input, code(orNone(c.After)), code(orNone(c.Before)))
	case "parameter-made-internal":
		return "Changed", input + " is no longer shown."
	case "response-property-added":
		return "Added", output + "."
	case "response-property-removed":
		if c.After != "" {
			return "Changed", fmt.Sprintf("output %s renamed to %s.", field, code(c.After))
		}
		return "Removed", output + "."
	case "response-property-type-changed", "response-property-format-changed":
		return "Changed", typeChange(c, output)
	case "response-enum-widened":
		if len(f.Added) == 0 {
			return "Changed", output + " may take any value now."
		}
		return "Changed", output + " may also be " + valueList(f.Added) + "."
	case "response-property-became-optional":
		return "Changed", output + " may now be missing."
	case "response-property-made-internal":
		return "Changed", output + " is no longer shown in dynamic content."
	case "response-removed", "response-schema-removed":
		return "Removed", "the action's outputs (" + md(inert(c.Subject)) + ")."
	case "response-header-removed":
		_, name, _ := strings.Cut(c.Subject, " header ")
		return "Removed", "output header " + code(name) + "."
	case "dynamic-values-target-removed", "dynamic-values-changed", "dynamic-schema-changed":
		return "Changed", "the choices or fields offered for " + field + " come from a different lookup."
	case "pageable-changed":
		return "Changed", "paging of the results changed."
	case "host-changed", "base-path-changed", "schemes-changed":
		return "Changed", "the service address changed (" + md(inert(sentence)) + ")."
	case "security-changed":
		return "Changed", "authentication changed: existing connections must be recreated."
	case "oauth-scopes-changed", "oauth-settings-changed":
		return "Changed", "sign-in settings changed; users may need to sign in again."
	case "connection-parameter-removed":
		return "Removed", "connection setting " + code(c.Subject) + "."
	case "connection-parameter-added":
		return "Added", "optional connection setting " + code(c.Subject) + "."
	case "connection-parameter-required-added":
		return "Changed", "connection setting " + code(c.Subject) + " is required; existing connections must be edited."
	case "connection-parameter-type-changed":
		return "Changed", fmt.Sprintf("connection setting %s is now of type %s (was %s).", code(c.Subject), code(c.After), code(c.Before))
	case "connection-parameter-changed":
		var what []string
		for _, d := range c.Details {
			k, _, _ := strings.Cut(d, ":")
			what = append(what, code(strings.TrimSuffix(strings.TrimSuffix(k, " added"), " removed")))
		}
		return "Changed", "connection setting " + code(c.Subject) + " changed (" + strings.Join(what, ", ") + ")."
	case "connection-parameter-sets-changed":
		return "Changed", "the ways to create a connection changed."
	case "script-changed":
		return "Changed", "the connector's custom code changed (" + md(inert(strings.Join(c.Details, "; "))) + ")."
	case "policy-template-changed", "script-operations-changed", "capabilities-changed",
		"consumes-changed", "produces-changed", "url-encoding-changed", "collection-format-changed",
		"input-constraint-tightened", "output-constraint-loosened", "read-only-changed", "discriminator-changed",
		"request-additional-properties-removed", "oauth-url-changed", "security-requirement-changed":
		return "Changed", md(inert(sentence)) + "."
	}
	// Versioning lint, labels, branding and the catch-all concern the
	// publisher, not the connector's users.
	return "", ""
}

// typeChange says what a field's type or format became.
func typeChange(c *diff.Change, field string) string {
	if c.Kind == diff.FormatChanged {
		return fmt.Sprintf("format of %s is now %s (was %s).", field, code(orNone(c.After)), code(orNone(c.Before)))
	}
	return fmt.Sprintf("%s is now %s (was %s).", field, typeWords(c.After), typeWords(c.Before))
}

// typeWords names a schema type for users: "a string", "an integer",
// "untyped".
func typeWords(t string) string {
	switch t {
	case "":
		return "untyped"
	case "integer", "array", "object":
		return "an " + t
	case "string", "number", "boolean", "file":
		return "a " + t
	}
	return code(t)
}

// valueList quotes enum values for a sentence, shortened.
func valueList(v []string) string {
	const show = 10
	quoted := make([]string, 0, min(len(v), show))
	for _, s := range v[:min(len(v), show)] {
		quoted = append(quoted, code(s))
	}
	out := strings.Join(quoted, ", ")
	if len(v) > show {
		out += fmt.Sprintf(" and %d more", len(v)-show)
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

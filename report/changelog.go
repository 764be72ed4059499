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
		for _, section := range []breaking.Section{breaking.SectionAdded, breaking.SectionChanged, breaking.SectionDeprecated,
			breaking.SectionRemoved} {
			for _, f := range g.findings {
				sec, text := changelogEntry(f.Finding, f.text)
				if sec != section {
					continue
				}
				mark := ""
				if f.Level == breaking.Breaking {
					mark = "⚠️ "
				}
				lines = append(lines, fmt.Sprintf("- %s**%s:** %s", mark, sectionWords[sec], text))
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

// sectionWords head the release-note lines of each section.
var sectionWords = map[breaking.Section]string{breaking.SectionAdded: "Added", breaking.SectionChanged: "Changed",
	breaking.SectionDeprecated: "Deprecated", breaking.SectionRemoved: "Removed"}

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

// changelogEntry is a finding as a release-note line: its section
// (SectionNone leaves it out) and its text, as the finding's rule words it.
// A finding without a change (the update judged as a whole) says what its
// sentence, as the report shows it, says.
func changelogEntry(f breaking.Finding, sentence string) (breaking.Section, string) {
	if f.Change == nil {
		return breaking.SectionChanged, md(inert(sentence))
	}
	r, _ := breaking.Lookup(f.Rule)
	n := r.ReleaseNote(&f)
	if n.Section == breaking.SectionNone {
		return breaking.SectionNone, ""
	}
	return n.Section, fillPhrase(n.Phrase, f, sentence)
}

// fillPhrase fills in the placeholders of a release-note phrase (see
// breaking.ReleaseNote) from f, which carries its change, and {message}
// with its sentence as the report shows it. The phrase is written once,
// left to right: text filled in is never read again.
func fillPhrase(phrase string, f breaking.Finding, sentence string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(phrase, '{')
		j := strings.IndexByte(phrase[max(i, 0):], '}')
		if i < 0 || j < 0 {
			break
		}
		b.WriteString(phrase[:i])
		name := phrase[i+1 : i+j]
		if fill, ok := placeholders[name]; ok {
			b.WriteString(fill(phraseParts{f, f.Change, sentence}))
		} else {
			b.WriteString(phrase[i : i+j+1])
		}
		phrase = phrase[i+j+1:]
	}
	b.WriteString(phrase)
	return b.String()
}

// phraseParts is what a placeholder is filled from: the finding, its
// change, and its sentence as the report shows it.
type phraseParts struct {
	f        breaking.Finding
	c        *diff.Change
	sentence string
}

// placeholders fill in a release-note phrase, each quoted or escaped for
// Markdown.
var placeholders = map[string]func(p phraseParts) string{
	"message":        func(p phraseParts) string { return md(inert(p.sentence)) },
	"field":          func(p phraseParts) string { return code(userPath(p.c.Subject)) },
	"subject":        func(p phraseParts) string { return code(p.c.Subject) },
	"subject-text":   func(p phraseParts) string { return md(inert(p.c.Subject)) },
	"before":         func(p phraseParts) string { return code(p.c.Before) },
	"after":          func(p phraseParts) string { return code(p.c.After) },
	"before-or-none": func(p phraseParts) string { return code(orNone(p.c.Before)) },
	"after-or-none":  func(p phraseParts) string { return code(orNone(p.c.After)) },
	"before-text":    func(p phraseParts) string { return md(inert(p.c.Before)) },
	"after-text":     func(p phraseParts) string { return md(inert(p.c.After)) },
	"before-type":    func(p phraseParts) string { return typeWords(p.c.Before) },
	"after-type":     func(p phraseParts) string { return typeWords(p.c.After) },
	"removed-values": func(p phraseParts) string { return valueList(p.f.Removed) },
	"added-values":   func(p phraseParts) string { return valueList(p.f.Added) },
	"details":        func(p phraseParts) string { return md(inert(strings.Join(p.c.Details, "; "))) },
	"parts":          partFields,
	"header": func(p phraseParts) string {
		_, name, _ := strings.Cut(p.c.Subject, " header ")
		return code(name)
	},
	"detail-names": func(p phraseParts) string {
		var what []string
		for _, d := range p.c.Details {
			k, _, _ := strings.Cut(d, ":")
			what = append(what, code(strings.TrimSuffix(strings.TrimSuffix(k, " added"), " removed")))
		}
		return strings.Join(what, ", ")
	},
}

// partFields lists the fields of a schema cut back (see
// breaking.Finding.Parts), each with its new name or its new type.
func partFields(p phraseParts) string {
	out := make([]string, len(p.f.Parts))
	for i, part := range p.f.Parts {
		s := code(userPath(part.Subject))
		switch {
		case part.Kind == diff.PropertyRemoved && part.After != "":
			s += " (renamed to " + code(part.After) + ")"
		case part.Kind != diff.PropertyRemoved:
			s += " " + code(orNone(part.Before)) + " -> " + code(orNone(part.After))
		}
		out[i] = s
	}
	return strings.Join(out, ", ")
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

package report

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// Changelog writes release notes for the update in Markdown: what it adds,
// changes, deprecates and removes, in the words a connector's users read.
// Actions are named by their summaries, as the designer shows them; a
// change that reaches one action is listed under it, and one that reaches
// several under "Several actions", naming each; connector-wide changes come
// under Connector, Connection (apiProperties.json) or Custom code
// (script.csx). The changes that break existing flows are marked, and the
// warning above them counts exactly the marks. It lists additions (info
// findings) whatever opts.MinLevel says, and no rule ids; what concerns
// only the publisher is left out: versioning lint, labels, and operations
// users never see (x-ms-visibility: internal). A repository's release
// notes hold every connector that changed in a way its users can notice.
func Changelog(w io.Writer, r *breaking.Result, opts Options) error {
	return inertLines(w, nil, func(w io.Writer) error {
		if r.IsPair() {
			return changelog(w, &r.Connectors[0], opts, "")
		}
		return repoChangelog(w, r, opts)
	})
}

// clEntry is one line of release notes: its section and text, and whether
// it breaks existing flows.
type clEntry struct {
	section breaking.Section
	text    string
	breaks  bool
}

// clGroup is a heading of release notes and its lines.
type clGroup struct {
	heading string
	entries []clEntry
	breaks  bool
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
	groups := changelogGroups(r)
	marks := 0
	for _, g := range groups {
		for _, e := range g.entries {
			if e.breaks {
				marks++
			}
		}
	}
	if marks > 0 {
		p.f("> [!WARNING]\n> This update breaks existing flows and apps: %s, marked ⚠️ below.\n\n", plural(marks, "change"))
	}
	for _, g := range groups {
		lines := make([]string, len(g.entries))
		for i, e := range g.entries {
			mark := ""
			if e.breaks {
				mark = "⚠️ "
			}
			lines[i] = fmt.Sprintf("- %s**%s:** %s", mark, sectionWords[e.section], e.text)
		}
		p.f("### %s\n\n%s\n\n", g.heading, strings.Join(lines, "\n"))
	}
	if len(groups) == 0 {
		p.f("No changes that users of the connector can notice.\n")
	}
	return p.err
}

// changelogGroups lays out a connector's release notes: a group per action
// a change reaches alone, one for the changes that reach several, and one
// per connector file for the rest; groups with a change that breaks come
// first, then in the order of the report. Within a group, lines go by
// section (added, changed, deprecated, removed), breaking ones first.
func changelogGroups(r *breaking.ConnectorResult) []clGroup {
	// Which operations users never see: the changes say, place by place.
	internal := map[string]bool{}
	for _, f := range r.Findings {
		if f.Change != nil {
			for _, ref := range f.Change.Operations {
				internal[ref.ID] = ref.Internal
			}
		}
	}
	var groups []clGroup
	index := map[string]int{}
	add := func(key, heading string, e clEntry) {
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, clGroup{heading: heading})
		}
		groups[i].entries = append(groups[i].entries, e)
		groups[i].breaks = groups[i].breaks || e.breaks
	}
	names := actionNames(r)
	every := len(r.Old.OperationIDs)
	inActions := func(actions []string) string {
		if len(actions) >= every && every > 1 {
			return fmt.Sprintf(" In every action (%d).", len(actions))
		}
		list := make([]string, len(actions))
		for i, op := range actions {
			list[i] = names(op)
		}
		return fmt.Sprintf(" In %d actions: %s.", len(list), strings.Join(list, ", "))
	}
	for _, f := range sameChangeOnce(r.Findings, breaking.Info) {
		sec, text := changelogEntry(f.Finding, f.text)
		if sec == breaking.SectionNone {
			continue
		}
		e := clEntry{section: sec, text: text, breaks: f.Level == breaking.Breaking}
		var actions []string
		for _, op := range f.Operations {
			if !internal[op] {
				actions = append(actions, op)
			}
		}
		if len(f.Operations) > 0 && len(actions) == 0 {
			continue // only actions users never see
		}
		// A change to the connector as a whole goes under its file, naming
		// the actions it reaches unless that is every one; a change to
		// actions under the one it reaches, or under "Several actions".
		if f.Change.Where == diff.InDocument || len(actions) == 0 {
			if len(actions) > 0 && (len(actions) < every || every == 1) {
				e.text += inActions(actions)
			}
			switch {
			case strings.EqualFold(f.File, connector.PropertiesFile):
				add("file\x00properties", "Connection", e)
			case strings.EqualFold(f.File, connector.ScriptFile):
				add("file\x00script", "Custom code", e)
			default:
				add("connector", "Connector", e)
			}
			continue
		}
		if len(actions) == 1 {
			add("op\x00"+actions[0], names(actions[0]), e)
			continue
		}
		e.text += inActions(actions)
		add("several", "Several actions", e)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].breaks && !groups[j].breaks })
	for _, g := range groups {
		sort.SliceStable(g.entries, func(i, j int) bool {
			a, b := g.entries[i], g.entries[j]
			if a.section != b.section {
				return a.section < b.section
			}
			return a.breaks && !b.breaks
		})
	}
	return groups
}

// actionNames returns how release notes name an operation, escaped: its
// summary in the new version (the old one's for an operation the update
// removed) as users see it, else its operationId; a summary two operations
// share is followed by the operationId, so that each heading names one.
func actionNames(r *breaking.ConnectorResult) func(id string) string {
	summary := func(id string) (string, bool) {
		side := r.New
		if !slices.Contains(side.OperationIDs, id) {
			side = r.Old
		}
		s, ok := side.Summaries[id]
		return s, ok
	}
	ids := map[string]map[string]bool{} // by summary
	for _, side := range []breaking.DocumentInfo{r.Old, r.New} {
		for _, id := range side.OperationIDs {
			if s, ok := summary(id); ok {
				if ids[s] == nil {
					ids[s] = map[string]bool{}
				}
				ids[s][id] = true
			}
		}
	}
	return func(id string) string {
		s, ok := summary(id)
		switch {
		case !ok:
			return md(inert(id))
		case len(ids[s]) > 1:
			return md(inert(s)) + " (" + code(id) + ")"
		}
		return md(inert(s))
	}
}

// sectionWords head the release-note lines of each section.
var sectionWords = map[breaking.Section]string{breaking.SectionAdded: "Added", breaking.SectionChanged: "Changed",
	breaking.SectionDeprecated: "Deprecated", breaking.SectionRemoved: "Removed"}

// code quotes a name from the document as inline code, escaped.
func code(s string) string { return "`" + strings.ReplaceAll(inert(s), "`", "'") + "`" }

// changelogEntry is a finding as a release-note line: its section
// (SectionNone leaves it out) and its text, as the finding's rule words it.
// A finding without a change judges the update as a whole for its
// publisher (the version, the policy) and is left out.
func changelogEntry(f breaking.Finding, sentence string) (breaking.Section, string) {
	if f.Change == nil {
		return breaking.SectionNone, ""
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
		if name == "field" && f.Change.Field == "" {
			// The whole body or output: "output {field}" reads "the
			// action's output".
			b.WriteString(wholeField(&b, f.Change.Where))
		} else if fill, ok := placeholders[name]; ok {
			b.WriteString(fill(phraseParts{f, f.Change, sentence}))
		} else {
			b.WriteString(phrase[i : i+j+1])
		}
		phrase = phrase[i+j+1:]
	}
	b.WriteString(phrase)
	return b.String()
}

// wholeField names a change's field when it is a whole request body or
// output (Change.Field is empty), dropping the word "input" or "output"
// that b ends with, as the phrase read "output {field}".
func wholeField(b *strings.Builder, where diff.Where) string {
	text := b.String()
	for _, word := range []string{"input ", "output "} {
		if strings.HasSuffix(text, word) {
			b.Reset()
			b.WriteString(text[:len(text)-len(word)])
			break
		}
	}
	if where.Output() {
		return "the action's output"
	}
	return "the request body"
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
	"field":          func(p phraseParts) string { return code(p.c.Field) },
	"subject":        func(p phraseParts) string { return code(p.c.Subject) },
	"subject-text":   func(p phraseParts) string { return md(inert(p.c.Subject)) },
	"before":         func(p phraseParts) string { return code(p.c.Before) },
	"after":          func(p phraseParts) string { return code(p.c.After) },
	"before-or-none": func(p phraseParts) string { return value(orNone(p.c.Before)) },
	"after-or-none":  func(p phraseParts) string { return value(orNone(p.c.After)) },
	"before-text":    func(p phraseParts) string { return md(inert(p.c.Before)) },
	"after-text":     func(p phraseParts) string { return md(inert(p.c.After)) },
	"before-type":    func(p phraseParts) string { return typeWords(p.c.Before) },
	"after-type":     func(p phraseParts) string { return typeWords(p.c.After) },
	"removed-values": func(p phraseParts) string { return valueList(p.f.Removed) },
	"moved":          func(p phraseParts) string { return movedList(p.f.Facts.Moved) },
	"added-values":   func(p phraseParts) string { return valueList(p.f.Added) },
	"details":        func(p phraseParts) string { return md(inert(strings.Join(p.c.Details, "; "))) },
	"parts":          partFields,
	"header":         func(p phraseParts) string { return code(p.c.Field) },
	"detail-names": func(p phraseParts) string {
		var what []string
		for _, d := range p.c.Details {
			k, _, _ := strings.Cut(d, ":")
			what = append(what, code(strings.TrimSuffix(strings.TrimSuffix(k, " added"), " removed")))
		}
		return strings.Join(what, ", ")
	},
}

// value quotes a value from the document (a default, a format) as inline
// code, as it spells it; an object or a list (a body's default, say), which
// diff renders as JSON, is named, not written out: release notes hold no
// JSON.
func value(v string) string {
	switch {
	case strings.HasPrefix(v, `{"`) || v == "{}":
		return "an object"
	case strings.HasPrefix(v, "["):
		return "a list"
	}
	return code(v)
}

// partFields lists the fields of a schema cut back (see
// breaking.Finding.Parts), each with its new name or its new type.
func partFields(p phraseParts) string {
	out := make([]string, len(p.f.Parts))
	for i, part := range p.f.Parts {
		name := part.Subject
		if part.Change != nil && part.Change.Field != "" {
			name = part.Change.Field
		}
		s := code(name)
		switch {
		case part.Kind == diff.PropertyRemoved && part.After != "":
			s += " (renamed to " + code(part.After) + ")"
		case part.Kind == diff.FormatChanged:
			s += " (format now " + value(orNone(part.After)) + ", was " + value(orNone(part.Before)) + ")"
		case part.Kind != diff.PropertyRemoved:
			s += " (now " + typeWords(part.After) + ", was " + typeWords(part.Before) + ")"
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

// movedList names the properties a restructured schema moved ("a ->
// task/a", as diff.Facts.Moved says them) or no longer declares, shortened.
func movedList(moved []string) string { return valueList(moved) }

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
)

// Limits that keep one finding's row readable and bounded, whatever the
// document holds.
const (
	mdMaxMessage = 600 // runes of a message
	mdInlineOps  = 3   // other operations listed inline; more go in <details>
	mdMaxOps     = 100 // operation names in one <details>
)

var levelBadge = map[breaking.Level]string{breaking.Breaking: "🔴 breaking", breaking.Warning: "🟡 warning", breaking.Info: "🔵 info"}

// Markdown writes the report as a pull-request comment: a verdict line,
// the counts, a table per operation with each rule linked to its section of
// the rule catalog (opts.RulesDoc), long operation lists folded in
// <details>, and the input notes. It never exceeds opts.MaxChars bytes
// (hence characters): when the whole report does not fit, less serious
// findings are dropped first, then whole operations, and a note says what
// was cut.
func Markdown(w io.Writer, r *connectordiff.Result, opts Options) error {
	maxChars := opts.MaxChars
	if maxChars <= 0 {
		maxChars = DefaultMaxChars
	}
	doc := opts.RulesDoc
	if doc == "" {
		doc = DefaultRulesDoc
	}
	min := opts.minLevel()
	head := mdHeader(r)
	notes := mdNotes(r)

	// Try every listed level, then fewer: drop info, then warnings.
	var body string
	var shown breaking.Level
	fits := false
	for t := min; t <= breaking.Breaking; t++ {
		shown = t
		body = mdSections(groupFindings(r, t), doc)
		if len(head)+len(body)+len(notes)+len(mdFooter(r, min, t, 0, 0)) <= maxChars {
			fits = true
			break
		}
	}
	var cutFindings, cutGroups int
	if !fits {
		// Even the breaking findings alone are too long: keep whole
		// operations while they fit.
		budget := maxChars - len(head) - len(notes) - len(mdFooter(r, min, shown, 1<<30, 1<<30))
		var b strings.Builder
		groups := groupFindings(r, shown)
		for i, g := range groups {
			s := mdSection(g, doc)
			if b.Len()+len(s) > budget {
				for _, rest := range groups[i:] {
					cutGroups++
					cutFindings += len(rest.findings)
				}
				break
			}
			b.WriteString(s)
		}
		body = b.String()
	}
	out := head + body + notes + mdFooter(r, min, shown, cutFindings, cutGroups)
	if len(out) > maxChars {
		// Only a cap far below any real report gets here.
		out = out[:strings.LastIndex(out[:maxChars-1], "\n")+1]
	}
	_, err := io.WriteString(w, out)
	return err
}

func mdHeader(r *connectordiff.Result) string {
	var b strings.Builder
	word, sentence := verdictWord(r)
	icon := "✅"
	if r.Summary.Breaking > 0 {
		icon = "❌"
	}
	fmt.Fprintf(&b, "## %s connectordiff: %s, %s\n\n", icon, word, sentence)
	fmt.Fprintf(&b, "%s → %s\n\n", mdDocument(r.Old), mdDocument(r.New))
	b.WriteString("| 🔴 breaking | 🟡 warning | 🔵 info |\n|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d |\n", r.Summary.Breaking, r.Summary.Warning, r.Summary.Info)
	return b.String()
}

func mdDocument(d connectordiff.DocumentInfo) string {
	s := md(d.File)
	if d.Title != "" {
		s = fmt.Sprintf("**%s** %s (%s, %s)", md(d.Title), md(d.Version), s, plural(d.Operations, "operation"))
	}
	return s
}

func mdSections(groups []group, doc string) string {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(mdSection(g, doc))
	}
	return b.String()
}

func mdSection(g group, doc string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n### %s\n\n", md(groupTitle(g.op)))
	b.WriteString("| level | rule | change | old → new |\n|---|---|---|---|\n")
	for _, f := range g.findings {
		fmt.Fprintf(&b, "| %s | [%s](%s#%s) | %s%s | %s |\n", levelBadge[f.Level], f.Rule, doc, f.Rule,
			md(truncate(visible(f.Message), mdMaxMessage)), mdAlso(f), where(f))
	}
	return b.String()
}

// mdAlso names the other operations a finding reaches: inline when they are
// few, folded when they are many.
func mdAlso(f breaking.Finding) string {
	if len(f.Operations) < 2 {
		return ""
	}
	rest := f.Operations[1:]
	names := make([]string, 0, min(len(rest), mdMaxOps))
	for _, op := range rest[:min(len(rest), mdMaxOps)] {
		names = append(names, md(visible(op)))
	}
	list := strings.Join(names, ", ")
	if len(rest) > mdMaxOps {
		list += fmt.Sprintf(" and %d more", len(rest)-mdMaxOps)
	}
	if len(rest) <= mdInlineOps {
		return "<br>also " + list
	}
	return fmt.Sprintf("<details><summary>also %s</summary>%s</details>", plural(len(rest), "other operation"), list)
}

func mdNotes(r *connectordiff.Result) string {
	n := len(r.Old.Notes) + len(r.New.Notes)
	if n == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n<details><summary>%s on the input</summary>\n\n", plural(n, "note"))
	const show = 50
	i := 0
	for _, side := range []connectordiff.DocumentInfo{r.Old, r.New} {
		for _, note := range side.Notes {
			if i < show {
				fmt.Fprintf(&b, "- %s:%s\n", md(visible(side.File)), md(truncate(visible(note.String()), mdMaxMessage)))
			}
			i++
		}
	}
	if n > show {
		fmt.Fprintf(&b, "- and %d more\n", n-show)
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

// mdFooter says which findings are not listed and why: levels below min
// (a choice), levels below shown and cut operations (the size cap).
func mdFooter(r *connectordiff.Result, min, shown breaking.Level, cutFindings, cutGroups int) string {
	var lines []string
	if shown > min || cutFindings > 0 {
		var dropped []string
		if shown > breaking.Warning && min <= breaking.Warning && r.Summary.Warning > 0 {
			dropped = append(dropped, plural(r.Summary.Warning, "warning"))
		}
		if shown > breaking.Info && min <= breaking.Info && r.Summary.Info > 0 {
			dropped = append(dropped, fmt.Sprintf("%d info", r.Summary.Info))
		}
		if cutFindings > 0 {
			dropped = append(dropped, fmt.Sprintf("%s in %s", plural(cutFindings, "breaking finding"), plural(cutGroups, "operation")))
		}
		lines = append(lines, fmt.Sprintf("> [!WARNING]\n> This comment was cut to fit GitHub's comment size limit: %s not shown. "+
			"Run `connectordiff compare` locally, or use the JSON or SARIF report, for every finding.", strings.Join(dropped, " and ")))
	}
	if min > breaking.Info && r.Summary.Info > 0 {
		lines = append(lines, fmt.Sprintf("%s not listed (`--verbose` lists them).", plural(r.Summary.Info, "info finding")))
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n" + strings.Join(lines, "\n\n") + "\n"
}

// mdEscaper turns every character Markdown or HTML could read as syntax into
// an entity, so document text stays text in a comment: no links, no
// emphasis, no code spans, no table cell breaks, no raw HTML. "@" gets a
// zero-width space after it so a name cannot mention a user or team, and "$"
// is escaped because GitHub reads it as math.
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "&#124;", "`", "&#96;", "[", "&#91;", "]", "&#93;",
	"*", "&#42;", "_", "&#95;", "\\", "&#92;", "~", "&#126;", "#", "&#35;",
	"!", "&#33;", "$", "&#36;", "@", "@&#8203;",
)

// md escapes document text for Markdown (also inside inline HTML).
func md(s string) string { return mdEscaper.Replace(s) }

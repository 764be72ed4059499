package report

import (
	"fmt"
	"io"
	"strings"

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
// the counts, a table per group (see groupFindings: breaking first, the
// connector-wide findings in their own group) with each rule linked to its
// section of the rule catalog (opts.RulesURL) and the file named where a
// finding is not in the definition, long operation lists folded in
// <details>, how to avoid each rule's findings (once per rule), and the
// input notes. It never exceeds opts.MaxChars bytes (hence characters):
// when the whole report does not fit, less serious findings are dropped
// first, then whole operations, and a note says what was cut. Document text
// is escaped (see logsafe.Line), then escaped for Markdown.
//
// A repository's comment leads with the verdict over all and a table of the
// connectors, then each connector with a finding at opts.MinLevel or above
// (breaking ones first), its findings in a table per group, how to avoid
// them, and the policy's own findings; to fit opts.MaxChars it drops info,
// then warnings, then whole connectors, then rows of the table, with a note
// saying what was cut. Each connector is rendered once per level, so the
// work is linear in the change however much is cut.
func Markdown(w io.Writer, r *breaking.Result, opts Options) error {
	return inertLines(w, nil, func(w io.Writer) error {
		if !r.IsPair() {
			return repoMarkdown(w, r, opts)
		}
		return markdown(w, r, opts)
	})
}

func markdown(w io.Writer, res *breaking.Result, opts Options) error {
	maxChars := opts.MaxChars
	if maxChars <= 0 {
		maxChars = DefaultMaxChars
	}
	min := opts.minLevel()
	r := connectorSection(&res.Connectors[0])
	head := mdHeader(res)
	notes := mdNotes(r)
	counts := res.Summary.Counts

	// Try every listed level, then fewer: drop info, then warnings.
	var body string
	var shown breaking.Level
	fits := false
	for t := min; t <= breaking.Breaking; t++ {
		shown = t
		groups := groupFindings(r, t)
		body = mdSections(r, groups, opts) + mdHowTo(groups, opts)
		if len(head)+len(body)+len(notes)+len(mdFooter(counts, min, t, cutNote(0, 0, "breaking finding", "operation"))) <= maxChars {
			fits = true
			break
		}
	}
	var cutFindings, cutGroups int
	if !fits {
		// Even the breaking findings alone are too long: keep whole
		// operations while they fit, with how to avoid what is shown.
		budget := maxChars - len(head) - len(notes) - len(mdFooter(counts, min, shown, cutNote(1<<30, 1<<30, "breaking finding", "operation")))
		var b strings.Builder
		groups := groupFindings(r, shown)
		var kept []group
		for i, g := range groups {
			s := mdSection(r, g, opts)
			if b.Len()+len(s)+len(mdHowTo(append(kept, g), opts)) > budget {
				for _, rest := range groups[i:] {
					cutGroups++
					cutFindings += len(rest.findings)
				}
				break
			}
			b.WriteString(s)
			kept = append(kept, g)
		}
		body = b.String() + mdHowTo(kept, opts)
	}
	out := head + body + notes + mdFooter(counts, min, shown, cutNote(cutFindings, cutGroups, "breaking finding", "operation"))
	if len(out) > maxChars {
		// Only a cap far below any real report gets here.
		out = out[:strings.LastIndex(out[:maxChars-1], "\n")+1]
	}
	_, err := io.WriteString(w, out)
	return err
}

// mdHowTo says once per rule how to avoid the findings shown, the rules in
// the order they first appear.
func mdHowTo(groups []group, opts Options) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, g := range groups {
		for _, f := range g.findings {
			if seen[f.Rule] || f.Remediation == "" {
				continue
			}
			if len(seen) == 0 {
				b.WriteString(mdHowToOpen)
			}
			seen[f.Rule] = true
			b.WriteString(mdHowToLine(f.Finding, opts))
		}
	}
	if len(seen) > 0 {
		b.WriteString(mdHowToClose)
	}
	return b.String()
}

// The fold around the how-to lines, and one line.
const (
	mdHowToOpen  = "\n<details><summary>How to avoid these findings</summary>\n\n"
	mdHowToClose = "\n</details>\n"
)

func mdHowToLine(f breaking.Finding, opts Options) string {
	return fmt.Sprintf("- [%s](%s): %s\n", md(inert(f.Rule)), opts.ruleLink(f.Rule), md(inert(f.Remediation)))
}

func mdHeader(r *breaking.Result) string {
	var b strings.Builder
	word, sentence := verdictWord(r.Profile, r.Summary.Breaks())
	icon := "✅"
	if r.Summary.Breaks() {
		icon = "❌"
	}
	c := &r.Connectors[0]
	fmt.Fprintf(&b, "## %s connectordiff: %s, %s\n\n", icon, word, sentence)
	fmt.Fprintf(&b, "%s → %s\n\n", mdDocument(c.Old), mdDocument(c.New))
	b.WriteString("| 🔴 breaking | 🟡 warning | 🔵 info |\n|---:|---:|---:|\n")
	// A count of findings above fewer lines says in how many changes.
	shown := changeCounts(sections(r, Options{})...)
	cell := func(n, changes int) string {
		if changes > 0 && changes < n {
			return fmt.Sprintf("%d in %s", n, plural(changes, "change"))
		}
		return fmt.Sprint(n)
	}
	fmt.Fprintf(&b, "| %s | %s | %s |\n", cell(r.Summary.Breaking, shown.Breaking), cell(r.Summary.Warning, shown.Warning),
		cell(r.Summary.Info, shown.Info))
	if c := certificationLine(r); c != "" {
		fmt.Fprintf(&b, "\n%s.\n", strings.Replace(c, "(--profile certification lists them)", "(`--profile certification` lists them)", 1))
	}
	return b.String()
}

func mdDocument(d breaking.DocumentInfo) string {
	s := md(inert(d.File))
	if d.Title != "" {
		s = fmt.Sprintf("**%s** %s (%s, %s)", md(inert(d.Title)), md(inert(d.Version)), s, plural(d.Operations, "operation"))
	}
	return s
}

func mdSections(r *section, groups []group, opts Options) string {
	return mdSectionsAt(r, groups, opts, "###")
}

// mdSectionsAt writes a table per group under headings of the given depth.
func mdSectionsAt(r *section, groups []group, opts Options, heading string) string {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(mdSectionAt(r, g, opts, heading))
	}
	return b.String()
}

func mdSection(r *section, g group, opts Options) string {
	return mdSectionAt(r, g, opts, "###")
}

func mdSectionAt(r *section, g group, opts Options, heading string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s %s\n\n", heading, md(inert(g.title())))
	b.WriteString("| level | rule | change | old → new |\n|---|---|---|---|\n")
	for _, sf := range g.findings {
		f := sf.Finding
		badge := levelBadge[f.Level]
		var notes []string
		if note := hostsNote(r, f); note != "" {
			notes = append(notes, note)
		}
		if f.Preview {
			notes = append(notes, "preview")
		}
		if len(notes) > 0 {
			badge += " (" + strings.Join(notes, "; ") + ")"
		}
		accepted := ""
		if f.Accepted != nil {
			badge = "⚪ accepted"
			accepted = "<br>" + acceptedWord(f.Accepted) + ": " + md(truncate(inert(f.Accepted.Reason+" ("+f.Accepted.By+")"), mdMaxMessage))
		}
		fmt.Fprintf(&b, "| %s | [%s](%s)%s | %s%s%s | %s |\n", badge, md(inert(f.Rule)), opts.ruleLink(f.Rule), mdShortID(f),
			md(truncate(inert(sf.text), mdMaxMessage)), accepted, mdAlso(f), md(inert(where(r, f))))
	}
	return b.String()
}

// mdShortID is a finding's id in its short form, below its rule.
func mdShortID(f breaking.Finding) string {
	if f.ID == "" {
		return ""
	}
	return "<br><code>" + md(inert(breaking.ShortID(f.ID))) + "</code>"
}

// mdMaxAcceptCommands bounds the accept commands of one connector in the
// comment, so that they never crowd out the findings under the size cap.
const mdMaxAcceptCommands = 30

// mdAcceptFold is, for a repository's connector, the accept command of
// each break shown that no one accepted, folded: one command per finding
// as shown, after a comment naming its operation and rule; past
// mdMaxAcceptCommands, a line says where the others are.
func mdAcceptFold(r *section, groups []group, note string) string {
	var cmds []string
	for _, g := range groups {
		for _, sf := range g.findings {
			if cmd := acceptLine(r, sf); cmd != "" {
				comment := strings.ReplaceAll(inert(g.title()+": "+sf.Rule), "`", "'")
				cmds = append(cmds, "# "+comment+"\n"+inert(cmd))
			}
		}
	}
	if len(cmds) == 0 {
		return ""
	}
	count := len(cmds)
	if count > mdMaxAcceptCommands {
		cmds = append(cmds[:mdMaxAcceptCommands], fmt.Sprintf("# and %d more: the JSON report gives each break's acceptCommand", count-mdMaxAcceptCommands))
	}
	body := strings.Join(cmds, "\n")
	fence := strings.Repeat("`", max(3, longestRun(body, '`')+1))
	return fmt.Sprintf("\n<details><summary>Accept %s on record</summary>\n\nRun in the pull request's checkout, with the reason. %s\n\n%ssh\n%s\n%s\n\n</details>\n",
		plural(count, "break"), note, fence, body, fence)
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// mdAlso names the other operations a finding reaches (all of them for a
// connector-wide finding): inline when they are few, folded when they are
// many.
func mdAlso(f breaking.Finding) string {
	rest, word := f.Operations, "operation"
	if f.Operation != "" {
		rest, word = rest[min(1, len(rest)):], "other operation"
	}
	if len(rest) == 0 {
		return ""
	}
	names := make([]string, 0, min(len(rest), mdMaxOps))
	for _, op := range rest[:min(len(rest), mdMaxOps)] {
		names = append(names, md(inert(op)))
	}
	list := strings.Join(names, ", ")
	if len(rest) > mdMaxOps {
		list += fmt.Sprintf(" and %d more", len(rest)-mdMaxOps)
	}
	if len(rest) <= mdInlineOps {
		if f.Operation == "" {
			return "<br>operations " + list
		}
		return "<br>also " + list
	}
	if f.Operation == "" {
		return fmt.Sprintf("<details><summary>%s</summary>%s</details>", plural(len(rest), word), list)
	}
	return fmt.Sprintf("<details><summary>also %s</summary>%s</details>", plural(len(rest), word), list)
}

func mdNotes(r *section) string {
	n := len(r.old.Notes) + len(r.new.Notes)
	if n == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n<details><summary>%s on the input</summary>\n\n", plural(n, "note"))
	const show = 50
	i := 0
	for _, side := range []breaking.DocumentInfo{r.old, r.new} {
		for _, note := range side.Notes {
			if i < show {
				fmt.Fprintf(&b, "- %s\n", md(truncate(inert(noteLine(side, note)), mdMaxMessage)))
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
// (a choice), levels below shown and the parts cut (the size cap), which
// cut describes ("" when nothing was cut).
func mdFooter(c breaking.Counts, min, shown breaking.Level, cut string) string {
	var lines []string
	if shown > min || cut != "" {
		var dropped []string
		if shown > breaking.Warning && min <= breaking.Warning && c.Warning > 0 {
			dropped = append(dropped, plural(c.Warning, "warning"))
		}
		if shown > breaking.Info && min <= breaking.Info && c.Info > 0 {
			dropped = append(dropped, fmt.Sprintf("%d info", c.Info))
		}
		if cut != "" {
			dropped = append(dropped, cut)
		}
		lines = append(lines, fmt.Sprintf("> [!WARNING]\n> This comment was cut to fit GitHub's comment size limit: %s not shown. "+
			"Run `connectordiff compare` locally, or use the JSON or SARIF report, for every finding.", strings.Join(dropped, " and ")))
	}
	if min > breaking.Info && c.Info > 0 {
		lines = append(lines, fmt.Sprintf("%s not listed (`--verbose` lists them).", plural(c.Info, "info finding")))
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n" + strings.Join(lines, "\n\n") + "\n"
}

// cutNote describes what the size cap cut: findings of a kind in parts
// (operations, connectors); "" when nothing was.
func cutNote(findings, parts int, finding, part string) string {
	if findings == 0 && parts == 0 {
		return ""
	}
	return fmt.Sprintf("%s in %s", plural(findings, finding), plural(parts, part))
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

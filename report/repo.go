package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff/breaking"
)

// The layouts of a repository comparison (gate.CompareRevisions), which
// each format's function chooses for a result that is not a pair: every
// connector the change touched, led by a summary of them, with file paths
// from the repository's root, and the policy's own findings (accepted
// changes that expired or matched nothing, changes to policy files).

// repoVerdict is the one-word verdict over every connector and its
// sentence, in the words of the profile. Connectors that could not be
// compared leave it incomplete: no verdict says SAFE over them.
func repoVerdict(rr *breaking.Result) (word, sentence string) {
	word, sentence = verdictWord(rr.Profile, rr.Summary.Breaks())
	if rr.Summary.Breaks() {
		n := 0
		for _, c := range rr.Connectors {
			if c.Summary.Breaks() {
				n++
			}
		}
		sentence += fmt.Sprintf(" in %d of %s", n, plural(len(rr.Connectors), "connector"))
	}
	if n := len(rr.Unread()); n > 0 {
		if rr.Summary.Breaks() {
			return word, sentence + fmt.Sprintf("; %d could not be compared", n)
		}
		return "INCOMPLETE", fmt.Sprintf("%d of %s could not be compared; the others: %s", n,
			plural(len(rr.Connectors), "connector"), sentence)
	}
	return word, sentence
}

// unreadText says why connector c could not be compared.
func unreadText(c *breaking.ConnectorResult) string { return "could not be compared: " + c.Error }

// repoCounts is "4 breaking, 1 warning, 2 info" over the repository, with
// accepted findings when there are any.
func repoCounts(rr *breaking.Result) string {
	s := countsInChanges(rr.Summary.Counts, changeCounts(sections(rr, Options{})...))
	if rr.Summary.Accepted > 0 {
		s += fmt.Sprintf(", %d accepted", rr.Summary.Accepted)
	}
	if n := rr.Summary.AcceptedInChange; n > 0 {
		s += fmt.Sprintf("; accepted in this change: %d, review %s", n, map[bool]string{true: "them", false: "it"}[n > 1])
	}
	return s
}

// repoRange says what was compared: "main (1a2b3c4d5e) -> the work tree".
func repoRange(rr *breaking.Result) string {
	var rg breaking.Range
	if rr.Range != nil {
		rg = *rr.Range
	}
	head := rg.Head
	switch {
	case head == "":
		head = "the work tree"
	case rg.HeadCommit != "" && head != rg.HeadCommit:
		head += " (" + short(rg.HeadCommit) + ")"
	}
	return fmt.Sprintf("%s (merge base %s) -> %s", rg.Base, short(rg.BaseCommit), head)
}

func short(commit string) string { return commit[:min(10, len(commit))] }

// connectorVerdict is a connector's verdict word.
func connectorVerdict(c *breaking.ConnectorResult) string {
	if c.Status == breaking.StatusError {
		return "error"
	}
	if c.Summary.Breaks() {
		return "BREAKING"
	}
	return "safe"
}

// connectorName is the folder, with where it came from for a move.
func connectorName(c *breaking.ConnectorResult) string {
	if c.OldFolder != "" {
		return c.OldFolder + " -> " + c.Folder
	}
	return c.Folder
}

// repoText writes a repository comparison for a terminal (see Text).
func repoText(w io.Writer, rr *breaking.Result, opts Options) error {
	p := &printer{w: w}
	st := styler(opts.Color)
	s := rr.Summary
	p.f("%s: %s\n", inert(repoRange(rr)), repoTally(rr))
	for _, l := range unpublishedLines(rr) {
		p.f("%s\n", inert(l))
	}
	if len(rr.Connectors) > 0 {
		nameW := len("connector")
		for i := range rr.Connectors {
			nameW = max(nameW, utf8.RuneCountInString(inert(connectorName(&rr.Connectors[i]))))
		}
		p.f("\n  %s  %-8s  %-8s  %8s  %8s\n", pad("connector", nameW), "status", "verdict", "breaking", "warnings")
		for i := range rr.Connectors {
			c := &rr.Connectors[i]
			v := pad(connectorVerdict(c), 8)
			if c.Summary.Breaks() || c.Status == breaking.StatusError {
				v = st.style(ansiRed, v)
			}
			if c.Status == breaking.StatusError {
				p.f("  %s  %-8s  %s  %8s  %8s\n", pad(inert(connectorName(c)), nameW), c.Status, v, "-", "-")
				continue
			}
			p.f("  %s  %-8s  %s  %8d  %8d\n", pad(inert(connectorName(c)), nameW), c.Status, v,
				c.Summary.Breaking, c.Summary.Warning)
		}
	}
	shown := 0
	for i := range rr.Connectors {
		c := &rr.Connectors[i]
		p.f("\n%s\n", st.style(ansiBold, "== "+inert(connectorName(c))+" ("+string(c.Status)+")"))
		if c.Status == breaking.StatusError {
			p.f("%s\n", st.style(ansiRed, inert(unreadText(c))))
			continue
		}
		if c.Status == breaking.StatusChanged || c.Status == breaking.StatusRenamed {
			p.f("%s -> %s\n", inert(describe(c.Old)), inert(describe(c.New)))
		}
		n := textBody(p, repoSection(rr, c, opts), opts)
		if n == 0 {
			if hidden := c.Summary.Info; hidden > 0 && opts.minLevel() > breaking.Info {
				p.f("no breaking change or warning (%s not listed)\n", plural(hidden, "info finding"))
			} else {
				p.f("no finding\n")
			}
		}
		shown += n
	}
	if len(rr.PolicyFindings) > 0 {
		p.f("\n%s\n", st.style(ansiBold, "== policy"))
		shown += textBody(p, policySection(rr), opts)
	}
	word, sentence := repoVerdict(rr)
	v := fmt.Sprintf("%s: %s (%s", word, sentence, repoCounts(rr))
	if opts.minLevel() > breaking.Info && s.Info > 0 {
		v += "; --verbose lists info"
	}
	p.f("\n%s\n", st.verdict(s.Breaks() || word == "INCOMPLETE", v+explainHint(opts, shown)+")"))
	if c := certificationLine(rr); c != "" {
		p.f("%s\n", c)
	}
	if s.Breaks() && acceptableAny(rr) {
		p.f("To accept a break on record, run its \"to accept\" command in the pull request's checkout, with the reason. %s\n", acceptNote(rr))
	}
	return p.err
}

// acceptableAny reports whether a repository's report offers to accept a
// break.
func acceptableAny(rr *breaking.Result) bool {
	for i := range rr.Connectors {
		for _, f := range rr.Connectors[i].Findings {
			if f.Level == breaking.Breaking && f.Accepted == nil {
				return true
			}
		}
	}
	return false
}

// repoTally counts the connectors by status: "3 connectors: 1 changed, 1
// added, 1 removed".
func repoTally(rr *breaking.Result) string {
	if len(rr.Connectors) == 0 {
		return "no connector changed"
	}
	var parts []string
	for _, st := range []breaking.Status{breaking.StatusChanged, breaking.StatusRenamed, breaking.StatusAdded, breaking.StatusRemoved,
		breaking.StatusError} {
		if n := rr.CountStatus(st); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	return plural(len(rr.Connectors), "connector") + ": " + strings.Join(parts, ", ")
}

// repoMarkdown writes a repository comparison as a pull-request comment
// (see Markdown).
func repoMarkdown(w io.Writer, rr *breaking.Result, opts Options) error {
	maxChars := opts.MaxChars
	if maxChars <= 0 {
		maxChars = DefaultMaxChars
	}
	min := opts.minLevel()
	word, sentence := repoVerdict(rr)
	icon := "✅"
	switch {
	case rr.Summary.Breaks():
		icon = "❌"
	case word == "INCOMPLETE":
		icon = "⚠️"
	}
	top := fmt.Sprintf("## %s connectordiff: %s, %s\n\n", icon, word, md(sentence)) +
		fmt.Sprintf("%s: %s\n\n", strings.ReplaceAll(md(inert(repoRange(rr))), " -&gt; ", " → "), repoTally(rr))
	for _, l := range unpublishedLines(rr) {
		top += "ℹ️ " + md(inert(l)) + ".\n\n"
	}
	table := newRepoTable(rr)
	cert := ""
	if c := certificationLine(rr); c != "" {
		cert = fmt.Sprintf("\n%s.\n", strings.Replace(c, "(--profile certification lists them)", "(`--profile certification` lists them)", 1))
	}
	// What could not be compared is never cut: it is what a reviewer must
	// look at first.
	if unread := rr.Unread(); len(unread) > 0 {
		cert += "\n**Could not be compared:**\n\n"
		for _, c := range unread {
			cert += fmt.Sprintf("- `%s`: %s\n", strings.ReplaceAll(inert(connectorName(c)), "`", "'"), md(inert(c.Error)))
		}
	}
	type part struct {
		title string
		r     *section
	}
	var parts []part
	for i := range rr.Connectors {
		c := &rr.Connectors[i]
		parts = append(parts, part{"`" + strings.ReplaceAll(inert(connectorName(c)), "`", "'") + "` (" + string(c.Status) + ")", repoSection(rr, c, opts)})
	}
	if len(rr.PolicyFindings) > 0 {
		parts = append(parts, part{"Policy", policySection(rr)})
	}
	// Breaking connectors first, keeping their order otherwise.
	ordered := make([]part, 0, len(parts))
	for _, breaks := range []bool{true, false} {
		for _, p := range parts {
			if p.r.summary.Breaks() == breaks {
				ordered = append(ordered, p)
			}
		}
	}
	// sections renders each connector's findings at level once: its text
	// ("" when it has none there) and groups.
	type section struct {
		text   string
		groups []group
	}
	sections := func(level breaking.Level) []section {
		out := make([]section, len(ordered))
		for i, p := range ordered {
			if gs := groupFindings(p.r, level); len(gs) > 0 {
				out[i] = section{fmt.Sprintf("\n### %s\n", p.title) + mdSectionsAt(p.r, gs, opts, "####") + mdAcceptFold(p.r, gs, acceptNote(rr)), gs}
			}
		}
		return out
	}
	footer := func(shown breaking.Level, cutParts, cutFindings, cutRows int) string {
		cut := cutNote(cutFindings, cutParts, "finding", "connector")
		if cutRows > 0 {
			if cut != "" {
				cut += " and "
			}
			cut += "the table's rows of " + plural(cutRows, "connector")
		}
		return mdFooter(rr.Summary.Counts, min, shown, cut)
	}

	// Everything at the levels asked for, then without info, then without
	// warnings.
	head := top + table.render(len(table.rows)) + cert
	var secs []section
	for level := min; level <= breaking.Breaking; level++ {
		secs = sections(level)
		var body strings.Builder
		var groups []group
		for _, s := range secs {
			body.WriteString(s.text)
			groups = append(groups, s.groups...)
		}
		if out := head + body.String() + mdHowTo(groups, opts) + footer(level, 0, 0, 0); len(out) <= maxChars {
			_, err := io.WriteString(w, out)
			return err
		}
	}

	// The breaking findings alone are too long: room is kept for the
	// longest footer, then for the table (when it alone is too long, for
	// the half of its rows that fit, the breaking ones first), then whole
	// connectors are shown while they fit, each with the how-to lines of
	// the rules it adds, and the table gets what they leave.
	findings := 0
	for _, p := range ordered {
		findings += len(p.r.findings)
	}
	reserve := len(footer(breaking.Breaking, len(ordered), findings, len(table.rows)))
	room := maxChars - len(top) - len(cert) - reserve
	rows := len(table.rows)
	if table.size() > room {
		rows = table.fit(room / 2)
	}
	budget := room - len(table.render(rows))
	var body strings.Builder
	var kept []group
	howTo := 0 // the length of the how-to fold of the rules kept
	seen := map[string]bool{}
	cutParts, cutFindings := 0, 0
	for _, s := range secs {
		if s.text == "" {
			continue
		}
		var lines []string
		added := map[string]bool{}
		for _, g := range s.groups {
			for _, f := range g.findings {
				if !seen[f.Rule] && !added[f.Rule] && f.Remediation != "" {
					added[f.Rule] = true
					lines = append(lines, mdHowToLine(f.Finding, opts))
				}
			}
		}
		grow := 0
		for _, l := range lines {
			grow += len(l)
		}
		if howTo == 0 && grow > 0 {
			grow += len(mdHowToOpen) + len(mdHowToClose)
		}
		if body.Len()+len(s.text)+howTo+grow > budget {
			cutParts++
			for _, g := range s.groups {
				cutFindings += len(g.findings)
			}
			continue
		}
		body.WriteString(s.text)
		kept = append(kept, s.groups...)
		howTo += grow
		for r := range added {
			seen[r] = true
		}
	}
	if rows < len(table.rows) {
		rows = table.fit(room - body.Len() - howTo)
	}
	out := top + table.render(rows) + cert + body.String() + mdHowTo(kept, opts)
	end := footer(breaking.Breaking, cutParts, cutFindings, len(table.rows)-rows)
	if len(out)+len(end) > maxChars {
		// Only a cap far below any real report gets here: the footer is
		// kept, so the comment still says it was cut.
		room := max(maxChars-len(end), 0)
		out = out[:strings.LastIndex(out[:room], "\n")+1]
		if len(out)+len(end) > maxChars {
			end = end[:strings.LastIndex(end[:maxChars-len(out)], "\n")+1]
		}
	}
	_, err := io.WriteString(w, out+end)
	return err
}

// repoTable is the table of connectors of the repository Markdown.
type repoTable struct {
	rows     []string // in folder order
	breaking []bool   // the row's connector breaks
	first    []bool   // the row is kept first when the table is cut: its connector breaks or could not be compared
	order    []int    // the rows kept first when the table is cut: breaking ones and errors, then the rest
}

const (
	repoTableHeader = "| connector | status | verdict | 🔴 breaking | 🟡 warning | 🔵 info |\n|---|---|---|---:|---:|---:|\n"
	repoTableMore   = "| … and %s | | | | | |\n"
)

func newRepoTable(rr *breaking.Result) *repoTable {
	t := &repoTable{}
	for i := range rr.Connectors {
		c := &rr.Connectors[i]
		v := "✅ safe"
		if c.Summary.Breaks() {
			v = "❌ breaking"
		}
		cs := c.Summary
		row := fmt.Sprintf("| %s | %s | %s | %d | %d | %d |\n", md(inert(connectorName(c))), c.Status, v, cs.Breaking, cs.Warning, cs.Info)
		if c.Status == breaking.StatusError {
			row = fmt.Sprintf("| %s | %s | ⚠️ not compared | – | – | – |\n", md(inert(connectorName(c))), c.Status)
		}
		t.rows = append(t.rows, row)
		t.breaking = append(t.breaking, cs.Breaking > 0)
		t.first = append(t.first, cs.Breaking > 0 || c.Status == breaking.StatusError)
	}
	for _, first := range []bool{true, false} {
		for i, b := range t.first {
			if b == first {
				t.order = append(t.order, i)
			}
		}
	}
	return t
}

// more is the row that stands for n rows cut, with how many of them break.
func (t *repoTable) more(cut []int) string {
	n := 0
	for _, i := range cut {
		if t.breaking[i] {
			n++
		}
	}
	what := plural(len(cut), "more connector")
	if n > 0 {
		what += fmt.Sprintf(" (%d breaking)", n)
	}
	return fmt.Sprintf(repoTableMore, what)
}

// size is the length of the whole table.
func (t *repoTable) size() int {
	if len(t.rows) == 0 {
		return 0
	}
	size := len(repoTableHeader)
	for _, r := range t.rows {
		size += len(r)
	}
	return size
}

// fit is how many rows fit in room characters, with the row that says how
// many were cut (every row when they all fit).
func (t *repoTable) fit(room int) int {
	if t.size() <= room {
		return len(t.rows)
	}
	size := len(repoTableHeader) + len(t.more(t.order))
	for k, i := range t.order {
		if size+len(t.rows[i]) > room {
			return k
		}
		size += len(t.rows[i])
	}
	return len(t.rows)
}

// render writes the header and rows: all of them in folder order, or, when
// fewer are kept, the first of t.order in folder order and a row for the
// rest.
func (t *repoTable) render(keep int) string {
	if len(t.rows) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(repoTableHeader)
	if keep >= len(t.rows) {
		for _, r := range t.rows {
			b.WriteString(r)
		}
		return b.String()
	}
	shown := make([]bool, len(t.rows))
	for _, i := range t.order[:keep] {
		shown[i] = true
	}
	for i, r := range t.rows {
		if shown[i] {
			b.WriteString(r)
		}
	}
	b.WriteString(t.more(t.order[keep:]))
	return b.String()
}

// repoHTML writes one page: the verdict, a table of the connectors linking
// to their sections, and each connector's findings as HTML shows them.
func repoHTML(w io.Writer, rr *breaking.Result, opts Options) error {
	word, sentence := repoVerdict(rr)
	rep := htmlReport{Title: visible(fmt.Sprintf("connectordiff: %s, %s", word, repoRange(rr))), Verdict: word,
		Sentence: sentence, Breaking: rr.Summary.Breaks() || word == "INCOMPLETE", Counts: rr.Summary.Counts,
		Certification: certificationLine(rr), Repo: true, Range: visible(repoRange(rr) + ": " + repoTally(rr))}
	if opts.minLevel() > breaking.Info && rr.Summary.Info > 0 {
		rep.Hidden = plural(rr.Summary.Info, "info finding") + " not listed (--verbose lists them)."
	}
	used := map[string]bool{}
	for i := range rr.Connectors {
		c := &rr.Connectors[i]
		id := fmt.Sprintf("connector-%d", i+1)
		rep.Rows = append(rep.Rows, htmlRow{Folder: visible(connectorName(c)), ID: id, Status: string(c.Status),
			Verdict: connectorVerdict(c), Breaking: c.Summary.Breaks() || c.Status == breaking.StatusError, Counts: c.Summary.Counts})
		hc := htmlConnectorOf(repoSection(rr, c, opts), opts, used)
		hc.Heading, hc.ID = visible(connectorName(c)+" ("+string(c.Status)+")"), id
		if c.Status == breaking.StatusError {
			hc.Error = visible(c.Error)
		}
		rep.Connectors = append(rep.Connectors, hc)
	}
	if len(rr.PolicyFindings) > 0 {
		hc := htmlConnectorOf(policySection(rr), opts, used)
		hc.Heading, hc.ID = "Policy", "policy"
		rep.Connectors = append(rep.Connectors, hc)
	}
	return writeHTML(w, rep, used)
}

// repoChangelog writes the release notes of every connector that changed
// in a way its users can notice.
func repoChangelog(w io.Writer, rr *breaking.Result, opts Options) error {
	p := &printer{w: w}
	for i := range rr.Connectors {
		if i > 0 {
			p.f("\n")
		}
		c := &rr.Connectors[i]
		if c.Status == breaking.StatusError {
			// No release notes can be written for it: say so, not nothing.
			p.f("## %s\n\n> [!CAUTION]\n> %s\n", md(inert(connectorName(c))), md(inert("Could not be compared: "+c.Error)))
			continue
		}
		if p.err == nil {
			p.err = changelog(w, c, opts, connectorName(c))
		}
	}
	if len(rr.Connectors) == 0 {
		p.f("No connector changed.\n")
	}
	return p.err
}

// acceptedWord says how a finding was accepted: by the policy, or by an
// acceptance the change itself adds, which its reviewer should read.
func acceptedWord(a *breaking.Accepted) string {
	if a.InChange {
		return "accepted in this change"
	}
	return "accepted"
}

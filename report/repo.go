package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
)

// The reports of a repository comparison (connectordiff.CompareRevisions):
// every format renders every connector the change touched, led by a summary
// of them, with file paths from the repository's root, and the policy's own
// findings (accepted changes that expired or matched nothing).

// RenderRepo writes rr in format f.
func RenderRepo(w io.Writer, f Format, rr *connectordiff.RepoResult, opts Options) error {
	switch f {
	case FormatText:
		return RepoText(w, rr, opts)
	case FormatJSON:
		return RepoJSON(w, rr, opts)
	case FormatMarkdown:
		return RepoMarkdown(w, rr, opts)
	case FormatSARIF:
		return writeSARIF(w, repoResults(rr), opts)
	case FormatJUnit:
		return RepoJUnit(w, rr, opts)
	case FormatGitHub:
		return RepoGitHub(w, rr, opts)
	case FormatAzure:
		return RepoAzure(w, rr, opts)
	case FormatHTML:
		return RepoHTML(w, rr, opts)
	case FormatChangelog:
		return RepoChangelog(w, rr, opts)
	}
	_, err := ParseFormat(string(f))
	return err
}

// repoResults lists the results of every connector, and the policy's
// findings as a result of their own (whose findings name their file).
func repoResults(rr *connectordiff.RepoResult) []*connectordiff.Result {
	var out []*connectordiff.Result
	for _, c := range rr.Connectors {
		out = append(out, c.Result)
	}
	if len(rr.Findings) > 0 {
		out = append(out, policyResult(rr))
	}
	return out
}

// policyResult holds the policy's own findings, as a result the per-result
// renderers can show.
func policyResult(rr *connectordiff.RepoResult) *connectordiff.Result {
	r := &connectordiff.Result{Profile: rr.Profile, Findings: rr.Findings}
	for _, f := range rr.Findings {
		switch f.Level {
		case breaking.Breaking:
			r.Summary.Breaking++
		case breaking.Warning:
			r.Summary.Warning++
		case breaking.Info:
			r.Summary.Info++
		}
	}
	return r
}

// repoVerdict is the one-word verdict over every connector and its
// sentence, in the words of the profile.
func repoVerdict(rr *connectordiff.RepoResult) (word, sentence string) {
	r := &connectordiff.Result{Profile: rr.Profile}
	r.Summary.Breaking = rr.Summary.Breaking
	word, sentence = verdictWord(r)
	if rr.Summary.Breaking > 0 {
		n := 0
		for _, c := range rr.Connectors {
			if c.Result.Summary.Breaking > 0 {
				n++
			}
		}
		sentence += fmt.Sprintf(" in %d of %s", n, plural(len(rr.Connectors), "connector"))
	}
	return word, sentence
}

// repoCounts is "4 breaking, 1 warning, 2 info" over the repository, with
// accepted findings when there are any.
func repoCounts(rr *connectordiff.RepoResult) string {
	s := fmt.Sprintf("%d breaking, %s, %d info", rr.Summary.Breaking, plural(rr.Summary.Warning, "warning"), rr.Summary.Info)
	if rr.Summary.Accepted > 0 {
		s += fmt.Sprintf(", %d accepted", rr.Summary.Accepted)
	}
	if n := rr.Summary.AcceptedInChange; n > 0 {
		s += fmt.Sprintf("; accepted in this change: %d, review %s", n, map[bool]string{true: "them", false: "it"}[n > 1])
	}
	return s
}

// repoRange says what was compared: "main (1a2b3c4d5e) -> the work tree".
func repoRange(rr *connectordiff.RepoResult) string {
	head := rr.Head
	switch {
	case head == "":
		head = "the work tree"
	case rr.HeadCommit != "" && head != rr.HeadCommit:
		head += " (" + short(rr.HeadCommit) + ")"
	}
	return fmt.Sprintf("%s (merge base %s) -> %s", rr.Base, short(rr.BaseCommit), head)
}

func short(commit string) string { return commit[:min(10, len(commit))] }

// connectorVerdict is a connector's verdict word.
func connectorVerdict(c connectordiff.ConnectorResult) string {
	if c.Result.Summary.Breaking > 0 {
		return "BREAKING"
	}
	return "safe"
}

// connectorName is the folder, with where it came from for a move.
func connectorName(c connectordiff.ConnectorResult) string {
	if c.OldFolder != "" {
		return c.OldFolder + " -> " + c.Folder
	}
	return c.Folder
}

// RepoText writes a repository comparison for a terminal: what was
// compared, a table of the connectors (status, verdict, counts), then each
// connector's findings as Text shows them, the policy's own findings, and
// the verdict over all.
func RepoText(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	return inertLines(w, nil, func(w io.Writer) error { return repoText(w, rr, opts) })
}

func repoText(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	p := &printer{w: w}
	st := styler(opts.Color)
	s := rr.Summary
	p.f("%s: %s\n", inert(repoRange(rr)), repoTally(rr))
	if len(rr.Connectors) > 0 {
		nameW := len("connector")
		for _, c := range rr.Connectors {
			nameW = max(nameW, utf8.RuneCountInString(inert(connectorName(c))))
		}
		p.f("\n  %s  %-8s  %-8s  %8s  %8s\n", pad("connector", nameW), "status", "verdict", "breaking", "warnings")
		for _, c := range rr.Connectors {
			v := pad(connectorVerdict(c), 8)
			if c.Result.Summary.Breaking > 0 {
				v = st.style(ansiRed, v)
			}
			p.f("  %s  %-8s  %s  %8d  %8d\n", pad(inert(connectorName(c)), nameW), c.Status, v,
				c.Result.Summary.Breaking, c.Result.Summary.Warning)
		}
	}
	shown := 0
	for _, c := range rr.Connectors {
		p.f("\n%s\n", st.style(ansiBold, "== "+inert(connectorName(c))+" ("+c.Status+")"))
		if c.Status == connectordiff.StatusChanged || c.Status == connectordiff.StatusRenamed {
			p.f("%s -> %s\n", inert(describe(c.Result.Old)), inert(describe(c.Result.New)))
		}
		n := textBody(p, c.Result, opts)
		if n == 0 {
			if hidden := c.Result.Summary.Info; hidden > 0 && opts.minLevel() > breaking.Info {
				p.f("no breaking change or warning (%s not listed)\n", plural(hidden, "info finding"))
			} else {
				p.f("no finding\n")
			}
		}
		shown += n
	}
	if len(rr.Findings) > 0 {
		p.f("\n%s\n", st.style(ansiBold, "== policy"))
		shown += textBody(p, policyResult(rr), opts)
	}
	word, sentence := repoVerdict(rr)
	v := fmt.Sprintf("%s: %s (%s", word, sentence, repoCounts(rr))
	if opts.minLevel() > breaking.Info && s.Info > 0 {
		v += "; --verbose lists info"
	}
	p.f("\n%s\n", st.verdict(s.Breaking > 0, v+explainHint(opts, shown)+")"))
	if c := repoCertificationLine(rr); c != "" {
		p.f("%s\n", c)
	}
	return p.err
}

// repoTally counts the connectors by status: "3 connectors: 1 changed, 1
// added, 1 removed".
func repoTally(rr *connectordiff.RepoResult) string {
	s := rr.Summary
	if len(rr.Connectors) == 0 {
		return "no connector changed"
	}
	var parts []string
	for _, x := range []struct {
		n    int
		word string
	}{{s.Changed, "changed"}, {s.Renamed, "renamed"}, {s.Added, "added"}, {s.Removed, "removed"}} {
		if x.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", x.n, x.word))
		}
	}
	return plural(len(rr.Connectors), "connector") + ": " + strings.Join(parts, ", ")
}

// repoCertificationLine is certificationLine over the repository.
func repoCertificationLine(rr *connectordiff.RepoResult) string {
	r := &connectordiff.Result{Profile: rr.Profile}
	r.Summary.Counts = rr.Summary.Counts
	r.Summary.Certification = rr.Summary.Certification
	return certificationLine(r)
}

// RepoMarkdown writes a repository comparison as a pull-request comment:
// the verdict over all, a table of the connectors, then each connector with
// a finding at opts.MinLevel or above (breaking ones first), its findings
// in a table per group, how to avoid them, and the policy's own findings;
// at most opts.MaxChars, dropping info, then warnings, then whole
// connectors, then rows of the table, with a note saying what was cut.
// Each connector is rendered once per level, so the work is linear in the
// change however much is cut.
func RepoMarkdown(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	return inertLines(w, nil, func(w io.Writer) error { return repoMarkdown(w, rr, opts) })
}

func repoMarkdown(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	maxChars := opts.MaxChars
	if maxChars <= 0 {
		maxChars = DefaultMaxChars
	}
	min := opts.minLevel()
	word, sentence := repoVerdict(rr)
	icon := "✅"
	if rr.Summary.Breaking > 0 {
		icon = "❌"
	}
	top := fmt.Sprintf("## %s connectordiff: %s, %s\n\n", icon, word, md(sentence)) +
		fmt.Sprintf("%s: %s\n\n", strings.ReplaceAll(md(inert(repoRange(rr))), " -&gt; ", " → "), repoTally(rr))
	table := newRepoTable(rr)
	cert := ""
	if c := repoCertificationLine(rr); c != "" {
		cert = fmt.Sprintf("\n%s.\n", strings.Replace(c, "(--profile certification lists them)", "(`--profile certification` lists them)", 1))
	}
	type part struct {
		title string
		r     *connectordiff.Result
	}
	var parts []part
	for _, c := range rr.Connectors {
		parts = append(parts, part{"`" + strings.ReplaceAll(inert(connectorName(c)), "`", "'") + "` (" + c.Status + ")", c.Result})
	}
	if len(rr.Findings) > 0 {
		parts = append(parts, part{"Policy", policyResult(rr)})
	}
	// Breaking connectors first, keeping their order otherwise.
	ordered := make([]part, 0, len(parts))
	for _, breaks := range []bool{true, false} {
		for _, p := range parts {
			if (p.r.Summary.Breaking > 0) == breaks {
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
				out[i] = section{fmt.Sprintf("\n### %s\n", p.title) + mdSectionsAt(p.r, gs, opts, "####"), gs}
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
		findings += len(p.r.Findings)
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
					lines = append(lines, mdHowToLine(f, opts))
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
	order    []int    // the rows kept first when the table is cut: breaking ones, then the rest
}

const (
	repoTableHeader = "| connector | status | verdict | 🔴 breaking | 🟡 warning | 🔵 info |\n|---|---|---|---:|---:|---:|\n"
	repoTableMore   = "| … and %s | | | | | |\n"
)

func newRepoTable(rr *connectordiff.RepoResult) *repoTable {
	t := &repoTable{}
	for _, c := range rr.Connectors {
		v := "✅ safe"
		if c.Result.Summary.Breaking > 0 {
			v = "❌ breaking"
		}
		cs := c.Result.Summary
		t.rows = append(t.rows, fmt.Sprintf("| %s | %s | %s | %d | %d | %d |\n", md(inert(connectorName(c))), c.Status, v,
			cs.Breaking, cs.Warning, cs.Info))
		t.breaking = append(t.breaking, cs.Breaking > 0)
	}
	for _, breaks := range []bool{true, false} {
		for i, b := range t.breaking {
			if b == breaks {
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

// RepoJUnit writes a test suite per connector (and one for the policy's
// findings), as JUnit writes for one comparison.
func RepoJUnit(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	var suites []junitSuite
	for _, c := range rr.Connectors {
		suites = append(suites, junitSuiteOf(c.Result, visible(connectorName(c)+" ("+c.Status+")"), opts))
	}
	if len(rr.Findings) > 0 {
		suites = append(suites, junitSuiteOf(policyResult(rr), "policy", opts))
	}
	return writeJUnit(w, suites)
}

// RepoGitHub writes the workflow commands of every connector, then one
// verdict line.
func RepoGitHub(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	return inertLines(w, githubCommand, func(w io.Writer) error {
		p := &printer{w: w}
		for _, r := range repoResults(rr) {
			githubLines(p, r, opts)
		}
		word, sentence := repoVerdict(rr)
		p.f("connectordiff: %s: %s (%s)\n", word, sentence, repoCounts(rr))
		return p.err
	})
}

// RepoAzure writes the logging commands of every connector, then one
// verdict line.
func RepoAzure(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	return inertLines(w, azureCommand, func(w io.Writer) error {
		p := &printer{w: w}
		for _, r := range repoResults(rr) {
			azureLines(p, r, opts)
		}
		word, sentence := repoVerdict(rr)
		p.f("connectordiff: %s: %s (%s)\n", word, sentence, repoCounts(rr))
		return p.err
	})
}

// RepoHTML writes one page: the verdict, a table of the connectors linking
// to their sections, and each connector's findings as HTML shows them.
func RepoHTML(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	word, sentence := repoVerdict(rr)
	rep := htmlReport{Title: visible(fmt.Sprintf("connectordiff: %s, %s", word, repoRange(rr))), Verdict: word,
		Sentence: sentence, Breaking: rr.Summary.Breaking > 0, Counts: rr.Summary.Counts,
		Certification: repoCertificationLine(rr), Repo: true}
	if opts.minLevel() > breaking.Info && rr.Summary.Info > 0 {
		rep.Hidden = plural(rr.Summary.Info, "info finding") + " not listed (--verbose lists them)."
	}
	used := map[string]bool{}
	for i, c := range rr.Connectors {
		id := fmt.Sprintf("connector-%d", i+1)
		rep.Rows = append(rep.Rows, htmlRow{Folder: visible(connectorName(c)), ID: id, Status: c.Status,
			Verdict: connectorVerdict(c), Breaking: c.Result.Summary.Breaking > 0, Counts: c.Result.Summary.Counts})
		hc := htmlConnectorOf(c.Result, opts, used)
		hc.Heading, hc.ID = visible(connectorName(c)+" ("+c.Status+")"), id
		rep.Connectors = append(rep.Connectors, hc)
	}
	if len(rr.Findings) > 0 {
		hc := htmlConnectorOf(policyResult(rr), opts, used)
		hc.Heading, hc.ID = "Policy", "policy"
		rep.Connectors = append(rep.Connectors, hc)
	}
	return writeHTML(w, rep, used)
}

// RepoChangelog writes the release notes of every connector that changed
// in a way its users can notice.
func RepoChangelog(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	return inertLines(w, nil, func(w io.Writer) error { return repoChangelog(w, rr, opts) })
}

func repoChangelog(w io.Writer, rr *connectordiff.RepoResult, opts Options) error {
	p := &printer{w: w}
	for i, c := range rr.Connectors {
		if i > 0 {
			p.f("\n")
		}
		if p.err == nil {
			p.err = changelog(w, c.Result, opts, connectorName(c))
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

package history

import (
	"fmt"
	"io"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/escape"
	"github.com/connectordiff/connectordiff/report"
)

// markdownWriter writes the history as Markdown: per connector a heading
// and a table of its versions (date, commit, verdict, counts, author,
// subject, rules linked to the catalog with the operations they reach),
// then its deprecations; at the end, the connectors by number of breaking
// updates. Unlike compare's pull-request comment it is not capped: a
// repository's history is a document, not a comment. Every string from a
// commit, a path or a document is escaped as report's Markdown escapes it
// (report.MarkdownText), and the stream passes the same net as text.
type markdownWriter struct {
	net  *escape.Writer
	min  breaking.Level
	opts report.Options
	h    *Header
	err  error
}

func newMarkdown(w io.Writer, opts report.Options) *markdownWriter {
	return &markdownWriter{net: escape.NewWriter(w, nil), min: minLevel(opts), opts: opts}
}

func (m *markdownWriter) f(format string, a ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.net, format, a...)
	}
}

func mdText(s string) string { return report.MarkdownText(s) }

// mdVerdict marks the verdicts a reader looks for.
var mdVerdict = map[Verdict]string{Breaking: "🔴 **breaking**", Safe: "🟢 safe", Added: "➕ added", Removed: "⛔ **removed**", Error: "⚠️ error"}

func (m *markdownWriter) Begin(h *Header) error {
	m.h = h
	m.f("# Connector history\n\n%s, %s, profile %s\n", mdText(rangeText(h)), plural(h.Commits, "first-parent commit"), h.Profile)
	return m.err
}

func (m *markdownWriter) Connector(c *Connector) error {
	m.f("\n## %s\n\n", mdText(c.Folder))
	if c.Title != "" {
		m.f("**%s**: ", mdText(c.Title))
	}
	m.f("%s, %d breaking\n\n", plural(len(c.Versions), "version"), c.BreakingUpdates())
	m.f("| date | commit | verdict | findings | author | subject | rules |\n|---|---|---|---|---|---|---|\n")
	for i := range c.Versions {
		v := &c.Versions[i]
		found := countsText(v.Counts, m.min)
		if v.Verdict == Error {
			found = mdText(v.Error)
		}
		subject := mdText(v.Subject)
		if v.OldFolder != "" {
			subject += "<br>moved from " + mdText(v.OldFolder)
		}
		m.f("| %s | `%s` | %s | %s | %s | %s | %s |\n", day(*v), short(v.Commit), mdVerdict[v.Verdict], found, mdText(v.Author),
			subject, m.rules(v))
	}
	if len(c.Deprecations) > 0 {
		m.f("\n**Deprecations and removals**\n\n")
		for _, d := range c.Deprecations {
			m.f("- %s: %s\n", mdText(d.Operation), deprecationText(d, m.h.Window))
		}
	}
	return m.err
}

// rules lists a version's rules, linked to the catalog, with the
// operations each reaches.
func (m *markdownWriter) rules(v *Version) string {
	if v.Verdict == Added {
		return ""
	}
	var out []string
	for _, r := range rulesOf(v, m.min) {
		s := fmt.Sprintf("[%s](%s)", mdText(r.rule), report.RuleLink(m.opts, r.rule))
		if len(r.ops) > 0 {
			ops := make([]string, len(r.ops))
			for i, op := range r.ops {
				ops[i] = mdText(op)
			}
			s += ": " + listOps(ops, textOps)
		}
		out = append(out, s)
	}
	return strings.Join(out, "<br>")
}

func (m *markdownWriter) End(s *Summary) error {
	if rows := byBreaking(s.Tallies); len(rows) > 0 && len(s.Tallies) > 1 {
		m.f("\n## Connectors by breaking updates\n\n| connector | breaking updates | versions |\n|---|---:|---:|\n")
		for _, r := range rows {
			m.f("| %s | %d | %d |\n", mdText(r.Folder), r.Breaking, r.Versions)
		}
	}
	m.f("\n%s, %s, %s in %s.\n", plural(len(s.Tallies), "connector"), plural(s.Versions, "version"),
		plural(s.BreakingUpdates, "breaking update"), plural(s.Commits, "first-parent commit"))
	if m.err == nil {
		m.err = m.net.Flush()
	}
	return m.err
}

package history

import (
	"fmt"
	"io"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/escape"
	"github.com/connectordiff/connectordiff/report"
)

// textWriter writes the history for a terminal: per connector a heading
// and one line per version (date, commit, verdict, counts, author and
// subject, and the rules at the least level shown with the operations
// they reach), then its deprecations; at the end, the connectors by
// number of breaking updates and the totals. Every string from a commit,
// a path or a document is made one inert line (logsafe.Line), and the
// whole stream passes a net that neutralises any CI command a line would
// still hold.
type textWriter struct {
	net  *escape.Writer
	min  breaking.Level
	h    *Header
	err  error
	opts report.Options
}

// textOps is how many operations a rule names on a version's line.
const textOps = 3

func newText(w io.Writer, opts report.Options) *textWriter {
	return &textWriter{net: escape.NewWriter(w, nil), min: minLevel(opts), opts: opts}
}

func (t *textWriter) f(format string, a ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.net, format, a...)
	}
}

func inert(s string) string { return escape.Line(s) }

func (t *textWriter) Begin(h *Header) error {
	t.h = h
	t.f("History of %s: %s, profile %s\n", inert(rangeText(h)), plural(h.Commits, "first-parent commit"), h.Profile)
	return t.err
}

func (t *textWriter) Connector(c *Connector) error {
	title := ""
	if c.Title != "" {
		title = " (" + inert(c.Title) + ")"
	}
	t.f("\n%s%s: %s, %d breaking\n", inert(c.Folder), title, plural(len(c.Versions), "version"), c.BreakingUpdates())
	for i := range c.Versions {
		t.f("  %s\n", versionLine(&c.Versions[i], t.min))
	}
	for _, d := range c.Deprecations {
		t.f("  %s %s\n", inert(d.Operation), deprecationText(d, t.h.Window))
	}
	return t.err
}

// versionLine is a version on one line, every part escaped.
func versionLine(v *Version, min breaking.Level) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s  %-8s  ", day(*v), short(v.Commit), v.Verdict)
	if v.Verdict == Error {
		b.WriteString(inert(v.Error))
	} else {
		b.WriteString(countsText(v.Counts, min))
	}
	if v.InfoVersion != "" {
		fmt.Fprintf(&b, "  version %s", inert(v.InfoVersion))
	}
	if v.OldFolder != "" {
		fmt.Fprintf(&b, "  moved from %s", inert(v.OldFolder))
	}
	fmt.Fprintf(&b, "  %s: %s", inert(v.Author), inert(v.Subject))
	if v.Verdict != Added {
		var rules []string
		for _, r := range rulesOf(v, min) {
			s := inert(r.rule)
			if len(r.ops) > 0 {
				ops := make([]string, len(r.ops))
				for i, op := range r.ops {
					ops[i] = inert(op)
				}
				s += " (" + listOps(ops, textOps) + ")"
			}
			rules = append(rules, s)
		}
		if len(rules) > 0 {
			b.WriteString("  [" + strings.Join(rules, "; ") + "]")
		}
	}
	return b.String()
}

func (t *textWriter) End(s *Summary) error {
	if rows := byBreaking(s.Tallies); len(rows) > 0 && len(s.Tallies) > 1 {
		t.f("\nConnectors by breaking updates:\n")
		for _, r := range rows {
			t.f("  %4d  %s (%s)\n", r.Breaking, inert(r.Folder), plural(r.Versions, "version"))
		}
	}
	t.f("\n%s, %s, %s in %s\n", plural(len(s.Tallies), "connector"), plural(s.Versions, "version"),
		plural(s.BreakingUpdates, "breaking update"), plural(s.Commits, "first-parent commit"))
	if t.err == nil {
		t.err = t.net.Flush()
	}
	return t.err
}

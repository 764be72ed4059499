package history

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/report"
)

// Formats lists the formats a history is written in.
func Formats() []report.Format {
	return []report.Format{report.FormatText, report.FormatJSON, report.FormatMarkdown, report.FormatHTML}
}

// NewRenderer returns a Sink that writes the history to w in format f as
// it comes, one connector at a time. opts.MinLevel is the least serious
// level the text, Markdown and HTML timelines name (JSON lists every
// finding); opts.RulesURL is the catalog rules link to; opts.ToolVersion
// the version JSON gives.
func NewRenderer(w io.Writer, f report.Format, opts report.Options) (Sink, error) {
	switch f {
	case report.FormatText:
		return newText(w, opts), nil
	case report.FormatJSON:
		return newJSON(w, opts), nil
	case report.FormatMarkdown:
		return newMarkdown(w, opts), nil
	case report.FormatHTML:
		return newHTML(w, opts), nil
	}
	names := make([]string, 0, 4)
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return nil, fmt.Errorf("a history is written as %s or %s, not %s", strings.Join(names[:len(names)-1], ", "), names[len(names)-1], f)
}

// minLevel is the least serious level the timelines name: warning unless
// opts say otherwise.
func minLevel(opts report.Options) breaking.Level {
	if opts.MinLevel == breaking.Off {
		return breaking.Warning
	}
	return opts.MinLevel
}

// ruleOps is one rule of a version's findings, with the operations its
// findings reach.
type ruleOps struct {
	rule  string
	level breaking.Level
	ops   []string
}

// rulesOf groups a version's findings at min or above by rule, the most
// serious first, each with the operations it reaches (in order, once).
func rulesOf(v *Version, min breaking.Level) []ruleOps {
	var out []ruleOps
	at := map[string]int{}
	for _, f := range v.Findings {
		if f.Level < min {
			continue
		}
		i, ok := at[f.Rule]
		if !ok {
			i = len(out)
			at[f.Rule] = i
			out = append(out, ruleOps{rule: f.Rule, level: f.Level})
		}
		r := &out[i]
		r.level = max(r.level, f.Level)
		for _, op := range f.Operations {
			if !contains(r.ops, op) {
				r.ops = append(r.ops, op)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].level > out[j].level })
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// byBreaking orders the tallies of connectors with a breaking update, the
// most first, then by folder.
func byBreaking(ts []Tally) []Tally {
	var out []Tally
	for _, t := range ts {
		if t.Breaking > 0 {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Breaking > out[j].Breaking })
	return out
}

// countsText says a version's counts in words: "2 breaking, 1 warning".
func countsText(c breaking.Counts, min breaking.Level) string {
	var parts []string
	if c.Breaking > 0 {
		parts = append(parts, fmt.Sprintf("%d breaking", c.Breaking))
	}
	if c.Warning > 0 && min <= breaking.Warning {
		parts = append(parts, plural(c.Warning, "warning"))
	}
	if c.Info > 0 && min <= breaking.Info {
		parts = append(parts, fmt.Sprintf("%d info", c.Info))
	}
	if len(parts) == 0 {
		return "no findings"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// listOps joins at most show operations, saying how many were left out.
func listOps(ops []string, show int) string {
	if len(ops) > show {
		return fmt.Sprintf("%s and %d more", strings.Join(ops[:show], ", "), len(ops)-show)
	}
	return strings.Join(ops, ", ")
}

// day is a date as the timelines show it.
func day(v Version) string { return v.Date.Format("2006-01-02") }

// rangeText names the history's range: "HEAD (abc1234567)" or
// "v1 (abc)..HEAD (def)". Revisions are as given: the caller escapes.
func rangeText(h *Header) string {
	until := h.Until
	if until == "" {
		until = "HEAD"
	}
	s := fmt.Sprintf("%s (%s)", until, short(h.UntilCommit))
	if h.Since != "" {
		s = fmt.Sprintf("%s (%s)..%s", h.Since, short(h.SinceCommit), s)
	}
	return s
}

// deprecationText says how an operation went: "deprecated 2024-01-02
// (abc), removed 2024-03-01 (def) after 59 days" and whether that was
// shorter than the window.
func deprecationText(d Deprecation, window int) string {
	var parts []string
	if d.Deprecated != nil {
		parts = append(parts, fmt.Sprintf("deprecated %s (%s)", d.Deprecated.Date.Format("2006-01-02"), short(d.Deprecated.Commit)))
	}
	if d.Removed != nil {
		parts = append(parts, fmt.Sprintf("removed %s (%s)", d.Removed.Date.Format("2006-01-02"), short(d.Removed.Commit)))
	}
	s := strings.Join(parts, ", ")
	switch days, ok := d.Days(); {
	case ok && days < window:
		s += fmt.Sprintf(" after %s, less than the %d-day window", plural(days, "day"), window)
	case ok:
		s += fmt.Sprintf(" after %s", plural(days, "day"))
	case d.Removed == nil:
		s += ", still there"
	default:
		s += " without being deprecated first"
	}
	return s
}

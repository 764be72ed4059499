package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
)

// TextOptions tune the text report.
type TextOptions struct {
	// MinLevel is the least serious level listed; the verdict line counts
	// every level regardless. Zero means warning.
	MinLevel breaking.Level
}

// Text writes the report for a terminal: repair notes, then findings grouped
// by operation (document-level first), one line each with level, rule,
// location (old line:column -> new line:column) and message, then a verdict.
func Text(w io.Writer, r *connectordiff.Result, opts TextOptions) error {
	min := opts.MinLevel
	if min == breaking.Off {
		min = breaking.Warning
	}
	p := &printer{w: w}
	p.f("%s -> %s\n", describe(r.Old), describe(r.New))
	for _, side := range []connectordiff.DocumentInfo{r.Old, r.New} {
		for _, n := range side.Notes {
			p.f("note: %s:%s\n", side.File, n)
		}
	}
	groups, order := map[string][]breaking.Finding{}, []string{}
	for _, f := range r.Findings {
		if f.Level < min {
			continue
		}
		key := f.Operation
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], f)
	}
	for _, key := range order {
		// Most serious first within an operation; otherwise document order.
		sort.SliceStable(groups[key], func(i, j int) bool { return groups[key][i].Level > groups[key][j].Level })
		title := key
		if title == "" {
			title = "(document)"
		}
		p.f("\n%s\n", title)
		for _, f := range groups[key] {
			p.f("  %-8s  %-32s  %-15s  %s%s\n", strings.ToUpper(f.Level.String()), f.Rule, where(f), f.Message, also(f))
		}
	}
	p.f("\n%s\n", verdict(r, min))
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, a ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, a...)
	}
}

func describe(d connectordiff.DocumentInfo) string {
	s := d.File
	if d.Title != "" {
		s += fmt.Sprintf(" (%s %s, %d operations)", d.Title, d.Version, d.Operations)
	}
	return s
}

func where(f breaking.Finding) string {
	o, n := "-", "-"
	if f.Old != nil && f.Old.Line > 0 {
		o = fmt.Sprintf("%d:%d", f.Old.Line, f.Old.Column)
	}
	if f.New != nil && f.New.Line > 0 {
		n = fmt.Sprintf("%d:%d", f.New.Line, f.New.Column)
	}
	return o + " → " + n
}

// also names the other operations a finding reaches, shortened.
func also(f breaking.Finding) string {
	if len(f.Operations) < 2 {
		return ""
	}
	rest := f.Operations[1:]
	const show = 5
	if len(rest) > show {
		return fmt.Sprintf(" [also %s and %d more]", strings.Join(rest[:show], ", "), len(rest)-show)
	}
	return " [also " + strings.Join(rest, ", ") + "]"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func verdict(r *connectordiff.Result, min breaking.Level) string {
	v := "SAFE: no breaking changes"
	if r.Summary.Breaking > 0 {
		v = "BREAKING: existing flows or apps will break"
	}
	s := fmt.Sprintf("%s (%d breaking, %s, %d info", v, r.Summary.Breaking, plural(r.Summary.Warning, "warning"), r.Summary.Info)
	if min > breaking.Info && r.Summary.Info > 0 {
		s += "; --verbose lists info"
	}
	return s + ")"
}

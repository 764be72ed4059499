package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
)

// TextOptions tune the text report.
type TextOptions struct {
	// MinLevel is the least serious level listed; the verdict line counts
	// every level regardless. Zero means warning.
	MinLevel breaking.Level
	// Color adds ANSI colours: levels, operation names and the verdict.
	// Callers set it for a terminal only, and never when NO_COLOR is set.
	Color bool
}

// ANSI styles of the coloured text report.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[1;32m"
)

var levelStyle = map[breaking.Level]string{breaking.Breaking: ansiRed, breaking.Warning: ansiYellow, breaking.Info: ansiCyan}

// Text writes the report for a terminal: repair notes, then findings grouped
// by operation (in order of first appearance; the most serious first within
// one), one line each with level, rule, location (old line:column -> new
// line:column) and message, then a verdict. Document text is shown with
// control characters escaped, so a hostile name cannot drive the terminal.
func Text(w io.Writer, r *connectordiff.Result, opts TextOptions) error {
	min := opts.MinLevel
	if min == breaking.Off {
		min = breaking.Warning
	}
	style := func(code, s string) string {
		if !opts.Color || code == "" {
			return s
		}
		return code + s + ansiReset
	}
	p := &printer{w: w}
	p.f("%s -> %s\n", visible(describe(r.Old)), visible(describe(r.New)))
	for _, side := range []connectordiff.DocumentInfo{r.Old, r.New} {
		for _, n := range side.Notes {
			p.f("note: %s:%s\n", visible(side.File), visible(n.String()))
		}
	}
	for _, g := range groupFindings(r, min) {
		p.f("\n%s\n", style(ansiBold, visible(groupTitle(g.op))))
		for _, f := range g.findings {
			// Pad before colouring: escape codes have no width.
			level := style(levelStyle[f.Level], fmt.Sprintf("%-8s", strings.ToUpper(f.Level.String())))
			p.f("  %s  %-32s  %-15s  %s%s\n", level, f.Rule, where(f), visible(f.Message), visible(also(f)))
		}
	}
	v := verdict(r, min)
	if r.Summary.Breaking > 0 {
		v = style(ansiRed, v)
	} else {
		v = style(ansiGreen, v)
	}
	p.f("\n%s\n", v)
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

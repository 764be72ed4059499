package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

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

// Text writes the report for a terminal: repair notes, then the findings at
// opts.MinLevel or above in groups (see groupFindings: breaking first, the
// connector-wide findings in their own group), one line each with level,
// rule, location (old line:column → new line:column, with the file named
// when it is not the definition) and message, aligned in columns; with
// opts.Explain, how to avoid each on the next line; then a verdict. Document
// text is shown with control characters escaped, so a hostile name cannot
// drive the terminal.
func Text(w io.Writer, r *connectordiff.Result, opts Options) error {
	min := opts.minLevel()
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
			p.f("note: %s\n", visible(noteLine(side, n)))
		}
	}
	groups := groupFindings(r, min)
	if r.Old.Folder && len(groups) > 0 {
		if def, ok := r.New.Source(""); ok {
			p.f("(positions are line:column in %s unless another file is named)\n", visible(def.Name))
		}
	}
	// Columns as wide as their widest entry, so that long rule ids and
	// positions keep the messages aligned.
	levelW, ruleW, whereW := 8, 0, 0
	for _, g := range groups {
		for _, f := range g.findings {
			levelW = max(levelW, utf8.RuneCountInString(levelLabel(r, f)))
			ruleW = max(ruleW, utf8.RuneCountInString(f.Rule))
			whereW = max(whereW, utf8.RuneCountInString(where(r, f)))
		}
	}
	indent := strings.Repeat(" ", 2+levelW+2)
	for _, g := range groups {
		p.f("\n%s\n", style(ansiBold, visible(g.title())))
		for _, f := range g.findings {
			// Pad before colouring: escape codes have no width.
			level := style(levelStyle[f.Level], pad(levelLabel(r, f), levelW))
			p.f("  %s  %s  %s  %s%s\n", level, pad(f.Rule, ruleW), pad(where(r, f), whereW), visible(f.Message), visible(also(f)))
			if opts.Explain && f.Remediation != "" && f.Level > breaking.Info { // info needs no remedy
				p.f("%show to avoid: %s\n", indent, visible(f.Remediation))
			}
		}
	}
	v := verdict(r, min)
	if !opts.Explain && len(groups) > 0 {
		v += "; --explain says how to avoid each finding"
	}
	v += ")"
	if r.Summary.Breaking > 0 {
		v = style(ansiRed, v)
	} else {
		v = style(ansiGreen, v)
	}
	p.f("\n%s\n", v)
	if c := certificationLine(r); c != "" {
		p.f("%s\n", c)
	}
	return p.err
}

// pad fills s with spaces to width runes.
func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// noteLine is a note on an input, led by the file it is in.
func noteLine(side connectordiff.DocumentInfo, n diff.Note) string {
	file := n.File
	if file == "" {
		file = sideFile(side, breaking.Finding{File: definitionName(side)})
	}
	return file + ":" + n.String()
}

// definitionName is the definition's name inside a connector folder, or ""
// for a lone definition.
func definitionName(side connectordiff.DocumentInfo) string {
	if def, ok := side.Source(""); side.Folder && ok {
		return def.Name
	}
	return ""
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

// also names the other operations a finding reaches, shortened; for a
// connector-wide finding, all of them.
func also(f breaking.Finding) string {
	rest, word := f.Operations, " [operations "
	if f.Operation != "" {
		rest, word = rest[min(1, len(rest)):], " [also "
	}
	if len(rest) == 0 {
		return ""
	}
	return word + listOps(rest, 5) + "]"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// verdict is the verdict line without its closing parenthesis.
func verdict(r *connectordiff.Result, min breaking.Level) string {
	word, sentence := verdictWord(r)
	s := fmt.Sprintf("%s: %s (%s", word, sentence, counts(r))
	if min > breaking.Info && r.Summary.Info > 0 {
		s += "; --verbose lists info"
	}
	return s
}

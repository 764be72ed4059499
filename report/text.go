package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
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
// text is shown escaped (see logsafe.Line), so a hostile name can neither
// drive the terminal nor write a CI command. A repository's report leads
// with what was compared and a table of the connectors (status, verdict,
// counts), then lists each connector's findings so, then the policy's own
// findings, and ends with the verdict over all.
func Text(w io.Writer, r *breaking.Result, opts Options) error {
	return inertLines(w, nil, func(w io.Writer) error {
		if !r.IsPair() {
			return repoText(w, r, opts)
		}
		return text(w, r, opts)
	})
}

func text(w io.Writer, r *breaking.Result, opts Options) error {
	p := &printer{w: w}
	st := styler(opts.Color)
	c := connectorSection(&r.Connectors[0])
	p.f("%s -> %s\n", inert(describe(c.old)), inert(describe(c.new)))
	shown := textBody(p, c, opts)
	p.f("\n%s\n", st.verdict(r.Summary.Breaks(), verdict(r, opts.minLevel())+explainHint(opts, shown)+")"))
	if c := certificationLine(r); c != "" {
		p.f("%s\n", c)
	}
	return p.err
}

// styler colours text when opts ask for it.
type styler bool

func (s styler) style(code, text string) string {
	if !s || code == "" {
		return text
	}
	return code + text + ansiReset
}

func (s styler) verdict(breaks bool, line string) string {
	if breaks {
		return s.style(ansiRed, line)
	}
	return s.style(ansiGreen, line)
}

// explainHint points at --explain when findings were listed without how to
// avoid them.
func explainHint(opts Options, shown int) string {
	if opts.Explain || shown == 0 {
		return ""
	}
	return "; --explain says how to avoid each finding"
}

// textBody writes a result's notes and findings in groups, and returns how
// many groups it listed.
func textBody(p *printer, r *section, opts Options) int {
	st := styler(opts.Color)
	for _, side := range []breaking.DocumentInfo{r.old, r.new} {
		for _, n := range side.Notes {
			p.f("note: %s\n", inert(noteLine(side, n)))
		}
	}
	groups := groupFindings(r, opts.minLevel())
	if (r.old.Folder || r.new.Folder) && len(groups) > 0 {
		side := r.new
		if !side.Folder {
			side = r.old
		}
		if def, ok := side.Source(""); ok {
			p.f("(positions are line:column in %s unless another file is named)\n", inert(def.Name))
		}
	}
	// Columns as wide as their widest entry, so that long rule ids and
	// positions keep the messages aligned.
	levelW, ruleW, whereW := 8, 0, 0
	for _, g := range groups {
		for _, f := range g.findings {
			levelW = max(levelW, utf8.RuneCountInString(levelLabel(r, f.Finding)))
			ruleW = max(ruleW, utf8.RuneCountInString(inert(f.Rule)))
			whereW = max(whereW, utf8.RuneCountInString(inert(where(r, f.Finding))))
		}
	}
	indent := strings.Repeat(" ", 2+levelW+2)
	// --verbose shows each finding's id, in its short form, after its level.
	showIDs := opts.minLevel() <= breaking.Info
	if showIDs {
		indent += strings.Repeat(" ", breaking.ShortIDLength+2)
	}
	for _, g := range groups {
		p.f("\n%s\n", st.style(ansiBold, inert(g.title())))
		for _, sf := range g.findings {
			f := sf.Finding
			// Pad before colouring: escape codes have no width.
			code := levelStyle[f.Level]
			if f.Accepted != nil {
				code = ansiCyan
			}
			level := st.style(code, pad(levelLabel(r, f), levelW))
			if showIDs {
				level += "  " + pad(inert(breaking.ShortID(f.ID)), breaking.ShortIDLength)
			}
			p.f("  %s  %s  %s  %s%s\n", level, pad(inert(f.Rule), ruleW), pad(inert(where(r, f)), whereW), inert(sf.text), inert(also(f)))
			if f.Accepted != nil {
				p.f("%s%s (%s): %s\n", indent, acceptedWord(f.Accepted), inert(f.Accepted.By), inert(f.Accepted.Reason))
			}
			if cmd := acceptLine(r, sf); cmd != "" {
				p.f("%sto accept: %s\n", indent, inert(cmd))
			}
			if opts.Explain && f.Remediation != "" && f.Level > breaking.Info && f.Accepted == nil { // info needs no remedy
				p.f("%show to avoid: %s\n", indent, inert(f.Remediation))
			}
		}
	}
	return len(groups)
}

// pad fills s with spaces to width runes.
func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// noteLine is a note on an input, led by the file it is in.
func noteLine(side breaking.DocumentInfo, n connector.Note) string {
	file := n.File
	if file == "" {
		file = sideFile(side, definitionName(side))
	}
	return file + ":" + n.String()
}

// definitionName is the definition's name inside a connector folder, or ""
// for a lone definition.
func definitionName(side breaking.DocumentInfo) string {
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

func describe(d breaking.DocumentInfo) string {
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
func verdict(r *breaking.Result, min breaking.Level) string {
	word, sentence := verdictWord(r.Profile, r.Summary.Breaks())
	s := fmt.Sprintf("%s: %s (%s", word, sentence, counts(r))
	if min > breaking.Info && r.Summary.Info > 0 {
		s += "; --verbose lists info"
	}
	return s
}

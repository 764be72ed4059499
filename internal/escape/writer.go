package escape

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPending bounds what Writer holds back waiting for the end of a line.
const maxPending = 64 << 10

// Writer is a safety net for a stream of text lines (a report, standard
// error): it passes the text on with, in each line, the first "#" of every
// "##vso[" and "##[" written \x23 and the first ":" of a "::" that starts
// the line \x3a, whatever wrote it. It catches what a renderer or an error
// message forgot to pass through Line; it leaves control characters alone,
// since a report's colours are its own. Lines end at "\n" and at "\r", as in
// the runner and the agent.
//
// Lines are passed on whole, several at a time, so a partial line waits for
// its end, for Flush, or for maxPending bytes (then all of it but a possible
// command prefix at its end goes on).
type Writer struct {
	w io.Writer
	// keep returns how many bytes at the start of a line are a command the
	// program means to write (a workflow command of the github format, a
	// logging command of the azure format), left as they are; the rest of
	// the line is still checked. nil keeps nothing.
	keep    func(line string) int
	pending []byte
	// midLine: pending continues a line whose start was already passed on.
	midLine bool
	err     error
}

// NewWriter returns a Writer that passes text on to w, keeping the commands
// at the start of a line that keep reports (nil keeps none).
func NewWriter(w io.Writer, keep func(line string) int) *Writer {
	return &Writer{w: w, keep: keep}
}

// Unwrap returns the writer text is passed on to.
func (w *Writer) Unwrap() io.Writer { return w.w }

// Write passes on every whole line of what was written so far.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	end := 0
	if e := lastLineEnd(p); e > 0 { // only p is new: pending held no line end
		end = len(w.pending) + e
	}
	w.pending = append(w.pending, p...)
	switch {
	case end > 0:
		w.emit(end, false)
	case len(w.pending) > maxPending:
		w.emit(len(w.pending), true)
	}
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

// Flush passes on a last line that has no line end.
func (w *Writer) Flush() error {
	if w.err == nil && len(w.pending) > 0 {
		w.emit(len(w.pending), false)
	}
	return w.err
}

func lastLineEnd(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' || b[i] == '\r' {
			return i + 1
		}
	}
	return 0
}

// emit neutralises and passes on pending[:n]. partial: pending is one
// line whose end is still to come, so a command prefix that may continue
// past n is held back.
func (w *Writer) emit(n int, partial bool) {
	s := string(w.pending[:n])
	hold := n
	var b strings.Builder
	b.Grow(len(s) + 8)
	for start := 0; start < len(s); {
		end := len(s)
		if i := strings.IndexAny(s[start:], "\r\n"); i >= 0 {
			end = start + i + 1
		}
		line := s[start:end]
		cut := partial && end == len(s)
		done := neutralise(&b, line, !w.midLine, w.keep, cut)
		if cut {
			hold = start + done
			// A line that so far holds only white space may still start
			// with "::".
			w.midLine = w.midLine || skipSpace(line[:done], 0) < done
		} else {
			w.midLine = false
		}
		start = end
	}
	if b.Len() > 0 {
		_, w.err = io.WriteString(w.w, b.String())
	}
	w.pending = append(w.pending[:0], w.pending[hold:]...)
}

// neutralise writes to b one line (or, when atStart is false, the rest of
// one) with its command prefixes escaped, and returns how much of it it
// wrote: cut says the line goes on past s, so a "#" whose prefix may continue
// is held back, with what follows it, unless that would hold back
// maxPending bytes or more: then it is escaped.
func neutralise(b *strings.Builder, s string, atStart bool, keep func(string) int, cut bool) int {
	from, colon, done := 0, -1, len(s)
	if atStart {
		if keep != nil {
			from = keep(s)
		}
		if from == 0 {
			var more bool
			colon, more = leadingColon(s, 0)
			if k := skipSpace(s, 0); more && cut && k < len(s) {
				// A ":" that the next write may make "::".
				if len(s)-k < maxPending {
					return writeUpTo(b, s, k)
				}
				colon = k
			}
		}
	}
	if cut {
		for i := strings.IndexByte(s, '#'); i >= 0; {
			if _, more := commandPrefix(s, i); more && len(s)-i < maxPending {
				done = i
				break
			}
			j := strings.IndexByte(s[i+1:], '#')
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	b.WriteString(s[:from])
	for i := from; i < done; i++ {
		switch {
		case i == colon:
			b.WriteString(`\x3a`)
		case s[i] == '#':
			match, more := commandPrefix(s, i)
			// Held back or, past maxPending, escaped.
			if match || more && cut {
				b.WriteString(`\x23`)
			} else {
				b.WriteByte('#')
			}
		default:
			b.WriteByte(s[i])
		}
	}
	return done
}

// skipSpace returns the index of the first character at or after s[i] that
// is neither white space nor ignorable, or len(s).
func skipSpace(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\n' || r == '\r' || !unicode.IsSpace(r) && !ignorable(r) {
			return i
		}
		i += size
	}
	return i
}

// writeUpTo writes s[:n] to b, which holds nothing to escape, and returns n.
func writeUpTo(b *strings.Builder, s string, n int) int {
	b.WriteString(s[:n])
	return n
}

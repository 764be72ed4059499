package escape

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
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
	data := p // what is not passed on yet: p itself unless a line was pending
	if len(w.pending) > 0 {
		w.pending = append(w.pending, p...)
		data = w.pending
	}
	n := 0 // data[:n] is passed on
	if e := lastLineEnd(p); e > 0 {
		n = len(data) - len(p) + e
		w.emit(data[:n], false)
	}
	if len(data)-n > maxPending && w.err == nil {
		n += w.emit(data[n:], true)
	}
	w.pending = append(w.pending[:0], data[n:]...)
	if w.err != nil {
		return 0, w.err
	}
	return len(p), nil
}

// Flush passes on a last line that has no line end.
func (w *Writer) Flush() error {
	if w.err == nil && len(w.pending) > 0 {
		w.emit(w.pending, false)
		w.pending = w.pending[:0]
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

// emit neutralises data and passes it on, and returns how much of it it
// passed on: all of it, unless partial (data is one line whose end is still
// to come), when a command prefix that may continue past data is held back.
func (w *Writer) emit(data []byte, partial bool) int {
	s := view(data)
	hold := len(s)
	var edits []edit // the "#" and ":" to escape, in order
	for start := 0; start < len(s); {
		end := len(s)
		if i := strings.IndexAny(s[start:], "\r\n"); i >= 0 {
			end = start + i + 1
		}
		line := s[start:end]
		cut := partial && end == len(s)
		done, at := neutralise(line, !w.midLine, w.keep, cut)
		for _, i := range at {
			with := `\x23`
			if line[i] == ':' {
				with = `\x3a`
			}
			edits = append(edits, edit{start + i, 1, with})
		}
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
	w.err = writeEdited(w.w, data[:hold], edits)
	return hold
}

// neutralise finds the command prefixes of one line (or, when atStart is
// false, of the rest of one): it returns the offsets of the "#" and ":" to
// escape, and how much of s is settled (the rest waits for more): cut says
// the line goes on past s, so a "#" whose prefix may continue is held back,
// with what follows it, unless that would hold back maxPending bytes or
// more: then it is escaped.
func neutralise(s string, atStart bool, keep func(string) int, cut bool) (done int, edits []int) {
	from, colon := 0, -1
	done = len(s)
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
					return k, nil
				}
				colon = k
			}
		}
	}
	if colon >= 0 {
		edits = append(edits, colon)
	}
	for off := from; ; {
		j := strings.IndexByte(s[off:], '#')
		if j < 0 {
			break
		}
		i := off + j
		match, more := commandPrefix(s, i)
		if more && cut && len(s)-i < maxPending {
			return i, edits // held back
		}
		if match || more && cut {
			edits = append(edits, i)
		}
		off = i + 1
	}
	return done, edits
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

// view reads data as a string without copying it: data must not change
// while the string is in use.
func view(data []byte) string { return unsafe.String(unsafe.SliceData(data), len(data)) }

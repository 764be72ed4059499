package connector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "github.com/pb33f/go-yaml"
	"golang.org/x/text/encoding/charmap"
)

// The lenient JSON pass. Connector files in the wild carry a few defects that
// editors and the Power Platform tolerate; we repair exactly those, note each
// repair where it was in the original file, and leave everything else to the
// strict parser so real mistakes are still reported.

// maxNotesPerKind caps the notes of one kind: a file with 900 trailing commas
// needs a handful of examples and a count, not 900 lines.
const maxNotesPerKind = 50

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// RepairJSON applies the lenient repairs to a JSON file and checks the result
// strictly. It returns the bytes to parse (data itself when nothing needed
// repair), one Note per repair in original line:column coordinates, and a
// *LoadError wrapping ErrEmpty or ErrSyntax when the input is still not JSON.
// name is only used in error messages. Load uses it for JSON input; it is
// exported for the other JSON files of a connector, such as apiProperties.json.
func RepairJSON(name string, data []byte) ([]byte, []Note, error) {
	r, err := repairAndCheck(name, data)
	if err != nil {
		return nil, r.notes, err
	}
	return r.data, r.notes, nil
}

// repaired is the outcome of the lenient pass.
type repaired struct {
	data  []byte
	notes []Note
	pos   posMap // maps positions in data back to the original file
}

// repairAndCheck runs the lenient pass and the strict validation.
func repairAndCheck(name string, data []byte) (repaired, error) {
	if blankUntil(data) == len(data) {
		return repaired{}, emptyError(name, data)
	}
	r, valid := repairJSON(data)
	if !valid && !json.Valid(r.data) {
		return r, jsonSyntaxError(name, r.data, r.pos)
	}
	return r, nil
}

// repairJSON returns the repaired bytes and notes, and whether the result is
// already known to be valid JSON (the fast path checked it).
func repairJSON(data []byte) (repaired, bool) {
	isUTF8 := utf8.Valid(data)
	// Fast path: nearly every file is already fine; return it untouched.
	if isUTF8 && !bytes.HasPrefix(data, utf8BOM) && json.Valid(data) {
		return repaired{data: data}, true
	}
	r := &repairer{
		src:     data,
		cp1252:  !isUTF8,
		out:     make([]byte, 0, len(data)+len(data)/32+16),
		line:    1,
		col:     1,
		rline:   1,
		rcol:    1,
		pending: -1,
	}
	r.run()
	return repaired{data: r.out, notes: r.finishNotes(), pos: r.anchors}, false
}

// repairKind groups notes for the per-kind cap and the summary note.
type repairKind int

const (
	repairBOM repairKind = iota
	repairCP1252
	repairComma
	repairControl
	repairSpace
	numRepairKinds
)

// repairTail completes "and N more ..." for each kind.
var repairTail = [numRepairKinds]string{
	repairBOM:     "byte order marks removed",
	repairCP1252:  "Windows-1252 bytes read as Unicode",
	repairComma:   "trailing commas removed",
	repairControl: "raw control characters in strings escaped",
	repairSpace:   "Unicode white space characters replaced",
}

// repairer is the state of the single pass over the input.
type repairer struct {
	src    []byte
	cp1252 bool // the file is not UTF-8: read every byte >= 0x80 as Windows-1252
	out    []byte

	inString bool
	escape   bool // the previous character in a string was a backslash
	last     rune // last structural character or value byte outside strings
	pending  int  // index in out of a comma that may turn out to be trailing, or -1
	pendLine int  // original position of that comma
	pendCol  int

	line, col   int // original position of the current character
	rline, rcol int // position of the same character in out

	notes   []Note
	count   [numRepairKinds]int
	omitted [numRepairKinds]Note // position of the first note over the cap
	anchors posMap
}

func (r *repairer) run() {
	src := r.src
	i := 0
	if bytes.HasPrefix(src, utf8BOM) {
		// Editors hide the mark, so it takes no column: the next character
		// stays at 1:1 in both coordinates.
		r.note(repairBOM, 1, 1, "UTF-8 byte order mark removed")
		i = len(utf8BOM)
	}
	for i < len(src) {
		// Copy plain runs in bulk: most of a file is ASCII text inside
		// strings or indentation outside them, and neither needs a decision
		// per byte nor moves any position.
		if !r.escape {
			if j := plainRun(src, i, r.inString); j > i {
				r.out = append(r.out, src[i:j]...)
				r.col += j - i
				r.rcol += j - i
				i = j
				continue
			}
		}
		c := src[i]
		ch, size := rune(c), 1
		if c >= utf8.RuneSelf {
			if r.cp1252 {
				var defined bool
				ch, defined = decode1252(c)
				if !defined {
					r.note(repairCP1252, r.line, r.col, "Windows-1252 byte 0x%02X (undefined) read as %U", c, ch)
				} else {
					r.note(repairCP1252, r.line, r.col, "Windows-1252 byte 0x%02X read as %U", c, ch)
				}
			} else {
				ch, size = utf8.DecodeRune(src[i:])
			}
		}
		var next byte
		if i+size < len(src) {
			next = src[i+size]
		}

		// extra is how many more characters the output has than the input
		// for this one: escapes are longer, every other repair keeps the width
		// so that positions after it do not move.
		extra := 0
		if r.inString {
			extra = r.stringChar(ch, src[i:i+size])
		} else {
			r.structChar(ch, src[i:i+size])
		}

		r.line, r.col = advance(r.line, r.col, ch, next)
		if extra == 0 {
			r.rline, r.rcol = advance(r.rline, r.rcol, ch, next)
		} else {
			// Columns (or, for an escaped line break, lines) now differ:
			// remember how to map positions after this point back.
			r.rcol += 1 + extra
			r.anchors = append(r.anchors, anchor{r.rline, r.rcol, r.line, r.col})
		}
		i += size
	}
}

// plainRun returns the end of the run of bytes from i that need no repair and
// keep the line: printable ASCII other than '"' and '\' in a string, spaces
// and tabs outside one.
func plainRun(src []byte, i int, inString bool) int {
	j := i
	if inString {
		for j < len(src) && src[j] >= 0x20 && src[j] < utf8.RuneSelf && src[j] != '"' && src[j] != '\\' {
			j++
		}
		return j
	}
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	return j
}

// stringChar copies one character inside a string, escaping raw control
// characters, which strict JSON forbids but hand-edited files contain.
// It returns how many characters the output grew by beyond one.
func (r *repairer) stringChar(ch rune, raw []byte) int {
	switch {
	case r.escape:
		// Whatever follows a backslash is left for the strict parser to judge.
		r.escape = false
	case ch == '\\':
		r.escape = true
	case ch == '"':
		r.inString = false
	case ch < 0x20:
		var esc string
		switch ch {
		case '\t':
			esc = `\t`
			r.note(repairControl, r.line, r.col, "raw tab in string escaped")
		case '\n':
			esc = `\n`
			r.note(repairControl, r.line, r.col, "raw line feed in string escaped")
		case '\r':
			esc = `\r`
			r.note(repairControl, r.line, r.col, "raw carriage return in string escaped")
		default:
			esc = fmt.Sprintf(`\u%04x`, ch)
			r.note(repairControl, r.line, r.col, "raw control character %U in string escaped", ch)
		}
		r.out = append(r.out, esc...)
		return len(esc) - 1
	}
	r.emit(ch, raw)
	return 0
}

// structChar copies one character outside strings, dropping trailing commas
// and turning Unicode white space into ASCII spaces.
func (r *repairer) structChar(ch rune, raw []byte) {
	switch ch {
	case ' ', '\t', '\n', '\r':
		// JSON white space: a pending comma may still be trailing.
	case '"':
		r.inString = true
		r.pending, r.last = -1, ch
	case ',':
		// Only a comma after a value can be trailing; ",," or "[," are
		// genuine mistakes that the strict parser must report.
		r.pending = -1
		if r.last != 0 && !strings.ContainsRune("{[,:", r.last) {
			r.pending, r.pendLine, r.pendCol = len(r.out), r.line, r.col
		}
		r.last = ch
	case '}', ']':
		if r.pending >= 0 {
			// A space keeps every later byte at its original column.
			r.out[r.pending] = ' '
			r.note(repairComma, r.pendLine, r.pendCol, "trailing comma removed")
		}
		r.pending, r.last = -1, ch
	default:
		if name := unicodeSpaceName(ch); name != "" {
			r.note(repairSpace, r.line, r.col, "%U (%s) used as white space replaced", ch, name)
			r.out = append(r.out, ' ')
			return
		}
		r.pending, r.last = -1, ch
	}
	r.emit(ch, raw)
}

// emit appends one input character unchanged (transcoded for Windows-1252).
func (r *repairer) emit(ch rune, raw []byte) {
	if r.cp1252 && ch >= utf8.RuneSelf {
		r.out = utf8.AppendRune(r.out, ch)
		return
	}
	r.out = append(r.out, raw...)
}

// note records a repair, up to maxNotesPerKind of each kind.
func (r *repairer) note(k repairKind, line, col int, format string, args ...any) {
	r.count[k]++
	switch {
	case r.count[k] <= maxNotesPerKind:
		r.notes = append(r.notes, Note{Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
	case r.count[k] == maxNotesPerKind+1:
		r.omitted[k] = Note{Line: line, Column: col}
	}
}

// finishNotes adds the summary notes and puts all notes in document order
// (a trailing comma is only known once its closing bracket is seen).
func (r *repairer) finishNotes() []Note {
	for k, n := range r.count {
		if n > maxNotesPerKind {
			s := r.omitted[k]
			s.Message = fmt.Sprintf("and %d more %s", n-maxNotesPerKind, repairTail[k])
			r.notes = append(r.notes, s)
		}
	}
	sort.SliceStable(r.notes, func(i, j int) bool {
		a, b := r.notes[i], r.notes[j]
		return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
	})
	return r.notes
}

// advance moves a line:column position past ch. Columns count characters;
// CR LF, LF and a lone CR each end a line, as in the YAML parser that builds
// the node tree.
func advance(line, col int, ch rune, next byte) (int, int) {
	switch {
	case ch == '\n', ch == '\r' && next != '\n':
		return line + 1, 1
	}
	return line, col + 1
}

// decode1252 reads one byte >= 0x80 as Windows-1252. The five bytes that
// code page leaves undefined are read as the C1 control of the same value,
// as browsers do, so nothing is lost.
func decode1252(c byte) (r rune, defined bool) {
	if r := charmap.Windows1252.DecodeByte(c); r != utf8.RuneError {
		return r, true
	}
	return rune(c), false
}

// unicodeSpaceName names the characters that look like white space but are
// not JSON white space, or returns "" for any other character.
func unicodeSpaceName(ch rune) string {
	switch ch {
	case 0x0B:
		return "LINE TABULATION"
	case 0x0C:
		return "FORM FEED"
	case 0x85:
		return "NEXT LINE"
	case 0xA0:
		return "NO-BREAK SPACE"
	case 0x1680:
		return "OGHAM SPACE MARK"
	case 0x2000:
		return "EN QUAD"
	case 0x2001:
		return "EM QUAD"
	case 0x2002:
		return "EN SPACE"
	case 0x2003:
		return "EM SPACE"
	case 0x2004:
		return "THREE-PER-EM SPACE"
	case 0x2005:
		return "FOUR-PER-EM SPACE"
	case 0x2006:
		return "SIX-PER-EM SPACE"
	case 0x2007:
		return "FIGURE SPACE"
	case 0x2008:
		return "PUNCTUATION SPACE"
	case 0x2009:
		return "THIN SPACE"
	case 0x200A:
		return "HAIR SPACE"
	case 0x200B:
		return "ZERO WIDTH SPACE"
	case 0x2028:
		return "LINE SEPARATOR"
	case 0x2029:
		return "PARAGRAPH SEPARATOR"
	case 0x202F:
		return "NARROW NO-BREAK SPACE"
	case 0x205F:
		return "MEDIUM MATHEMATICAL SPACE"
	case 0x3000:
		return "IDEOGRAPHIC SPACE"
	case 0xFEFF:
		return "ZERO WIDTH NO-BREAK SPACE"
	}
	return ""
}

// blankUntil returns the offset of the first character that is not a BOM,
// JSON white space or Unicode white space (len(data) if there is none).
func blankUntil(data []byte) int {
	i := 0
	if bytes.HasPrefix(data, utf8BOM) {
		i = len(utf8BOM)
	}
	for i < len(data) {
		switch c := data[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c < utf8.RuneSelf:
			return i
		default:
			ch, size := utf8.DecodeRune(data[i:])
			if unicodeSpaceName(ch) == "" {
				return i
			}
			i += size
		}
	}
	return i
}

func emptyError(name string, data []byte) *LoadError {
	msg := "file is empty"
	if len(data) > 0 {
		msg = "file contains only white space"
	}
	return &LoadError{File: name, Msg: msg, Err: ErrEmpty}
}

// anchor ties a position in the repaired bytes to the original file, just
// after an edit that changed the width of the text.
type anchor struct{ rLine, rCol, oLine, oCol int }

// posMap maps repaired positions back to the original file; empty when no
// repair moved anything (the common case).
type posMap []anchor

// original returns the original position of a repaired line:column.
func (m posMap) original(line, col int) (int, int) {
	i := sort.Search(len(m), func(i int) bool {
		a := m[i]
		return a.rLine > line || (a.rLine == line && a.rCol > col)
	}) - 1
	if i < 0 {
		return line, col
	}
	a := m[i]
	if line == a.rLine {
		return a.oLine, a.oCol + col - a.rCol
	}
	// Past the end of the anchor's line, columns agree again and lines are
	// shifted by the line breaks escaped so far.
	return line + a.oLine - a.rLine, col
}

// remap rewrites the positions of a node tree built from repaired bytes.
func (m posMap) remap(n *yaml.Node) {
	if len(m) == 0 || n == nil {
		return
	}
	if n.Line > 0 {
		n.Line, n.Column = m.original(n.Line, n.Column)
	}
	for _, c := range n.Content {
		m.remap(c)
	}
}

// lineCol returns the line and column (in characters) of byte offset off.
func lineCol(data []byte, off int) (int, int) {
	line, col := 1, 1
	for i := 0; i < off && i < len(data); i++ {
		switch c := data[i]; {
		case c == '\n', c == '\r' && (i+1 >= len(data) || data[i+1] != '\n'):
			line, col = line+1, 1
		case c&0xC0 != 0x80: // not a UTF-8 continuation byte
			col++
		}
	}
	return line, col
}

// jsonSyntaxError explains why data (the repaired bytes, already known to be
// invalid) is not JSON, located in the original file. It is the rare path, so
// it may rescan the input to say more than encoding/json does.
func jsonSyntaxError(name string, data []byte, pm posMap) *LoadError {
	var raw json.RawMessage // Unmarshal validates before decoding anything
	err := json.Unmarshal(data, &raw)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &LoadError{File: name, Msg: "invalid JSON: " + fmt.Sprint(err), Err: ErrSyntax}
	}
	at := func(off int) (int, int) { return pm.original(lineCol(data, off)) }
	jmsg := se.Error()

	if se.Offset >= int64(len(data)) && strings.Contains(jmsg, "end of JSON input") {
		// Point just after the last character, not at trailing blank lines.
		end := len(bytes.TrimRight(data, " \t\r\n"))
		s := scanJSON(data, len(data))
		line, col := at(end)
		msg := "invalid JSON: unexpected end of input, the document is truncated"
		switch {
		case s.strStart >= 0:
			l, c := at(s.strStart)
			msg += fmt.Sprintf(": the string starting at %d:%d is not closed", l, c)
		case len(s.open) > 0:
			o := s.open[len(s.open)-1]
			l, c := at(o)
			msg += fmt.Sprintf(": %q opened at %d:%d is not closed", data[o], l, c)
			if n := len(s.open); n > 1 {
				msg += fmt.Sprintf(" (%d unclosed in all)", n)
			}
		}
		return &LoadError{File: name, Line: line, Column: col, Msg: msg, Err: ErrSyntax}
	}

	bad := int(se.Offset) - 1 // Offset counts the offending byte
	if bad < 0 {
		bad = 0
	}
	if bad >= len(data) {
		bad = len(data) - 1
	}
	line, col := at(bad)
	tok := describeToken(data, bad)
	var msg string
	switch {
	case strings.Contains(jmsg, "after top-level value"):
		s := scanJSON(data, bad)
		l, c := at(s.topEnd)
		msg = fmt.Sprintf("data after the end of the document: %s follows the top-level value that ends at %d:%d (a closing brace or bracket too many before it?)", tok, l, c)
	case strings.Contains(jmsg, "exceeded max depth"):
		msg = fmt.Sprintf("%s nests objects and arrays deeper than %d levels", tok, MaxNesting)
	case strings.Contains(jmsg, "after object key:value pair"):
		msg = missingComma(data, bad, tok, "brace", at)
	case strings.Contains(jmsg, "after array element"):
		msg = missingComma(data, bad, tok, "bracket", at)
	case strings.Contains(jmsg, "after object key"):
		msg = "missing colon after object key, before " + tok
	case strings.Contains(jmsg, "looking for beginning of object key string"):
		msg = "expected a quoted object key, found " + tok
	case strings.Contains(jmsg, "looking for beginning of value"):
		msg = "expected a value, found " + tok
	default:
		msg = jmsg
	}
	return &LoadError{File: name, Line: line, Column: col, Msg: "invalid JSON: " + msg, Err: ErrSyntax}
}

// missingComma words the error for an unexpected token inside an object or
// array: a closing bracket of the wrong kind, or (usually) a missing comma.
func missingComma(data []byte, bad int, tok, closer string, at func(int) (int, int)) string {
	if c := data[bad]; c == '}' || c == ']' {
		if s := scanJSON(data, bad); len(s.open) > 0 {
			o := s.open[len(s.open)-1]
			l, c := at(o)
			return fmt.Sprintf("mismatched %s: it does not close the %q opened at %d:%d", tok, data[o], l, c)
		}
	}
	return fmt.Sprintf("missing comma or closing %s before %s", closer, tok)
}

// jsonScan is what scanJSON learns about a prefix of a JSON text.
type jsonScan struct {
	open     []int // offsets of the '{' and '[' still open, outermost first
	topEnd   int   // offset of the character that closed the top-level value
	strStart int   // offset of the '"' of an unclosed string, or -1
}

// scanJSON tracks nesting over data[:upto], skipping strings.
func scanJSON(data []byte, upto int) jsonScan {
	s := jsonScan{strStart: -1}
	inString, escape := false, false
	for i := 0; i < upto && i < len(data); i++ {
		c := data[i]
		if inString {
			switch {
			case escape:
				escape = false
			case c == '\\':
				escape = true
			case c == '"':
				inString = false
				s.strStart = -1
				if len(s.open) == 0 {
					s.topEnd = i
				}
			}
			continue
		}
		switch c {
		case '"':
			inString, s.strStart = true, i
		case '{', '[':
			s.open = append(s.open, i)
		case '}', ']':
			if len(s.open) > 0 {
				s.open = s.open[:len(s.open)-1]
				if len(s.open) == 0 {
					s.topEnd = i
				}
			}
		case ' ', '\t', '\r', '\n':
		default:
			if len(s.open) == 0 {
				s.topEnd = i // a bare top-level scalar
			}
		}
	}
	return s
}

// describeToken quotes the token at data[off] for an error message: a string
// with its quotes (shortened), a word, or a single character.
func describeToken(data []byte, off int) string {
	const maxRunes = 40
	c := data[off]
	switch {
	case c == '"':
		n, escape := 0, false
		for i := off + 1; i < len(data); i++ {
			b := data[i]
			switch {
			case b == '\n' || b == '\r':
				return string(data[off:i]) + "…"
			case escape:
				escape = false
			case b == '\\':
				escape = true
			case b == '"':
				return string(data[off : i+1])
			}
			if b&0xC0 != 0x80 {
				n++
				if n > maxRunes {
					return string(data[off:i]) + "…"
				}
			}
		}
		return string(data[off:]) + "…"
	case isWordByte(c):
		end := off
		for end < len(data) && end-off < maxRunes && isWordByte(data[end]) {
			end++
		}
		return "'" + string(data[off:end]) + "'"
	}
	ch, _ := utf8.DecodeRune(data[off:])
	return strconv.QuoteRune(ch)
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '+' || c == '.'
}

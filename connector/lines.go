package connector

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// lineTable holds the byte offset at which each line of a text starts; the
// first is 0. Positions are computed from it only for what is reported.
type lineTable []uint32

// position returns the 1-based line and column (in characters) of byte
// offset off of src.
func (lt lineTable) position(src string, off uint32) (line, col int) {
	i := sort.Search(len(lt), func(i int) bool { return lt[i] > off }) - 1
	if i < 0 {
		return 1, 1
	}
	from := lt[i]
	if off > uint32(len(src)) {
		off = uint32(len(src))
	}
	if from > off {
		return i + 1, 1
	}
	return i + 1, utf8.RuneCountInString(src[from:off]) + 1
}

// offset returns the byte offset of a 1-based line and column (in
// characters) of src, the inverse of position.
func (lt lineTable) offset(src string, line, col int) uint32 {
	if line < 1 {
		return 0
	}
	if line > len(lt) {
		return uint32(len(src))
	}
	off := int(lt[line-1])
	lineEnd := len(src)
	if line < len(lt) {
		lineEnd = int(lt[line])
	}
	for c := 1; c < col && off < lineEnd; c++ {
		_, size := utf8.DecodeRuneInString(src[off:])
		off += size
	}
	return uint32(off)
}

// yamlLines returns the line table of a YAML text, whose parser also ends a
// line at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR.
func yamlLines(src string) lineTable {
	lt := lineTable{0}
	if len(src) >= 3 && src[:3] == "\xEF\xBB\xBF" {
		lt[0] = 3 // the parser skips the byte order mark
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\n':
			lt = append(lt, uint32(i+1))
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			lt = append(lt, uint32(i+1))
		case 0xC2:
			if i+1 < len(src) && src[i+1] == 0x85 {
				i++
				lt = append(lt, uint32(i+1))
			}
		case 0xE2:
			if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
				i += 2
				lt = append(lt, uint32(i+1))
			}
		}
	}
	return lt
}

// text is what a node tree was parsed from: the text its spans index, where
// each line of it starts, and how to map positions in it back to the file
// when the lenient loader had to repair the file first.
type text struct {
	src      string
	lines    lineTable
	marks    []columnMark // within long lines
	pos      posMap
	repaired bool // repairs that moved no position (a trailing comma)
}

func newText(src string, lines lineTable) text {
	return text{src: src, lines: lines, marks: columnMarks(src, lines)}
}

// lineCol returns the line and column in the original file of byte offset
// off of the text.
func (t *text) lineCol(off uint32) (int, int) {
	if len(t.marks) > 0 && off <= uint32(len(t.src)) {
		// A mark on the same line, at or before off, counts most of the way.
		i := sort.Search(len(t.marks), func(i int) bool { return t.marks[i].off > off }) - 1
		line := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off })
		if i >= 0 && line > 0 && t.marks[i].off >= t.lines[line-1] {
			m := t.marks[i]
			return t.pos.original(line, int(m.runes)+utf8.RuneCountInString(t.src[m.off:off])+1)
		}
	}
	return t.pos.original(t.lines.position(t.src, off))
}

// offset returns the byte offset of a 1-based line and column (in
// characters), the inverse of lineCol, counting from the last mark before
// the column.
func (t *text) offset(line, col int) uint32 {
	lt := t.lines
	if line < 1 || line > len(lt) || len(t.marks) == 0 {
		return lt.offset(t.src, line, col)
	}
	from := lt[line-1]
	lineEnd := uint32(len(t.src))
	if line < len(lt) {
		lineEnd = lt[line]
	}
	first := sort.Search(len(t.marks), func(i int) bool { return t.marks[i].off >= from })
	on := t.marks[first:]
	i := sort.Search(len(on), func(i int) bool { return on[i].off >= lineEnd || int(on[i].runes) >= col-1 }) - 1
	if i < 0 {
		return lt.offset(t.src, line, col)
	}
	off := int(on[i].off)
	for c := int(on[i].runes) + 1; c < col && off < int(lineEnd); c++ {
		_, size := utf8.DecodeRuneInString(t.src[off:])
		off += size
	}
	return uint32(off)
}

// columnMark is how many characters precede offset off on its line.
type columnMark struct {
	off, runes uint32
}

// markEvery is the distance in bytes between two marks of a long line.
const markEvery = 1024

// columnMarks marks long lines every markEvery bytes (at a character's
// start), so that a column costs at most markEvery bytes of counting: a
// definition on one line (minified JSON) would otherwise cost a count from
// the start of the file for every location reported.
func columnMarks(src string, lines lineTable) []columnMark {
	var marks []columnMark
	for i, from := range lines {
		end := uint32(len(src))
		if i+1 < len(lines) {
			end = lines[i+1]
		}
		if end-from <= markEvery || from > end {
			continue
		}
		runes := uint32(0)
		prev := from
		for at := from + markEvery; at < end; at += markEvery {
			for at < end && !utf8.RuneStart(src[at]) {
				at++
			}
			if at >= end {
				break
			}
			runes += uint32(utf8.RuneCountInString(src[prev:at]))
			marks = append(marks, columnMark{off: at, runes: runes})
			prev = at
		}
	}
	return marks
}

// Source returns the text the node spans index: the file as read, or, when
// the lenient loader had to repair it (see Repaired), the repaired text,
// which differs only where a Note says so (a byte order mark or a trailing
// comma removed, Windows-1252 bytes transcoded to UTF-8, raw control
// characters escaped, Unicode spaces made ASCII).
func (t *text) Source() string { return t.src }

// Repaired reports whether Source is the repaired text rather than the file
// as read.
func (t *text) Repaired() bool { return t.repaired }

// Span returns the byte offsets of node n in Source: for a key, its token
// (quotes included); for a value, all of it, such as '{' to '}' inclusive.
// end is exclusive. For YAML input the start is exact and the end is where
// the node's last scalar ends.
func (t *text) Span(n *Node) (start, end int) { return int(n.start), int(n.end) }

// Position returns the line and column (1-based, columns in characters) in
// the original file of byte offset off of Source.
func (t *text) Position(off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	return t.lineCol(uint32(min(off, len(t.src))))
}

// duplicateNotes turns the duplicate keys the scanner dropped into notes,
// up to maxNotesPerKind and then a count, choosing them in the order of a
// walk of the tree (objects in document order, keys in order).
func (t *text) duplicateNotes(dups []dupKey) []Note {
	if len(dups) == 0 {
		return nil
	}
	sort.SliceStable(dups, func(i, j int) bool {
		a, b := dups[i], dups[j]
		return a.container < b.container || a.container == b.container && a.at < b.at
	})
	var notes []Note
	for i, d := range dups {
		line, col := t.lineCol(d.at)
		if i == maxNotesPerKind {
			notes = append(notes, Note{Line: line, Column: col,
				Message: fmt.Sprintf("and %d more duplicate keys ignored", len(dups)-maxNotesPerKind)})
			break
		}
		bl, bc := t.lineCol(d.by)
		notes = append(notes, Note{Line: line, Column: col,
			Message: fmt.Sprintf("duplicate key %q ignored: the same key at %d:%d overrides it (JSON readers keep the last value)", d.key, bl, bc)})
	}
	return notes
}

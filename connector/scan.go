package connector

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON scanner builds the node tree in one pass over the text: it
// validates the syntax exactly as encoding/json does (and that strings are
// UTF-8), records where each line starts, drops duplicate keys (the last
// value counts) and carves every node from a few large arrays. Anything it
// refuses goes to the lenient path (repairJSON), which repairs what it can
// and locates the error otherwise; so the scanner needs no error messages.

// arenaChunk is how many nodes each backing array holds: large enough that
// allocations are rare, small enough that the unused tail of the last one
// does not matter.
const arenaChunk = 8192

// scanner is the state of one pass.
type scanner struct {
	src   string
	pos   int
	depth int
	lines lineTable // offset of the start of each line
	stack []Node    // the children of the objects and arrays still open
	arena []Node    // the current backing array children are carved from
	buf   []byte    // scratch space for strings with escapes
	dups  []dupKey  // duplicate keys dropped so far

	refs    []refUse // the "$ref": "..." members, objects in the order they close
	dynKeys []uint32 // offsets of the x-ms-dynamic-* keys, objects in the order they close
}

// dupKey is a duplicate key dropped from the object starting at container:
// the key at offset at, overridden by the same key at offset by.
type dupKey struct {
	container, at, by uint32
	key               string
}

// scanTree parses src, which must be one JSON value and nothing else. It
// returns false when src is not strict JSON or has a string that is not
// UTF-8 (or nests deeper than MaxNesting).
func scanTree(src string) (*Node, *scanner, bool) {
	s := &scanner{src: src, lines: make(lineTable, 1, 64+len(src)/40)}
	root := new(Node)
	s.space()
	if !s.value(root) {
		return nil, nil, false
	}
	s.space()
	if s.pos != len(src) {
		return nil, nil, false
	}
	s.stack, s.arena, s.buf = nil, nil, nil
	slices.Sort(s.dynKeys)
	return root, s, true
}

// strPlain marks the bytes a string may hold without a closer look: ASCII
// other than control characters, '"' and '\'.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (s *scanner) space() {
	src := s.src
	for i := s.pos; i < len(src); i++ {
		// Indentation comes in runs of spaces: skip them eight at a time.
		for i+8 <= len(src) && load64(src, i) == 0x2020202020202020 {
			i += 8
		}
		if i >= len(src) {
			break
		}
		switch src[i] {
		case ' ', '\t':
		case '\n':
			s.lines = append(s.lines, uint32(i+1))
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			s.lines = append(s.lines, uint32(i+1))
		default:
			s.pos = i
			return
		}
	}
	s.pos = len(src)
}

// load64 reads the eight bytes at src[i:] as a little-endian word (the
// compiler makes this one load).
func load64(src string, i int) uint64 {
	_ = src[i+7]
	return uint64(src[i]) | uint64(src[i+1])<<8 | uint64(src[i+2])<<16 | uint64(src[i+3])<<24 |
		uint64(src[i+4])<<32 | uint64(src[i+5])<<40 | uint64(src[i+6])<<48 | uint64(src[i+7])<<56
}

// skipPlain returns the offset of the first byte at or after i that is not
// plain string content (see strPlain), testing eight bytes at a time.
func skipPlain(src string, i int) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for i+8 <= len(src) {
		w := load64(src, i)
		// A byte below 0x20, a '"', a '\' or a byte with the high bit set.
		q, b := w^(lo*'"'), w^(lo*'\\')
		if ((w-lo*0x20)&^w|(q-lo)&^q|(b-lo)&^b|w)&hi != 0 {
			break
		}
		i += 8
	}
	for i < len(src) && strPlain[src[i]] {
		i++
	}
	return i
}

func (s *scanner) value(out *Node) bool {
	if s.pos >= len(s.src) {
		return false
	}
	switch c := s.src[s.pos]; {
	case c == '"':
		return s.string(out)
	case c == '{':
		return s.object(out)
	case c == '[':
		return s.array(out)
	case c == '-' || c >= '0' && c <= '9':
		return s.number(out)
	case c == 't':
		return s.literal(out, "true", Bool)
	case c == 'f':
		return s.literal(out, "false", Bool)
	case c == 'n':
		return s.literal(out, "null", Null)
	}
	return false
}

func (s *scanner) literal(out *Node, word string, kind NodeKind) bool {
	end := s.pos + len(word)
	if end > len(s.src) || s.src[s.pos:end] != word {
		return false
	}
	*out = Node{val: word, start: uint32(s.pos), end: uint32(end), kind: kind}
	s.pos = end
	return true
}

func (s *scanner) number(out *Node) bool {
	src := s.src
	i := s.pos
	if src[i] == '-' {
		i++
	}
	switch {
	case i < len(src) && src[i] == '0':
		i++
	case i < len(src) && src[i] >= '1' && src[i] <= '9':
		i = digits(src, i)
	default:
		return false
	}
	if i < len(src) && src[i] == '.' {
		i++
		if i >= len(src) || src[i] < '0' || src[i] > '9' {
			return false
		}
		i = digits(src, i)
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if i >= len(src) || src[i] < '0' || src[i] > '9' {
			return false
		}
		i = digits(src, i)
	}
	*out = Node{val: src[s.pos:i], start: uint32(s.pos), end: uint32(i), kind: Number, tag: tagJSON}
	s.pos = i
	return true
}

func digits(src string, i int) int {
	for i < len(src) && src[i] >= '0' && src[i] <= '9' {
		i++
	}
	return i
}

func (s *scanner) string(out *Node) bool {
	src := s.src
	start := s.pos
	i := start + 1
	for {
		i = skipPlain(src, i)
		if i >= len(src) {
			return false
		}
		switch c := src[i]; {
		case c == '"':
			*out = Node{val: src[start+1 : i], start: uint32(start), end: uint32(i + 1), kind: String, quoted: true}
			s.pos = i + 1
			return true
		case c == '\\':
			return s.escaped(out, start, i)
		case c < 0x20:
			return false
		default:
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			i += size
		}
	}
}

// escaped finishes a string whose first backslash is at i, decoding it as
// encoding/json does (a lone surrogate becomes U+FFFD).
func (s *scanner) escaped(out *Node, start, i int) bool {
	src := s.src
	b := append(s.buf[:0], src[start+1:i]...)
	for i < len(src) {
		c := src[i]
		switch {
		case c == '"':
			*out = Node{val: string(b), start: uint32(start), end: uint32(i + 1), kind: String, quoted: true}
			s.buf = b
			s.pos = i + 1
			return true
		case c == '\\':
			if i+1 >= len(src) {
				return false
			}
			switch e := src[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(src, i+2)
				if !ok {
					return false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if r2, ok := hex4(src, i+2); ok && i+1 < len(src) && src[i] == '\\' && src[i+1] == 'u' {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							b = utf8.AppendRune(b, d)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				return false
			}
			i += 2
		case c < 0x20:
			return false
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			b = append(b, src[i:i+size]...)
			i += size
		}
	}
	return false
}

// hex4 reads the four hex digits at src[i:].
func hex4(src string, i int) (rune, bool) {
	if i+4 > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(src[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func (s *scanner) enter() bool {
	s.depth++
	return s.depth <= MaxNesting
}

func (s *scanner) array(out *Node) bool {
	start := s.pos
	if !s.enter() {
		return false
	}
	s.pos++
	base := len(s.stack)
	s.space()
	if s.pos < len(s.src) && s.src[s.pos] == ']' {
		s.pos++
	} else {
		for {
			var v Node
			if !s.value(&v) {
				return false
			}
			s.stack = append(s.stack, v)
			s.space()
			if s.pos >= len(s.src) {
				return false
			}
			if c := s.src[s.pos]; c == ',' {
				s.pos++
				s.space()
				continue
			} else if c != ']' {
				return false
			}
			s.pos++
			break
		}
	}
	*out = Node{start: uint32(start), end: uint32(s.pos), kind: Array}
	out.setKids(s.carve(s.stack[base:]))
	s.stack = s.stack[:base]
	s.depth--
	return true
}

func (s *scanner) object(out *Node) bool {
	start := s.pos
	if !s.enter() {
		return false
	}
	s.pos++
	base := len(s.stack)
	s.space()
	if s.pos < len(s.src) && s.src[s.pos] == '}' {
		s.pos++
	} else {
		for {
			if s.pos >= len(s.src) || s.src[s.pos] != '"' {
				return false
			}
			var k, v Node
			if !s.string(&k) {
				return false
			}
			s.space()
			if s.pos >= len(s.src) || s.src[s.pos] != ':' {
				return false
			}
			s.pos++
			s.space()
			if !s.value(&v) {
				return false
			}
			s.stack = append(s.stack, k, v)
			s.space()
			if s.pos >= len(s.src) {
				return false
			}
			if c := s.src[s.pos]; c == ',' {
				s.pos++
				s.space()
				continue
			} else if c != '}' {
				return false
			}
			s.pos++
			break
		}
	}
	kids := s.stack[base:]
	if len(kids) > 2 {
		if dups := duplicatePairs(kids); len(dups) > 0 {
			kids = s.dropDuplicates(uint32(start), kids, dups)
		}
	}
	kids = s.carve(kids)
	for i := 0; i < len(kids); i += 2 {
		// Remember the references and the dynamic extensions, which decide
		// whether two identical subtrees compare equal (see identical).
		switch k := kids[i].val; {
		case k == "$ref":
			if v := &kids[i+1]; v.IsScalar() {
				s.refs = append(s.refs, refUse{obj: uint32(start), value: v})
			}
		case strings.HasPrefix(k, "x-ms-dynamic-"):
			s.dynKeys = append(s.dynKeys, kids[i].start)
		}
	}
	*out = Node{start: uint32(start), end: uint32(s.pos), kind: Object}
	out.setKids(kids)
	s.stack = s.stack[:base]
	s.depth--
	return true
}

// carve copies children into the current backing array and returns them
// as a slice whose capacity is its length.
func (s *scanner) carve(kids []Node) []Node {
	n := len(kids)
	if n == 0 {
		return nil
	}
	if cap(s.arena)-len(s.arena) < n {
		s.arena = make([]Node, 0, max(arenaChunk, n))
	}
	at := len(s.arena)
	s.arena = append(s.arena, kids...)
	return s.arena[at : at+n : at+n]
}

// dup is a key at index at of an object's children that the key at index
// by repeats (the last repeat, whose value counts).
type dup struct{ at, by int }

// duplicatePairs lists the repeated keys among an object's children (key,
// value, key, value...), in key order, without allocating when there are
// none (nearly always).
func duplicatePairs(kids []Node) []dup {
	pairs := len(kids) / 2
	var out []dup
	if pairs <= 16 {
		for i := 0; i < pairs; i++ {
			for j := pairs - 1; j > i; j-- { // the last repeat is the one that counts
				if kids[2*i].val == kids[2*j].val && kids[2*i].IsScalar() && kids[2*j].IsScalar() {
					out = append(out, dup{2 * i, 2 * j})
					break
				}
			}
		}
		return out
	}
	last := make(map[string]int, pairs)
	for i := pairs - 1; i >= 0; i-- {
		k := &kids[2*i]
		if !k.IsScalar() {
			continue
		}
		if j, ok := last[k.val]; ok {
			out = append(out, dup{2 * i, j})
		} else {
			last[k.val] = 2 * i
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

// dropDuplicates records and removes the overridden pairs of the object
// starting at container, forgetting the duplicates found inside the values
// it drops (they are not part of the document).
func (s *scanner) dropDuplicates(container uint32, kids []Node, dups []dup) []Node {
	drop := make(map[int]bool, len(dups))
	for _, d := range dups {
		drop[d.at] = true
		v := &kids[d.at+1]
		inside := func(off uint32) bool { return off >= v.start && off < v.end }
		s.dups = slices.DeleteFunc(s.dups, func(x dupKey) bool { return inside(x.container) })
		s.refs = slices.DeleteFunc(s.refs, func(x refUse) bool { return inside(x.obj) })
		s.dynKeys = slices.DeleteFunc(s.dynKeys, inside)
	}
	for _, d := range dups {
		s.dups = append(s.dups, dupKey{container: container, at: kids[d.at].start, by: kids[d.by].start, key: kids[d.at].val})
	}
	out := kids[:0]
	for i := 0; i+1 < len(kids); i += 2 {
		if !drop[i] {
			out = append(out, kids[i], kids[i+1])
		}
	}
	return out
}

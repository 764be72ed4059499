package fix

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// style is how a document lays out its text: the indentation of one level
// and the line ending.
type style struct {
	unit string // "  ", "    ", "\t"...
	eol  string // "\n" or "\r\n"
}

var defaultStyle = style{unit: "  ", eol: "\n"}

// detectStyle reads the indentation unit (the most common increase of
// indentation from one line to the next) and the line ending (CRLF when
// most lines end so) of a JSON text.
func detectStyle(src string) style {
	s := defaultStyle
	var crlf, lf, tabs, spaces int
	deltas := map[int]int{}
	prev := 0
	for line := range strings.Lines(src) {
		if strings.HasSuffix(line, "\n") {
			lf++
			if strings.HasSuffix(line, "\r\n") {
				crlf++
			}
		}
		body := strings.TrimRight(line, "\r\n")
		lead := len(body) - len(strings.TrimLeft(body, " \t"))
		if lead == len(body) {
			continue // blank
		}
		if lead > 0 {
			if body[0] == '\t' {
				tabs++
			} else {
				spaces++
			}
		}
		if d := lead - prev; d > 0 && d <= 8 {
			deltas[d]++
		}
		prev = lead
	}
	if lf > 0 && crlf*2 > lf {
		s.eol = "\r\n"
	}
	if tabs > spaces {
		s.unit = "\t"
		return s
	}
	best, n := 0, 0
	for d, c := range deltas {
		if c > n || c == n && d < best {
			best, n = d, c
		}
	}
	if best > 0 {
		s.unit = strings.Repeat(" ", best)
	}
	return s
}

// lineStart returns the offset at which the line holding offset off begins.
func lineStart(src string, off int) int {
	return strings.LastIndexByte(src[:off], '\n') + 1
}

// indentAt returns the white space that begins the line holding offset off.
func indentAt(src string, off int) string {
	ls := lineStart(src, off)
	i := ls
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return src[ls:i]
}

// firstOnLine reports whether only white space precedes offset off on its
// line.
func firstOnLine(src string, off int) bool {
	return strings.TrimLeft(src[lineStart(src, off):off], " \t") == ""
}

// canonical turns text cut from a document of style st, whose first line
// began at indentation base, into the form fix passes values in: lines
// after the first indented by one tab per level relative to the first, and
// "\n" line endings. Only the white space that begins a line changes: JSON
// strings hold no raw line breaks.
func canonical(text, base string, st style) string {
	if !strings.ContainsAny(text, "\r\n") {
		return text
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := 1; i < len(lines); i++ {
		l := strings.TrimSuffix(lines[i], "\r")
		lead := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		rest := l[len(lead):]
		if strings.HasPrefix(lead, base) {
			lead = lead[len(base):]
		} else {
			lead = lead[min(len(lead), len(base)):] // less indented than the first line: keep what is left
		}
		k := 0
		if st.unit != "" {
			for strings.HasPrefix(lead, st.unit) {
				lead = lead[len(st.unit):]
				k++
			}
		}
		lines[i] = strings.Repeat("\t", k) + lead + rest
	}
	return strings.Join(lines, "\n")
}

// layout renders canonical text for a document of style st at indentation
// base.
func layout(text, base string, st style) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines); i++ {
		l := lines[i]
		k := len(l) - len(strings.TrimLeft(l, "\t"))
		lines[i] = base + strings.Repeat(st.unit, k) + l[k:]
	}
	return strings.Join(lines, st.eol)
}

// compact renders JSON text on one line, with a space after each colon and
// comma, as objects written inline usually are.
func compact(text string) string {
	if !strings.ContainsAny(text, "\r\n\t") && !strings.Contains(text, "  ") {
		return text
	}
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if inString {
			b.WriteByte(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '"':
			inString = true
			b.WriteByte(c)
		case ':', ',':
			b.WriteByte(c)
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// quote renders s as a JSON string, leaving <, > and & as they are.
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// obj renders a canonical JSON object of the given members (key, canonical
// value) over several lines.
func obj(members ...[2]string) string {
	if len(members) == 0 {
		return "{}"
	}
	var b strings.Builder
	b.WriteString("{\n")
	for i, m := range members {
		b.WriteString("\t")
		b.WriteString(quote(m[0]))
		b.WriteString(": ")
		b.WriteString(strings.ReplaceAll(m[1], "\n", "\n\t"))
		if i < len(members)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}")
	return b.String()
}

// arr renders a canonical JSON array of canonical elements over several
// lines.
func arr(elems ...string) string {
	if len(elems) == 0 {
		return "[]"
	}
	var b strings.Builder
	b.WriteString("[\n")
	for i, e := range elems {
		b.WriteString("\t")
		b.WriteString(strings.ReplaceAll(e, "\n", "\n\t"))
		if i < len(elems)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]")
	return b.String()
}

// dedupe removes from JSON text the members of an object whose key the
// object repeats later, as readers keep the last value: text copied from a
// definition with repeated keys then adds none to the one it goes into.
func dedupe(text string) string {
	if !strings.Contains(text, "{") {
		return text
	}
	type span struct{ start, end int } // a member, from its key to the end of its value
	var cuts []span
	i := 0
	var value func() bool
	skipSpace := func() {
		for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
			i++
		}
	}
	str := func() (string, bool) {
		start := i
		i++ // the opening quote
		for i < len(text) {
			switch text[i] {
			case '\\':
				i += 2
				continue
			case '"':
				i++
				var s string
				if json.Unmarshal([]byte(text[start:i]), &s) != nil {
					return "", false
				}
				return s, true
			}
			i++
		}
		return "", false
	}
	value = func() bool {
		skipSpace()
		if i >= len(text) {
			return false
		}
		switch text[i] {
		case '{':
			i++
			var members []span
			var keys []string
			for {
				skipSpace()
				if i < len(text) && text[i] == '}' {
					i++
					break
				}
				if i >= len(text) || text[i] != '"' {
					return false
				}
				ks := i
				k, ok := str()
				if !ok {
					return false
				}
				skipSpace()
				if i >= len(text) || text[i] != ':' {
					return false
				}
				i++
				if !value() {
					return false
				}
				members = append(members, span{ks, i})
				keys = append(keys, k)
				skipSpace()
				if i < len(text) && text[i] == ',' {
					i++
				}
			}
			last := map[string]int{}
			for j, k := range keys {
				last[k] = j
			}
			for j, k := range keys {
				if last[k] == j {
					continue
				}
				// Cut from this member's key to the next member's key.
				cuts = append(cuts, span{members[j].start, members[j+1].start})
			}
		case '[':
			i++
			for {
				skipSpace()
				if i < len(text) && text[i] == ']' {
					i++
					break
				}
				if !value() {
					return false
				}
				skipSpace()
				if i < len(text) && text[i] == ',' {
					i++
				}
			}
		case '"':
			_, ok := str()
			return ok
		default:
			for i < len(text) && !strings.ContainsRune(",}] \t\r\n", rune(text[i])) {
				i++
			}
		}
		return true
	}
	if !value() || len(cuts) == 0 {
		return text
	}
	sort.Slice(cuts, func(a, b int) bool { return cuts[a].start < cuts[b].start })
	var b strings.Builder
	at := 0
	for _, c := range cuts {
		if c.start < at {
			continue // inside a member already cut
		}
		b.WriteString(text[at:c.start])
		at = c.end
	}
	b.WriteString(text[at:])
	return b.String()
}

package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Document text (titles, names, enum values, descriptions) reaches every
// message, and a connector file is written by anyone. Each format escapes it
// for its own syntax; visible is the common first step for the human ones.

// visible returns s on one line with nothing hidden: newlines, tabs and other
// control characters, bidirectional overrides (which reorder what a reader
// sees, as in "Trojan Source") and invalid UTF-8 are written as escapes.
func visible(s string) string {
	clean := true
	for i, r := range s {
		if hidden(r) || (r == utf8.RuneError && !validAt(s, i)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case hidden(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case hidden(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func validAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size > 1 // a literal U+FFFD is 3 bytes long
}

// hidden reports whether r changes or hides what a reader sees.
func hidden(r rune) bool {
	switch {
	case unicode.IsControl(r): // C0, DEL and C1, including ESC
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	}
	return false
}

// truncate shortens s to at most max runes, marking the cut.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	return string(runes[:max-1]) + "…"
}

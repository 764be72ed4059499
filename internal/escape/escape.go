package escape

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s as one line that shows everything and commands nothing:
//
//   - line breaks, tabs and other control characters (ESC included),
//     bidirectional controls (which reorder what a reader sees, as in
//     "Trojan Source"), line and paragraph separators, characters that show
//     nothing (a zero-width space, a soft hyphen; joiners and emoji variation
//     selectors are kept) and invalid UTF-8 are written as escapes: \n, \t,
//     \x1b, \u202E, \u200B, \xff;
//   - the first "#" of "##vso[" and "##[" becomes \x23, wherever they are;
//   - the first ":" of a "::" that begins s (after white space) becomes \x3a:
//     s has no line break left, so its start is the only place it can start a
//     log line.
//
// Everything else (letters of any script, emoji, spaces, punctuation) is
// kept. Backslashes are not doubled, so a document's own "\x23" reads the same
// as an escaped "#": the escapes are for a reader, who is not misled by
// either, not for decoding (JSON and Markup decode exactly). Two results
// joined with nothing between them can form a prefix again ("#" and "#[");
// the CLI's stream-level Writer catches that.
func Line(s string) string { return oneLine(s, true) }

// Visible is Line without the command escapes: s on one line with nothing
// hidden. Formats whose own encoding then neutralises commands in their own
// notation (JSON, HTML, XML) use it, so that they decode to the text.
func Visible(s string) string { return oneLine(s, false) }

func oneLine(s string, inert bool) string {
	colon := -1
	if inert {
		colon, _ = leadingColon(s, 0)
	}
	clean := colon < 0
	for i := 0; clean && i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			clean = !hidden(rune(c)) && !(inert && c == '#' && commandAt(s, i))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		clean = !hidden(r) && !(r == utf8.RuneError && size == 1)
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case i == colon:
			b.WriteString(`\x3a`)
		case inert && r == '#' && commandAt(s, i):
			b.WriteString(`\x23`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case hidden(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case hidden(r) && r > 0xFFFF:
			fmt.Fprintf(&b, `\U%08X`, r)
		case hidden(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// hidden reports whether r changes or hides what a reader sees: controls,
// bidirectional controls, line and paragraph separators, and characters that
// show nothing (format characters such as a zero-width space or a soft
// hyphen, other default-ignorable ones such as a Hangul filler or a tag), so
// that "id\u200b" does not read as "id". The joiners and the emoji variation
// selectors, which scripts and emoji need, are kept.
func hidden(r rune) bool {
	switch {
	case r < 0x20 || r >= 0x7F && r <= 0x9F: // C0, DEL and C1, including ESC
		return true
	case r < 0xAD:
		return false
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	case r == 0x200C || r == 0x200D || r == 0xFE0E || r == 0xFE0F:
		return false
	}
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point)
}

// ignorable reports whether .NET's culture-aware search may skip r between
// the characters of a command prefix: format characters (zero-width space
// and joiners, soft hyphen, bidirectional marks), other default-ignorable
// code points (Hangul fillers, the combining grapheme joiner), variation
// selectors, and control characters other than the line ends, which end a
// log line instead. Counting too many only escapes a "#" or ":" too many.
func ignorable(r rune) bool {
	if r < utf8.RuneSelf {
		return r < 0x20 && r != '\n' && r != '\r' || r == 0x7F
	}
	return r <= 0x9F || unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// skip returns the index of the first character at or after s[i] that is
// not ignorable, or len(s).
func skip(s string, i int) int {
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			if !ignorable(rune(s[i])) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !ignorable(r) {
			return i
		}
		i += size
	}
	return i
}

// commandAt reports whether "##[" or "##vso[" starts at s[i].
func commandAt(s string, i int) bool {
	match, _ := commandPrefix(s, i)
	return match
}

// commandPrefix reports whether "##[" or "##vso[" ("vso" in any case, with
// ignorable characters between the characters) starts at s[i]; more reports
// that s ended while it still could.
func commandPrefix(s string, i int) (match, more bool) {
	if i >= len(s) || s[i] != '#' {
		return false, false
	}
	j := skip(s, i+1)
	if j == len(s) {
		return false, true
	}
	if s[j] != '#' {
		return false, false
	}
	j = skip(s, j+1)
	if j == len(s) {
		return false, true
	}
	if s[j] == '[' {
		return true, false
	}
	for _, want := range "vso" {
		if s[j]|0x20 != byte(want) {
			return false, false
		}
		if j = skip(s, j+1); j == len(s) {
			return false, true
		}
	}
	return s[j] == '[', false
}

// leadingColon returns the index of the first ":" of a "::" that starts the
// line beginning at s[i], after white space and ignorable characters (the
// runner trims the one and its search skips the other), or -1; more reports
// that s ended while it still could.
func leadingColon(s string, i int) (at int, more bool) {
	if i = skipSpace(s, i); i == len(s) {
		return -1, true
	}
	if s[i] != ':' {
		return -1, false
	}
	j := skip(s, i+1)
	if j == len(s) {
		return -1, true
	}
	if s[j] != ':' {
		return -1, false
	}
	return i, false
}

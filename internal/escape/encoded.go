package escape

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// JSON returns encoded JSON (as encoding/json writes it) that decodes to the
// same values and that no log reads as a command or hides anything in: the
// first "#" of a command prefix becomes \u0023, and characters that hide or
// reorder text (DEL, C1 controls, bidirectional controls, line separators;
// the encoder already escapes C0) become \uXXXX. Both can only be inside
// strings, where these escapes are valid. A "::" needs nothing: a line of
// encoded JSON starts, after its indentation, with a brace, bracket, quote,
// digit, sign or literal, since strings hold no raw line break. data is
// returned as it is when nothing needs escaping.
func JSON(data []byte) []byte {
	if !needsEscape(data, false) {
		return data
	}
	s := string(data)
	var b bytes.Buffer
	b.Grow(len(data) + 64)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '#' && commandAt(s, i):
			b.WriteString(`\u0023`)
		case r >= 0x7F && hidden(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.Bytes()
}

// needsEscape reports whether data holds a byte that JSON (or, with
// markup, Markup) may change: "#", a character from DEL up and, in markup,
// ":" and C0 controls.
func needsEscape(data []byte, markup bool) bool {
	for _, c := range data {
		if c == '#' || c >= 0x7F || markup && (c == ':' || c < 0x20 && c != '\n' && c != '\t') {
			return true
		}
	}
	return false
}

var (
	cdataOpen  = []byte("<![CDATA[")
	cdataClose = []byte("]]>")
)

// Markup returns an HTML or XML document that reads the same and that no
// log reads as a command or hides anything in: the first "#" of a command
// prefix becomes &#35;, the first ":" of a "::" that starts a line &#58;,
// and characters that hide or reorder text (controls other than line feed and
// tab, bidirectional controls, line separators) numeric character
// references. Inside a CDATA section, where references are not read, the
// section is closed before the reference and opened again after it. data
// must hold text only where html/template and encoding/xml put it (element
// text, attribute values, CDATA sections), not in a script or style element
// or a comment, where references are not read either. data is returned as
// it is when nothing needs escaping.
func Markup(data []byte) []byte {
	if !needsEscape(data, true) {
		return data
	}
	s := string(data)
	var b bytes.Buffer
	b.Grow(len(data) + 64)
	inCDATA := false
	colon, _ := leadingColon(s, 0)
	ref := func(r rune) {
		if inCDATA {
			b.Write(cdataClose)
		}
		fmt.Fprintf(&b, "&#%d;", r)
		if inCDATA {
			b.Write(cdataOpen)
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !inCDATA && r == '<' && bytes.HasPrefix(data[i:], cdataOpen):
			inCDATA = true
			b.Write(cdataOpen)
			i += len(cdataOpen)
			continue
		case inCDATA && r == ']' && bytes.HasPrefix(data[i:], cdataClose):
			inCDATA = false
			b.Write(cdataClose)
			i += len(cdataClose)
			continue
		case i == colon:
			ref(':')
		case r == '#' && commandAt(s, i):
			ref('#')
		case hidden(r) && r != '\n' && r != '\t':
			ref(r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
		if r == '\n' {
			colon, _ = leadingColon(s, i)
		}
	}
	return b.Bytes()
}

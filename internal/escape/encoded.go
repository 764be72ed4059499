package escape

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// edit replaces data[at:at+size] with with.
type edit struct {
	at, size int
	with     string
}

// writeEdited writes data with edits (in order, not overlapping) applied,
// copying the runs between them as they are.
func writeEdited(w io.Writer, data []byte, edits []edit) error {
	done := 0
	for _, e := range edits {
		if _, err := w.Write(data[done:e.at]); err != nil {
			return err
		}
		if _, err := io.WriteString(w, e.with); err != nil {
			return err
		}
		done = e.at + e.size
	}
	if done == len(data) {
		return nil
	}
	_, err := w.Write(data[done:])
	return err
}

// edited returns data with edits applied; data itself when there are none.
func edited(data []byte, edits []edit) []byte {
	if len(edits) == 0 {
		return data
	}
	var b bytes.Buffer
	b.Grow(len(data) + 8*len(edits))
	_ = writeEdited(&b, data, edits) // a bytes.Buffer does not fail
	return b.Bytes()
}

// JSON returns encoded JSON (as encoding/json writes it) that decodes to the
// same values and that no log reads as a command or hides anything in: the
// first "#" of a command prefix becomes \u0023, and characters that hide or
// reorder text (DEL, C1 controls, bidirectional controls, line separators;
// the encoder already escapes C0) become \uXXXX. Both can only be inside
// strings, where these escapes are valid. A "::" needs nothing: a line of
// encoded JSON starts, after its indentation, with a brace, bracket, quote,
// digit, sign or literal, since strings hold no raw line break. data is
// returned as it is when nothing needs escaping.
func JSON(data []byte) []byte { return edited(data, jsonEdits(data)) }

// JSONWriter returns a writer that passes what an encoding/json Encoder
// writes on to w, escaped as JSON does. Each Write must hold whole values,
// as an Encoder's do.
func JSONWriter(w io.Writer) io.Writer { return jsonWriter{w} }

type jsonWriter struct{ w io.Writer }

func (j jsonWriter) Write(p []byte) (int, error) {
	if err := writeEdited(j.w, p, jsonEdits(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func jsonEdits(data []byte) []edit {
	s := view(data)
	var edits []edit
	for i := 0; i < len(s); {
		if c := s[i]; c < 0x7F && c != '#' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '#' && commandAt(s, i):
			edits = append(edits, edit{i, size, `\u0023`})
		case r >= 0x7F && hidden(r) && r > 0xFFFF: // a tag character: JSON writes it as a surrogate pair
			r1, r2 := utf16.EncodeRune(r)
			edits = append(edits, edit{i, size, fmt.Sprintf(`\u%04x\u%04x`, r1, r2)})
		case r >= 0x7F && hidden(r):
			edits = append(edits, edit{i, size, fmt.Sprintf(`\u%04x`, r)})
		}
		i += size
	}
	return edits
}

const (
	cdataOpen  = "<![CDATA["
	cdataClose = "]]>"
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
func Markup(data []byte) []byte { return edited(data, markupEdits(data)) }

// WriteMarkup writes Markup(data) to w, without a copy of data.
func WriteMarkup(w io.Writer, data []byte) error { return writeEdited(w, data, markupEdits(data)) }

func markupEdits(data []byte) []edit {
	s := view(data)
	var edits []edit
	inCDATA := false
	ref := func(i, size int, r rune) {
		e := edit{i, size, fmt.Sprintf("&#%d;", r)}
		if inCDATA {
			e.with = cdataClose + e.with + cdataOpen
		}
		edits = append(edits, e)
	}
	colon, _ := leadingColon(s, 0)
	for i := 0; i < len(s); {
		c := s[i]
		if i != colon && c >= 0x20 && c < 0x7F && c != '<' && c != ']' && c != '#' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !inCDATA && c == '<' && strings.HasPrefix(s[i:], cdataOpen):
			inCDATA, size = true, len(cdataOpen)
		case inCDATA && c == ']' && strings.HasPrefix(s[i:], cdataClose):
			inCDATA, size = false, len(cdataClose)
		case i == colon:
			ref(i, size, ':')
		case c == '#' && commandAt(s, i):
			ref(i, size, '#')
		case hidden(r) && r != '\n' && r != '\t':
			ref(i, size, r)
		}
		i += size
		if c == '\n' {
			colon, _ = leadingColon(s, i)
		}
	}
	return edits
}

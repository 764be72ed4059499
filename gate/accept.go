package gate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	yaml "github.com/pb33f/go-yaml"

	"github.com/connectordiff/connectordiff/breaking"
)

// A reviewer accepts a break on record with `connectordiff accept`, which
// adds the acceptance to a policy file. The file is reviewed like code, so
// the command edits its text rather than writing the YAML out again: the
// comments, the order, the layout and the line endings stay as they were,
// and the change is the new entry only.

// AddAcceptance returns the policy file data (named name in messages) with
// a added at the end of its accept list, in the list's own indentation, or
// with an accept list holding it at the end of the file. The result is read
// back: when it does not say exactly what data said plus a (a layout this
// editing does not know, such as a list written [like, this]), it is an
// error and nothing is to be written.
func AddAcceptance(name string, data []byte, a breaking.Acceptance) ([]byte, error) {
	before, err := ParseConfig(name, data)
	if err != nil {
		return nil, err
	}
	if err := checkNewAcceptance(a); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	nl := "\n"
	if bytes.Contains(data, []byte("\r\n")) {
		nl = "\r\n"
	}
	lines := acceptanceLines(a)
	var out []byte
	var root *yaml.Node
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	var list *yaml.Node
	var next *yaml.Node // the key after accept, if any
	if root != nil {
		if root.Style&yaml.FlowStyle != 0 {
			return nil, fmt.Errorf("%s: the policy is written as one {flow mapping}: add the acceptance by hand", name)
		}
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "accept" {
				list = root.Content[i+1]
				if i+2 < len(root.Content) {
					next = root.Content[i+2]
				}
			}
		}
	}
	text := splitLines(data)
	// YAML also breaks lines at a lone carriage return, which splitLines
	// does not: the parser's line numbers would not be lines of text.
	if bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\r")) {
		return nil, fmt.Errorf("%s: the file has line breaks of a lone carriage return: add the acceptance by hand", name)
	}
	marks := []*yaml.Node{list, next}
	if list != nil && len(list.Content) > 0 {
		marks = append(marks, list.Content[0])
	}
	for _, n := range marks {
		if n != nil && (n.Line < 1 || n.Line > len(text)) {
			return nil, fmt.Errorf("%s: the file is laid out in a way this command does not know: add the acceptance by hand", name)
		}
	}
	switch {
	case list == nil:
		// A new list at the end of the file.
		out = append(out, data...)
		if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, nl...)
		}
		out = append(out, "accept:"+nl...)
		out = append(out, entryText(lines, 2, 4, nl)...)
	case list.Style&yaml.FlowStyle != 0 && len(list.Content) == 0:
		// accept: [] becomes the block list it now starts.
		at := list.Line - 1
		line := text[at]
		col := runeOffset(line, list.Column-1)
		end := strings.Index(line[col:], "]")
		if end < 0 {
			return nil, fmt.Errorf("%s:%d:%d: accept: [] spans lines: add the acceptance by hand", name, list.Line, list.Column)
		}
		edited := strings.TrimRight(line[:col], " \t") + line[col+end+1:]
		out = append(out, joinLines(text[:at])...)
		out = append(out, withEnding(edited, nl)...)
		out = append(out, entryText(lines, 2, 4, nl)...)
		out = append(out, joinLines(text[at+1:])...)
	case list.Style&yaml.FlowStyle != 0:
		return nil, fmt.Errorf("%s:%d:%d: accept is written as a [flow, list]: add the acceptance by hand, or write the list one entry a line",
			name, list.Line, list.Column)
	default:
		first := list.Content[0]
		itemLine := text[first.Line-1]
		keyCol := runeOffset(itemLine, first.Column-1)
		dash := strings.LastIndex(itemLine[:keyCol], "-")
		if dash < 0 || strings.TrimSpace(itemLine[dash+1:keyCol]) != "" {
			return nil, fmt.Errorf("%s:%d:%d: the first accepted change is laid out in a way this command does not know: add the acceptance by hand",
				name, first.Line, first.Column)
		}
		// After the list's last line that holds something: blank lines and
		// comments before the next key stay with that key.
		end := len(text)
		if next != nil {
			end = next.Line - 1
		}
		last := end - 1
		for last >= list.Line && isFiller(text[last]) {
			last--
		}
		out = append(out, joinLines(text[:last+1])...)
		if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, nl...)
		}
		out = append(out, entryText(lines, dash, keyCol, nl)...)
		out = append(out, joinLines(text[last+1:])...)
	}
	// What the file says now must be what it said, and a.
	after, err := ParseConfig(name, out)
	if err != nil {
		return nil, fmt.Errorf("%s: adding the acceptance would break the file (%v): add it by hand", name, err)
	}
	if !sameExceptAccept(before, after) || len(after.Accept) != len(before.Accept)+1 ||
		!sameAcceptances(before.Accept, after.Accept[:len(before.Accept)]) || !sameAcceptance(a, after.Accept[len(before.Accept)]) {
		return nil, fmt.Errorf("%s: the file is laid out in a way this command cannot add to without changing what it says: add the acceptance by hand", name)
	}
	return out, nil
}

// checkNewAcceptance refuses an acceptance a policy file would refuse.
func checkNewAcceptance(a breaking.Acceptance) error {
	switch {
	case strings.TrimSpace(a.Reason) == "":
		return errors.New("an acceptance needs a reason: say why the break is acceptable")
	case a.Reason != strings.TrimSpace(a.Reason):
		return errors.New("the reason starts or ends with spaces")
	case !utf8.ValidString(a.Reason + a.Connector + a.Operation):
		return errors.New("the reason, connector and operation must be UTF-8 text")
	case a.ID == "" && a.Rule == "":
		return errors.New("an acceptance needs a rule, or the id of a finding")
	case a.ID != "" && !breaking.ValidID(a.ID):
		return fmt.Errorf("%q is not a finding's id (%d hexadecimal digits)", a.ID, breaking.IDLength)
	case a.ID != "" && (a.Operation != "" || a.ValuePath != "" || a.Pointer != ""):
		return errors.New("an acceptance by id names no operation, value path or pointer")
	case a.ValuePath != "" || a.Pointer != "":
		return errors.New("this command accepts by id, or by rule, operation and connector")
	}
	if a.Rule != "" {
		if _, ok := breaking.Lookup(a.Rule); !ok {
			return fmt.Errorf("unknown rule id %s (see `connectordiff rules`)", a.Rule)
		}
	}
	return nil
}

// acceptanceLines are the key: value lines of an acceptance, in the order
// a reader wants them: what is accepted, then why and until when.
func acceptanceLines(a breaking.Acceptance) []string {
	var out []string
	if a.ID != "" {
		out = append(out, "id: "+a.ID)
	}
	if a.Rule != "" {
		out = append(out, "rule: "+a.Rule)
	}
	if a.Connector != "" {
		out = append(out, "connector: "+yamlQuote(a.Connector))
	}
	if a.Operation != "" {
		out = append(out, "operation: "+yamlQuote(a.Operation))
	}
	out = append(out, "reason: "+yamlQuote(a.Reason))
	if a.Expires != nil {
		out = append(out, "expires: "+a.Expires.Format("2006-01-02"))
	}
	return out
}

// entryText lays out an entry of a block list: its dash at column dash
// (counted from 0) and its keys at column key.
func entryText(lines []string, dash, key int, nl string) []byte {
	var b strings.Builder
	for i, l := range lines {
		if i == 0 {
			b.WriteString(strings.Repeat(" ", dash) + "-" + strings.Repeat(" ", max(key-dash-1, 1)) + l + nl)
		} else {
			b.WriteString(strings.Repeat(" ", key) + l + nl)
		}
	}
	return []byte(b.String())
}

// yamlQuote writes s as a double-quoted YAML scalar: every character that
// could end it, break its line or read as something else is escaped, so
// that the value read back is s.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || !unicode.IsPrint(r) && !unicode.IsSpace(r):
			if r > 0xffff {
				fmt.Fprintf(&b, `\U%08x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// splitLines splits data into lines, each with its line ending.
func splitLines(data []byte) []string {
	var out []string
	s := string(data)
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

func joinLines(lines []string) []byte { return []byte(strings.Join(lines, "")) }

// withEnding is line, whose ending may have been cut, ended by nl.
func withEnding(line, nl string) string {
	return strings.TrimRight(line, "\r\n") + nl
}

// isFiller reports whether a line holds nothing but spaces, a comment or
// the end of the document.
func isFiller(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#") || t == "..."
}

// runeOffset is the byte offset of the col-th character (from 0) of line.
func runeOffset(line string, col int) int {
	n := 0
	for i := range line {
		if n == col {
			return i
		}
		n++
	}
	return len(line)
}

// sameExceptAccept reports whether two policies say the same but for their
// acceptances.
func sameExceptAccept(a, b *Config) bool {
	x, y := *a, *b
	x.Accept, y.Accept = nil, nil
	x.Published, y.Published = switchValue(a.Published), switchValue(b.Published)
	x.PreviewAsWarnings, y.PreviewAsWarnings = switchValue(a.PreviewAsWarnings), switchValue(b.PreviewAsWarnings)
	x.Connectors, y.Connectors = settingsValues(a.Connectors), settingsValues(b.Connectors)
	return reflect.DeepEqual(x, y)
}

// switchValue is a setting without where it is written, which an edit
// above it may move.
func switchValue(s *Switch) *Switch {
	if s == nil {
		return nil
	}
	return &Switch{On: s.On}
}

func settingsValues(cs []ConnectorSettings) []ConnectorSettings {
	out := make([]ConnectorSettings, len(cs))
	for i, c := range cs {
		out[i] = ConnectorSettings{Connector: c.Connector, Published: switchValue(c.Published), PreviewAsWarnings: switchValue(c.PreviewAsWarnings)}
	}
	return out
}

func sameAcceptances(a, b []breaking.Acceptance) bool {
	for i := range a {
		if !sameAcceptance(a[i], b[i]) {
			return false
		}
	}
	return true
}

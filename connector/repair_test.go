package connector

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func note(line, col int, msg string) Note { return Note{Line: line, Column: col, Message: msg} }

func TestRepairJSON(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  string // repaired bytes
		notes []Note
	}{
		{
			name:  "BOM",
			in:    "\xEF\xBB\xBF{\"a\": 1}",
			want:  `{"a": 1}`,
			notes: []Note{note(1, 1, "UTF-8 byte order mark removed")},
		},
		{
			name:  "Windows-1252 byte in a description",
			in:    "{\n  \"d\": \"it\x92s\"\n}",
			want:  "{\n  \"d\": \"it\u2019s\"\n}",
			notes: []Note{note(2, 11, "Windows-1252 byte 0x92 read as U+2019")},
		},
		{
			name:  "Windows-1252 undefined byte kept as C1 control",
			in:    "{\"d\": \"a\x81\"}",
			want:  "{\"d\": \"a\u0081\"}",
			notes: []Note{note(1, 9, "Windows-1252 byte 0x81 (undefined) read as U+0081")},
		},
		{
			name:  "Windows-1252 no-break space outside strings",
			in:    "{\xA0\"d\": 1}",
			want:  "{ \"d\": 1}",
			notes: []Note{note(1, 2, "Windows-1252 byte 0xA0 read as U+00A0"), note(1, 2, "U+00A0 (NO-BREAK SPACE) used as white space replaced")},
		},
		{
			name:  "trailing comma in object",
			in:    "{\n  \"a\": 1,\n}",
			want:  "{\n  \"a\": 1 \n}",
			notes: []Note{note(2, 9, "trailing comma removed")},
		},
		{
			name:  "trailing comma in array",
			in:    `{"a": [1, 2,  ]}`,
			want:  `{"a": [1, 2   ]}`,
			notes: []Note{note(1, 12, "trailing comma removed")},
		},
		{
			name:  "trailing commas nested, with CRLF",
			in:    "{\r\n  \"a\": [\r\n    \"x\",\r\n  ],\r\n}\r\n",
			want:  "{\r\n  \"a\": [\r\n    \"x\" \r\n  ] \r\n}\r\n",
			notes: []Note{note(3, 8, "trailing comma removed"), note(4, 4, "trailing comma removed")},
		},
		{
			name:  "comma and brace inside a string are left alone",
			in:    "\xEF\xBB\xBF{\"a\": \",}\", \"b\": \"\\\",]\"}",
			want:  `{"a": ",}", "b": "\",]"}`,
			notes: []Note{note(1, 1, "UTF-8 byte order mark removed")},
		},
		{
			name:  "tab in string",
			in:    "{\"a\": \"x\ty\"}",
			want:  `{"a": "x\ty"}`,
			notes: []Note{note(1, 9, "raw tab in string escaped")},
		},
		{
			name: "line breaks and other control characters in string",
			in:   "{\"a\": \"x\r\ny\nz\x01\"}",
			want: `{"a": "x\r\ny\nz\u0001"}`,
			notes: []Note{
				note(1, 9, "raw carriage return in string escaped"),
				note(1, 10, "raw line feed in string escaped"),
				note(2, 2, "raw line feed in string escaped"),
				note(3, 2, "raw control character U+0001 in string escaped"),
			},
		},
		{
			name:  "EM SPACE used as white space",
			in:    "{\u2003\"a\":\u20031}",
			want:  `{ "a": 1}`,
			notes: []Note{note(1, 2, "U+2003 (EM SPACE) used as white space replaced"), note(1, 7, "U+2003 (EM SPACE) used as white space replaced")},
		},
		{
			name:  "zero width no-break space after the start",
			in:    "{\"a\": 1,\n\uFEFF\"b\": 2}",
			want:  "{\"a\": 1,\n \"b\": 2}",
			notes: []Note{note(2, 1, "U+FEFF (ZERO WIDTH NO-BREAK SPACE) used as white space replaced")},
		},
		{
			name:  "EM SPACE inside a string is content",
			in:    "\xEF\xBB\xBF{\"a\": \"x\u2003y\"}",
			want:  "{\"a\": \"x\u2003y\"}",
			notes: []Note{note(1, 1, "UTF-8 byte order mark removed")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, notes, err := RepairJSON("t.json", []byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(out))
			assert.Equal(t, tt.notes, notes)
		})
	}
}

func TestRepairJSONFastPathKeepsInput(t *testing.T) {
	in := []byte(`{"swagger": "2.0", "info": {"title": "x"}}`)
	out, notes, err := RepairJSON("t.json", in)
	require.NoError(t, err)
	assert.Nil(t, notes)
	require.NotEmpty(t, out)
	assert.Same(t, &in[0], &out[0], "valid input must be returned as is, not copied")
}

func TestRepairJSONCapsNotes(t *testing.T) {
	var b strings.Builder
	b.WriteString("{\"a\": [")
	for i := range 60 {
		fmt.Fprintf(&b, "\n[%d,],", i)
	}
	b.WriteString("\n1]}")
	_, notes, err := RepairJSON("t.json", []byte(b.String()))
	require.NoError(t, err)
	require.Len(t, notes, maxNotesPerKind+1)
	last := notes[len(notes)-1]
	assert.Equal(t, note(maxNotesPerKind+2, 4, "and 10 more trailing commas removed"), last)
	for _, n := range notes[:maxNotesPerKind] {
		assert.Equal(t, "trailing comma removed", n.Message)
	}
}

func TestRepairJSONErrors(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		sentinel   error
		line, col  int
		msgContain string
	}{
		{"empty", "", ErrEmpty, 0, 0, "file is empty"},
		{"white space only", " \r\n\t\u2003\n", ErrEmpty, 0, 0, "only white space"},
		{"BOM only", "\xEF\xBB\xBF\n", ErrEmpty, 0, 0, "only white space"},
		{
			"missing comma", "{\n  \"swagger\": \"2.0\"\n  \"info\": {}\n}", ErrSyntax, 3, 3,
			`missing comma or closing brace before "info"`,
		},
		{
			"missing comma in array", "{\"a\": [\"x\" \"y\"]}", ErrSyntax, 1, 12,
			`missing comma or closing bracket before "y"`,
		},
		{
			"missing comma after a raw tab on the same line", "{\"a\": \"x\ty\" \"b\": 1}", ErrSyntax, 1, 13,
			`missing comma or closing brace before "b"`,
		},
		{
			"missing comma after a raw line feed in a string", "{\"a\": \"x\ny\" \"b\": 1}", ErrSyntax, 2, 4,
			`missing comma or closing brace before "b"`,
		},
		{
			"missing comma after a trailing comma repair and a BOM", "\xEF\xBB\xBF{\n\"a\": [1,],\n\"b\": 2 \"c\": 3}", ErrSyntax, 3, 8,
			`missing comma or closing brace before "c"`,
		},
		{
			"mismatched bracket", "{\"a\": [1, 2}", ErrSyntax, 1, 12,
			`mismatched '}': it does not close the '[' opened at 1:7`,
		},
		{
			"data after the document", "{\n  \"swagger\": \"2.0\"\n}\n}\n", ErrSyntax, 4, 1,
			"data after the end of the document: '}' follows the top-level value that ends at 3:1",
		},
		{
			"truncated document", "{\n  \"swagger\": \"2.0\",\n  \"info\": {\n    \"title\": \"x\"\n\n", ErrSyntax, 4, 17,
			"unexpected end of input, the document is truncated: '{' opened at 3:11 is not closed (2 unclosed in all)",
		},
		{
			"truncated inside a string", "{\n  \"swagger\": \"2.", ErrSyntax, 2, 17,
			"the string starting at 2:14 is not closed",
		},
		{"double comma is not repaired", "{\"a\": [1,,2]}", ErrSyntax, 1, 10, "expected a value, found ','"},
		{"comma after an opening bracket is not repaired", "{\"a\": [,]}", ErrSyntax, 1, 8, "expected a value, found ','"},
		{"unquoted key", "{\n  swagger: \"2.0\"\n}", ErrSyntax, 2, 3, "expected a quoted object key, found 'swagger'"},
		{"missing colon", "{\"a\" 1}", ErrSyntax, 1, 6, "missing colon after object key, before '1'"},
		{"comment", "{\n  // note\n  \"a\": 1\n}", ErrSyntax, 2, 3, "expected a quoted object key, found '/'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := RepairJSON("t.json", []byte(tt.in))
			require.Error(t, err)
			assert.Nil(t, out)
			assert.ErrorIs(t, err, tt.sentinel)
			var le *LoadError
			require.True(t, errors.As(err, &le), "want a *LoadError, got %T", err)
			assert.Equal(t, "t.json", le.File)
			assert.Equal(t, tt.line, le.Line, "line")
			assert.Equal(t, tt.col, le.Column, "column")
			assert.Contains(t, le.Msg, tt.msgContain)
		})
	}
}

func TestPosMapOriginal(t *testing.T) {
	// "x<TAB>y<LF>z" in a string became `x\ty\nz`: one anchor after the tab
	// (repaired 1:4 is original 1:3), one after the line feed (repaired 1:8
	// is original 2:1).
	m := posMap{{rLine: 1, rCol: 4, oLine: 1, oCol: 3}, {rLine: 1, rCol: 8, oLine: 2, oCol: 1}}
	tests := []struct{ line, col, wantLine, wantCol int }{
		{1, 1, 1, 1},
		{1, 3, 1, 3},
		{1, 4, 1, 3},
		{1, 6, 1, 5},
		{1, 8, 2, 1},
		{1, 12, 2, 5},
		{2, 1, 3, 1},
		{7, 9, 8, 9},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d:%d", tt.line, tt.col), func(t *testing.T) {
			l, c := m.original(tt.line, tt.col)
			assert.Equal(t, []int{tt.wantLine, tt.wantCol}, []int{l, c})
		})
	}
}

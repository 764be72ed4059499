package connector

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keyPos finds the key at a path of mapping keys below the root of doc and
// returns its line and column.
func keyPos(t *testing.T, doc *Document, path ...string) (line, col int) {
	t.Helper()
	n := doc.Root
	var key *Node
	for _, p := range path {
		require.Equal(t, Object, n.Kind(), "looking for %q", p)
		found := false
		for i := 0; i < n.Len(); i++ {
			if k, v := n.Member(i); k.Value() == p {
				key, n, found = k, v, true
				break
			}
		}
		require.True(t, found, "no key %q", p)
	}
	start, _ := doc.Span(key)
	return doc.Position(start)
}

func TestLoadPositionsMatchOriginal(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		path      []string
		line, col int
		notes     []Note
	}{
		{
			name: "clean JSON",
			in:   "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"t\"}\n}",
			path: []string{"info", "title"}, line: 3, col: 12,
		},
		{
			name: "after a BOM, on the first line",
			in:   "\xEF\xBB\xBF{\"swagger\": \"2.0\", \"info\": {}}",
			path: []string{"info"}, line: 1, col: 20,
			notes: []Note{note(1, 1, "UTF-8 byte order mark removed")},
		},
		{
			name: "after a trailing comma repair",
			in:   "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"x\",},\n  \"paths\": {}\n}",
			path: []string{"paths"}, line: 4, col: 3,
			notes: []Note{note(3, 24, "trailing comma removed")},
		},
		{
			name: "after raw line feed and tab escaped in a string",
			in:   "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"description\": \"a\nb\tc\", \"title\": \"t\"},\n  \"paths\": {}\n}",
			path: []string{"info", "title"}, line: 4, col: 7,
			notes: []Note{note(3, 29, "raw line feed in string escaped"), note(4, 2, "raw tab in string escaped")},
		},
		{
			name: "line after escaped line breaks",
			in:   "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"description\": \"a\r\nb\r\nc\"},\n  \"paths\": {}\n}",
			path: []string{"paths"}, line: 6, col: 3,
			notes: []Note{
				note(3, 29, "raw carriage return in string escaped"), note(3, 30, "raw line feed in string escaped"),
				note(4, 2, "raw carriage return in string escaped"), note(4, 3, "raw line feed in string escaped"),
			},
		},
		{
			name: "after Windows-1252 bytes on the same line",
			in:   "{\"swagger\": \"2.0\", \"info\": {\"description\": \"\x93q\x94\", \"title\": \"t\"}}",
			path: []string{"info", "title"}, line: 1, col: 51,
			notes: []Note{note(1, 45, "Windows-1252 byte 0x93 read as U+201C"), note(1, 47, "Windows-1252 byte 0x94 read as U+201D")},
		},
		{
			name: "after an EM SPACE",
			in:   "{\u2003\"swagger\": \"2.0\"}",
			path: []string{"swagger"}, line: 1, col: 3,
			notes: []Note{note(1, 2, "U+2003 (EM SPACE) used as white space replaced")},
		},
		{
			// The YAML parser that used to build the tree refused this valid JSON.
			name: "a key and its colon on different lines",
			in:   "{\"swagger\"\n: \"2.0\", \"info\"\n\n  :\n {\"title\": \"t\"}}",
			path: []string{"info", "title"}, line: 5, col: 3,
		},
		{
			name: "YAML",
			in:   "swagger: \"2.0\"\ninfo:\n  title: x\n",
			path: []string{"info", "title"}, line: 3, col: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Load("t", []byte(tt.in), LoadOptions{})
			require.NoError(t, err)
			line, col := keyPos(t, doc, tt.path...)
			assert.Equal(t, tt.line, line, "line of %v", tt.path)
			assert.Equal(t, tt.col, col, "column of %v", tt.path)
			assert.Equal(t, tt.notes, doc.Notes)
		})
	}
}

func TestLoadFileMessy(t *testing.T) {
	// BOM, CRLF line ends, a Windows-1252 apostrophe and a trailing comma.
	doc, err := LoadFile(filepath.Join("testdata", "load", "messy.json"), LoadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "json", doc.Format)
	assert.Equal(t, filepath.Join("testdata", "load", "messy.json"), doc.Name)
	assert.Equal(t, []Note{
		note(1, 1, "UTF-8 byte order mark removed"),
		note(5, 23, "Windows-1252 byte 0x92 read as U+2019"),
		note(6, 21, "trailing comma removed"),
	}, doc.Notes)
	descLine, _ := keyPos(t, doc, "info", "description")
	assert.Equal(t, 5, descLine)
	pathsLine, pathsCol := keyPos(t, doc, "paths")
	assert.Equal(t, []int{8, 3}, []int{pathsLine, pathsCol})
}

func TestLoadSwagger2Versions(t *testing.T) {
	tests := []struct {
		name, in, format string
	}{
		{"JSON string", `{"swagger": "2.0", "info": {"title": "x"}}`, "json"},
		{"YAML quoted", "swagger: \"2.0\"\ninfo:\n  title: x\n", "yaml"},
		{"YAML number 2.0", "swagger: 2.0\ninfo:\n  title: x\n", "yaml"},
		{"YAML number 2", "swagger: 2\ninfo:\n  title: x\n", "yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Load("t", []byte(tt.in), LoadOptions{})
			require.NoError(t, err)
			assert.Equal(t, tt.format, doc.Format)
			assert.Equal(t, Object, doc.Root.Kind())
			assert.Empty(t, doc.Notes)
		})
	}
	t.Run("YAML file", func(t *testing.T) {
		doc, err := LoadFile(filepath.Join("testdata", "load", "swagger.yaml"), LoadOptions{})
		require.NoError(t, err)
		assert.Equal(t, "yaml", doc.Format)
		line, col := keyPos(t, doc, "info", "title")
		assert.Equal(t, []int{3, 3}, []int{line, col})
	})
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		opts      LoadOptions
		sentinel  error
		line, col int
		msg       string // Msg must contain this
	}{
		{name: "empty", in: "", sentinel: ErrEmpty, msg: "file is empty"},
		{name: "white space only", in: " \n\t\r\n", sentinel: ErrEmpty, msg: "only white space"},
		{name: "YAML comments only", in: "# nothing here\n", sentinel: ErrEmpty, msg: "no YAML content"},
		{name: "null", in: "null", sentinel: ErrNotSwagger2, line: 1, col: 1, msg: "top-level value is null, want an object"},
		{name: "empty array", in: "[]", sentinel: ErrNotSwagger2, line: 1, col: 1, msg: "top-level value is an array, want an object"},
		{name: "array after blank line", in: "\n  [1, 2]", sentinel: ErrNotSwagger2, line: 2, col: 3, msg: "top-level value is an array, want an object"},
		{name: "number", in: "42", sentinel: ErrNotSwagger2, line: 1, col: 1, msg: "top-level value is a number (42), want an object"},
		{name: "string", in: `"x"`, sentinel: ErrNotSwagger2, line: 1, col: 1, msg: `top-level value is a string ("x"), want an object`},
		{name: "YAML list", in: "- a\n- b\n", sentinel: ErrNotSwagger2, line: 1, col: 1, msg: "top-level value is an array, want an object"},
		{
			name: "OpenAPI 3 JSON", in: "{\n  \"openapi\": \"3.0.1\",\n  \"info\": {}\n}",
			sentinel: ErrNotSwagger2, line: 2, col: 3,
			msg: `openapi: "3.0.1" found at 2:3; connectordiff reads Swagger 2.0 (swagger: "2.0")`,
		},
		{
			name: "OpenAPI 3 YAML", in: "openapi: 3.0.3\ninfo: {}\n",
			sentinel: ErrNotSwagger2, line: 1, col: 1, msg: `openapi: "3.0.3" found at 1:1`,
		},
		{
			name: "Swagger 1.2", in: `{"swagger": "1.2", "apis": []}`,
			sentinel: ErrNotSwagger2, line: 1, col: 2, msg: `swagger: "1.2" found at 1:2; connectordiff reads Swagger 2.0`,
		},
		{
			name: "swagger is not a scalar", in: `{"swagger": {"v": "2.0"}}`,
			sentinel: ErrNotSwagger2, line: 1, col: 2, msg: `swagger: an object found at 1:2`,
		},
		{
			name: "no swagger field", in: `{"info": {"title": "x"}}`,
			sentinel: ErrNotSwagger2, line: 1, col: 1, msg: `no "swagger" field`,
		},
		{
			name: "missing comma", in: "{\n  \"swagger\": \"2.0\"\n  \"info\": {}\n}",
			sentinel: ErrSyntax, line: 3, col: 3, msg: `missing comma or closing brace before "info"`,
		},
		{
			name: "data after the document", in: "{\"swagger\": \"2.0\"}\n}",
			sentinel: ErrSyntax, line: 2, col: 1, msg: "data after the end of the document",
		},
		{
			name: "truncated", in: "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"x\"",
			sentinel: ErrSyntax, line: 3, col: 24, msg: "the document is truncated",
		},
		{
			name: "YAML syntax error", in: "swagger: 2.0\n  bad: x\n- y\n",
			sentinel: ErrSyntax, line: 2, col: 6, msg: "invalid YAML: mapping values are not allowed",
		},
		{
			name: "too large", in: `{"swagger": "2.0"}`, opts: LoadOptions{MaxBytes: 10},
			sentinel: ErrTooLarge, msg: "file is 18 bytes, over the limit of 10 bytes (raise the limit with --max-bytes, WithMaxBytes or LoadOptions.MaxBytes)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Load("api.json", []byte(tt.in), tt.opts)
			require.Error(t, err)
			assert.Nil(t, doc)
			assert.ErrorIs(t, err, tt.sentinel)
			var le *LoadError
			require.True(t, errors.As(err, &le), "want a *LoadError, got %T", err)
			assert.Equal(t, "api.json", le.File)
			assert.Equal(t, tt.line, le.Line, "line")
			assert.Equal(t, tt.col, le.Column, "column")
			assert.Contains(t, le.Msg, tt.msg)
		})
	}
}

func TestLoadFileErrors(t *testing.T) {
	t.Run("too large is refused before reading", func(t *testing.T) {
		_, err := LoadFile(filepath.Join("testdata", "load", "messy.json"), LoadOptions{MaxBytes: 100})
		assert.ErrorIs(t, err, ErrTooLarge)
		assert.Contains(t, err.Error(), "over the limit of 100 bytes")
	})
	t.Run("missing file", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "nope.json")
		_, err := LoadFile(p, LoadOptions{})
		assert.ErrorIs(t, err, fs.ErrNotExist)
		assert.Equal(t, p+": no such file or directory", err.Error())
	})
	t.Run("directory", func(t *testing.T) {
		_, err := LoadFile(t.TempDir(), LoadOptions{})
		assert.ErrorContains(t, err, "is a directory")
	})
	t.Run("OpenAPI 3 file", func(t *testing.T) {
		p := filepath.Join("testdata", "load", "openapi3.json")
		_, err := LoadFile(p, LoadOptions{})
		assert.ErrorIs(t, err, ErrNotSwagger2)
		assert.Equal(t, p+`:2:3: openapi: "3.0.1" found at 2:3; connectordiff reads Swagger 2.0 (swagger: "2.0")`, err.Error())
	})
}

func TestLoadErrorFormat(t *testing.T) {
	tests := []struct {
		err  LoadError
		want string
	}{
		{LoadError{File: "a.json", Line: 3, Column: 7, Msg: "bad"}, "a.json:3:7: bad"},
		{LoadError{File: "a.json", Line: 3, Msg: "bad"}, "a.json:3: bad"},
		{LoadError{File: "a.json", Msg: "bad"}, "a.json: bad"},
		{LoadError{Msg: "bad"}, "bad"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
		})
	}
	wrapped := fmt.Errorf("loading old side: %w", &LoadError{File: "a.json", Msg: "x", Err: ErrSyntax})
	assert.ErrorIs(t, wrapped, ErrSyntax)
	assert.NotErrorIs(t, wrapped, ErrNotSwagger2)
}

// TestLoadCorpusInvalid runs the loader over the real broken files of the
// connector corpus: each must load with at least one note, or fail with a
// located error.
func TestLoadCorpusInvalid(t *testing.T) {
	root := os.Getenv("CONNECTORDIFF_CORPUS")
	if root == "" {
		t.Skip("set CONNECTORDIFF_CORPUS to an unpacked ../shared/corpus (../shared/corpus/unpack.sh DIR)")
	}
	metas, _ := filepath.Glob(filepath.Join(root, "pairs", "_invalid", "*", "*", "meta.json"))
	if len(metas) == 0 {
		t.Skipf("no pairs/_invalid/*/*/meta.json under CONNECTORDIFF_CORPUS=%s; set CONNECTORDIFF_CORPUS to an unpacked ../shared/corpus (../shared/corpus/unpack.sh DIR)", root)
	}
	for _, meta := range metas {
		dir := filepath.Dir(meta)
		pair, _ := filepath.Rel(filepath.Join(root, "pairs", "_invalid"), dir)
		var m struct {
			Invalid map[string]string `json:"invalid"`
		}
		raw, err := os.ReadFile(meta)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, &m), meta)
		files := make([]string, 0, len(m.Invalid))
		for f := range m.Invalid {
			files = append(files, f)
		}
		sort.Strings(files)
		for _, f := range files {
			t.Run(pair+"/"+f, func(t *testing.T) {
				p := filepath.Join(dir, filepath.FromSlash(f))
				var notes []Note
				var err error
				if strings.HasSuffix(f, "apiProperties.json") {
					// Not Swagger: only the repair and strict JSON check apply.
					var data []byte
					data, err = os.ReadFile(p)
					require.NoError(t, err)
					_, notes, err = RepairJSON(p, data)
				} else {
					var doc *Document
					doc, err = LoadFile(p, LoadOptions{})
					if doc != nil {
						notes = doc.Notes
					}
				}
				if err != nil {
					var le *LoadError
					require.True(t, errors.As(err, &le), "want a *LoadError, got %T: %v", err, err)
					t.Logf("%s (%s): failed: %v", f, m.Invalid[f], err)
					assert.Positive(t, le.Line, "line")
					assert.Positive(t, le.Column, "column")
					return
				}
				t.Logf("%s (%s): loaded with %d notes", f, m.Invalid[f], len(notes))
				for _, n := range notes {
					t.Logf("  %d:%d: %s", n.Line, n.Column, n.Message)
				}
				assert.NotEmpty(t, notes, "a file listed as invalid loaded without any repair")
			})
		}
	}
}

// JSON allows tabs around the top-level object; the node parser does not, so
// the loader must hide them without moving any position.
func TestLoadTabsAroundTopLevelObject(t *testing.T) {
	src := "\t{\n\t\"swagger\": \"2.0\",\n\t\"info\": {\"title\": \"T\", \"version\": \"1\"},\n\t\"paths\": {}\n}\t\n"
	doc, err := Load("tabs.json", []byte(src), LoadOptions{})
	require.NoError(t, err)
	assert.Empty(t, doc.Notes)
	key, _ := doc.Root.Member(0)
	assert.Equal(t, "swagger", key.Value())
	start, _ := doc.Span(key)
	line, col := doc.Position(start)
	assert.Equal(t, 2, line)
	assert.Equal(t, 2, col)
}

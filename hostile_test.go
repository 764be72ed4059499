package connectordiff_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/report"
)

// Broken and hostile input. connectordiff runs on pull requests anyone can
// open: each case states the exact error, note or finding it must give, and
// every comparison runs under guardedCompare, so a panic or a hang fails the
// test instead of killing or stalling it.

// loadErr loads data and returns the error text (the test fails when the
// input loads).
func loadErr(t *testing.T, data []byte, opts connector.LoadOptions) error {
	t.Helper()
	doc, err := connector.Load("f", data, opts)
	require.Error(t, err, "the input loaded")
	require.Nil(t, doc)
	var le *connector.LoadError
	require.True(t, errors.As(err, &le), "error is a %T, want *connector.LoadError", err)
	return err
}

func TestHostileNotADocument(t *testing.T) {
	tests := []struct {
		name, in, want string
		sentinel       error
	}{
		{"empty file", "", "f: file is empty", connector.ErrEmpty},
		{"white space only", " \r\n\t \n", "f: file contains only white space", connector.ErrEmpty},
		{"Unicode white space only", "\xEF\xBB\xBF\u00A0\u2003\n", "f: file contains only white space", connector.ErrEmpty},
		{"YAML comments only", "# nothing\n", "f: file has no YAML content, only comments or blank lines", connector.ErrEmpty},
		{"null", "null", "f:1:1: top-level value is null, want an object", connector.ErrNotSwagger2},
		{"JSON array", `[{"swagger": "2.0"}]`, "f:1:1: top-level value is an array, want an object", connector.ErrNotSwagger2},
		{"number", "42", "f:1:1: top-level value is a number (42), want an object", connector.ErrNotSwagger2},
		{"negative number", "-1.5e3", "f:1:1: top-level value is a number (-1.5e3), want an object", connector.ErrNotSwagger2},
		{"string", `"swagger"`, `f:1:1: top-level value is a string ("swagger"), want an object`, connector.ErrNotSwagger2},
		{"NaN", `{"swagger": "2.0", "x": NaN}`, "f:1:25: invalid JSON: expected a value, found 'NaN'", connector.ErrSyntax},
		{"Infinity", `{"swagger": "2.0", "x": -Infinity}`, "f:1:26: invalid JSON: invalid character 'I' in numeric literal", connector.ErrSyntax},
		{"OpenAPI 3", `{"openapi": "3.0.1"}`, `f:1:2: openapi: "3.0.1" found at 1:2; connectordiff reads Swagger 2.0 (swagger: "2.0")`, connector.ErrNotSwagger2},
		// The wrong file given (issue 8): said first, not a parser's complaint.
		{"Markdown", "# Contoso\n\nUsage: run `x: y` then:\n  - a: b\n", "f:3:14: not a Swagger 2.0 definition: the file is neither JSON nor YAML (mapping values are not allowed in this context)", connector.ErrNotSwagger2},
		{"plain text", "hello world\n", "f:1:1: not a Swagger 2.0 definition: the file is plain text, not a JSON or YAML object", connector.ErrNotSwagger2},
		{"a YAML definition with a typo", "swagger: \"2.0\"\ninfo: [\n", "f:3:1: invalid YAML: did not find expected node content", connector.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := loadErr(t, []byte(tt.in), connector.LoadOptions{})
			assert.Equal(t, tt.want, err.Error())
			assert.ErrorIs(t, err, tt.sentinel)
		})
	}
}

// TestHostileNaNInYAML: YAML has a NaN literal, which is a value like any
// other; it loads and compares equal to itself (no spurious enum change).
func TestHostileNaNInYAML(t *testing.T) {
	doc := []byte(`swagger: "2.0"
paths:
  /a:
    get:
      operationId: A
      parameters:
        - {name: x, in: query, type: number, enum: [.nan, 1], default: .nan}
      responses: {200: {description: ok}}
`)
	g := guardedCompare(t, "NaN", func(ctx context.Context) (*breaking.Result, error) {
		return connectordiff.Compare(ctx, doc, doc)
	})
	require.True(t, g.ok)
	require.NoError(t, g.err)
	assert.Empty(t, g.res.Findings())
}

// bigDocument is a valid definition of exactly size bytes, most of it one
// long description.
func bigDocument(size int) []byte {
	head, tail := `{"swagger": "2.0", "info": {"title": "big", "version": "1", "description": "`, `"}, "paths": {}}`
	b := make([]byte, 0, size)
	b = append(b, head...)
	for len(b) < size-len(tail) {
		b = append(b, 'x')
	}
	return append(b, tail...)
}

func TestHostileSizeLimit(t *testing.T) {
	const size = 100 << 20 // 100 MiB
	t.Run("file over the default limit is refused before it is read", func(t *testing.T) {
		// A sparse file: refusing it must not depend on reading it.
		p := filepath.Join(t.TempDir(), "big.json")
		f, err := os.Create(p)
		require.NoError(t, err)
		require.NoError(t, f.Truncate(size))
		require.NoError(t, f.Close())
		_, err = connector.LoadFile(p, connector.LoadOptions{})
		require.Error(t, err)
		assert.Equal(t, p+": file is 104857600 bytes, over the limit of 67108864 bytes (raise the limit with --max-bytes, WithMaxBytes or LoadOptions.MaxBytes)", err.Error())
		assert.ErrorIs(t, err, connector.ErrTooLarge)
		_, err = connectordiff.CompareFiles(context.Background(), p, p)
		assert.ErrorIs(t, err, connector.ErrTooLarge)
	})
	big := bigDocument(size)
	t.Run("bytes over the default limit", func(t *testing.T) {
		err := loadErr(t, big, connector.LoadOptions{})
		assert.Equal(t, "f: file is 104857600 bytes, over the limit of 67108864 bytes (raise the limit with --max-bytes, WithMaxBytes or LoadOptions.MaxBytes)", err.Error())
		assert.ErrorIs(t, err, connector.ErrTooLarge)
		_, err = connectordiff.Compare(context.Background(), big, big)
		assert.ErrorIs(t, err, connector.ErrTooLarge)
	})
	t.Run("a raised limit accepts it", func(t *testing.T) {
		if testing.Short() || raceEnabled {
			t.Skip("loads 100 MiB: not in -short or -race runs")
		}
		res, err := connectordiff.Compare(context.Background(), big, big, connectordiff.WithMaxBytes(size))
		require.NoError(t, err)
		assert.Empty(t, res.Findings())
		assert.Equal(t, "big", res.Connectors[0].Old.Title)
	})
	t.Run("a lowered limit", func(t *testing.T) {
		err := loadErr(t, bigDocument(2000), connector.LoadOptions{MaxBytes: 1999})
		assert.Equal(t, "f: file is 2000 bytes, over the limit of 1999 bytes (raise the limit with --max-bytes, WithMaxBytes or LoadOptions.MaxBytes)", err.Error())
	})
	t.Run("WithMaxBytes refuses a limit that is not positive", func(t *testing.T) {
		_, err := connectordiff.Compare(context.Background(), nil, nil, connectordiff.WithMaxBytes(0))
		assert.EqualError(t, err, "max bytes must be positive, got 0")
	})
}

func TestHostileDeepNesting(t *testing.T) {
	const depth = 100_000
	tests := []struct{ name, in, want string }{
		{"JSON arrays", strings.Repeat("[", depth) + strings.Repeat("]", depth),
			"f:1:10001: invalid JSON: '[' nests objects and arrays deeper than 10000 levels"},
		{"JSON objects inside a definition", `{"swagger": "2.0", "x": ` + strings.Repeat(`{"a": `, depth) + "1" + strings.Repeat("}", depth) + "}",
			`f:1:60019: invalid JSON: '{' nests objects and arrays deeper than 10000 levels`},
		{"unclosed JSON", `{"swagger": "2.0", "x": ` + strings.Repeat("[", depth),
			`f:1:10024: invalid JSON: '[' nests objects and arrays deeper than 10000 levels`},
		{"YAML flow", "swagger: '2.0'\nx: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n",
			"f:2:10004: invalid YAML: exceeded max depth of 10000"},
		{"YAML block", "swagger: '2.0'\nx:\n" + strings.Repeat("- ", depth) + "x\n",
			"f:3:20001: invalid YAML: exceeded max depth of 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := loadErr(t, []byte(tt.in), connector.LoadOptions{})
			assert.Equal(t, tt.want, err.Error())
			assert.ErrorIs(t, err, connector.ErrSyntax)
		})
	}
}

// TestHostileDeepSchema: nesting under the parsers' limit is accepted, and
// comparing a schema nested thousands of levels deep neither overflows the
// stack nor hangs.
func TestHostileDeepSchema(t *testing.T) {
	nested := func(depth int, leaf string) []byte {
		var b strings.Builder
		b.WriteString(`{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok", "schema": `)
		for range depth {
			b.WriteString(`{"type": "object", "properties": {"a": `)
		}
		b.WriteString(`{"type": "` + leaf + `"}`)
		for range depth {
			b.WriteString("}}")
		}
		b.WriteString(`}}}}}}`)
		return []byte(b.String())
	}
	// Each schema level is two levels of JSON nesting: 4,000 fit in 10,000.
	old, new := nested(4000, "string"), nested(4000, "integer")
	g := guardedCompare(t, "deep schema", func(ctx context.Context) (*breaking.Result, error) {
		return connectordiff.Compare(ctx, old, new)
	})
	require.True(t, g.ok)
	require.NoError(t, g.err)
	g = guardedCompare(t, "deep schema with itself", func(ctx context.Context) (*breaking.Result, error) {
		return connectordiff.Compare(ctx, old, old)
	})
	require.True(t, g.ok)
	require.NoError(t, g.err)
	assert.Empty(t, g.res.Findings())
}

// findingLines renders findings as "rule: message" for exact comparison.
func findingLines(res *breaking.Result) []string {
	out := []string{}
	for _, f := range res.Findings() {
		out = append(out, f.Rule+": "+report.Message(f))
	}
	return out
}

func noteLines(notes []connector.Note) []string {
	out := []string{}
	for _, n := range notes {
		out = append(out, n.String())
	}
	return out
}

// hostileCase is a pair of definitions with the notes the old one must load
// with and the findings of the update; each document must also compare
// clean with itself.
type hostileCase struct {
	name     string
	old, new string
	notes    []string // of old
	findings []string
}

func (c hostileCase) run(t *testing.T) {
	t.Helper()
	t.Run(c.name, func(t *testing.T) {
		old, new := []byte(c.old), []byte(c.new)
		for _, side := range []struct {
			name string
			data []byte
		}{{"old", old}, {"new", new}} {
			g := guardedCompare(t, side.name+" with itself", func(ctx context.Context) (*breaking.Result, error) {
				return connectordiff.Compare(ctx, side.data, side.data)
			})
			require.True(t, g.ok)
			require.NoError(t, g.err)
			assert.Empty(t, findingLines(g.res), "%s compared with itself", side.name)
		}
		g := guardedCompare(t, "update", func(ctx context.Context) (*breaking.Result, error) {
			return connectordiff.Compare(ctx, old, new)
		})
		require.True(t, g.ok)
		require.NoError(t, g.err)
		want := c.notes
		if want == nil {
			want = []string{}
		}
		assert.Equal(t, want, noteLines(g.res.Connectors[0].Old.Notes), "notes of old")
		want = c.findings
		if want == nil {
			want = []string{}
		}
		assert.Equal(t, want, findingLines(g.res), "findings")
	})
}

// op wraps a response schema in a one-operation definition, with defs as its
// definitions (YAML flow style, so that line:column are predictable).
func op(schema, defs string) string {
	return `{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok", "schema": ` +
		schema + `}}}}}, "definitions": ` + defs + "}"
}

func TestHostileRefCycles(t *testing.T) {
	ref := func(name string) string { return `{"$ref": "#/definitions/` + name + `"}` }
	for _, c := range []hostileCase{
		{
			name:  "self",
			old:   op(ref("A"), `{"A": `+ref("A")+`}`),
			new:   op(ref("A"), `{"A": {"type": "object", "properties": {"id": {"type": "string"}}}}`),
			notes: []string{`1:127: $ref "#/definitions/A" is a cycle of references that never reaches a definition; what it names is compared as absent`},
		},
		{
			name: "mutual",
			old:  op(ref("A"), `{"A": `+ref("B")+`, "B": `+ref("A")+`}`),
			new:  op(ref("A"), `{"A": `+ref("B")+`, "B": {"type": "object"}}`),
			notes: []string{
				`1:127: $ref "#/definitions/A" is a cycle of references that never reaches a definition; what it names is compared as absent`,
				`1:182: $ref "#/definitions/B" is a cycle of references that never reaches a definition; what it names is compared as absent`,
			},
		},
		{
			name: "through items",
			old: op(ref("Node"), `{"Node": {"type": "object", "properties": {"name": {"type": "string"}, `+
				`"children": {"type": "array", "items": `+ref("Node")+`}}}}`),
			new: op(ref("Node"), `{"Node": {"type": "object", "properties": {`+
				`"children": {"type": "array", "items": `+ref("Node")+`}}}}`),
			findings: []string{"response-property-removed: property response 200/name removed"},
		},
		{
			name:     "through allOf, self",
			old:      op(ref("A"), `{"A": {"allOf": [`+ref("A")+`], "properties": {"name": {"type": "string"}, "id": {"type": "string"}}}}`),
			new:      op(ref("A"), `{"A": {"allOf": [`+ref("A")+`], "properties": {"id": {"type": "string"}}}}`),
			findings: []string{"response-property-removed: property response 200/name removed"},
		},
		{
			name: "through allOf, mutual",
			old: op(ref("A"), `{"A": {"allOf": [`+ref("B")+`], "properties": {"a": {"type": "string"}}}, `+
				`"B": {"allOf": [`+ref("A")+`], "properties": {"b": {"type": "string"}}}}`),
			new: op(ref("A"), `{"A": {"allOf": [`+ref("B")+`], "properties": {"a": {"type": "string"}}}, `+
				`"B": {"allOf": [`+ref("A")+`], "properties": {"c": {"type": "string"}}}}`),
			findings: []string{"response-property-removed: property response 200/b removed", "response-property-added: property response 200/c added"},
		},
		{
			name: "through additionalProperties",
			old: op(ref("Map"), `{"Map": {"type": "object", "properties": {"name": {"type": "string"}}, `+
				`"additionalProperties": `+ref("Map")+`}}`),
			new: op(ref("Map"), `{"Map": {"type": "object", "properties": {"name": {"type": "integer"}}, `+
				`"additionalProperties": `+ref("Map")+`}}`),
			findings: []string{"response-property-type-changed: type of response 200/name: string -> integer"},
		},
		{
			name: "a chain through items, allOf and additionalProperties",
			old: op(ref("A"), `{"A": {"type": "array", "items": `+ref("B")+`}, "B": {"allOf": [`+ref("C")+`]}, `+
				`"C": {"type": "object", "properties": {"x": {"type": "string"}}, "additionalProperties": `+ref("A")+`}}`),
			new: op(ref("A"), `{"A": {"type": "array", "items": `+ref("B")+`}, "B": {"allOf": [`+ref("C")+`]}, `+
				`"C": {"type": "object", "properties": {"y": {"type": "string"}}, "additionalProperties": `+ref("A")+`}}`),
			findings: []string{"response-property-removed: property response 200/items/x removed", "response-property-added: property response 200/items/y added"},
		},
		{
			name: "parameters",
			old: `{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "A", "parameters": [{"$ref": "#/parameters/p"}], "responses": {}}}}, ` +
				`"parameters": {"p": {"$ref": "#/parameters/q"}, "q": {"$ref": "#/parameters/p"}}}`,
			new: `{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "A", "parameters": [{"$ref": "#/parameters/p"}], "responses": {}}}}, ` +
				`"parameters": {"p": {"name": "p", "in": "query", "type": "string"}}}`,
			notes: []string{
				`1:89: $ref "#/parameters/p" is a cycle of references that never reaches a definition; what it names is compared as absent`,
				`1:158: $ref "#/parameters/q" is a cycle of references that never reaches a definition; what it names is compared as absent`,
			},
			findings: []string{"parameter-added: optional parameter p (query) added"},
		},
		{
			name: "path item",
			old:  `{"swagger": "2.0", "paths": {"/a": {"$ref": "#/paths/~1a"}}}`,
			new:  `{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "A", "responses": {}}}}}`,
			notes: []string{
				`1:45: $ref "#/paths/~1a" is a cycle of references that never reaches a definition; what it names is compared as absent`,
			},
			findings: []string{"operation-added: operation A (GET /a) added"},
		},
	} {
		c.run(t)
	}
}

func TestHostileRefTargets(t *testing.T) {
	for _, c := range []hostileCase{
		{
			name:  "missing definition",
			old:   op(`{"$ref": "#/definitions/Nope"}`, `{}`),
			new:   op(`{"$ref": "#/definitions/Nope"}`, `{"Nope": {"type": "object"}}`),
			notes: []string{`1:127: $ref "#/definitions/Nope" does not resolve; what it names is compared as absent`},
		},
		{
			name: "other file, URL, file URL",
			old: op(`{"type": "object", "properties": {"a": {"$ref": "other.json#/x"}, "b": {"$ref": "http://127.0.0.1:9/x.json"}, "c": {"$ref": "file:///etc/passwd"}}}`,
				`{}`),
			new: op(`{"type": "object", "properties": {"a": {"$ref": "other.json#/x"}, "b": {"$ref": "http://127.0.0.1:9/x.json"}, "c": {"$ref": "file:///etc/passwd"}}}`,
				`{}`),
			notes: []string{
				`1:166: $ref "other.json#/x" points outside this document; it is not followed, and what it names is compared as absent`,
				`1:198: $ref "http://127.0.0.1:9/x.json" points outside this document; it is not followed, and what it names is compared as absent`,
				`1:242: $ref "file:///etc/passwd" points outside this document; it is not followed, and what it names is compared as absent`,
			},
		},
	} {
		c.run(t)
	}
}

// TestHostileRefsNeverFollowed proves that a $ref to a URL or a file is not
// fetched or opened: the server counts requests, and the file is a FIFO,
// which would block any reader forever.
func TestHostileRefsNeverFollowed(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `{"type": "object", "properties": {"leak": {"type": "string"}}}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	target := filepath.Join(dir, "schema.json")
	if err := mkfifo(target); err != nil {
		t.Logf("no FIFO (%v): using a regular file", err)
		require.NoError(t, os.WriteFile(target, []byte(`{"type": "string"}`), 0o644))
	}
	refs := []string{srv.URL + "/schema.json", srv.URL + "/schema.json#/properties/leak", "file://" + filepath.ToSlash(target),
		"schema.json", "./schema.json#/x", filepath.ToSlash(target)}
	var props []string
	for i, r := range refs {
		props = append(props, fmt.Sprintf(`"p%d": {"$ref": %q}`, i, r))
	}
	doc := []byte(op(`{"type": "object", "properties": {`+strings.Join(props, ", ")+`}}`, `{}`))
	path := filepath.Join(dir, "apiDefinition.swagger.json")
	require.NoError(t, os.WriteFile(path, doc, 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan struct{})
	var res *breaking.Result
	var err error
	go func() {
		defer close(done)
		res, err = connectordiff.CompareFiles(ctx, path, path)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the comparison blocked: something opened the FIFO a $ref names")
	}
	require.NoError(t, err)
	assert.Empty(t, res.Findings())
	assert.Len(t, res.Connectors[0].Old.Notes, len(refs))
	for i, n := range res.Connectors[0].Old.Notes {
		assert.Equal(t, fmt.Sprintf("$ref %q points outside this document; it is not followed, and what it names is compared as absent", refs[i]), n.Message)
	}
	assert.Zero(t, hits.Load(), "requests to the server a $ref names")
}

func TestHostileYAMLAliases(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("swagger: '2.0'\nl0: &l0 lol\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&bomb, "l%d: &l%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d,", i-1), 9), ","))
	}
	t.Run("billion laughs", func(t *testing.T) {
		start := time.Now()
		err := loadErr(t, []byte(bomb.String()), connector.LoadOptions{})
		assert.Equal(t, `f:10:10: invalid YAML: aliases expand the document to more than 1000000 nodes (alias *l7 is where the limit is passed; a "billion laughs" bomb?)`, err.Error())
		assert.ErrorIs(t, err, connector.ErrAliasBomb)
		assert.ErrorIs(t, err, connector.ErrSyntax)
		assert.Less(t, time.Since(start), 5*time.Second)
	})
	t.Run("alias inside its anchor", func(t *testing.T) {
		err := loadErr(t, []byte("swagger: '2.0'\ndefinitions: &d\n  A: {items: *d}\n"), connector.LoadOptions{})
		assert.Equal(t, "f:3:14: invalid YAML: alias *d is inside the anchor &d it names (a cycle)", err.Error())
		assert.ErrorIs(t, err, connector.ErrAliasBomb)
	})
	// Legitimate aliases are expanded: the YAML compares as the JSON it
	// stands for.
	t.Run("shared schema", func(t *testing.T) {
		yml := []byte(`swagger: "2.0"
paths:
  /a:
    get:
      operationId: A
      responses:
        200: {description: ok, schema: &item {type: object, properties: {id: {type: string}, name: {type: string}}}}
  /b:
    get:
      operationId: B
      responses:
        200: {description: ok, schema: *item}
`)
		item := `{"type": "object", "properties": {"id": {"type": "string"}%s}}`
		js := func(nameB bool) []byte {
			b := ""
			if nameB {
				b = `, "name": {"type": "string"}`
			}
			return []byte(`{"swagger": "2.0", "paths": {` +
				`"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok", "schema": ` + fmt.Sprintf(item, `, "name": {"type": "string"}`) + `}}}}, ` +
				`"/b": {"get": {"operationId": "B", "responses": {"200": {"description": "ok", "schema": ` + fmt.Sprintf(item, b) + `}}}}}}`)
		}
		res, err := connectordiff.Compare(context.Background(), yml, js(true))
		require.NoError(t, err)
		assert.Empty(t, findingLines(res))
		res, err = connectordiff.Compare(context.Background(), yml, js(false))
		require.NoError(t, err)
		assert.Equal(t, []string{"response-property-removed: property response 200/name removed"}, findingLines(res))
		assert.Equal(t, []string{"B"}, res.Findings()[0].Operations)
	})
}

func TestHostileDuplicateKeys(t *testing.T) {
	for _, c := range []struct{ name, in, title string }{
		{"JSON", `{"swagger": "2.0", "info": {"title": "first", "title": "last"}}`, "last"},
		{"YAML", "swagger: '2.0'\ninfo:\n  title: first\n  title: last\n", "last"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := connector.Load("f", []byte(c.in), connector.LoadOptions{})
			require.NoError(t, err)
			assert.Equal(t, c.title, doc.Title())
			want := map[string]string{
				"JSON": `1:29: duplicate key "title" ignored: the same key at 1:47 overrides it (JSON readers keep the last value)`,
				"YAML": `3:3: duplicate key "title" ignored: the same key at 4:3 overrides it (JSON readers keep the last value)`,
			}[c.name]
			assert.Equal(t, []string{want}, noteLines(doc.Notes))
		})
	}
	t.Run("a duplicate path hides the first operation", func(t *testing.T) {
		old := []byte(`{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "A", "responses": {}}}, "/a": {"get": {"operationId": "B", "responses": {}}}}}`)
		new := []byte(`{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "B", "responses": {}}}}}`)
		res, err := connectordiff.Compare(context.Background(), old, new)
		require.NoError(t, err)
		assert.Equal(t, []string{`1:30: duplicate key "/a" ignored: the same key at 1:84 overrides it (JSON readers keep the last value)`}, noteLines(res.Connectors[0].Old.Notes))
		assert.Empty(t, findingLines(res))
	})
	t.Run("many", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"swagger": "2.0", "x": {`)
		for i := range 200 {
			fmt.Fprintf(&b, `"k": %d, `, i)
		}
		b.WriteString(`"k": 200}}`)
		doc, err := connector.Load("f", []byte(b.String()), connector.LoadOptions{})
		require.NoError(t, err)
		require.Len(t, doc.Notes, 51)
		assert.Equal(t, `1:26: duplicate key "k" ignored: the same key at 1:1916 overrides it (JSON readers keep the last value)`, doc.Notes[0].String())
		assert.Equal(t, `1:466: and 150 more duplicate keys ignored`, doc.Notes[50].String())
	})
}

func TestHostileInvalidUTF8(t *testing.T) {
	t.Run("JSON is read as Windows-1252", func(t *testing.T) {
		doc, err := connector.Load("f", []byte("{\"swagger\": \"2.0\", \"info\": {\"title\": \"caf\xe9 \xff\xfe\"}}"), connector.LoadOptions{})
		require.NoError(t, err)
		assert.Equal(t, "café ÿþ", doc.Title())
		assert.Equal(t, []string{
			"1:42: Windows-1252 byte 0xE9 read as U+00E9",
			"1:44: Windows-1252 byte 0xFF read as U+00FF",
			"1:45: Windows-1252 byte 0xFE read as U+00FE",
		}, noteLines(doc.Notes))
	})
	t.Run("YAML is refused", func(t *testing.T) {
		err := loadErr(t, []byte("swagger: '2.0'\ninfo:\n  title: \"caf\xe9\"\n"), connector.LoadOptions{})
		assert.Equal(t, "f:3:14: invalid YAML: byte 0xE9 is not UTF-8 (only JSON files may be in Windows-1252)", err.Error())
		assert.ErrorIs(t, err, connector.ErrSyntax)
	})
}

// manyOperations is a definition with n operations, one path each, leaving
// out the operation numbered skip (-1 for none).
func manyOperations(n, skip int) []byte {
	var b strings.Builder
	b.WriteString(`{"swagger": "2.0", "paths": {`)
	first := true
	for i := range n {
		if i == skip {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		fmt.Fprintf(&b, `"/op%d/{id}": {"get": {"operationId": "Op%d", "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}], `+
			`"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}}}}`, i, i)
	}
	b.WriteString(`}, "definitions": {"Item": {"type": "object", "properties": {"id": {"type": "string"}}}}}`)
	return []byte(b.String())
}

// wide is how many operations, parameters or properties the tests of wide
// documents use: enough to expose a quadratic step (20,000 parameters took
// 9 s when matching was quadratic), fewer under the race detector, which is
// there for data races.
var wide = map[bool]int{false: 20_000, true: 4_000}[raceEnabled]

func TestHostileManyOperations(t *testing.T) {
	n := wide
	old, new := manyOperations(n, -1), manyOperations(n, 1234)
	start := time.Now()
	g := guardedCompare(t, fmt.Sprintf("%d operations", n), func(ctx context.Context) (*breaking.Result, error) {
		return connectordiff.Compare(ctx, old, new)
	})
	require.True(t, g.ok)
	require.NoError(t, g.err)
	t.Logf("%d operations (%d bytes) compared in %v", n, len(old), time.Since(start).Round(time.Millisecond))
	assert.Equal(t, n, g.res.Connectors[0].Old.Operations)
	assert.Equal(t, []string{"operation-removed: operation Op1234 (GET /op1234/{id}) removed"}, findingLines(g.res))
}

func TestHostileDuplicateOperationID(t *testing.T) {
	old := []byte(`{"swagger": "2.0", "paths": {` +
		`"/a": {"get": {"operationId": "Get", "responses": {}}}, ` +
		`"/b": {"get": {"operationId": "Get", "responses": {}}}}}`)
	new := []byte(`{"swagger": "2.0", "paths": {` +
		`"/a": {"get": {"operationId": "Get", "responses": {}}}}}`)
	res, err := connectordiff.Compare(context.Background(), old, new)
	require.NoError(t, err)
	assert.Equal(t, []string{`1:116: operationId "Get" is used again (first at GET /a); the later one is compared as "Get#2"`}, noteLines(res.Connectors[0].Old.Notes))
	assert.Equal(t, []string{"operation-removed: operation Get#2 (GET /b) removed"}, findingLines(res))
}

// wideDefinition is a definition with n elements of one kind, named with
// prefix: properties of a response, parameters of an operation, security
// definitions, keys of a default value, response headers.
func wideDefinition(what string, n int, prefix string) []byte {
	var b strings.Builder
	list := func(format string) string {
		var l strings.Builder
		for i := range n {
			if i > 0 {
				l.WriteString(", ")
			}
			fmt.Fprintf(&l, format, prefix, i)
		}
		return l.String()
	}
	b.WriteString(`{"swagger": "2.0", `)
	switch what {
	case "properties":
		b.WriteString(`"paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {` +
			list(`"%s%d": {"type": "string"}`) + `}}}}}}}}`)
	case "parameters":
		b.WriteString(`"paths": {"/a": {"get": {"operationId": "A", "responses": {}, "parameters": [` +
			list(`{"name": "%s%d", "in": "query", "type": "string"}`) + `]}}}}`)
	case "security definitions":
		b.WriteString(`"paths": {}, "securityDefinitions": {` + list(`"%s%d": {"type": "basic"}`) + `}}`)
	case "default keys":
		b.WriteString(`"paths": {"/a": {"get": {"operationId": "A", "responses": {}, "parameters": [{"name": "b", "in": "body", "schema": {"type": "object", "default": {` +
			list(`"%s%d": 1`) + `}}}]}}}}`)
	case "response headers":
		b.WriteString(`"paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok", "headers": {` +
			list(`"%s%d": {"type": "string"}`) + `}}}}}}}`)
	}
	return []byte(b.String())
}

// TestHostileWideObjects: an object with tens of thousands of members must
// compare in time linear in its size. Each of these shapes was quadratic
// (20,000 parameters took 9 s, 64 MiB of them would take hours).
func TestHostileWideObjects(t *testing.T) {
	n := wide
	for _, what := range []string{"properties", "parameters", "security definitions", "default keys", "response headers"} {
		t.Run(what, func(t *testing.T) {
			old, new := wideDefinition(what, n, "a"), wideDefinition(what, n, "b")
			for _, c := range []struct {
				name     string
				old, new []byte
			}{{"with itself", old, old}, {"all replaced", old, new}} {
				start := time.Now()
				g := guardedCompare(t, what+" "+c.name, func(ctx context.Context) (*breaking.Result, error) {
					return connectordiff.Compare(ctx, c.old, c.new)
				})
				require.True(t, g.ok)
				require.NoError(t, g.err)
				t.Logf("%d %s (%d bytes), %s: %v, %d findings", n, what, len(c.old), c.name, time.Since(start).Round(time.Millisecond), len(g.res.Findings()))
				if c.name == "with itself" {
					assert.Empty(t, g.res.Findings())
				}
			}
		})
	}
}

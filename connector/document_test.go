package connector

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const indexDoc = `{"swagger": "2.0", "info": {"title": "T", "version": "1"},
  "paths": {
    "/items/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"},
                     {"$ref": "#/parameters/top"}],
      "get": {"operationId": "GetItem", "x-ms-visibility": "internal", "deprecated": true,
              "parameters": [{"name": "top", "in": "query", "type": "integer"}]},
      "delete": {"operationId": 42},
      "put": {"operationId": "GetItem", "x-ms-trigger": "single"}
    },
    "/alias": {"$ref": "#/x-ms-items"}
  },
  "parameters": {"top": {"name": "top", "in": "query", "type": "string"}},
  "x-ms-items": {"post": {"parameters": [{"name": "body", "in": "body", "schema": {}}]}}
}`

// The operation index is the one the comparison matches operations by and
// fix edits them by: identifiers, routes, merged parameters, references.
func TestOperationIndex(t *testing.T) {
	d, err := Load("index.json", []byte(indexDoc), LoadOptions{})
	require.NoError(t, err)
	ops := d.Operations()
	var ids []string
	for _, o := range ops {
		ids = append(ids, o.ID)
	}
	assert.Equal(t, []string{"GetItem", "GetItem#2", "42", "POST /alias"}, ids, "document order, methods in Swagger's order")
	assert.Equal(t, ids, d.OperationIDs())

	get := d.Operation("GetItem")
	require.NotNil(t, get)
	assert.True(t, get.HasID)
	assert.Equal(t, "get", get.Method)
	assert.Equal(t, "/items/{id}", get.Path)
	assert.Equal(t, "/paths/~1items~1{id}/get", get.Pointer)
	assert.Equal(t, "/paths/~1items~1{id}", get.PathPointer)
	assert.True(t, get.Internal)
	assert.True(t, get.Deprecated)
	require.Len(t, get.Params, 2, "the operation's top overrides the path item's")
	id, top := get.Params[0], get.Params[1]
	assert.Equal(t, "/paths/~1items~1{id}/parameters/0", id.SlotPointer)
	assert.True(t, id.Shared)
	assert.Equal(t, 0, id.Index)
	assert.Equal(t, "/paths/~1items~1{id}/get/parameters/0", top.Pointer)
	assert.Equal(t, "integer", top.Node.Get("type").Value())
	assert.False(t, top.Shared)
	assert.Same(t, top, get.Param("top", "query"))
	assert.Nil(t, get.Param("top", "header"))

	again := d.Operation("GetItem#2")
	require.NotNil(t, again, "a reused operationId is suffixed")
	assert.False(t, again.HasID, "its operationId names another operation")
	assert.Equal(t, "single", again.Trigger)
	require.Len(t, again.Params, 2)
	assert.Equal(t, "/parameters/top", again.Params[1].Pointer, "a $ref parameter is resolved")
	assert.Equal(t, "/paths/~1items~1{id}/parameters/1", again.Params[1].SlotPointer)
	assert.Equal(t, "$ref", func() string { k, _ := again.Params[1].Slot.Member(0); return k.Value() }())

	num := d.Operation("42")
	require.NotNil(t, num, "a number is an operationId as the comparison reads it")
	assert.True(t, num.HasID)

	alias := d.Operation("POST /alias")
	require.NotNil(t, alias, "a path item may be a $ref")
	assert.False(t, alias.HasID)
	assert.Equal(t, "/x-ms-items", alias.PathPointer)
	assert.Equal(t, "/x-ms-items/post", alias.Pointer)

	item := d.Root.Get("paths").Get("/items/{id}")
	shared := d.PathParams(item, "/paths/~1items~1{id}")
	require.Len(t, shared, 2)
	assert.Equal(t, "string", shared[1].Node.Get("type").Value(), "the path item's own top, not the operation's")
	assert.True(t, shared[0].Shared && shared[1].Shared)
	assert.Nil(t, d.Operation("nothing"))
}

// Resolve follows a chain of references of any length to its end, and
// gives nil for a cycle or a reference outside the document.
func TestResolve(t *testing.T) {
	var defs []string
	for i := range 40 { // longer than any fixed limit on hops would allow
		defs = append(defs, fmt.Sprintf(`"D%d": {"$ref": "#/definitions/D%d"}`, i, i+1))
	}
	src := `{"swagger": "2.0", "definitions": {` + strings.Join(defs, ", ") + `, "D40": {"type": "string"},
  "Loop": {"$ref": "#/definitions/Loop"}, "Away": {"$ref": "other.json#/definitions/X"}}}`
	d, err := Load("refs.json", []byte(src), LoadOptions{})
	require.NoError(t, err)
	defsNode := d.Root.Get("definitions")
	n, p := d.Resolve(defsNode.Get("D0"), "/definitions/D0")
	require.NotNil(t, n)
	assert.Equal(t, "string", n.Get("type").Value())
	assert.Equal(t, "/definitions/D40", p)
	n, _ = d.Resolve(defsNode.Get("Loop"), "/definitions/Loop")
	assert.Nil(t, n)
	n, _ = d.Resolve(defsNode.Get("Away"), "/definitions/Away")
	assert.Nil(t, n)
	plain := defsNode.Get("D40")
	n, p = d.Resolve(plain, "/definitions/D40")
	assert.Same(t, plain, n, "a node that is no reference is itself")
	assert.Equal(t, "/definitions/D40", p)

	np, pp := d.ResolvePointer(defsNode.Get("D0"), NewPointer("/definitions/D0"))
	assert.Same(t, n, np)
	assert.Equal(t, "/definitions/D40", pp.String())
	assert.Equal(t, "/definitions/D40/properties/a~1b", pp.Add("/properties").Token("a/b").String())
}

// Equal and Equivalent are the one node equality: fix asks for the same
// value, the comparison for the same meaning.
func TestNodeEquality(t *testing.T) {
	wide := func(extra string) string {
		var b strings.Builder
		for i := range 100 { // past the size where a key index replaces scans
			fmt.Fprintf(&b, `"k%d": %d, `, i, i)
		}
		return "{" + b.String() + extra + "}"
	}
	tests := []struct {
		name              string
		a, b              string
		equal, equivalent bool
	}{
		{"key order", `{"a": 1, "b": [true, null]}`, `{"b": [true, null], "a": 1}`, true, true},
		{"a string and a number", `{"a": "1"}`, `{"a": 1}`, false, true},
		{"a string and a boolean", `["true"]`, `[true]`, false, true},
		{"numbers by value", `[1, 0.0, 1e3]`, `[1.0, 0, 1000]`, false, true},
		{"numbers that differ past float precision", `[12345678901234567890]`, `[12345678901234567891]`, false, false},
		{"strings spelled differently", `["1.0"]`, `["1"]`, false, false},
		{"a missing key", `{"a": 1}`, `{"a": 1, "b": 2}`, false, false},
		{"array order", `[1, 2]`, `[2, 1]`, false, false},
		{"object and array", `{"a": {}}`, `{"a": []}`, false, false},
		{"documentation ignored", `{"a": 1, "description": "x"}`, `{"a": 1}`, false, true},
		{"wide objects", wide(`"z": 1`), wide(`"z": 1`), true, true},
		{"wide objects differ deep", wide(`"z": {"y": 1}`), wide(`"z": {"y": 2}`), false, false},
	}
	ignore := func(k string) bool { return k == "description" }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := loadValue(t, tt.a)
			b := loadValue(t, tt.b)
			assert.Equal(t, tt.equal, Equal(a, b), "Equal")
			assert.Equal(t, tt.equal, Equal(b, a), "Equal, swapped")
			assert.Equal(t, tt.equivalent, Equivalent(a, b, ignore), "Equivalent")
			assert.Equal(t, tt.equivalent, Equivalent(b, a, ignore), "Equivalent, swapped")
		})
	}
	assert.True(t, Equal(nil, nil))
	assert.False(t, Equal(loadValue(t, `{}`), nil))
}

// TestNumberKey: every spelling of a JSON number has one key, exactly; text
// that is not a JSON number has none.
func TestNumberKey(t *testing.T) {
	same := [][]string{
		{"1", "1.0", "1.000", "10e-1", "0.1E1", "1e0", "1E+0"},
		{"0", "-0", "0.0", "0e5", "-0.000"},
		{"-2.5", "-25e-1", "-0.25E1"},
		{"1000", "1e3", "1.0e3", "10E2"},
	}
	for _, group := range same {
		want, ok := NumberKey(group[0])
		require.True(t, ok, group[0])
		for _, s := range group[1:] {
			got, ok := NumberKey(s)
			assert.True(t, ok, s)
			assert.Equal(t, want, got, "%s and %s", group[0], s)
		}
	}
	a, _ := NumberKey("12345678901234567890")
	b, _ := NumberKey("12345678901234567891")
	assert.NotEqual(t, a, b, "numbers compare exactly, not as float64")
	for _, s := range []string{"", "-", "1.", ".5", "1e", "1e+", "0x10", "1_000", "+1", "1 ", "NaN", "1e1234567890"} {
		_, ok := NumberKey(s)
		assert.False(t, ok, "%q is not a JSON number (or its exponent is too long)", s)
	}
}

// loadValue loads a JSON value as a member of a definition.
func loadValue(t *testing.T, v string) *Node {
	t.Helper()
	d, err := Load("v.json", []byte(`{"swagger": "2.0", "v": `+v+`}`), LoadOptions{})
	require.NoError(t, err)
	return d.Root.Get("v")
}

// EqualAcross asks its caller about references of the same text, and only
// when it must: fix's memo of references compared depends on it.
func TestEqualAcross(t *testing.T) {
	a := loadValue(t, `{"schema": {"$ref": "#/definitions/A"}, "x": 1}`)
	b := loadValue(t, `{"x": 1, "schema": {"$ref": "#/definitions/A"}}`)
	var asked []string
	assert.True(t, EqualAcross(a, b, func(ref string) bool { asked = append(asked, ref); return true }))
	assert.Equal(t, []string{"#/definitions/A"}, asked)
	assert.False(t, EqualAcross(a, b, func(string) bool { return false }), "what the references name differs")
	never := func(string) bool { t.Error("asked about a reference"); return true }
	assert.False(t, EqualAcross(a, loadValue(t, `{"x": 1, "schema": {"$ref": "#/definitions/B"}}`), never), "references of different text")
	assert.False(t, EqualAcross(a, loadValue(t, `{"x": 1, "y": 2, "schema": {"$ref": "#/definitions/A"}}`), never), "counts differ")
	assert.False(t, EqualAcross(a, loadValue(t, `{"schema": {"$ref": 5}, "x": 1}`), never), "a reference that is no string")
}

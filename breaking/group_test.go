package breaking

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// cutBackPair: GetItem and ListItems return Item, CreateItem sends it;
// the new Item keeps only id (note was readOnly, so callers never sent it),
// and Other, returned by GetOther, loses one property.
func cutBackPair(t *testing.T) []*diff.Change {
	t.Helper()
	doc := func(item, other string) *connector.Document {
		d, err := connector.Load("d.json", []byte(`{"swagger": "2.0", "info": {"title": "T", "version": "1"},
"paths": {
 "/items": {"get": {"operationId": "ListItems", "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}}},
            "post": {"operationId": "CreateItem", "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Item"}}],
                     "responses": {"200": {"description": "ok"}}}},
 "/items/{id}": {"get": {"operationId": "GetItem", "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                         "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}}}},
 "/other": {"get": {"operationId": "GetOther", "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Other"}}}}}},
"definitions": {"Item": {"type": "object", "properties": {`+item+`}}, "Other": {"type": "object", "properties": {`+other+`}}}}`),
			connector.LoadOptions{})
		require.NoError(t, err)
		return d
	}
	old := doc(`"id": {"type": "string"}, "name": {"type": "string"}, "size": {"type": "integer"}, "tag": {"type": "string"},
		"note": {"type": "string", "readOnly": true}`, `"a": {"type": "string"}, "b": {"type": "string"}`)
	new := doc(`"id": {"type": "string"}`, `"a": {"type": "string"}`)
	changes, err := diff.Compare(context.Background(), old, new)
	require.NoError(t, err)
	return changes
}

func judgeCutBack(t *testing.T, rec Record) []Finding {
	t.Helper()
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	fs, _ := p.Judge(cutBackPair(t), Versions{}, rec)
	return fs
}

func byRule(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// Properties a schema lost are one finding per schema and operation that
// names them; operations that lost the same ones share it, as identical
// changes always did; a removal judged otherwise (readOnly) and a lone
// removal stay findings of their own.
func TestCutBackIsOneFindingPerSchemaAndOperation(t *testing.T) {
	fs := judgeCutBack(t, Record{})

	out := byRule(fs, ResponsePropertyRemoved)
	require.Len(t, out, 2, "Item for both operations that return it, Other alone")
	item := out[0]
	assert.Equal(t, []string{"ListItems", "GetItem"}, item.Operations)
	assert.Equal(t, "response 200", item.Subject)
	assert.Equal(t, "operation/ListItems/responses/200/schema", item.ValuePath)
	require.Len(t, item.Parts, 4)
	assert.Equal(t, []string{"response 200/name", "response 200/size", "response 200/tag", "response 200/note"},
		[]string{item.Parts[0].Subject, item.Parts[1].Subject, item.Parts[2].Subject, item.Parts[3].Subject})
	assert.Equal(t, []string{"name", "size", "tag", "note"}, item.Details, "the fields below the response, as flows know them")

	other := out[1]
	assert.Empty(t, other.Parts, "a lone removal is not a group")
	assert.Equal(t, "response 200/b", other.Subject)

	in := byRule(fs, RequestBodyPropertyRemoved)
	require.Len(t, in, 2, "what callers sent, and the readOnly property they never did")
	assert.Equal(t, Breaking, in[0].Level)
	assert.Len(t, in[0].Parts, 3)
	assert.Equal(t, Info, in[1].Level)
	assert.Empty(t, in[1].Parts)
	assert.Equal(t, "body/note", in[1].Subject)
}

// Ungrouped gives back one finding per property, each with every operation
// it reaches and its own place in the old document: what fix repairs.
func TestUngroupedRestoresEachProperty(t *testing.T) {
	fs := Ungrouped(judgeCutBack(t, Record{}))
	out := byRule(fs, ResponsePropertyRemoved)
	require.Len(t, out, 5)
	for _, f := range out {
		assert.Empty(t, f.Parts)
		assert.Contains(t, f.Old.Pointer, "/properties/")
	}
	assert.Equal(t, []string{"ListItems", "GetItem"}, out[0].Operations)
	assert.Equal(t, "/definitions/Item/properties/name", out[0].Old.Pointer)
	assert.Equal(t, "/definitions/Other/properties/b", out[4].Old.Pointer)
}

// A group is accepted as a whole (its schema, its rule) or when each of
// its properties is; accepting one property does not accept the others. An
// acceptance speaks for the operations it names: the part of the group in
// other operations still fails, and comes first.
func TestAcceptingACutBack(t *testing.T) {
	accepted := func(accept ...Acceptance) (items []Finding, matched []int) {
		p, err := NewPolicy(nil)
		require.NoError(t, err)
		for i := range accept {
			accept[i].Reason = "agreed"
		}
		fs, matched := p.Judge(cutBackPair(t), Versions{}, Record{Accept: accept})
		items = byRule(fs, ResponsePropertyRemoved)
		return items[:len(items)-1], matched // the last is Other's lone removal
	}
	one := Acceptance{Rule: ResponsePropertyRemoved, Pointer: "/definitions/Item/properties/name"}
	items, matched := accepted(one)
	require.Len(t, items, 1)
	assert.Nil(t, items[0].Accepted, "one property of four")
	assert.NotNil(t, items[0].Parts[0].Accepted)
	assert.Nil(t, items[0].Parts[1].Accepted)
	assert.Equal(t, []int{1}, matched)

	var each []Acceptance
	for _, n := range []string{"name", "size", "tag", "note"} {
		each = append(each, Acceptance{Rule: ResponsePropertyRemoved, Pointer: "/definitions/Item/properties/" + n})
	}
	items, matched = accepted(each...)
	require.Len(t, items, 1)
	assert.NotNil(t, items[0].Accepted, "every property, one by one")
	assert.Equal(t, []int{1, 1, 1, 1}, matched)

	var inList []Acceptance
	for _, n := range []string{"name", "size", "tag", "note"} {
		inList = append(inList, Acceptance{Rule: ResponsePropertyRemoved, ValuePath: "operation/ListItems/responses/200/schema/" + n})
	}
	items, matched = accepted(inList...)
	require.Len(t, items, 2, "accepted property by property in ListItems only")
	assert.Equal(t, []string{"GetItem"}, items[0].Operations, "what still fails first")
	assert.Nil(t, items[0].Accepted)
	assert.Equal(t, []string{"ListItems"}, items[1].Operations)
	assert.NotNil(t, items[1].Accepted)
	assert.NotEqual(t, items[0].ID, items[1].ID)
	assert.Equal(t, []int{1, 1, 1, 1}, matched)

	items, matched = accepted(Acceptance{Rule: ResponsePropertyRemoved, Pointer: "/definitions/Item"})
	require.Len(t, items, 1)
	assert.NotNil(t, items[0].Accepted, "the schema")
	assert.Equal(t, []int{1}, matched)

	items, _ = accepted(Acceptance{Rule: ResponsePropertyRemoved, Operation: "GetItem"})
	require.Len(t, items, 2, "the rule in one operation the group reaches")
	assert.Equal(t, []string{"ListItems"}, items[0].Operations)
	assert.Nil(t, items[0].Accepted)
	assert.Equal(t, []string{"GetItem"}, items[1].Operations)
	assert.NotNil(t, items[1].Accepted)

	items, _ = accepted(Acceptance{Rule: ResponsePropertyRemoved, Pointer: "/definitions/Other"})
	assert.Nil(t, items[0].Accepted, "another schema")
}

// What a schema lost names its cut back: removing a and b, then c and d,
// from one schema are two findings with two ids, so that accepting the first
// does not accept the second.
func TestCutBackIDNamesWhatWasRemoved(t *testing.T) {
	doc := func(props string) *connector.Document {
		d, err := connector.Load("d.json", []byte(`{"swagger": "2.0", "info": {"title": "T", "version": "1"},
"paths": {"/x": {"get": {"operationId": "GetX", "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {`+props+`}}}}}}}}`),
			connector.LoadOptions{})
		require.NoError(t, err)
		return d
	}
	v1 := doc(`"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}, "d": {"type": "string"}, "e": {"type": "string"}`)
	v2 := doc(`"c": {"type": "string"}, "d": {"type": "string"}, "e": {"type": "string"}`)
	v3 := doc(`"e": {"type": "string"}`)
	idOf := func(old, new *connector.Document) string {
		changes, err := diff.Compare(context.Background(), old, new)
		require.NoError(t, err)
		p, err := NewPolicy(nil)
		require.NoError(t, err)
		fs, _ := p.Judge(changes, Versions{}, Record{IDFolder: "connectors/x"})
		removed := byRule(fs, ResponsePropertyRemoved)
		require.Len(t, removed, 1)
		require.Len(t, removed[0].Parts, 2)
		return removed[0].ID
	}
	first, second := idOf(v1, v2), idOf(v2, v3)
	assert.NotEqual(t, first, second)
	assert.Equal(t, first, idOf(v1, v2), "the same cut back keeps its id")
}

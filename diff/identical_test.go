package diff

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compareJSON loads two JSON documents and compares them.
func compareJSON(t *testing.T, old, new string) []*Change {
	t.Helper()
	changes, err := Compare(context.Background(), mustLoad(t, "old.json", old), mustLoad(t, "new.json", new))
	require.NoError(t, err)
	return changes
}

// Identical text is skipped only when it means the same on both sides.
func TestIdenticalSubtreesStillSeeWhatTheyReference(t *testing.T) {
	const doc = `{"swagger": "2.0", "info": {"title": "T", "version": "1"},
  "paths": {
    "/items": {"get": {"operationId": "ListItems",
      "parameters": [{"name": "kind", "in": "query", "type": "string",
        "x-ms-dynamic-values": {"operationId": "ListKinds", "value-path": "id"}}],
      "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Page"}}}}},
    "/kinds": {"get": {"operationId": "ListKinds", "responses": {"200": {"description": "ok"}}}}
  },
  "definitions": {
    "Page": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/definitions/Item"}}}},
    "Item": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
  }}`
	t.Run("unchanged", func(t *testing.T) {
		assert.Empty(t, compareJSON(t, doc, doc))
	})
	t.Run("a definition two references away changed", func(t *testing.T) {
		new := strings.Replace(doc, `, "name": {"type": "string"}`, "", 1)
		ch := only(t, compareJSON(t, doc, new), PropertyRemoved)
		assert.Equal(t, "response 200/items/items/name", ch.Subject)
		assert.Equal(t, 11, ch.Old.Line)
	})
	t.Run("the operation a lookup calls was removed", func(t *testing.T) {
		new := strings.Replace(doc, `,
    "/kinds": {"get": {"operationId": "ListKinds", "responses": {"200": {"description": "ok"}}}}`, "", 1)
		require.NotEqual(t, doc, new)
		ch := only(t, compareJSON(t, doc, new), DynamicTargetRemoved)
		assert.Equal(t, "ListKinds", ch.Before)
	})
}

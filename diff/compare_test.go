package diff

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
)

func mustLoad(t *testing.T, name, src string) *connector.Document {
	t.Helper()
	d, err := connector.Load(name, []byte(src), connector.LoadOptions{})
	require.NoError(t, err)
	return d
}

func compareYAML(t *testing.T, old, new string) []*Change {
	t.Helper()
	changes, err := Compare(context.Background(), mustLoad(t, "old.yaml", old), mustLoad(t, "new.yaml", new))
	require.NoError(t, err)
	return changes
}

func only(t *testing.T, changes []*Change, k Kind) *Change {
	t.Helper()
	var found []*Change
	for _, c := range changes {
		if c.Kind == k {
			found = append(found, c)
		}
	}
	require.Len(t, found, 1, "want exactly one %s among %v", k, describeAll(changes))
	return found[0]
}

func describeAll(changes []*Change) []string {
	var out []string
	for _, c := range changes {
		out = append(out, c.Kind.String()+": "+c.Subject+": "+c.Before+" -> "+c.After)
	}
	return out
}

const sharedOld = `swagger: "2.0"
info: {title: T, version: "1"}
paths:
  /a:
    get:
      operationId: GetA
      responses:
        "200": {description: ok, schema: {$ref: "#/definitions/Item"}}
  /b:
    get:
      operationId: GetB
      responses:
        "200": {description: ok, schema: {type: array, items: {$ref: "#/definitions/Item"}}}
    post:
      operationId: PostB
      parameters:
        - {name: body, in: body, schema: {$ref: "#/definitions/Item"}}
      responses:
        "200": {description: ok}
definitions:
  Item:
    type: object
    properties:
      id: {type: string}
      name: {type: string}
      parent: {$ref: "#/definitions/Item"}
`

// A property removed from a definition shared by several operations is one
// change per direction, listing every operation it reaches, located in both
// files.
func TestSharedDefinitionChangeReachesEveryOperation(t *testing.T) {
	new := strings.Replace(sharedOld, "      name: {type: string}\n", "", 1)
	require.NotEqual(t, sharedOld, new)
	changes := compareYAML(t, sharedOld, new)
	require.Len(t, changes, 2, "%v", describeAll(changes))
	out, in := changes[0], changes[1]
	assert.Equal(t, PropertyRemoved, out.Kind)
	assert.Equal(t, InResponse, out.Where)
	assert.Equal(t, []OperationRef{{ID: "GetA"}, {ID: "GetB"}}, out.Operations)
	assert.Equal(t, &connector.Location{Pointer: "/definitions/Item/properties/name", Line: 25, Column: 7}, out.Old)
	assert.Equal(t, "/definitions/Item/properties", out.New.Pointer)
	assert.Equal(t, "operation/GetA/responses/200/schema/name", out.ValuePath)

	assert.Equal(t, PropertyRemoved, in.Kind)
	assert.Equal(t, InRequestBody, in.Where)
	assert.Equal(t, []OperationRef{{ID: "PostB"}}, in.Operations)
	assert.Equal(t, "operation/PostB/parameter/body/schema/name", in.ValuePath)
}

// A self-referencing definition (parent: Item) is walked once per pair and
// the comparison ends; a change beneath the cycle is still found.
func TestCyclicDefinitionTerminatesAndFindsChanges(t *testing.T) {
	new := sharedOld[:len(sharedOld)-len("      parent: {$ref: \"#/definitions/Item\"}\n")] +
		"      parent: {$ref: \"#/definitions/Item\"}\n      extra: {type: string}\n"
	changes := compareYAML(t, sharedOld, new)
	added := only(t, changes[:1], PropertyAdded)
	assert.Equal(t, "/definitions/Item/properties/extra", added.New.Pointer)
	assert.Nil(t, added.Old)
	assert.Len(t, changes, 2, "one addition seen from responses, one from the request body: %v", describeAll(changes))
}

func TestComparingADocumentWithItselfFindsNothing(t *testing.T) {
	d := mustLoad(t, "x.yaml", sharedOld)
	changes, err := Compare(context.Background(), d, d)
	require.NoError(t, err)
	assert.Empty(t, changes)
}

func TestOperationIDChangeIsPairedByMethodAndPath(t *testing.T) {
	old := `swagger: "2.0"
info: {title: T, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: GetItem
      parameters: [{name: id, in: path, required: true, type: string}]
      responses: {"200": {description: ok}}
    delete:
      operationId: DeleteItem
      parameters: [{name: id, in: path, required: true, type: string}]
      responses: {"204": {description: ok}}
`
	new := `swagger: "2.0"
info: {title: T, version: "1"}
paths:
  /Items/{itemId}:
    get:
      operationId: GetItemV2
      parameters: [{name: itemId, in: path, required: true, type: string}]
      responses: {"200": {description: ok}}
`
	changes := compareYAML(t, old, new)
	renamed := only(t, changes, OperationIDChanged)
	assert.Equal(t, "GetItem", renamed.Before)
	assert.Equal(t, "GetItemV2", renamed.After)
	assert.Equal(t, "/paths/~1items~1{id}/get", renamed.Old.Pointer)
	assert.Equal(t, "/paths/~1Items~1{itemId}/get", renamed.New.Pointer)
	removed := only(t, changes, OperationRemoved)
	assert.Equal(t, "DeleteItem", removed.Operation())
	assert.Len(t, changes, 2, "nothing inside a renamed or removed operation is reported: %v", describeAll(changes))
}

// Webhook payloads declared on the path item belong to its trigger.
func TestWebhookPayloadOnPathItem(t *testing.T) {
	doc := func(props string) string {
		return `swagger: "2.0"
info: {title: T, version: "1"}
paths:
  /hooks:
    x-ms-notification-content:
      schema:
        type: object
        properties:` + props + `
    post:
      operationId: OnEvent
      x-ms-trigger: single
      parameters:
        - {name: body, in: body, schema: {type: object, properties: {callbackUrl: {type: string, x-ms-notification-url: true}}}}
      responses: {"201": {description: created}}
`
	}
	changes := compareYAML(t, doc("\n          id: {type: string}\n          title: {type: string}"), doc("\n          id: {type: string}"))
	c := only(t, changes, PropertyRemoved)
	assert.Equal(t, InWebhook, c.Where)
	assert.Equal(t, "OnEvent", c.Operation())
	assert.Equal(t, "/paths/~1hooks/x-ms-notification-content/schema/properties/title", c.Old.Pointer)
	assert.Equal(t, "operation/OnEvent/responses/x-ms-notification-content/schema/title", c.ValuePath)
}

func TestCompareHonoursCancellation(t *testing.T) {
	d := mustLoad(t, "x.yaml", sharedOld)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Compare(ctx, d, d)
	assert.ErrorIs(t, err, context.Canceled)
}

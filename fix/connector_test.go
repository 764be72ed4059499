package fix_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/fix"
)

// connectorFolder loads a connector folder from its files.
func connectorFolder(t *testing.T, def, props, script string) *connector.Folder {
	t.Helper()
	fsys := fstest.MapFS{"c/apiDefinition.swagger.json": {Data: []byte(def)}}
	if props != "" {
		fsys["c/apiProperties.json"] = &fstest.MapFile{Data: []byte(props)}
	}
	if script != "" {
		fsys["c/script.csx"] = &fstest.MapFile{Data: []byte(script)}
	}
	f, err := connector.LoadFolderFS(fsys, "c", "c", connector.LoadOptions{})
	require.NoError(t, err)
	return f
}

// definition has GetResults on method on /results/{h}, and an operation
// id on GET /items.
func definition(method, itemsID string) string {
	return `{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {
  "/results/{h}": {"` + method + `": {"operationId": "GetResults", "parameters": [{"name": "h", "in": "path", "required": true, "type": "string"}],
    "responses": {"200": {"description": "ok"}}}},
  "/items": {"get": {"operationId": "` + itemsID + `", "responses": {"200": {"description": "ok"}}}}}}`
}

const script = `public class Script : ScriptBase
{
    private readonly string OP_GET_RESULTS = "GetResults";
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        if (this.Context.OperationId == OP_GET_RESULTS) { return await Results(); }
        if ("ListItemsV2".Equals(this.Context.OperationId)) { return null; }
        switch (Context.OperationId)
        {
            case "ListItemsV2":
                return await Items();
            case "Other":
                return null;
        }
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
    }
}
`

// A fix of connector folders keeps apiProperties.json's scriptOperations in
// step with the operations it renames: a versioned operation's new shape is
// listed beside its old id (which the old revision keeps), a restored id in
// place of the one the update gave; and it names each comparison of
// Context.OperationId in script.csx that needs a new branch.
func TestRunConnectorKeepsScriptOperationsInStep(t *testing.T) {
	old := connectorFolder(t, definition("get", "ListItems"), "", "")
	props := "{\n  \"properties\": {\n    \"scriptOperations\": [\n      \"GetResults\",\n      \"ListItemsV2\"\n    ],\n    \"publisher\": \"x\"\n  }\n}\n"
	new := connectorFolder(t, definition("post", "ListItemsV2"), props, script)
	res, err := fix.RunConnector(context.Background(), old, new, fix.Config{})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"GetResults": "GetResultsV2", "ListItemsV2": "ListItems"}, res.Renames)
	require.NotNil(t, res.Connector)
	c := res.Connector
	assert.Equal(t, "{\n  \"properties\": {\n    \"scriptOperations\": [\n      \"GetResults\",\n      \"GetResultsV2\",\n      \"ListItems\"\n    ],\n"+
		"    \"publisher\": \"x\"\n  }\n}\n", string(c.Properties), "listed in the list's own layout; every other byte kept")
	assert.Equal(t, []string{"GetResultsV2 added beside GetResults (its old revision)", "ListItems in place of ListItemsV2"}, c.ScriptOperations)

	var lines []string
	for _, b := range c.ScriptBranches {
		lines = append(lines, b.Operation+"->"+b.Now)
		assert.Equal(t, b.Operation == "GetResults", b.Kept, "%d", b.Line)
	}
	assert.Equal(t, []int{6, 7, 10}, []int{c.ScriptBranches[0].Line, c.ScriptBranches[1].Line, c.ScriptBranches[2].Line})
	assert.Equal(t, []string{"GetResults->GetResultsV2", "ListItemsV2->ListItems", "ListItemsV2->ListItems"}, lines)
	assert.Equal(t, `case "ListItemsV2":`, c.ScriptBranches[2].Code)

	// Inline lists stay inline; nothing renamed, nothing to say.
	inline := connectorFolder(t, definition("post", "ListItemsV2"), `{"properties": {"scriptOperations": ["GetResults"]}}`, "")
	res, err = fix.RunConnector(context.Background(), old, inline, fix.Config{})
	require.NoError(t, err)
	assert.Equal(t, `{"properties": {"scriptOperations": ["GetResults", "GetResultsV2"]}}`, string(res.Connector.Properties))
	same, err := fix.RunConnector(context.Background(), old, connectorFolder(t, definition("get", "ListItems"), props, script), fix.Config{})
	require.NoError(t, err)
	assert.Nil(t, same.Connector)
}

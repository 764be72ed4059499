package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/report"
)

// Every value a report shows is spelled as the document spells it: enum
// values are compared normalised (1 and 1.0 are one value) but named as
// written, and a default keeps its decimals.
func TestValuesShownAsTheDocumentSpellsThem(t *testing.T) {
	doc := func(numbers, booleans, def string) []byte {
		return []byte(`{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {"operationId": "GetA", ` +
			`"parameters": [{"name": "n", "in": "query", "type": "number", "enum": ` + numbers + `}, ` +
			`{"name": "b", "in": "query", "type": "boolean", "enum": ` + booleans + `}, ` +
			`{"name": "d", "in": "query", "type": "number", "default": ` + def + `}], "responses": {"200": {"description": "ok"}}}}}}`)
	}
	res, err := connectordiff.Compare(context.Background(), doc(`[1.0, 2.50, 3.0]`, `["True", "False"]`, `1.50`),
		doc(`[1, 2.5, 4.00]`, `["True"]`, `2.0`))
	require.NoError(t, err)
	var text, cl, js bytes.Buffer
	require.NoError(t, report.Text(&text, res, report.Options{}))
	require.NoError(t, report.Changelog(&cl, res, report.Options{}))
	require.NoError(t, report.JSON(&js, res, report.Options{}))
	assert.Contains(t, text.String(), "values removed: 3.0; values added: 4.00", "1.0 and 1, 2.50 and 2.5 are the same values")
	assert.Contains(t, text.String(), `values removed: "False"`)
	assert.Contains(t, text.String(), "default of parameter d (query): 1.50 -> 2.0")
	assert.Contains(t, cl.String(), "input `n` no longer accepts `3.0`")
	assert.Contains(t, cl.String(), "input `b` no longer accepts `False`")
	var rep struct {
		Findings []struct{ Removed, Added []string }
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &rep))
	var removed, added []string
	for _, f := range rep.Findings {
		removed, added = append(removed, f.Removed...), append(added, f.Added...)
	}
	assert.ElementsMatch(t, []string{"3.0", "False"}, removed)
	assert.ElementsMatch(t, []string{"4.00"}, added)
}

package connectordiff_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
)

// propertiesRemoved is a pair of n operations whose new version drops one
// output property of each: n in-place remedies for fix to plan.
func propertiesRemoved(n int) (old, new []byte) {
	def := func(removed bool) []byte {
		var paths, defs []string
		for i := range n {
			paths = append(paths, fmt.Sprintf(`"/items%d": {"get": {"operationId": "GetItem%d", "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item%d"}}}}}`, i, i, i))
			props := `"id": {"type": "string"}`
			if !removed {
				props += `, "name": {"type": "string"}`
			}
			defs = append(defs, fmt.Sprintf(`"Item%d": {"type": "object", "properties": {%s}}`, i, props))
		}
		return []byte(`{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {` + strings.Join(paths, ",\n") +
			`}, "definitions": {` + strings.Join(defs, ",\n") + "}}\n")
	}
	return def(false), def(true)
}

// Planning is linear in the findings: four times the findings cost about
// four times the allocations. Each finding's plan took a snapshot that
// copied every map of the planner, which grew with the findings planned
// before it.
func TestFixPlanningIsLinear(t *testing.T) {
	alloc := func(n int) uint64 {
		old, new := propertiesRemoved(n)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		res, err := connectordiff.Fix(context.Background(), old, new)
		runtime.ReadMemStats(&after)
		require.NoError(t, err)
		require.Len(t, res.Fixed, n)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(300), alloc(1200)
	assert.Less(t, float64(large)/float64(small), 6.0, "%d bytes for 300 findings, %d for 1,200", small, large)
}

// The fixed definition may be larger than the inputs, which --max-bytes
// limits: it is the fix's own output, and loads whatever its size (it was
// "internal error: the fixed definition does not load").
func TestFixOutputOverTheInputLimit(t *testing.T) {
	old, _ := propertiesRemoved(100)
	// NEW keeps the first operation only: the others come back deprecated
	// and hidden, which makes the fixed definition longer than OLD.
	new := []byte(`{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/items0": {"get": {"operationId": "GetItem0", ` +
		`"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item0"}}}}}}, "definitions": {"Item0": ` +
		`{"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}}}`)
	res, err := connectordiff.Fix(context.Background(), old, new, connectordiff.WithMaxBytes(int64(len(old))))
	require.NoError(t, err)
	assert.Greater(t, len(res.Output), len(old))
	assert.Len(t, res.Fixed, 99)
}

package diff

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
)

// TestSameText: the text cache answers as a plain comparison would, for
// spans on shared diagonals, in any order.
func TestSameText(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	block := strings.Repeat("abcdefgh", 1024)
	old := block + "X" + block + block
	new := "pad" + block + "Y" + block + block
	c := &comparer{ctx: context.Background(), budget: 1 << 40, oldText: old, newText: new}
	for range 2000 {
		size := uint32(rng.IntN(3 * cachedText))
		o := uint32(rng.IntN(len(old) - int(size) + 1))
		shift := []int{-3, 0, 3, 8, 5}[rng.IntN(5)]
		n := int(o) + shift
		if n < 0 || n+int(size) > len(new) {
			continue
		}
		want := old[o:o+size] == new[n:n+int(size)]
		require.Equal(t, want, c.sameText(o, uint32(n), size), "old %d, new %d, %d bytes", o, n, size)
	}
	for diag, list := range c.stretches {
		for i := 1; i < len(list); i++ {
			assert.Less(t, list[i-1].to, list[i].from, "diagonal %d: stretches in order and apart", diag)
		}
	}
}

// TestIdenticalNestedTargets: a reference to a definition that holds a
// reference which changed is unstable, through targets nested in others.
func TestIdenticalNestedTargets(t *testing.T) {
	doc := func(leaf string) string {
		return `{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok",
  "schema": {"$ref": "#/definitions/Outer/properties/inner"}}}}}},
  "definitions": {
    "Outer": {"type": "object", "properties": {"inner": {"type": "object", "properties": {"leaf": {"$ref": "#/definitions/Leaf"}}}}},
    "Leaf": {"type": "object", "properties": {"v": {"type": "` + leaf + `"}}}}}`
	}
	assert.Empty(t, compareJSON(t, doc("string"), doc("string")))
	ch := only(t, compareJSON(t, doc("string"), doc("integer")), TypeChanged)
	assert.Equal(t, "/definitions/Leaf/properties/v/type", ch.Old.Pointer)
	assert.Equal(t, "response 200/leaf/v", ch.Subject)
}

// TestWorkBudgetStops: a comparison past its budget stops with a StopError
// at the pair it was comparing, and returns no changes.
func TestWorkBudgetStops(t *testing.T) {
	var defs []string
	for k := range 2000 { // the budget is looked at every few thousand steps
		defs = append(defs, fmt.Sprintf(`"L%d": {"type": "object", "properties": {"next": {"$ref": "#/definitions/L%d"}}}`, k, k+1))
	}
	// YAML (JSON in flow style, after a comment): no text is compared, so
	// the first steps are the walk's.
	doc := func(leaf string) *connector.Document {
		return mustLoad(t, "old.yaml", "# flow style\n"+`{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok", `+
			`"schema": {"$ref": "#/definitions/L0"}}}}}}, "definitions": {`+strings.Join(defs, ", ")+
			`, "L2000": {"type": "object", "properties": {"x": {"type": "`+leaf+`"}}}}}`)
	}
	old, new := doc("string"), doc("integer")
	c := newComparer(context.Background(), old, new)
	c.budget = 100
	err := c.operations()
	var se *StopError
	require.True(t, errors.As(err, &se), "%v", err)
	assert.ErrorIs(t, err, ErrWorkBudget)
	assert.Regexp(t, `^/definitions/L\d+$`, se.Pointer)
	assert.Equal(t, "A", se.Operation)
	assert.NotZero(t, se.Line)

	changes, err := Compare(context.Background(), old, new)
	require.NoError(t, err, "the default budget is ample")
	assert.Len(t, changes, 1)
}

package connectordiff_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

// Schemas shaped against the comparison (issue 15, items 2, 7 and 8): depth
// that was a silent "no changes", paths that multiply, and work, time and
// findings without end. Each case would have been SAFE with no finding, or
// run for minutes, before the walk compared each pair of schemas once.

// schemaRef is a reference to a definition.
func schemaRef(name string) string { return `{"$ref": "#/definitions/` + name + `"}` }

// definitions joins name: schema members into an object.
func definitions(defs ...string) string { return "{" + strings.Join(defs, ", ") + "}" }

// refDiamond is a definition whose response is a $ref diamond of levels
// levels, each referring twice to the next, over a leaf whose property x
// has type leaf: 2^levels paths through levels+1 definitions.
func refDiamond(levels int, leaf string) string {
	var defs []string
	for k := range levels {
		defs = append(defs, fmt.Sprintf(`"D%d": {"type": "object", "properties": {"a": %s, "b": %s}}`,
			k, schemaRef(fmt.Sprint("D", k+1)), schemaRef(fmt.Sprint("D", k+1))))
	}
	defs = append(defs, fmt.Sprintf(`"D%d": {"type": "object", "properties": {"x": {"type": %q}}}`, levels, leaf))
	return op(schemaRef("D0"), definitions(defs...))
}

// refLoop is the small new side of a diamond: one schema referring twice
// to itself, with x an integer.
func refLoop() string {
	return op(schemaRef("D0"), definitions(`"D0": {"type": "object", "properties": {"a": `+schemaRef("D0")+
		`, "b": `+schemaRef("D0")+`, "x": {"type": "integer"}}}`))
}

// refChain is a definition whose response is a chain of links $ref links
// (each definition's property next refers to the next definition) ending in
// a property x of type leaf.
func refChain(links int, leaf string) string {
	var b strings.Builder
	for k := range links {
		fmt.Fprintf(&b, `"L%d": {"type": "object", "properties": {"next": %s}}, `, k, schemaRef(fmt.Sprint("L", k+1)))
	}
	fmt.Fprintf(&b, `"L%d": {"type": "object", "properties": {"x": {"type": %q}}}`, links, leaf)
	return op(schemaRef("L0"), "{"+b.String()+"}")
}

// nestedSchema is a definition whose response nests levels object schemas
// inline (two levels of JSON each), the innermost of type leaf.
func nestedSchema(levels int, leaf string) string {
	return `{"swagger": "2.0", "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok", "schema": ` +
		strings.Repeat(`{"type": "object", "properties": {"a": `, levels) + `{"type": "` + leaf + `"}` +
		strings.Repeat("}}", levels) + `}}}}}}`
}

// findingSummary renders a finding as its rule, old pointer and operations:
// the messages of deep findings hold paths thousands of levels long.
func findingSummary(res *breaking.Result) []string {
	out := []string{}
	for _, f := range res.Findings() {
		if f.Rule == "version-not-bumped" {
			continue
		}
		p := ""
		if f.Old != nil {
			p = f.Old.Pointer
		}
		out = append(out, fmt.Sprintf("%s %s %v", f.Rule, p, f.Operations))
	}
	return out
}

// compareGuarded compares old with new under guardedCompare and requires
// an answer.
func compareGuarded(t *testing.T, what, old, new string) *breaking.Result {
	t.Helper()
	g := guardedCompare(t, what, func(ctx context.Context) (*breaking.Result, error) {
		return connectordiff.Compare(ctx, []byte(old), []byte(new))
	})
	require.True(t, g.ok)
	require.NoError(t, g.err)
	return g.res
}

// TestHostileSchemaDepth: a change at any depth is found, through $ref
// chains, plain nesting, chains of pure references and allOf ancestries.
// Each of these was SAFE with no finding: the walk stopped at 2,000 pairs
// (a $ref hop counting as a level), references at 32 hops, allOf at 32.
func TestHostileSchemaDepth(t *testing.T) {
	pureChain := func(hops int, leaf string) string {
		var defs []string
		for k := range hops {
			defs = append(defs, fmt.Sprintf(`"R%d": %s`, k, schemaRef(fmt.Sprint("R", k+1))))
		}
		defs = append(defs, fmt.Sprintf(`"R%d": {"type": "object", "properties": {"x": {"type": %q}}}`, hops, leaf))
		return op(schemaRef("R0"), definitions(defs...))
	}
	allOfChain := func(depth int, prop string) string {
		var defs []string
		for k := range depth {
			defs = append(defs, fmt.Sprintf(`"A%d": {"allOf": [%s]}`, k, schemaRef(fmt.Sprint("A", k+1))))
		}
		defs = append(defs, fmt.Sprintf(`"A%d": {"type": "object", "properties": {"id": {"type": "string"}%s}}`, depth, prop))
		return op(schemaRef("A0"), definitions(defs...))
	}
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"a $ref chain of 2,010 links", refChain(2010, "string"), refChain(2010, "integer"),
			[]string{"response-property-type-changed /definitions/L2010/properties/x/type [A]"}},
		{"a $ref chain of 10,000 links", refChain(10_000, "string"), refChain(10_000, "integer"),
			[]string{"response-property-type-changed /definitions/L10000/properties/x/type [A]"}},
		{"plain nesting, 4,200 levels of JSON", nestedSchema(2100, "string"), nestedSchema(2100, "integer"),
			[]string{"response-property-type-changed /paths/~1a/get/responses/200/schema" +
				strings.Repeat("/properties/a", 2100) + "/type [A]"}},
		{"plain nesting at the parsers' limit, 9,987 levels of JSON", nestedSchema(4990, "string"), nestedSchema(4990, "integer"),
			[]string{"response-property-type-changed /paths/~1a/get/responses/200/schema" +
				strings.Repeat("/properties/a", 4990) + "/type [A]"}},
		{"a chain of 40 pure references", pureChain(40, "string"), pureChain(40, "integer"),
			[]string{"response-property-type-changed /definitions/R40/properties/x/type [A]"}},
		{"an allOf ancestry 40 deep", allOfChain(40, `, "name": {"type": "string"}`), allOfChain(40, ""),
			[]string{"response-property-removed /definitions/A40/properties/name [A]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := compareGuarded(t, tt.name, tt.old, tt.new)
			assert.Equal(t, tt.want, findingSummary(res))
			assert.Empty(t, res.Connectors[0].Old.Notes)
			assert.Empty(t, findingSummary(compareGuarded(t, tt.name+" with itself", tt.old, tt.old)))
		})
	}
}

// TestHostileSchemaPaths: a change reached by exponentially many paths, or
// by many operations, is one finding listing each operation once, found in
// work that grows with the document. A 24-level diamond took 6.7 s and
// 667 MB, a 30-level one over 120 s and 7.5 GB; the base side alone
// holding the diamond was as slow.
func TestHostileSchemaPaths(t *testing.T) {
	t.Run("a $ref diamond of 30 levels", func(t *testing.T) {
		res := compareGuarded(t, "diamond", refDiamond(30, "string"), refDiamond(30, "integer"))
		assert.Equal(t, []string{"response-property-type-changed /definitions/D30/properties/x/type [A]"}, findingSummary(res))
	})
	t.Run("a $ref diamond of 60 levels in the base only", func(t *testing.T) {
		res := compareGuarded(t, "diamond in the base", refDiamond(60, "string"), refLoop())
		assert.Equal(t, []string{
			"response-property-type-changed /definitions/D60/properties/x/type [A]",
			"response-property-added  [A]",
			"response-property-added  [A]",
			"response-property-added  [A]",
		}, findingSummary(res))
	})
	t.Run("a chain of 20,000 links in the base only", func(t *testing.T) {
		// Every link is compared with the one new schema, and finds x
		// added again: one finding, whose path is made once.
		loop := op(schemaRef("L0"), definitions(`"L0": {"type": "object", "properties": {"next": `+schemaRef("L0")+
			`, "x": {"type": "integer"}}}`))
		res := compareGuarded(t, "chain in the base", refChain(20_000, "string"), loop)
		assert.Equal(t, []string{
			"response-property-type-changed /definitions/L20000/properties/x/type [A]",
			"response-property-added  [A]",
			"response-property-added  [A]",
		}, findingSummary(res))
	})
	t.Run("one definition at the end of a chain, reached by 2,000 operations", func(t *testing.T) {
		many := func(leaf string) string {
			var paths, defs strings.Builder
			for i := range 2000 {
				if i > 0 {
					paths.WriteString(", ")
				}
				fmt.Fprintf(&paths, `"/op%d": {"get": {"operationId": "Op%d", "responses": {"200": {"description": "ok", "schema": %s}}}}`,
					i, i, schemaRef(fmt.Sprint("L", i%100)))
			}
			for k := range 1000 {
				fmt.Fprintf(&defs, `"L%d": {"type": "object", "properties": {"next": %s}}, `, k, schemaRef(fmt.Sprint("L", k+1)))
			}
			fmt.Fprintf(&defs, `"L1000": {"type": "object", "properties": {"x": {"type": %q}}}`, leaf)
			return `{"swagger": "2.0", "paths": {` + paths.String() + `}, "definitions": {` + defs.String() + `}}`
		}
		res := compareGuarded(t, "many operations", many("string"), many("integer"))
		require.Len(t, res.Findings(), 1)
		f := res.Findings()[0]
		assert.Equal(t, "/definitions/L1000/properties/x/type", f.Old.Pointer)
		require.Len(t, f.Operations, 2000)
		assert.Equal(t, []string{"Op0", "Op1", "Op2"}, f.Operations[:3])
		assert.Equal(t, "Op1999", f.Operations[1999])
	})
}

// ladder is a definition with ops operations, each reaching the top of a
// ladder of levels levels whose three schemas each refer to two of the
// next level's, over a changed leaf: work per operation is the ladder's
// size, so the whole grows as operations times levels, past any budget
// proportional to the document.
func ladder(ops, levels int, leaf string) string {
	var paths, defs strings.Builder
	for i := range ops {
		if i > 0 {
			paths.WriteString(", ")
		}
		fmt.Fprintf(&paths, `"/op%d": {"get": {"operationId": "Op%d", "responses": {"200": {"description": "ok", "schema": %s}}}}`,
			i, i, schemaRef("X0"))
	}
	names := []string{"X", "Y", "Z"}
	for k := range levels {
		for j, n := range names {
			fmt.Fprintf(&defs, `"%s%d": {"type": "object", "properties": {"a": %s, "b": %s}}, `, n, k,
				schemaRef(fmt.Sprint(n, k+1)), schemaRef(fmt.Sprint(names[(j+1)%3], k+1)))
		}
	}
	for _, n := range names {
		fmt.Fprintf(&defs, `"%s%d": {"type": "object", "properties": {"%s": {"type": %q}}}, `, n, levels, n, leaf)
	}
	return `{"swagger": "2.0", "paths": {` + paths.String() + `}, "definitions": {` + strings.TrimSuffix(defs.String(), ", ") + `}}`
}

// stopError requires err to be a *diff.StopError wrapping want.
func stopError(t *testing.T, err error, want error) *diff.StopError {
	t.Helper()
	require.Error(t, err)
	var se *diff.StopError
	require.True(t, errors.As(err, &se), "error is a %T: %v", err, err)
	assert.ErrorIs(t, err, want)
	return se
}

// TestHostileWorkBudget: work beyond the budget for the documents' size
// ends the comparison with an error that says where it was, not with the
// findings so far.
func TestHostileWorkBudget(t *testing.T) {
	old, new := ladder(2000, 2000, "string"), ladder(2000, 2000, "integer")
	g := guardedCompare(t, "ladder", func(ctx context.Context) (*breaking.Result, error) {
		return connectordiff.Compare(ctx, []byte(old), []byte(new), connectordiff.WithNames("old.json", "new.json"))
	})
	require.True(t, g.ok)
	assert.True(t, g.res == nil, "a result came with the error")
	se := stopError(t, g.err, diff.ErrWorkBudget)
	assert.Equal(t, "old.json", se.File)
	assert.NotZero(t, se.Line)
	assert.Regexp(t, `^/definitions/[XYZ]\d+$`, se.Pointer)
	assert.Regexp(t, `^Op\d+$`, se.Operation)
	assert.Regexp(t, `^old\.json:1:\d+: comparing /definitions/[XYZ]\d+ with new\.json /definitions/[XYZ]\d+ \(operation Op\d+\): `+
		`the comparison needs more than \d+ steps, its budget for documents of this size \(8 per byte, plus 16777216\); `+
		`schemas shaped to make comparing them slow\?$`, g.err.Error())
}

// stoppingContext is a context whose Err reports that it is done from its
// calls+1st call on, so that a comparison is stopped where it is at, however
// fast the machine.
type stoppingContext struct {
	context.Context
	calls atomic.Int64
}

func (c *stoppingContext) Err() error {
	if c.calls.Add(-1) < 0 {
		return context.DeadlineExceeded
	}
	return nil
}

// TestHostileStopped: a comparison whose context is done stops with an
// error naming the pair of schemas (or the operation) it was at.
func TestHostileStopped(t *testing.T) {
	old, new := []byte(refChain(20_000, "string")), []byte(refChain(20_000, "integer"))
	t.Run("done before the first operation", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := connectordiff.Compare(ctx, old, new, connectordiff.WithNames("old.json", "new.json"))
		se := stopError(t, err, context.Canceled)
		assert.Equal(t, "A", se.Operation)
		assert.Equal(t, "old.json:1:44: comparing /paths/~1a/get with new.json /paths/~1a/get (operation A): "+
			"the comparison was stopped before it was done: context canceled", err.Error())
	})
	t.Run("done in the middle of a schema", func(t *testing.T) {
		ctx := &stoppingContext{Context: context.Background()}
		// The context is looked at every few thousand steps: the first
		// looks are before the walk (at the operation, and while deciding
		// which references are stable), the 61st is deep in the chain.
		ctx.calls.Store(60)
		_, err := connectordiff.Compare(ctx, old, new, connectordiff.WithNames("old.json", "new.json"))
		se := stopError(t, err, context.DeadlineExceeded)
		assert.Regexp(t, `^/definitions/L\d+$`, se.Pointer)
		assert.Equal(t, se.Pointer, se.NewPointer)
		assert.Regexp(t, `^old\.json:1:\d+: comparing /definitions/L\d+ with new\.json /definitions/L\d+ \(operation A\): `+
			`the comparison was stopped before it was done: context deadline exceeded$`, err.Error())
	})
}

// TestHostileTooManyChanges: past diff.MaxChanges changes in one connector
// the comparison fails, saying so, instead of holding and reporting them.
func TestHostileTooManyChanges(t *testing.T) {
	// Each property of a request body changes 16 keywords: 6,500 of them
	// make 104,000 changes.
	const props = 6500
	body := func(before bool) string {
		v := map[bool][]string{
			true:  {"a", `["a"]`, `"a"`, "1", "1", "false"},
			false: {"b", `["b"]`, `"b"`, "2", "2", "true"},
		}[before]
		var b strings.Builder
		for i := range props {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `"p%d": {"type": "string", "format": %q, "enum": %s, "default": %s, "maxLength": %s, "minLength": %s, `+
				`"maximum": %[5]s, "minimum": %[6]s, "maxItems": %[5]s, "minItems": %[6]s, "maxProperties": %[5]s, "minProperties": %[6]s, `+
				`"pattern": %[2]q, "multipleOf": %[5]s, "uniqueItems": %[7]s, "exclusiveMaximum": %[7]s, "exclusiveMinimum": %[7]s}`,
				i, v[0], v[1], v[2], v[3], v[4], v[5])
		}
		return `{"swagger": "2.0", "paths": {"/a": {"post": {"operationId": "A", "parameters": [{"name": "body", "in": "body", ` +
			`"schema": {"type": "object", "properties": {` + b.String() + `}}}], "responses": {}}}}}`
	}
	g := guardedCompare(t, "too many changes", func(ctx context.Context) (*breaking.Result, error) {
		return connectordiff.Compare(ctx, []byte(body(true)), []byte(body(false)), connectordiff.WithNames("old.json", "new.json"))
	})
	require.True(t, g.ok)
	assert.True(t, g.res == nil, "a result came with the error")
	se := stopError(t, g.err, diff.ErrTooManyChanges)
	assert.Equal(t, "A", se.Operation)
	assert.Regexp(t, `^/paths/~1a/post/parameters/0/schema/properties/p\d+$`, se.Pointer)
	assert.Regexp(t, `^old\.json:1:\d+: comparing /paths/~1a/post/parameters/0/schema/properties/p\d+ with new\.json `+
		`/paths/~1a/post/parameters/0/schema/properties/p\d+ \(operation A\): more than 100000 changes in one connector, `+
		`the most a comparison reports \(the last: [a-z-]+\)$`, g.err.Error())
}

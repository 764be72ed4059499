package diff

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
)

// wideOperation is a definition whose one operation has n query parameters
// named prefix0, prefix1...
func wideOperation(n int, prefix string) string {
	var b strings.Builder
	b.WriteString(`{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/x": {"get": {"operationId": "Get", "parameters": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name": "%s%d", "in": "query", "type": "string"}`, prefix, i)
	}
	b.WriteString(`], "responses": {"200": {"description": "ok"}}}}}}`)
	return b.String()
}

// TestRenamesPairedAtAnyWidth: parameters renamed in place (same position,
// type and required flag) are paired as renames however many there are. The
// pairwise tests used to stop past a budget of candidate pairs (1,200 x 1,200
// was past it), so the same update read as renames when narrow and as
// removals when wide.
func TestRenamesPairedAtAnyWidth(t *testing.T) {
	for _, n := range []int{3, 1200} {
		old := mustLoad(t, "old.json", wideOperation(n, "a"))
		new := mustLoad(t, "new.json", wideOperation(n, "b"))
		changes, err := Compare(context.Background(), old, new)
		require.NoError(t, err)
		kinds := map[Kind]int{}
		for _, c := range changes {
			kinds[c.Kind]++
		}
		assert.Equal(t, map[Kind]int{ParameterRenamed: n}, kinds, "width %d", n)
	}
}

// TestSetPairingWorkGrowsLinearly: an old connectionParameters block of n
// parameters against n sets of the new side pairs the block with a set by
// shared keys; building the block's index once per candidate made this
// quadratic (22 s at 10,000). The bytes allocated for 4n must stay near 4
// times those for n.
func TestSetPairingWorkGrowsLinearly(t *testing.T) {
	allocs := func(n int) float64 {
		var block, sets strings.Builder
		for i := range n {
			if i > 0 {
				block.WriteByte(',')
				sets.WriteByte(',')
			}
			fmt.Fprintf(&block, `"p%d": {"type": "string"}`, i)
			fmt.Fprintf(&sets, `{"name": "s%d", "parameters": {"p%d": {"type": "string"}}}`, i, i)
		}
		op, err := connector.LoadProperties("old.json", []byte(`{"properties": {"connectionParameters": {`+block.String()+`}}}`), connector.LoadOptions{})
		require.NoError(t, err)
		np, err := connector.LoadProperties("new.json", []byte(`{"properties": {"connectionParameterSets": {"values": [`+sets.String()+`]}}}`), connector.LoadOptions{})
		require.NoError(t, err)
		def := mustLoad(t, "d.json", wideOperation(1, "a"))
		oldF := &connector.Folder{Definition: def, Properties: op}
		newF := &connector.Folder{Definition: def, Properties: np}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err = CompareConnectors(context.Background(), oldF, newF)
		runtime.ReadMemStats(&after)
		require.NoError(t, err)
		return float64(after.TotalAlloc - before.TotalAlloc)
	}
	small, large := allocs(300), allocs(1200)
	assert.Less(t, large, 8*small, "bytes allocated: %.0f at 300 sets, %.0f at 1,200", small, large)
}

// Sets removed down to a plain connectionParameters block: the block is not
// a set, so the change counts none after.
func TestSetsRemovedDownToABlockCountNone(t *testing.T) {
	load := func(name, text string) *connector.Properties {
		p, err := connector.LoadProperties(name, []byte(text), connector.LoadOptions{})
		require.NoError(t, err)
		return p
	}
	op := load("old.json", `{"properties": {"connectionParameterSets": {"values": [
		{"name": "key", "parameters": {"api_key": {"type": "securestring"}}},
		{"name": "oauth", "parameters": {"token": {"type": "oauthSetting"}}}]}}}`)
	np := load("new.json", `{"properties": {"connectionParameters": {"api_key": {"type": "securestring"}}}}`)
	def := mustLoad(t, "d.json", wideOperation(1, "a"))
	changes, err := CompareConnectors(context.Background(), &connector.Folder{Definition: def, Properties: op}, &connector.Folder{Definition: def, Properties: np})
	require.NoError(t, err)
	var removed []*Change
	for _, c := range changes {
		if c.Kind == ConnectionParameterSetRemoved {
			removed = append(removed, c)
		}
	}
	require.Len(t, removed, 1)
	assert.Equal(t, []string{"oauth"}, removed[0].Details, "the key set became the block")
	assert.Equal(t, "2", removed[0].Before)
	assert.Equal(t, "none", removed[0].After)
}

package connector

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConnection: with connectionParameterSets, the sets are the ways to
// connect and the top-level block a placeholder; without them, the block is
// the one way. Sets that are not objects are skipped, names made unique.
func TestConnection(t *testing.T) {
	load := func(src string) *Properties {
		p, err := LoadProperties("apiProperties.json", []byte(src), LoadOptions{})
		require.NoError(t, err)
		return p
	}
	names := func(c Connection) []string {
		var out []string
		for _, s := range c.Sets {
			out = append(out, s.Name)
		}
		return out
	}

	sets := load(`{"properties": {"connectionParameters": {"token": {"type": "oauthSetting"}},
		"connectionParameterSets": {"values": [
			{"name": "us", "parameters": {"token": {"type": "oauthSetting"}}},
			"not a set",
			{"name": "us", "parameters": {}},
			{"parameters": {"key": {"type": "securestring"}}}]}}}`).Connection()
	assert.True(t, sets.FromSets)
	assert.True(t, sets.Defined())
	assert.Equal(t, []string{"us", "us #2", "#4"}, names(sets))
	assert.Equal(t, "/properties/connectionParameterSets/values/3/parameters", sets.Sets[2].ParametersPointer)
	assert.Equal(t, 1, sets.Sets[2].Parameters.Len())

	block := load(`{"properties": {"connectionParameters": {"api_key": {"type": "securestring"}}}}`).Connection()
	assert.False(t, block.FromSets)
	assert.True(t, block.Defined())
	require.Len(t, block.Sets, 1)
	assert.Nil(t, block.Sets[0].Node, "the block is no set of its own")
	assert.Equal(t, "/properties/connectionParameters", block.Sets[0].ParametersPointer)

	for _, src := range []string{`{"properties": {}}`, `{"properties": {"connectionParameters": {}}}`,
		`{"properties": {"connectionParameterSets": {"values": "hostile"}}}`} {
		c := load(src).Connection()
		assert.False(t, c.FromSets, src)
		assert.False(t, c.Defined(), "%s defines no connection", src)
	}
	var none *Properties
	assert.False(t, none.Connection().Defined(), "a missing file defines no connection")
	require.Len(t, none.Connection().Sets, 1)
}

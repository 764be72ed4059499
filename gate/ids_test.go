package gate

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff/breaking"
)

// Two connectors of one result never share an id, even where their folders
// would make them (a folder a move empties and the change fills again).
func TestDistinctAcrossConnectors(t *testing.T) {
	const id = "0123456789abcdef"
	out := &breaking.Result{Connectors: []breaking.ConnectorResult{
		{Folder: "c/a", Findings: []breaking.Finding{{ID: id, Rule: breaking.OperationRemoved}, {ID: "1111111111111111"}}},
		{Folder: "c/a", Findings: []breaking.Finding{{ID: id, Rule: breaking.OperationRemoved}}},
	}, PolicyFindings: []breaking.Finding{{ID: "2222222222222222"}}}
	distinctAcross(out)
	a, b := out.Connectors[0].Findings[0].ID, out.Connectors[1].Findings[0].ID
	assert.NotEqual(t, a, b)
	assert.True(t, breaking.ValidID(a) && breaking.ValidID(b))
	assert.Equal(t, "1111111111111111", out.Connectors[0].Findings[1].ID, "an id no other shares is kept")
	assert.Equal(t, "2222222222222222", out.PolicyFindings[0].ID)
}

package breaking

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// TestCertificationNeverLaxerWithoutEvidence: the validator's level of a
// rule is below the users' only where the rule's documentation cites the
// evidence (the catalog shows it with the level).
func TestCertificationNeverLaxerWithoutEvidence(t *testing.T) {
	evidence := map[string]string{
		RequirementRelaxed: "has no message for an input made optional",
	}
	for _, r := range Rules() {
		if r.Certification >= r.Level {
			continue
		}
		cite, ok := evidence[r.ID]
		if assert.True(t, ok, "%s: certification %s is below users' %s without evidence", r.ID, r.Certification, r.Level) {
			assert.Contains(t, r.Doc, cite, "%s: the catalog must cite the evidence", r.ID)
		}
	}
}

// TestValidatorIgnoresVisibility: under certification, an internal input
// lowers nothing the validator reports, while users' levels still weigh it.
func TestValidatorIgnoresVisibility(t *testing.T) {
	cert, err := NewProfilePolicy(ProfileCertification, nil)
	require.NoError(t, err)
	users, err := NewPolicy(nil)
	require.NoError(t, err)
	op := []diff.OperationRef{{ID: "GetItems"}}
	internal := diff.Facts{Internal: true}
	for _, c := range []*diff.Change{
		{Kind: diff.ParameterRemoved, Where: diff.InParameter, Operations: op, Facts: internal},
		{Kind: diff.ParameterRenamed, Where: diff.InParameter, Operations: op, Facts: internal},
		{Kind: diff.TypeChanged, Where: diff.InParameter, Operations: op, Before: "string", After: "integer", Facts: internal},
		{Kind: diff.TypeChanged, Where: diff.InRequestBody, Operations: op, Before: "object", After: "", Facts: internal},
		{Kind: diff.EnumChanged, Where: diff.InParameter, Operations: op, Facts: diff.Facts{Internal: true, EnumRemoved: []string{`"a"`}}},
		{Kind: diff.PropertyRemoved, Where: diff.InRequestBody, Operations: op, Facts: internal},
		{Kind: diff.ParameterAdded, Where: diff.InParameter, Operations: op, Facts: diff.Facts{Internal: true, Required: true, HasDefault: true}},
	} {
		u := users.Classify([]*diff.Change{c})
		v := cert.Classify([]*diff.Change{c})
		require.Len(t, u, 1)
		require.Len(t, v, 1)
		assert.Less(t, u[0].Level, Breaking, "%s: internal lowers users' level", v[0].Rule)
		assert.Equal(t, Breaking, v[0].Level, "%s: the validator ignores x-ms-visibility", v[0].Rule)
		assert.Equal(t, Breaking, u[0].Certification, "%s: every finding says what the validator gives it", v[0].Rule)
	}
}

// TestValidatorWording: the validator's message for a required input added
// with a default is its own (#1890).
func TestValidatorWording(t *testing.T) {
	p, err := NewProfilePolicy(ProfileCertification, nil)
	require.NoError(t, err)
	op := []diff.OperationRef{{ID: "GetItems"}}
	at := &connector.Location{Pointer: "/paths/~1items/get/parameters/0"}
	for _, tc := range []struct {
		change *diff.Change
		want   string
	}{
		{&diff.Change{Kind: diff.ParameterAdded, Where: diff.InParameter, Operations: op, New: at,
			Facts: diff.Facts{Internal: true, Required: true, HasDefault: true}}, "The required input field has been added with default value."},
		{&diff.Change{Kind: diff.PropertyAdded, Where: diff.InRequestBody, Operations: op, New: at,
			Facts: diff.Facts{Required: true, HasDefault: true}}, "The required input field has been added with default value."},
		{&diff.Change{Kind: diff.PropertyAdded, Where: diff.InRequestBody, Operations: op, New: at,
			Facts: diff.Facts{Required: true}}, validatorRequiredField},
		{&diff.Change{Kind: diff.ProducesChanged, Where: diff.InOperation, Operations: op, Before: "application/json", After: "text/html",
			Facts: diff.Facts{FallsBack: true, Disjoint: true}}, "produces option has been removed"},
	} {
		fs := p.Classify([]*diff.Change{tc.change})
		require.Len(t, fs, 1)
		assert.Equal(t, tc.want, fs[0].ValidatorMessage, fs[0].Rule)
		assert.Equal(t, Breaking, fs[0].Level, fs[0].Rule)
	}
}

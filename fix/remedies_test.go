package fix

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff/breaking"
)

// Every mechanical remedy a rule prescribes is one fix can plan: the
// round's own kinds (restore an operation or its id, version a route) or an
// in-place plan.
func TestEveryRemedyOfTheTableHasAPlan(t *testing.T) {
	round := map[breaking.RemedyKind]bool{breaking.RemedyRestoreOperation: true, breaking.RemedyRestoreOperationID: true,
		breaking.RemedyVersionOperation: true}
	for _, r := range breaking.Rules() {
		k := r.Remedy.Kind
		if !k.Mechanical() {
			continue
		}
		assert.True(t, round[k] || planInPlace[k] != nil, "%s: fix has no plan for its remedy kind %d", r.ID, k)
		assert.False(t, round[k] && planInPlace[k] != nil, "%s: remedy kind %d is planned twice", r.ID, k)
	}
}

// A finding of a rule without a mechanical remedy, or of a rule the table
// does not know, is declined, not planned.
func TestRemedyKindOfFindings(t *testing.T) {
	assert.Equal(t, breaking.RemedyRestoreOperation, remedyKind(breaking.Finding{Rule: breaking.OperationRemoved}))
	assert.Equal(t, breaking.RemedyManual, remedyKind(breaking.Finding{Rule: breaking.SecurityChanged}))
	assert.Equal(t, breaking.RemedyNone, remedyKind(breaking.Finding{Rule: breaking.OperationAdded}))
	assert.Equal(t, breaking.RemedyNone, remedyKind(breaking.Finding{Rule: "no-such-rule"}))
}

func TestBump(t *testing.T) {
	for in, want := range map[string]string{"1.0": "1.1", "1.9": "1.10", "v2.3.1": "v2.3.2", "1.0.0-beta": "1.0.1-beta", "next": ""} {
		assert.Equal(t, want, bump(in), in)
	}
}

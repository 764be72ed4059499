package breaking

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every rule that can be breaking, for users or for the validator, says
// what fix does for it; a rule that never is says there is nothing to
// repair, and prescribes no edit.
func TestEveryBreakingRuleStatesItsRemedy(t *testing.T) {
	for _, r := range Rules() {
		canBreak := r.Level >= Breaking || r.Certification >= Breaking
		if canBreak {
			assert.NotEqual(t, RemedyNone, r.Remedy.Kind, "%s can be breaking, and its row says nothing of fix", r.ID)
			assert.NotEqual(t, neverBreaksDoc, r.Remedy.Doc, r.ID)
		} else {
			assert.Equal(t, Remedy{Doc: neverBreaksDoc}, r.Remedy, "%s is never breaking, yet has a remedy", r.ID)
		}
		assert.NotEmpty(t, r.Remedy.Doc, r.ID)
	}
}

func TestMechanicalRemedies(t *testing.T) {
	assert.False(t, RemedyNone.Mechanical())
	assert.False(t, RemedyManual.Mechanical())
	assert.True(t, RemedyRestoreOperation.Mechanical())
	assert.True(t, RemedyRaiseVersion.Mechanical())
}

package fix

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff/breaking"
)

// Every rule that can be breaking, for users or for the validator, says
// what fix does for it, and the table names no other rule.
func TestRemediesCoverTheBreakingRules(t *testing.T) {
	breakingRules := map[string]bool{}
	for _, r := range breaking.Rules() {
		if r.Level >= breaking.Breaking || r.Certification >= breaking.Breaking {
			breakingRules[r.ID] = true
			assert.Contains(t, remedies, r.ID, "%s can be breaking, and fix says nothing of it", r.ID)
		}
	}
	for id, r := range remedies {
		if _, known := breaking.Lookup(id); !known && r.how == human {
			continue // a rule of the repository gate, which only builds with it have
		}
		assert.True(t, breakingRules[id], "%s is in the remedy table but never breaking", id)
		assert.NotEmpty(t, r.doc, id)
		if r.how == inPlace {
			assert.NotNil(t, r.plan, id)
		}
	}
	assert.Equal(t, "Nothing to repair: the rule is never breaking.", Describe("operation-added"))
	assert.True(t, Fixable("operation-removed"))
	assert.False(t, Fixable("security-changed"))
}

func TestBump(t *testing.T) {
	for in, want := range map[string]string{"1.0": "1.1", "1.9": "1.10", "v2.3.1": "v2.3.2", "1.0.0-beta": "1.0.1-beta", "next": ""} {
		assert.Equal(t, want, bump(in), in)
	}
}

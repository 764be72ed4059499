package breaking

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/diff"
)

// A rule's first note whose condition holds words the finding; a rule
// without notes leaves it out.
func TestReleaseNotePicksTheFirstThatHolds(t *testing.T) {
	r, ok := Lookup(ResponsePropertyRemoved)
	require.True(t, ok)
	moved := Finding{Rule: r.ID, Change: &diff.Change{Kind: diff.PropertyRemoved, After: "items/title"}}
	assert.Equal(t, "output {field} renamed to {after}.", r.ReleaseNote(&moved).Phrase)
	gone := Finding{Rule: r.ID, Change: &diff.Change{Kind: diff.PropertyRemoved}}
	n := r.ReleaseNote(&gone)
	assert.Equal(t, SectionRemoved, n.Section)
	assert.Equal(t, "output {field}.", n.Phrase)

	r, _ = Lookup(RequestBodyTypeChanged)
	format := Finding{Change: &diff.Change{Kind: diff.FormatChanged}}
	assert.Contains(t, r.ReleaseNote(&format).Phrase, "format of input")
	typ := Finding{Change: &diff.Change{Kind: diff.TypeChanged}}
	assert.Equal(t, "input {field} is now {after-type} (was {before-type}).", r.ReleaseNote(&typ).Phrase)

	r, _ = Lookup(VersionNotBumped)
	assert.Equal(t, ReleaseNote{}, r.ReleaseNote(&Finding{}))
}

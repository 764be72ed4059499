package corpus

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHistoryRepo builds the corpus history (under CONNECTORDIFF_LONG=1, or
// into CONNECTORDIFF_HISTORY_REPO) and checks it has the size of the
// public one.
func TestHistoryRepo(t *testing.T) {
	dir := os.Getenv(HistoryEnvVar)
	if dir == "" {
		if os.Getenv("CONNECTORDIFF_LONG") == "" {
			t.Skip("builds a repository of 1,600 commits: set CONNECTORDIFF_LONG=1, or " + HistoryEnvVar + "=DIR to keep it")
		}
		dir = t.TempDir()
	}
	s := HistoryRepo(t, dir)
	t.Logf("%s: %+v", dir, s)
	assert.InDelta(t, 1600, s.Commits, 100)
	assert.InDelta(t, 1000, s.Connectors, 100)
	assert.InDelta(t, 1040, s.Updates, 150)
	assert.Positive(t, s.Merges)
	assert.Positive(t, s.Removals)
}

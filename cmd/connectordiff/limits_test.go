package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff/internal/gittest"
)

// --max-connectors: a change past it fails with exit 2 and says how to
// raise the limit; raised, the same change is compared.
func TestMaxConnectorsFlag(t *testing.T) {
	r := gittest.New(t)
	r.Write("README.md", "connectors\n")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	for i := range 3 {
		r.CopyFolder(folderNew, fmt.Sprintf("connectors/c%d", i))
	}
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "three")

	code, out, stderr := runIn(r.Dir, "compare", "--base", "main", "--head", "feature", "--max-connectors", "2")
	assert.Equal(t, exitError, code, out)
	assert.Contains(t, stderr, "change too large to compare: it touches more than 2 connector folders")
	assert.Contains(t, stderr, "--max-connectors N")
	code, out, stderr = runIn(r.Dir, "compare", "--base", "main", "--max-connectors", "2")
	assert.Equal(t, exitError, code, "the work tree: %s", out)
	assert.Contains(t, stderr, "more than 2 connector folders")
	code, out, stderr = runIn(r.Dir, "compare", "--base", "main", "--head", "feature", "--max-connectors", "3")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "3 connectors: 3 added")
}

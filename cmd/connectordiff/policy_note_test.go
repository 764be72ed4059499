package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// A policy file changed in the work tree but not committed is not what
// --head compares: one line says so, instead of silently leaving it out.
func TestUncommittedPolicyWithHeadIsNoted(t *testing.T) {
	r := gateRepo(t)
	const note = "has uncommitted changes, which --head feature does not see"
	code, _, stderr := runIn(r.Dir, "compare", "--base", "main", "--head", "feature")
	assert.Equal(t, exitFindings, code, stderr)
	assert.NotContains(t, stderr, note, "nothing uncommitted, nothing to say")

	r.Write(".connectordiff.yaml", "levels:\n  operation-removed: warning\n")
	r.Write("connectors/contoso/.connectordiff.yaml", "levels:\n  parameter-enum-narrowed: warning\n")
	code, _, stderr = runIn(r.Dir, "compare", "--base", "main", "--head", "feature")
	assert.Equal(t, exitFindings, code, stderr)
	assert.Contains(t, stderr, "connectordiff: note: .connectordiff.yaml "+note)
	assert.Contains(t, stderr, "connectordiff: note: connectors/contoso/.connectordiff.yaml "+note)
	assert.Equal(t, 2, strings.Count(stderr, note), stderr)

	// Committed, the head sees it: nothing to say.
	r.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "policy")
	code, _, stderr = runIn(r.Dir, "compare", "--base", "main", "--head", "feature")
	assert.NotContains(t, stderr, note)
	assert.Equal(t, exitFindings, code, stderr)

	// Without --head the work tree is compared, policy included.
	r.Write(".connectordiff.yaml", "levels:\n  operation-removed: info\n")
	_, _, stderr = runIn(r.Dir, "compare", "--base", "main")
	assert.NotContains(t, stderr, "uncommitted")
}

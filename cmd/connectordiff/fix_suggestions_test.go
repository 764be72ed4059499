package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fix --format suggestions: the line ranges of NEW and their replacements
// give what --format file writes, byte for byte; the findings left to a
// human come with their reasons; nothing goes to standard error.
func TestFixSuggestionsFormat(t *testing.T) {
	newText, err := os.ReadFile(exampleNew)
	require.NoError(t, err)
	code, fixed, _ := runCLI("fix", exampleOld, exampleNew)
	require.Equal(t, exitFindings, code)

	code, stdout, stderr := runCLI("fix", "--format", "suggestions", exampleOld, exampleNew)
	assert.Equal(t, exitFindings, code, "one finding is left, as with the other formats")
	assert.Empty(t, stderr, "the suggestions are the whole output")
	var s struct {
		File  string
		Hunks []struct {
			StartLine, EndLine int
			Replacement        string
			Suggestion         *string
		}
		Fixed   []struct{ Rule string }
		Unfixed []struct{ Rule, OperationID, Reason string }
		Patch   *string
		Mark    string `json:"markdown"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &s))
	assert.Equal(t, exampleNew, s.File)
	require.NotEmpty(t, s.Hunks)
	lines := strings.SplitAfter(string(newText), "\n")
	var got strings.Builder
	next := 1
	for _, h := range s.Hunks {
		require.LessOrEqual(t, next, h.StartLine)
		require.LessOrEqual(t, h.StartLine, h.EndLine)
		require.NotNil(t, h.Suggestion)
		assert.Equal(t, strings.TrimSuffix(h.Replacement, "\n"), *h.Suggestion)
		got.WriteString(strings.Join(lines[next-1:h.StartLine-1], "") + h.Replacement)
		next = h.EndLine + 1
	}
	got.WriteString(strings.Join(lines[next-1:], ""))
	assert.Equal(t, fixed, got.String())
	assert.Len(t, s.Fixed, 3)
	require.Len(t, s.Unfixed, 1)
	assert.Equal(t, "CreateTask", s.Unfixed[0].OperationID)
	assert.Contains(t, s.Unfixed[0].Reason, "no default is safe")
	require.NotNil(t, s.Patch)
	assert.Contains(t, *s.Patch, "+++ b/"+exampleNew+"\n@@ ")
	assert.Contains(t, s.Mark, "fix 3 of 4 breaking findings; 1 left to you")
	assert.Contains(t, s.Mark, "Why: "+s.Unfixed[0].Reason[:20])

	code, stdout, _ = runCLI("fix", "--format", "suggestions", exampleOld, exampleOld)
	assert.Equal(t, exitOK, code)
	require.NoError(t, json.Unmarshal([]byte(stdout), &s))
	assert.Empty(t, s.Hunks)
	assert.Contains(t, s.Mark, "nothing to fix")
}

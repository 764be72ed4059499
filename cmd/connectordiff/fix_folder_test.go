package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/internal/corpus"
)

// copyFolder copies the files of folder from into a new folder.
func copyFolder(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	entries, err := os.ReadDir(from)
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(to, e.Name()), data, 0o644))
	}
	return to
}

// fix takes connector folders: on Snowflake's update it versions
// GetResults, writes the fixed definition into the folder -o names, and
// names the comparisons in script.csx that route on GetResults, whose new
// shape is GetResultsV2 now. Given a folder and a file, it says so.
func TestFixConnectorFolders(t *testing.T) {
	pair := filepath.Join(corpus.Dir(t), "pairs", "certified--snowflake-v2", "bd439d5b14..590ca87116")
	out := copyFolder(t, filepath.Join(pair, "new"))
	code, stdout, stderr := runCLI("fix", filepath.Join(pair, "old"), filepath.Join(pair, "new"), "-o", out)
	assert.Equal(t, exitFindings, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "9 of 10 breaking findings fixed")
	assert.Contains(t, stderr, "script.csx routes on operations fix gave new ids")
	assert.Contains(t, stderr, "  line 79: if(Context.OperationId == OP_GET_RESULTS)\n"+
		"    GetResults is the old revision now: add a branch for GetResultsV2, the new shape\n")

	fixed, err := os.ReadFile(filepath.Join(out, "apiDefinition.swagger.json"))
	require.NoError(t, err)
	code, fromFiles, _ := runCLI("fix", filepath.Join(pair, "old", "apiDefinition.swagger.json"), filepath.Join(pair, "new", "apiDefinition.swagger.json"))
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, fromFiles, string(fixed), "the folder gets the definition a fix of the files writes")
	props, err := os.ReadFile(filepath.Join(out, "apiProperties.json"))
	require.NoError(t, err)
	orig, err := os.ReadFile(filepath.Join(pair, "new", "apiProperties.json"))
	require.NoError(t, err)
	assert.Equal(t, string(orig), string(props), "no scriptOperations, nothing to change")

	code, _, stderr = runCLI("fix", filepath.Join(pair, "old"), filepath.Join(pair, "new"), "-o", filepath.Join(out, "apiDefinition.swagger.json"))
	assert.Equal(t, exitError, code)
	assert.True(t, strings.Contains(stderr, "name a folder"), stderr)
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFixFormats(t *testing.T) {
	newText, err := os.ReadFile(exampleNew)
	require.NoError(t, err)

	code, stdout, stderr := runCLI("fix", exampleOld, exampleNew)
	assert.Equal(t, exitFindings, code, "the example leaves one finding to a human")
	assert.True(t, json.Valid([]byte(stdout)), "the fixed definition is JSON")
	assert.NotEqual(t, string(newText), stdout)
	assert.Contains(t, stdout, `"operationId": "GetTask",`)
	assert.Contains(t, stderr, "3 of 4 breaking findings fixed, 1 left to you")
	assert.Contains(t, stderr, "request-body-required-added")

	code, stdout, stderr = runCLI("fix", "--format", "json-patch", exampleOld, exampleNew)
	assert.Equal(t, exitFindings, code)
	var patch []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &patch))
	require.Len(t, patch, 3)
	assert.Equal(t, map[string]any{"op": "replace", "path": "/paths/~1tasks~1{taskId}/get/operationId", "value": "GetTask"}, patch[0])
	assert.Contains(t, stderr, "Fixed:")

	code, stdout, stderr = runCLI("fix", "--format", "json", exampleOld, exampleNew)
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, stderr, "the json summary is the whole output")
	var summary struct {
		Fixed   []struct{ Rule, OperationID, Remedy string }
		Unfixed []struct{ Rule, OperationID, Reason string }
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &summary))
	assert.Len(t, summary.Fixed, 3)
	require.Len(t, summary.Unfixed, 1)
	assert.Equal(t, "request-body-required-added", summary.Unfixed[0].Rule)
	assert.Equal(t, "CreateTask", summary.Unfixed[0].OperationID)
	assert.Contains(t, summary.Unfixed[0].Reason, "no default is safe")
}

func TestFixExitStatus(t *testing.T) {
	dir := t.TempDir()
	yaml := filepath.Join(dir, "new.yaml")
	require.NoError(t, os.WriteFile(yaml, []byte("swagger: \"2.0\"\ninfo: {title: T, version: \"1\"}\npaths: {}\n"), 0o644))
	tests := []struct {
		name   string
		args   []string
		want   int
		stderr string
	}{
		{"nothing breaks", []string{"fix", exampleOld, exampleOld}, exitOK, "nothing to fix"},
		{"only fixable rules selected", []string{"fix", "--only", "operation-id-changed,parameter-enum-narrowed", exampleOld, exampleNew}, exitOK, "skipped (--only)"},
		{"something left", []string{"fix", exampleOld, exampleNew}, exitFindings, "left to you"},
		{"unknown rule", []string{"fix", "--only", "no-such-rule", exampleOld, exampleNew}, exitError, "unknown rule id no-such-rule"},
		{"unknown format", []string{"fix", "--format", "yaml", exampleOld, exampleNew}, exitError, `want file, json-patch, json or suggestions`},
		{"bad hide", []string{"fix", "--hide", "none", exampleOld, exampleNew}, exitError, "want internal or advanced"},
		{"one argument", []string{"fix", exampleOld}, exitError, "two definition files"},
		{"a folder and a file", []string{"fix", "../../testdata/connector/old", exampleNew}, exitError, "two connector folders or two definition files, not one of each"},
		{"YAML", []string{"fix", exampleOld, yaml}, exitError, "fix edits JSON definitions"},
		{"missing file", []string{"fix", exampleOld, "no-such.json"}, exitError, "no-such.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(tt.args...)
			assert.Equal(t, tt.want, code, "stderr: %s", stderr)
			assert.Contains(t, stderr, tt.stderr)
		})
	}
}

func TestFixWritesTheOutputFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "fixed.json")
	code, stdout, _ := runCLI("fix", "-o", out, "--only", "operation-id-changed", exampleOld, exampleNew)
	assert.Equal(t, exitOK, code)
	assert.Empty(t, stdout)
	fixed, err := os.ReadFile(out)
	require.NoError(t, err)
	newText, err := os.ReadFile(exampleNew)
	require.NoError(t, err)
	// One edit: the operationId, and not a byte more.
	assert.Equal(t, strings.Replace(string(newText), `"operationId": "GetTaskById"`, `"operationId": "GetTask"`, 1), string(fixed))
}

func TestFixReadsStandardInput(t *testing.T) {
	old, err := os.ReadFile(exampleOld)
	require.NoError(t, err)
	var out, errOut bytes.Buffer
	code := runEnv([]string{"fix", "--format", "json", "-", exampleNew}, env{stdin: bytes.NewReader(old), stdout: &out, stderr: &errOut})
	assert.Equal(t, exitFindings, code, errOut.String())
	assert.Contains(t, out.String(), `"old": "-"`)
}

// README.md shows what fix prints for the example pair and the lines it
// changes; both must stay what the command does.
func TestReadmeFixExampleIsCurrent(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, after, ok := bytes.Cut(readme, []byte("writes `fixed.json` and prints"))
	require.True(t, ok, "README.md lost its fix example")
	_, block, ok := bytes.Cut(after, []byte("```\n"))
	require.True(t, ok)
	summary, rest, ok := bytes.Cut(block, []byte("```"))
	require.True(t, ok)
	out := filepath.Join(t.TempDir(), "fixed.json")
	code, _, stderr := runCLI("fix", exampleOld, exampleNew, "-o", out)
	assert.Equal(t, exitFindings, code, "the README says the example exits 1")
	assert.Equal(t, string(summary), stderr)

	_, diffBlock, ok := bytes.Cut(rest, []byte("```diff\n"))
	require.True(t, ok)
	diffBlock, _, _ = bytes.Cut(diffBlock, []byte("```"))
	fixed, err := os.ReadFile(out)
	require.NoError(t, err)
	newText, err := os.ReadFile(exampleNew)
	require.NoError(t, err)
	for _, line := range strings.Split(string(diffBlock), "\n") {
		switch {
		case strings.HasPrefix(line, "+"):
			assert.Contains(t, string(fixed), line[1:]+"\n", "README shows a line fix does not write")
		case strings.HasPrefix(line, "-"):
			assert.Contains(t, string(newText), line[1:]+"\n", "README shows a line new.json does not have")
		}
	}
}

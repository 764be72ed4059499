package integrations_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gateOnGitHub runs gate.sh in a GitHub Actions job on the repository in
// dir and returns its exit status, stdout, the job summary and the step
// outputs.
func gateOnGitHub(t *testing.T, dir string, env ...string) (int, string, string, map[string]string) {
	t.Helper()
	bin := actionBinary(t)
	out := t.TempDir()
	summary, outputs := filepath.Join(out, "summary.md"), filepath.Join(out, "outputs")
	code, stdout, stderr := shell(t, "sh", `sh "$GATE"`, dir, append([]string{"GATE=" + absPath(t, "gate.sh"), "CONNECTORDIFF=" + bin,
		"CONNECTORDIFF_BASE=main", "CONNECTORDIFF_OUT=" + filepath.Join(out, "report"), "GITHUB_ACTIONS=true",
		"GITHUB_STEP_SUMMARY=" + summary, "GITHUB_OUTPUT=" + outputs}, env...)...)
	md, _ := os.ReadFile(summary)
	got := map[string]string{}
	data, err := os.ReadFile(outputs)
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		got[k] = v
	}
	return code, stdout + stderr, string(md), got
}

// A connector whose definition does not parse: the others are judged, the
// broken one is annotated at its line, the reports are written and read,
// and the job fails with exit status 2.
func TestGateScriptWithAnUnreadableConnector(t *testing.T) {
	needs(t, "sh", "git")
	origin, _ := prRepo(t)
	origin.Write("connectors/other one/apiDefinition.swagger.json", "{\"swagger\": \"2.0\",\n \"info\": {")
	origin.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "break another connector")
	code, log, summary, outputs := gateOnGitHub(t, origin.Dir)
	assert.Equal(t, 2, code, log)
	assert.Contains(t, log, "::error file=connectors/other one/apiDefinition.swagger.json,line=2,col=")
	assert.Contains(t, log, ",title=connector-error::connectors/other one: could not be compared: ")
	assert.Contains(t, log, "title=parameter-enum-narrowed::", "the connector that could be read is judged")
	assert.Contains(t, summary, "| connectors/other one | error | ⚠️ not compared |")
	for _, k := range []string{"markdown", "sarif", "json"} {
		assert.FileExists(t, outputs[k], "the %s report", k)
	}
	assert.Equal(t, "2", outputs["exit-code"])
}

// A run that could not compare at all writes no report: the step says so
// in an annotation and the job summary, and its outputs name no file for
// the SARIF upload or the comment to read.
func TestGateScriptWithoutAReport(t *testing.T) {
	needs(t, "sh", "git")
	origin, _ := prRepo(t)
	code, log, summary, outputs := gateOnGitHub(t, origin.Dir, "CONNECTORDIFF_PROFILE=nobody")
	assert.Equal(t, 2, code, log)
	assert.Contains(t, log, "::error title=connectordiff::connectordiff could not compare (exit status 2) and wrote no report")
	assert.Contains(t, summary, "## ⚠️ connectordiff could not compare")
	assert.Equal(t, "2", outputs["exit-code"])
	for _, k := range []string{"markdown", "sarif", "json"} {
		v, ok := outputs[k]
		assert.True(t, ok, "the output %s is set", k)
		assert.Empty(t, v, "no %s report to point at", k)
	}
}

package integrations_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fix.sh in an Azure Pipelines job, as the template runs it with
// fixArtifact: outside a pull request $(System.PullRequest.SourceCommitId)
// stays as written, so it fixes HEAD and says so; the artifact's folder
// holds the fixed definition (fix's output), its JSON Patch and its
// suggestions, fix.json says it is fixed in part, and summary.md goes to
// the run's summary.
func TestFixScriptOnAzurePipelines(t *testing.T) {
	r, path := examplePR(t, "connectors/example", same)
	bin := actionBinary(t)
	dir := t.TempDir()
	report, out := filepath.Join(dir, "report"), filepath.Join(dir, "staging", "connectordiff-fix")
	env := []string{"CONNECTORDIFF=" + bin, "TF_BUILD=True", "CONNECTORDIFF_BASE=main", "CONNECTORDIFF_OUT=" + report,
		"CONNECTORDIFF_REPORT=" + filepath.Join(report, "connectordiff.json"), "CONNECTORDIFF_FIX_OUT=" + out,
		"CONNECTORDIFF_HEAD=$(System.PullRequest.SourceCommitId)", "CONNECTORDIFF_CI=azure",
		"GATE=" + absPath(t, "gate.sh"), "FIX=" + absPath(t, "fix.sh")}
	code, stdout, stderr := shell(t, "sh", `sh "$GATE"`, r.Dir, env...)
	require.Equal(t, 1, code, stdout+stderr)
	// A file the pull request planted where the output goes is removed.
	require.NoError(t, os.MkdirAll(filepath.Join(out, "fixed"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(out, "fixed", "planted.json"), []byte("{}"), 0o644))
	code, stdout, stderr = shell(t, "sh", `sh "$FIX"`, r.Dir, env...)
	require.Equal(t, 0, code, stdout+stderr)
	assert.Contains(t, stderr, "CONNECTORDIFF_HEAD is not a commit of this clone: fixing HEAD")
	assert.Equal(t, "##vso[task.uploadsummary]"+out+"/summary.md\n", stdout)
	assert.NoFileExists(t, filepath.Join(out, "fixed", "planted.json"))

	fixed, err := os.ReadFile(filepath.Join(out, "fixed", path))
	require.NoError(t, err)
	assert.True(t, string(fixed) == fixOutput(t, r, path), "fixed/ holds fix's output")
	var patch []struct{ Op, Path string }
	data, err := os.ReadFile(filepath.Join(out, "patch", path+".json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &patch))
	assert.Len(t, patch, 3)
	var index struct {
		Head, Base string
		Connectors []struct{ Path, OldPath, Status string }
	}
	data, err = os.ReadFile(filepath.Join(out, "fix.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &index))
	assert.Equal(t, strings.TrimSpace(r.Git(time.Time{}, "rev-parse", "HEAD")), index.Head)
	assert.Equal(t, strings.TrimSpace(r.Git(time.Time{}, "rev-parse", "main")), index.Base)
	require.Len(t, index.Connectors, 1)
	assert.Equal(t, "partial", index.Connectors[0].Status)
	assert.Equal(t, path, index.Connectors[0].Path)
	summary, err := os.ReadFile(filepath.Join(out, "summary.md"))
	require.NoError(t, err)
	assert.Contains(t, string(summary), "Left to you:")

	// A link where the output goes is refused, not followed.
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(t.TempDir(), link))
	code, _, stderr = shell(t, "sh", `sh "$FIX"`, r.Dir, append(env, "CONNECTORDIFF_FIX_OUT="+link)...)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "CONNECTORDIFF_FIX_OUT is a symbolic link")
}

// A policy that accepts one of a connector's breaking findings: fix.sh
// fixes only the rules of the others, so the review does not suggest
// undoing a break the reviewers accepted.
func TestFixScriptLeavesAcceptedBreaks(t *testing.T) {
	r, _ := examplePR(t, "connectors/example", same)
	r.Write(".connectordiff.yaml", "accept:\n  - rule: parameter-enum-narrowed\n    operation: ListTasks\n    reason: archived is gone for good\n")
	r.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "accept")
	gate, run := pushSuggest(t, r, nil)
	require.Equal(t, 1, gate, run.gateLog)
	require.Equal(t, 0, run.code, run.logs)
	var s struct {
		Fixed, Skipped []struct{ Rule string }
	}
	data, err := os.ReadFile(filepath.Join(run.fixOut, "suggestions", "connectors/example/apiDefinition.swagger.json.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &s))
	var fixed, skipped []string
	for _, f := range s.Fixed {
		fixed = append(fixed, f.Rule)
	}
	for _, f := range s.Skipped {
		skipped = append(skipped, f.Rule)
	}
	assert.NotContains(t, fixed, "parameter-enum-narrowed")
	assert.Equal(t, []string{"parameter-enum-narrowed"}, skipped)
	assert.Contains(t, fixed, "operation-id-changed")
	require.Len(t, run.posted, 1)
	for _, c := range run.posted[0].Comments {
		assert.NotContains(t, c.Body, "archived")
	}
	assert.Contains(t, run.posted[0].Body, "Not fixed: 1 breaking finding of rules left out (--only).")
}

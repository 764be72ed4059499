package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/internal/gittest"
)

// gateRepo is a repository whose branch feature changes connectors/contoso
// (breaking) and adds docs/readme.md, from main.
func gateRepo(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	r.CopyFolder(folderOld, "connectors/contoso")
	r.CopyFolder(folderOld, "other/unchanged")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.CopyFolder(folderNew, "connectors/contoso")
	r.Write("docs/readme.md", "not a connector\n")
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "change")
	return r
}

func runIn(dir string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := runEnv(args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, dir: dir})
	return code, out.String(), errOut.String()
}

func TestCompareBase(t *testing.T) {
	r := gateRepo(t)

	code, out, stderr := runIn(r.Dir, "compare", "--base", "main")
	assert.Equal(t, exitFindings, code, stderr)
	assert.True(t, strings.HasPrefix(out, "main (merge base "), out)
	assert.Contains(t, out, "1 connector: 1 changed")
	assert.Regexp(t, `(?m)^  connectors/contoso  changed   BREAKING\s+6\s+3$`, out)
	assert.NotContains(t, out, "other/unchanged", "an untouched connector is not compared")
	assert.Empty(t, stderr, "no progress line when stderr is not a terminal")

	// JSON: schemaVersion 2, the connectors, the exit status unchanged.
	code, out, _ = runIn(r.Dir, "compare", "--base", "main", "--head", "feature", "--format", "json")
	assert.Equal(t, exitFindings, code)
	var doc struct {
		SchemaVersion int `json:"schemaVersion"`
		Head          string
		Connectors    []struct{ Folder, Status string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, 2, doc.SchemaVersion)
	assert.Equal(t, "feature", doc.Head)
	require.Len(t, doc.Connectors, 1)
	assert.Equal(t, "connectors/contoso", doc.Connectors[0].Folder)

	// --fail-on, -C from elsewhere, PATH limiting the search.
	code, _, _ = runIn(r.Dir, "compare", "--base", "main", "--fail-on", "off")
	assert.Equal(t, exitOK, code)
	code, out, _ = runIn(t.TempDir(), "compare", "-C", r.Dir, "--base", "main", "other")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "no connector changed")

	// A policy file given with --config turns the break into an accepted one.
	policy := filepath.Join(t.TempDir(), "policy.yaml")
	require.NoError(t, os.WriteFile(policy, []byte("levels:\n  connection-parameter-values-removed: warning\n"+
		"  connection-parameter-required-added: warning\n  parameter-enum-narrowed: warning\n"+
		"  response-property-removed: warning\n  request-body-required-added: warning\n  operation-removed: warning\n"), 0o644))
	code, out, stderr = runIn(r.Dir, "compare", "--base", "main", "--config", policy)
	assert.Equal(t, exitOK, code, out+stderr)
	assert.Contains(t, out, "0 breaking")

	// Errors: a bad policy, an unknown revision, not a repository, --staged with --head.
	require.NoError(t, os.WriteFile(policy, []byte("levels:\n  no-such-rule: off\n"), 0o644))
	code, _, stderr = runIn(r.Dir, "compare", "--base", "main", "--config", policy)
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, policy+`:2:3: unknown rule id "no-such-rule"`)
	code, _, stderr = runIn(r.Dir, "compare", "--base", "nosuch")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "nosuch")
	code, _, stderr = runIn(t.TempDir(), "compare", "--base", "main")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "not a git repository")
	code, _, stderr = runIn(r.Dir, "compare", "--base", "main", "--head", "feature", "--staged")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "--staged compares the staged files; it takes no --head")
}

// A pre-commit hook's view: what is staged, not what is in the work tree.
func TestCompareBaseStaged(t *testing.T) {
	r := gittest.New(t)
	r.CopyFolder(folderOld, "connectors/contoso")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.CopyFolder(folderNew, "connectors/contoso")

	code, out, stderr := runIn(r.Dir, "compare", "--base", "HEAD", "--staged")
	assert.Equal(t, exitOK, code, out+stderr)
	assert.Contains(t, out, "no connector changed")
	r.Git(time.Time{}, "add", "connectors/contoso/apiDefinition.swagger.json")
	code, out, _ = runIn(r.Dir, "compare", "--base", "HEAD", "--staged")
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, out, "HEAD (merge base")
	assert.NotContains(t, out, "apiProperties.json", "the unstaged apiProperties.json is not compared")
}

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, start: time.Now()}
	p.update(1, 40)
	assert.Empty(t, buf.String(), "nothing during the first second")
	p.start = time.Now().Add(-2 * time.Second)
	p.update(12, 40)
	p.done()
	assert.Equal(t, "\rcomparing connectors: 12 of 40\r\x1b[K", buf.String())
	assert.Nil(t, newProgress(&buf), "only a terminal gets a progress line")
}

// --policy-from and --now reach the comparison, and bad values are usage
// errors.
func TestComparePolicyFromAndNow(t *testing.T) {
	r := gateRepo(t)
	code, _, stderr := runIn(r.Dir, "compare", "--base", "main", "--policy-from", "pr")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `--policy-from: policy source "pr": want head or base`)
	code, _, stderr = runIn(r.Dir, "compare", "--base", "main", "--now", "yesterday")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `--now "yesterday": want YYYY-MM-DD or an RFC 3339 time`)
	r.Write(".connectordiff.yaml", "accept:\n  - {rule: parameter-enum-narrowed, reason: ok, expires: 2026-11-30}\n")
	summary := func(args ...string) string {
		code, stdout, stderr := runIn(r.Dir, append([]string{"compare", "--base", "main", "--format", "json"}, args...)...)
		require.Equal(t, 1, code, stderr)
		var doc struct {
			PolicyFrom string `json:"policyFrom"`
			Summary    struct{ Accepted int }
			Findings   []struct{ Rule string }
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
		var rules []string
		for _, f := range doc.Findings {
			rules = append(rules, f.Rule)
		}
		return fmt.Sprintf("%s accepted=%d %v", doc.PolicyFrom, doc.Summary.Accepted, rules)
	}
	assert.Equal(t, "head accepted=1 [acceptance-added]", summary("--now", "2026-11-01"))
	assert.Equal(t, "head accepted=0 [acceptance-expired]", summary("--now", "2026-12-01T09:00:00+01:00"))
	assert.Equal(t, "base accepted=0 [acceptance-added]", summary("--policy-from", "base", "--now", "2026-11-01"))
}

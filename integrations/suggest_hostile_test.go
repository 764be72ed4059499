package integrations_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/internal/escape/escapetest"
	"github.com/connectordiff/connectordiff/internal/gittest"
)

// examplePR is a repository whose branch feature makes the README's
// example update in folder (the definition's path returned): a pull
// request fix fixes in part.
func examplePR(t *testing.T, folder string, edit func(string) string) (*gittest.Repo, string) {
	t.Helper()
	needs(t, "sh", "git", "jq")
	old, err := os.ReadFile(filepath.Join(root, "testdata/example/old.json"))
	require.NoError(t, err)
	new, err := os.ReadFile(filepath.Join(root, "testdata/example/new.json"))
	require.NoError(t, err)
	path := folder + "/apiDefinition.swagger.json"
	r := gittest.New(t)
	r.Write(path, edit(string(old)))
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.Write(path, edit(string(new)))
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "change")
	return r, path
}

func same(s string) string { return s }

// A pull request from a fork runs with a read-only token: posting the
// review is refused (HTTP 403), which is a notice, not a failed job, and
// every fix is in the job summary instead. Nothing is deleted or edited.
func TestSuggestionsWithAReadOnlyToken(t *testing.T) {
	r, path := examplePR(t, "connectors/example", same)
	earlier := map[string]string{"repos/contoso/connectors/pulls/42/reviews": reviews([3]string{"777", botLogin, suggestMarker})}
	gate, run := pushSuggest(t, r, earlier, "FAKE_WRITE_ERROR=gh: Resource not accessible by integration (HTTP 403)")
	require.Equal(t, 1, gate)
	assert.Equal(t, 0, run.code, run.logs)
	assert.Contains(t, run.logs, "::notice title=connectordiff::no suggestions on #42: the token may not write to this pull request")
	patches := patchesIn(run.summary)
	require.Len(t, patches, 1, run.summary)
	assert.True(t, gitApply(t, r, path, patches[0]) == fixOutput(t, r, path), "the summary's patch gives fix's output")
	for _, c := range run.calls {
		assert.NotRegexp(t, `--method (DELETE|PUT)`, c)
	}
}

// GitHub refuses a review whose comment is on a line it does not count as
// part of the diff (HTTP 422): the review is posted again without
// suggestions, saying so, and every fix goes to the job summary. gh's
// message reaches the log inert.
func TestSuggestionsRefusedByGitHub(t *testing.T) {
	r, path := examplePR(t, "connectors/example", same)
	gate, run := pushSuggest(t, r, nil, "FAKE_REVIEW_ERROR=gh: Validation Failed (HTTP 422)\n::error title=INJECTED::owned\r##[group]x")
	require.Equal(t, 1, gate)
	require.Equal(t, 0, run.code, run.logs)
	require.Len(t, run.posted, 2, "the review with suggestions, then without")
	assert.NotEmpty(t, run.posted[0].Comments)
	assert.Empty(t, run.posted[1].Comments)
	assert.Contains(t, run.posted[1].Body, "GitHub refused these suggestions: the job summary has every fix as a patch.")
	patches := patchesIn(run.summary)
	require.Len(t, patches, 1)
	assert.True(t, gitApply(t, r, path, patches[0]) == fixOutput(t, r, path))
	assert.Contains(t, run.logs, `\x3a:error title=INJECTED::owned`)
	for _, line := range escapetest.Lines(run.logs) {
		assert.Empty(t, escapetest.Commands(line), "%q", line)
	}
}

// A folder name and a restored value built to break out of the log, the
// Markdown and the suggestion block: the scripts print neither (the log
// commands nothing), the review comments the file by its exact path, the
// body shows the name escaped, and the suggestion's fence is longer than
// the value's run of backticks, so that applying it still gives fix's
// output.
func TestSuggestionsWithHostileNamesAndText(t *testing.T) {
	folder := "connectors/x`\n::error title=INJECTED::owned\n##vso[task.prependpath]evil <img src=x> [l](javascript:alert(1)) @team"
	r, path := examplePR(t, folder, func(s string) string { return strings.Replace(s, `"archived"`, "\"arch````ived\"", 1) })
	gate, run := pushSuggest(t, r, nil)
	require.Equal(t, 1, gate, run.logs)
	require.Equal(t, 0, run.code, run.logs)
	for _, line := range escapetest.Lines(run.logs) {
		assert.Empty(t, escapetest.Commands(line), "%q", line)
	}
	assert.NotContains(t, run.logs, "evil <img")
	require.Len(t, run.posted, 1)
	rv := run.posted[0]
	require.NotEmpty(t, rv.Comments)
	var fences []string
	for _, c := range rv.Comments {
		assert.Equal(t, path, c.Path, "the comment is on the file itself")
		fences = append(fences, regexp.MustCompile("^`+").FindString(c.Body))
	}
	assert.Contains(t, fences, "`````", "a fence longer than the value's four backticks")
	assert.NotContains(t, rv.Body, "<img")
	assert.NotContains(t, rv.Body, "](javascript")
	assert.NotContains(t, rv.Body, "\n::error")
	assert.NotContains(t, rv.Body, "##vso[")
	assert.NotContains(t, rv.Body, "@team")
	assert.Contains(t, rv.Body, "**connectors/x&#96;&#92;n::error title=INJECTED::owned&#92;n&#92;x23&#35;vso&#91;task.prependpath&#93;evil &lt;img src=x&gt;")
	applied := applyReview(t, r.Dir, rv)
	assert.True(t, applied[path] == fixOutput(t, r, path), "the suggestions give fix's output byte for byte")
}

// The review's lines are the pull request's head: when fix.sh fixed
// another commit (the head was not in the clone), nothing is posted.
func TestSuggestionsOnlyOnTheHeadFixed(t *testing.T) {
	ghBin, log, _ := reviewAPI(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fix.json"),
		[]byte(`{"head": "1111111111111111111111111111111111111111", "base": "", "connectors": []}`), 0o644))
	code, _, stderr := shell(t, "sh", `sh "$SUGGEST" "$FIX_DIR"`, dir, "PATH="+ghBin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"SUGGEST="+absPath(t, "pr-suggest.sh"), "FIX_DIR="+dir, "GITHUB_ACTIONS=true", "GITHUB_REPOSITORY=contoso/connectors",
		"PR_NUMBER=42", "PR_HEAD_SHA=0123456789abcdef0123456789abcdef01234567")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "::notice title=connectordiff::fix ran on commit 1111111111111111111111111111111111111111, "+
		"not on the pull request's head 0123456789abcdef0123456789abcdef01234567")
	assert.NoFileExists(t, log, "no API call")
}

// The Action's suggestion steps run the scripts with what they read, only
// for a pull request whose gate ran, and fix.sh reads the pull request's
// head; the Azure template's fix step likewise, and publishes what fix.sh
// writes.
func TestSuggestionSteps(t *testing.T) {
	fixVars := scriptVariables(t, "fix.sh")
	var a action
	readYAML(t, "action.yml", &a)
	steps := map[string]int{}
	for i, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "fix.sh") {
			steps["fix"] = i
			assert.Equal(t, "fix", s.ID)
			assert.Subset(t, fixVars, keys(s.Env))
			assert.Equal(t, "${{ github.event.pull_request.head.sha }}", s.Env["CONNECTORDIFF_HEAD"])
			assert.Equal(t, "${{ steps.gate.outputs.json }}", s.Env["CONNECTORDIFF_REPORT"])
			assert.Contains(t, s.If, "inputs.suggest == 'true'")
			assert.Contains(t, s.If, "github.event.pull_request.number")
		}
		if strings.Contains(s.Run, "pr-suggest.sh") {
			steps["suggest"] = i
			assert.Contains(t, s.If, "steps.fix.outcome == 'success'")
			assert.Equal(t, "${{ github.event.pull_request.head.sha }}", s.Env["PR_HEAD_SHA"])
			assert.Equal(t, "${{ inputs.token }}", s.Env["GH_TOKEN"])
			assert.Equal(t, a.Runs.Steps[steps["fix"]].Env["CONNECTORDIFF_FIX_OUT"], s.Env["FIX_DIR"])
		}
	}
	require.Len(t, steps, 2)
	assert.Less(t, steps["fix"], steps["suggest"])
	assert.Equal(t, "false", a.Inputs["suggest"].Default)

	raw, err := os.ReadFile(filepath.Join(root, "integrations/azure-pipelines.yml"))
	require.NoError(t, err)
	var tpl struct {
		Steps []map[string]any
	}
	readYAML(t, "integrations/azure-pipelines.yml", &tpl)
	assert.Contains(t, string(raw), "${{ if parameters.fixArtifact }}:")
	var fix, publish map[string]any
	var walk func(list []any)
	walk = func(list []any) {
		for _, item := range list {
			m, ok := item.(map[string]any)
			if !ok {
				continue
			}
			for k, v := range m {
				if inner, ok := v.([]any); ok && strings.HasPrefix(k, "${{ if") {
					walk(inner)
				}
			}
			if b, ok := m["bash"].(string); ok && strings.Contains(b, "integrations/fix.sh") {
				fix = m
			}
			if in, ok := m["inputs"].(map[string]any); ok && in["ArtifactName"] == "connectordiff-fix" {
				publish = m
			}
		}
	}
	var steps2 []any
	for _, s := range tpl.Steps {
		steps2 = append(steps2, s)
	}
	walk(steps2)
	require.NotNil(t, fix)
	require.NotNil(t, publish)
	env := map[string]bool{}
	for k := range fix["env"].(map[string]any) {
		env[k] = true
	}
	assert.Subset(t, fixVars, keys(env))
	assert.Contains(t, keys(env), "CONNECTORDIFF_HEAD")
	out := fix["env"].(map[string]any)["CONNECTORDIFF_FIX_OUT"]
	assert.Equal(t, out, publish["inputs"].(map[string]any)["PathtoPublish"])
	assert.Contains(t, fix["condition"], "CONNECTORDIFF_EXIT_CODE")
}

// scriptVariables are the CONNECTORDIFF_* settings a script reads.
func scriptVariables(t *testing.T, name string) []string {
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{?(CONNECTORDIFF_[A-Z_]+)`).FindAllStringSubmatch(string(data), -1) {
		seen[m[1]] = true
	}
	return keys(seen)
}

package integrations_test

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	yaml "github.com/pb33f/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/internal/gittest"
)

const root = ".." // the repository's root, where action.yml is

// needs skips a test when a command it runs is missing.
func needs(t *testing.T, commands ...string) {
	t.Helper()
	for _, c := range commands {
		if _, err := exec.LookPath(c); err != nil {
			t.Skipf("%s is not installed", c)
		}
	}
}

func readYAML(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, name))
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, v), "%s parses as YAML", name)
}

// action is the part of action.yml the tests read.
type action struct {
	Name    string
	Inputs  map[string]struct{ Description, Default string }
	Outputs map[string]struct{ Value string }
	Runs    struct {
		Using string
		Steps []struct {
			ID, Name, Uses, Run, Shell, If string
			Env                            map[string]string
			With                           map[string]string
		}
	}
}

// shell runs a script with bash (or sh) in dir with extra environment, and
// returns its exit status, stdout and stderr.
func shell(t *testing.T, interpreter, script, dir string, env ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(interpreter, "-c", script)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return code, out.String(), errOut.String()
}

// cleanEnv is the test's environment without what would make the scripts
// think they run in a CI system, and with a git that reads no user config.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "CONNECTORDIFF") || k == "TF_BUILD" || k == "RUNNER_TEMP" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
}

var (
	binOnce string // the CLI the action's build step built, shared by the tests
)

// actionBinary runs action.yml's build step, as the runner would with the
// action checked out at ref vtest, and returns the command it put on PATH.
func actionBinary(t *testing.T) string {
	t.Helper()
	if binOnce != "" {
		return binOnce
	}
	needs(t, "bash", "go")
	var a action
	readYAML(t, "action.yml", &a)
	var build string
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "go build") {
			build = s.Run
		}
	}
	require.NotEmpty(t, build, "action.yml builds the CLI")
	abs, err := filepath.Abs(root)
	require.NoError(t, err)
	temp := t.TempDir()
	pathFile := filepath.Join(temp, "github_path")
	code, out, stderr := shell(t, "bash", "set -e\n"+build, temp, "GITHUB_ACTION_PATH="+abs, "RUNNER_TEMP="+temp,
		"GITHUB_PATH="+pathFile, "ACTION_REF=vtest")
	require.Equal(t, 0, code, out+stderr)
	added, err := os.ReadFile(pathFile)
	require.NoError(t, err)
	bin := filepath.Join(strings.TrimSpace(string(added)), "connectordiff")
	require.FileExists(t, bin)
	// Keep it for the other tests: t.TempDir goes with this test.
	keep := filepath.Join(os.TempDir(), "connectordiff-integrations-"+strings.ReplaceAll(t.Name(), "/", "-"))
	require.NoError(t, os.MkdirAll(keep, 0o755))
	data, err := os.ReadFile(bin)
	require.NoError(t, err)
	binOnce = filepath.Join(keep, "connectordiff")
	require.NoError(t, os.WriteFile(binOnce, data, 0o755))
	return binOnce
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binOnce != "" {
		os.RemoveAll(filepath.Dir(binOnce))
	}
	os.Exit(code)
}

// The action's build step builds the CLI from the action's own copy, stamped
// with the action's ref.
func TestActionBuildsTheCLIAtItsOwnVersion(t *testing.T) {
	bin := actionBinary(t)
	out, err := exec.Command(bin, "--version").Output()
	require.NoError(t, err)
	assert.Equal(t, "connectordiff vtest\n", string(out))
}

// The action's definition hangs together: inputs declared and used, the
// outputs those gate.sh writes, the environment those gate.sh reads, the
// scripts it runs present.
func TestActionDefinition(t *testing.T) {
	var a action
	readYAML(t, "action.yml", &a)
	assert.Equal(t, "composite", a.Runs.Using)
	raw, err := os.ReadFile(filepath.Join(root, "action.yml"))
	require.NoError(t, err)
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(string(raw), -1) {
		used[m[1]] = true
	}
	for name := range a.Inputs {
		assert.True(t, used[name], "input %s is used", name)
	}
	for name := range used {
		_, ok := a.Inputs[name]
		assert.True(t, ok, "input %s is declared", name)
	}
	gate := gateScript(t)
	for name, o := range a.Outputs {
		m := regexp.MustCompile(`^\$\{\{ steps\.gate\.outputs\.([a-z-]+) \}\}$`).FindStringSubmatch(o.Value)
		require.NotNil(t, m, "output %s comes from the gate step", name)
		assert.Contains(t, gate, `echo "`+m[1]+`=`, "gate.sh writes the output %s", m[1])
	}
	var gateStep bool
	for _, s := range a.Runs.Steps {
		for _, m := range regexp.MustCompile(`\$GITHUB_ACTION_PATH/([\w./-]+)`).FindAllStringSubmatch(s.Run, -1) {
			assert.FileExists(t, filepath.Join(root, m[1]), "step %q runs a file of the repository", s.Name)
		}
		if s.ID == "gate" {
			gateStep = true
			assert.ElementsMatch(t, gateVariables(t), keys(s.Env), "the gate step sets what gate.sh reads, and nothing else")
		}
		if s.Uses != "" {
			assert.Regexp(t, `^[\w-]+/[\w/-]+@v\d+$`, s.Uses, "actions are pinned to a major version")
		}
		assert.NotRegexp(t, `\$\{\{[^}]*\}\}`, s.Run, "step %q passes expressions through env:, never into the script", s.Name)
	}
	assert.True(t, gateStep)
}

func gateScript(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "integrations", "gate.sh"))
	require.NoError(t, err)
	return string(data)
}

// gateVariables are the CONNECTORDIFF_* settings gate.sh reads.
func gateVariables(t *testing.T) []string {
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{?(CONNECTORDIFF_[A-Z_]+)`).FindAllStringSubmatch(gateScript(t), -1) {
		seen[m[1]] = true
	}
	return keys(seen)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// prRepo is a repository whose branch feature breaks connectors/contoso,
// and a clone of it as actions/checkout makes one for a pull request:
// shallow, the feature branch only.
func prRepo(t *testing.T) (origin *gittest.Repo, clone string) {
	t.Helper()
	r := gittest.New(t)
	r.CopyFolder(filepath.Join(root, "testdata/connector/old"), "connectors/contoso")
	r.CopyFolder(filepath.Join(root, "testdata/connector/old"), "connectors/other one")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.CopyFolder(filepath.Join(root, "testdata/connector/new"), "connectors/contoso")
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "change")
	clone = filepath.Join(t.TempDir(), "clone")
	r.Git(time.Time{}, "clone", "-q", "--depth", "1", "--branch", "feature", "--single-branch", "file://"+r.Dir, clone)
	return r, clone
}

// gate.sh in a GitHub Actions job: from a shallow clone of the pull
// request's branch, it fetches the base, annotates, writes the job summary
// and the step outputs, and exits as connectordiff does.
func TestGateScriptOnGitHub(t *testing.T) {
	needs(t, "sh", "git")
	bin := actionBinary(t)
	_, clone := prRepo(t)
	out := t.TempDir()
	summary, outputs := filepath.Join(out, "summary.md"), filepath.Join(out, "outputs")
	code, stdout, stderr := shell(t, "sh", `sh "$GATE"`, clone,
		"GATE="+absPath(t, "gate.sh"), "CONNECTORDIFF="+bin, "CONNECTORDIFF_BASE=main",
		"CONNECTORDIFF_OUT="+filepath.Join(out, "report"), "GITHUB_ACTIONS=true",
		"GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+outputs)
	assert.Equal(t, 1, code, stdout+stderr)
	assert.Contains(t, stderr, "fetching main from origin")
	assert.Contains(t, stderr, "the clone is shallow")
	assert.Contains(t, stderr, "the change reaches --fail-on breaking")
	assert.Contains(t, stdout, "::error file=connectors/contoso/apiDefinition.swagger.json,line=19,col=71,title=parameter-enum-narrowed::")
	assert.Contains(t, stdout, "connectordiff: BREAKING: existing flows or apps will break in 1 of 1 connector")

	md, err := os.ReadFile(summary)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(md), "## ❌ connectordiff: BREAKING"), string(md))
	got := map[string]string{}
	data, err := os.ReadFile(outputs)
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		got[k] = v
	}
	assert.Equal(t, "1", got["exit-code"])
	for _, k := range []string{"markdown", "sarif", "json"} {
		assert.FileExists(t, got[k], "the %s report", k)
	}
	var sarif struct {
		Version string
		Runs    []struct{ Results []any }
	}
	data, err = os.ReadFile(got["sarif"])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &sarif))
	assert.Equal(t, "2.1.0", sarif.Version)
	assert.NotEmpty(t, sarif.Runs[0].Results)
}

// gate.sh in an Azure Pipelines job: the target branch as
// System.PullRequest.TargetBranch gives it, ##vso issues, the summary
// uploaded, the exit code in a variable.
func TestGateScriptOnAzurePipelines(t *testing.T) {
	needs(t, "sh", "git")
	bin := actionBinary(t)
	origin, clone := prRepo(t)
	// A full clone this time, with the target branch as a remote branch.
	clone = filepath.Join(t.TempDir(), "full")
	origin.Git(time.Time{}, "clone", "-q", "--branch", "feature", origin.Dir, clone)
	out := filepath.Join(t.TempDir(), "staging")
	code, stdout, stderr := shell(t, "sh", `sh "$GATE"`, clone,
		"GATE="+absPath(t, "gate.sh"), "CONNECTORDIFF="+bin, "CONNECTORDIFF_BASE=refs/heads/main",
		"CONNECTORDIFF_OUT="+out, "TF_BUILD=True", "CONNECTORDIFF_FAIL_ON=breaking")
	assert.Equal(t, 1, code, stdout+stderr)
	assert.NotContains(t, stderr, "fetching", "origin/main is there")
	assert.Contains(t, stdout, "##vso[task.logissue type=error;sourcepath=connectors/contoso/apiDefinition.swagger.json;linenumber=19;columnnumber=71;code=parameter-enum-narrowed]")
	assert.Contains(t, stdout, "##vso[task.uploadsummary]"+out+"/connectordiff.md\n")
	assert.Contains(t, stdout, "##vso[task.setvariable variable=CONNECTORDIFF_EXIT_CODE]1\n")
	assert.FileExists(t, filepath.Join(out, "connectordiff.sarif"))
}

// The settings reach the command: paths limit the search, fail-on off
// passes, a revision that does not exist fails with connectordiff's error.
func TestGateScriptSettings(t *testing.T) {
	needs(t, "sh", "git")
	bin := actionBinary(t)
	origin, _ := prRepo(t)
	base := []string{"GATE=" + absPath(t, "gate.sh"), "CONNECTORDIFF=" + bin, "CONNECTORDIFF_OUT=" + t.TempDir()}
	run := func(env ...string) (int, string, string) {
		return shell(t, "sh", `sh "$GATE"`, origin.Dir, append(slices.Clone(base), env...)...)
	}
	// A folder name with a space is one path (else connectors/other would
	// not exist), and the shell expands no pattern.
	code, stdout, stderr := run("CONNECTORDIFF_BASE=main", "CONNECTORDIFF_PATHS=connectors/other one\n")
	assert.Equal(t, 0, code, stdout+stderr)
	assert.Contains(t, stdout, "no connector changed")
	code, _, stderr = run("CONNECTORDIFF_BASE=main", "CONNECTORDIFF_PATHS=connectors/*")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "connectors/*: no such file or folder")
	code, _, stderr = run("CONNECTORDIFF_BASE=main", "CONNECTORDIFF_PATHS=connectors/contso")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "connectors/contso: no such file or folder in main or the work tree")
	code, stdout, stderr = run("CONNECTORDIFF_BASE=main", "CONNECTORDIFF_PATHS=connectors/other one\nconnectors/contoso\n")
	assert.Equal(t, 1, code, stdout+stderr)
	assert.Contains(t, stdout, "1 connector: 1 changed")
	code, stdout, stderr = run("CONNECTORDIFF_BASE=main", "CONNECTORDIFF_FAIL_ON=off", "CONNECTORDIFF_PROFILE=certification")
	assert.Equal(t, 0, code, stdout+stderr)
	assert.Contains(t, stdout, "BREAKING")
	code, _, stderr = run("CONNECTORDIFF_BASE=main", "CONNECTORDIFF_POLICY_FROM=sideways")
	assert.Equal(t, 2, code, "the policy source reaches the command")
	assert.Contains(t, stderr, `--policy-from: policy source "sideways": want head or base`)
	code, _, stderr = run("CONNECTORDIFF_BASE=main", "CONNECTORDIFF_CI=jenkins")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "CONNECTORDIFF_CI must be github or azure, not jenkins")
	code, _, stderr = run()
	assert.NotEqual(t, 0, code)
	assert.Contains(t, stderr, "CONNECTORDIFF_BASE")
}

// A pull request that commits connectordiff.md (here a link to a file
// outside the checkout) in the folder the reports go to cannot make gate.sh
// show it as the report: gate.sh removes it before the run, so a run that
// fails shows nothing, and one that succeeds shows its own.
func TestGateScriptIgnoresPlantedReports(t *testing.T) {
	needs(t, "sh", "git")
	bin := actionBinary(t)
	origin, _ := prRepo(t)
	secret := filepath.Join(t.TempDir(), "credentials")
	require.NoError(t, os.WriteFile(secret, []byte("token=SECRET\n"), 0o600))
	require.NoError(t, os.Symlink(secret, filepath.Join(origin.Dir, "connectordiff.md")))
	origin.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "plant a report")
	summary := filepath.Join(t.TempDir(), "summary.md")
	run := func(env ...string) (int, string) {
		code, stdout, stderr := shell(t, "sh", `sh "$GATE"`, origin.Dir, append([]string{"GATE=" + absPath(t, "gate.sh"),
			"CONNECTORDIFF=" + bin, "CONNECTORDIFF_BASE=main", "GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY=" + summary}, env...)...)
		data, _ := os.ReadFile(summary)
		return code, stdout + stderr + string(data)
	}
	code, out := run("CONNECTORDIFF_PROFILE=nobody")
	assert.Equal(t, 2, code, out)
	assert.NotContains(t, out, "SECRET")
	code, out = run()
	assert.Equal(t, 1, code, out)
	assert.NotContains(t, out, "SECRET")
	assert.Contains(t, out, "## ❌ connectordiff: BREAKING")
	data, err := os.ReadFile(secret)
	require.NoError(t, err)
	assert.Equal(t, "token=SECRET\n", string(data), "what the link named is untouched")
}

func absPath(t *testing.T, name string) string {
	p, err := filepath.Abs(name)
	require.NoError(t, err)
	return p
}

// ghStandIn writes a stand-in for gh into a new folder of bin and returns
// the folder and its call log. It records each call and the body it was
// given; answers gh api user with $FAKE_LOGIN (else fails as the
// workflow's token does); refuses writes with $FAKE_WRITE_ERROR when set;
// and answers the comment listing by running its --jq filter on the JSON in
// $FAKE_COMMENTS, so that the script's real filter is what picks the
// comment.
func ghStandIn(t *testing.T) (bin, log string) {
	t.Helper()
	needs(t, "sh", "jq")
	dir := t.TempDir()
	log = filepath.Join(dir, "gh.log")
	fake := `#!/bin/sh
echo "gh $*" >>"` + log + `"
for a in "$@"; do case $a in body=@*) cat "${a#body=@}" >>"` + log + `";; esac; done
if [ "$1 $2" = "api user" ]; then
	[ -n "${FAKE_LOGIN:-}" ] && { echo "$FAKE_LOGIN"; exit 0; }
	echo "gh: Resource not accessible by integration (HTTP 403)" >&2
	exit 1
fi
case "$*" in *--method*)
	[ -n "${FAKE_WRITE_ERROR:-}" ] && { echo "$FAKE_WRITE_ERROR" >&2; exit 1; }
	exit 0;;
esac
prev=
for a in "$@"; do
	[ "$prev" = --jq ] && { printf '%s\n' "${FAKE_COMMENTS:-[]}" | jq -r "$a" || exit 1; }
	prev=$a
done
`
	bin = filepath.Join(dir, "bin")
	require.NoError(t, os.MkdirAll(bin, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "gh"), []byte(fake), 0o755))
	return bin, log
}

// comments is a comment listing as the API returns it: id, author, body.
func comments(list ...[3]string) string {
	var out []map[string]any
	for _, c := range list {
		out = append(out, map[string]any{"id": json.Number(c[0]), "user": map[string]string{"login": c[1]}, "body": c[2]})
	}
	data, _ := json.Marshal(out)
	return string(data)
}

const commentMarker = "<!-- connectordiff gate -->"

// pr-comment.sh posts the report once, then edits that comment, found by its
// marker and its author, on every later push.
func TestPRCommentScript(t *testing.T) {
	bin, log := ghStandIn(t)
	dir := t.TempDir()
	md := filepath.Join(dir, "report.md")
	require.NoError(t, os.WriteFile(md, []byte("## ❌ connectordiff: BREAKING\n"), 0o644))
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "GITHUB_REPOSITORY=contoso/connectors",
		"PR_NUMBER=42", "GH_TOKEN=t", "SCRIPT=" + absPath(t, "pr-comment.sh"), "MD=" + md}
	run := func(extra ...string) (int, string, string) {
		os.Remove(log)
		code, _, stderr := shell(t, "sh", `sh "$SCRIPT" "$MD"`, dir, append(slices.Clone(env), extra...)...)
		calls, _ := os.ReadFile(log)
		return code, string(calls), stderr
	}

	// The workflow's token: gh api user fails, the comments are
	// github-actions[bot]'s. None yet: one is posted.
	code, calls, stderr := run()
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "gh api user --jq .login\n"+
		"gh api --paginate repos/contoso/connectors/issues/42/comments --jq .[] | select(.user.login == \"github-actions[bot]\" and (.body | startswith(\""+commentMarker+"\"))) | .id\n"+
		"gh api --method POST repos/contoso/connectors/issues/42/comments -F body=@"+tempBody(calls)+"\n"+
		commentMarker+"\n## ❌ connectordiff: BREAKING\n", calls)

	// Its own comment is updated, not the later one another user started
	// with the marker.
	code, calls, stderr = run("FAKE_COMMENTS=" + comments(
		[3]string{"1001", "github-actions[bot]", commentMarker + "\nan earlier report"},
		[3]string{"1002", "mallory", commentMarker + "\n## ✅ connectordiff: SAFE"},
		[3]string{"1003", "github-actions[bot]", "a comment of another workflow"}))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, calls, "gh api --method PATCH repos/contoso/connectors/issues/comments/1001 -F body=@")
	assert.NotContains(t, calls, "1002")
	assert.Contains(t, stderr, "updated comment 1001 on #42")

	// Only someone else's comment carries the marker: a comment is posted,
	// theirs left alone.
	code, calls, stderr = run("FAKE_COMMENTS=" + comments([3]string{"1002", "mallory", commentMarker + "\nfake"}))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, calls, "gh api --method POST repos/contoso/connectors/issues/42/comments")
	assert.NotContains(t, calls, "PATCH")

	// A token of a user: that user's comment is the one; and an account
	// named in CONNECTORDIFF_COMMENT_AUTHOR wins without asking.
	both := "FAKE_COMMENTS=" + comments([3]string{"7", "github-actions[bot]", commentMarker}, [3]string{"8", "gate-bot", commentMarker},
		[3]string{"9", "contoso-gate[bot]", commentMarker})
	code, calls, stderr = run(both, "FAKE_LOGIN=gate-bot")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, calls, "gh api --method PATCH repos/contoso/connectors/issues/comments/8 ")
	code, calls, stderr = run(both, "CONNECTORDIFF_COMMENT_AUTHOR=contoso-gate[bot]")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, calls, "gh api user")
	assert.Contains(t, calls, "gh api --method PATCH repos/contoso/connectors/issues/comments/9 ")
	code, _, stderr = run(`CONNECTORDIFF_COMMENT_AUTHOR=x") or (true`)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "is not a GitHub login")

	// An empty report posts nothing.
	require.NoError(t, os.WriteFile(md, nil, 0o644))
	code, calls, _ = run()
	assert.Equal(t, 0, code)
	assert.Empty(t, calls)
}

// A pull request from a fork runs with a read-only token: the comment is
// refused (HTTP 403), which is a notice, not a failed job. Any other
// failure fails the step with gh's message.
func TestPRCommentScriptReadOnlyToken(t *testing.T) {
	bin, _ := ghStandIn(t)
	dir := t.TempDir()
	md := filepath.Join(dir, "report.md")
	require.NoError(t, os.WriteFile(md, []byte("## ❌ connectordiff: BREAKING\n"), 0o644))
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "GITHUB_REPOSITORY=contoso/connectors",
		"PR_NUMBER=42", "GH_TOKEN=t", "SCRIPT=" + absPath(t, "pr-comment.sh"), "MD=" + md, "GITHUB_ACTIONS=true"}
	for _, existing := range []string{"", comments([3]string{"1001", "github-actions[bot]", commentMarker})} {
		code, stdout, stderr := shell(t, "sh", `sh "$SCRIPT" "$MD"`, dir, append(slices.Clone(env),
			"FAKE_COMMENTS="+existing, "FAKE_WRITE_ERROR=gh: Resource not accessible by integration (HTTP 403)")...)
		assert.Equal(t, 0, code, stdout+stderr)
		assert.Contains(t, stderr, "::notice title=connectordiff::no comment on #42: the token may not write to this pull request")
	}
	code, _, stderr := shell(t, "sh", `sh "$SCRIPT" "$MD"`, dir, append(slices.Clone(env),
		"FAKE_WRITE_ERROR=gh: Server Error (HTTP 502)")...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "gh: Server Error (HTTP 502)")
	assert.NotContains(t, stderr, "::notice")
}

// tempBody is the body file's name in a recorded call.
func tempBody(calls string) string {
	m := regexp.MustCompile(`body=@(\S+)`).FindStringSubmatch(calls)
	if m == nil {
		return "?"
	}
	return m[1]
}

// azureTemplate is the part of the Azure Pipelines template the tests read.
type azureTemplate struct {
	Parameters []struct{ Name, Type string }
	Steps      []map[string]any
}

// The template parses, uses the parameters it declares, hands gate.sh
// exactly what gate.sh reads, and finds gate.sh in the module cache with a
// command that works on real go output.
func TestAzurePipelinesTemplate(t *testing.T) {
	var tpl azureTemplate
	readYAML(t, "integrations/azure-pipelines.yml", &tpl)
	raw, err := os.ReadFile(filepath.Join(root, "integrations/azure-pipelines.yml"))
	require.NoError(t, err)
	declared := map[string]bool{}
	for _, p := range tpl.Parameters {
		declared[p.Name] = true
	}
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`parameters\.(\w+)`).FindAllStringSubmatch(string(raw), -1) {
		used[m[1]] = true
	}
	assert.Equal(t, keys(declared), keys(used), "every parameter declared is used and every one used declared")

	var install, gate map[string]any
	for _, s := range tpl.Steps {
		if b, ok := s["bash"].(string); ok && strings.Contains(b, "go install") {
			install = s
		}
		if b, ok := s["bash"].(string); ok && strings.Contains(b, "integrations/gate.sh") {
			gate = s
		}
	}
	require.NotNil(t, install)
	require.NotNil(t, gate)
	env := map[string]bool{}
	for k := range gate["env"].(map[string]any) {
		env[k] = true
	}
	assert.ElementsMatch(t, gateVariables(t), keys(env), "the gate step sets what gate.sh reads, and nothing else")

	// The line that finds the module's folder, run on what go prints for a
	// module in the cache (offline).
	needs(t, "bash", "go", "awk")
	var find string
	for _, line := range strings.Split(install["bash"].(string), "\n") {
		if strings.Contains(line, "go mod download -json") {
			find = strings.TrimSpace(line)
		}
	}
	require.NotEmpty(t, find)
	// Offline, go answers for the modules whose zip is in the cache; the
	// build's own requirements are, after go mod download.
	reqs, err := exec.Command("go", "list", "-m", "-f", "{{if not .Main}}{{.Path}} {{.Version}}{{end}}", "all").Output()
	require.NoError(t, err)
	tried := 0
	for _, line := range strings.Split(strings.TrimSpace(string(reqs)), "\n") {
		mod, version, _ := strings.Cut(line, " ")
		if mod != "github.com/spf13/cobra" && mod != "github.com/pb33f/libopenapi" {
			continue
		}
		tried++
		code, out, stderr := shell(t, "bash", "module="+mod+"; version="+version+"\n"+find+"\necho \"$CONNECTORDIFF_DIR\"",
			t.TempDir(), "GOPROXY=off", "GOFLAGS=-mod=mod")
		require.Equal(t, 0, code, stderr)
		if dir := strings.TrimSpace(out); dir != "" {
			assert.FileExists(t, filepath.Join(dir, "go.mod"), "the folder of %s", mod)
			return
		}
	}
	t.Skipf("none of %d modules is in the download cache to check the command on", tried)
}

// The pre-commit hook: its files pattern picks connector files, and its
// entry stops a commit whose staged change breaks a connector.
func TestPreCommitHook(t *testing.T) {
	var hooks []struct {
		ID, Entry, Language, Files string
		PassFilenames              *bool `yaml:"pass_filenames"`
	}
	readYAML(t, ".pre-commit-hooks.yaml", &hooks)
	require.Len(t, hooks, 1)
	h := hooks[0]
	assert.Equal(t, "connectordiff", h.ID)
	assert.Equal(t, "golang", h.Language, "pre-commit builds it with go install from the repository")
	require.NotNil(t, h.PassFilenames)
	assert.False(t, *h.PassFilenames, "the command finds the connectors itself")
	files := regexp.MustCompile(h.Files) // pre-commit's Python patterns: this one is also RE2
	for _, p := range []string{"apiDefinition.swagger.json", "certified-connectors/X/apiDefinition.swagger.json",
		"a/b/APIProperties.json", "c/script.csx", ".connectordiff.yaml", "c/.connectordiff.yaml"} {
		assert.True(t, files.MatchString(p), "files matches %s", p)
	}
	for _, p := range []string{"README.md", "c/apiDefinition.swagger.json.bak", "c/myscript.csx", "c/icon.png"} {
		assert.False(t, files.MatchString(p), "files does not match %s", p)
	}

	needs(t, "sh", "git")
	bin := actionBinary(t)
	entry := strings.Replace(h.Entry, "connectordiff", `"$BIN"`, 1)
	require.True(t, strings.HasPrefix(entry, `"$BIN" compare`), h.Entry)
	r := gittest.New(t)
	r.CopyFolder(filepath.Join(root, "testdata/connector/old"), "connectors/contoso")
	r.Commit(time.Time{}, "base")
	def := filepath.Join(r.Dir, "connectors/contoso/apiDefinition.swagger.json")
	old, err := os.ReadFile(def)
	require.NoError(t, err)

	// A compatible change (a better summary) passes.
	require.NoError(t, os.WriteFile(def, bytes.Replace(old, []byte(`"summary": "List tasks"`), []byte(`"summary": "List the tasks"`), 1), 0o644))
	r.Git(time.Time{}, "add", "-A")
	code, out, stderr := shell(t, "sh", entry, r.Dir, "BIN="+bin)
	assert.Equal(t, 0, code, out+stderr)

	// A breaking one, staged, stops the commit; unstaged, it does not.
	newDef, err := os.ReadFile(filepath.Join(root, "testdata/connector/new/apiDefinition.swagger.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(def, newDef, 0o644))
	code, out, _ = shell(t, "sh", entry, r.Dir, "BIN="+bin)
	assert.Equal(t, 0, code, "not staged yet: %s", out)
	r.Git(time.Time{}, "add", "-A")
	code, out, _ = shell(t, "sh", entry, r.Dir, "BIN="+bin)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "BREAKING  parameter-enum-narrowed")
}

// The container's build command makes a static binary (no dynamic loader,
// no shared library), stamped with the version given, from the files the
// Dockerfile copies.
func TestDockerfileBuildsAStaticBinary(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	require.NoError(t, err)
	var build string
	var stages []string
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "FROM "):
			stages = append(stages, line)
		case strings.HasPrefix(line, "RUN ") && strings.Contains(line, "go build"):
			build = strings.TrimPrefix(line, "RUN ")
		case strings.HasPrefix(line, "COPY ") && !strings.Contains(line, "--from="):
			for _, src := range strings.Fields(line)[1 : len(strings.Fields(line))-1] {
				if src != "." {
					assert.FileExists(t, filepath.Join(root, src), "the Dockerfile copies %s", src)
				}
			}
		}
	}
	require.Len(t, stages, 2, "a build stage and a small runtime stage")
	assert.Contains(t, stages[1], "alpine", "the runtime image is small")
	require.Contains(t, build, "CGO_ENABLED=0")
	needs(t, "sh", "go")
	if runtime.GOOS != "linux" {
		t.Skip("the image's binary is a Linux one")
	}
	out := filepath.Join(t.TempDir(), "connectordiff")
	build = strings.ReplaceAll(build, "/out/connectordiff", out)
	code, stdout, stderr := shell(t, "sh", build, root, "VERSION=v9.9.9")
	require.Equal(t, 0, code, stdout+stderr)
	f, err := elf.Open(out)
	require.NoError(t, err)
	defer f.Close()
	for _, p := range f.Progs {
		assert.NotEqual(t, elf.PT_INTERP, p.Type, "no dynamic loader")
	}
	libs, err := f.ImportedLibraries()
	require.NoError(t, err)
	assert.Empty(t, libs, "no shared library")
	version, err := exec.Command(out, "--version").Output()
	require.NoError(t, err)
	assert.Equal(t, "connectordiff v9.9.9\n", string(version))
}

// The scripts are POSIX sh (the Action runs them with sh, which is dash on
// Ubuntu runners); shellcheck checks them where it is installed.
func TestScriptsPassShellcheck(t *testing.T) {
	needs(t, "shellcheck")
	scripts, err := filepath.Glob("*.sh")
	require.NoError(t, err)
	require.NotEmpty(t, scripts)
	out, err := exec.Command("shellcheck", append([]string{"-s", "sh"}, scripts...)...).CombinedOutput()
	assert.NoError(t, err, "%s", out)
}

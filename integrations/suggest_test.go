package integrations_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/internal/gittest"
)

// The Action's suggestion mode (suggest: true): gate.sh, then fix.sh, then
// pr-suggest.sh with a stand-in for gh that records the API calls and
// answers from canned JSON.

const (
	suggestMarker  = "<!-- connectordiff suggestions -->"
	replacedMarker = "<!-- connectordiff suggestions: replaced -->"
	botLogin       = "github-actions[bot]"
)

// reviewAPI writes a stand-in for gh into a new folder and returns the
// folder, its call log (one line a call, a line break in an argument as
// \n) and the folder where it keeps each --input body
// (input-1.json, input-2.json...). A GET answers with the file named after
// the endpoint (slashes as underscores) in $FAKE_API, or [], through its
// --jq filter as gh applies it (strings raw, other values compact JSON, one
// a line); gh api user answers $FAKE_LOGIN or fails as the workflow's
// token does; a write fails with $FAKE_WRITE_ERROR when set, and a review
// posted with comments fails with $FAKE_REVIEW_ERROR when set; else a
// review posted answers id 777.
func reviewAPI(t *testing.T) (bin, log, inputs string) {
	t.Helper()
	needs(t, "sh", "jq")
	dir := t.TempDir()
	log = filepath.Join(dir, "gh.log")
	inputs = filepath.Join(dir, "inputs")
	require.NoError(t, os.MkdirAll(inputs, 0o755))
	fake := `#!/bin/sh
log='` + log + `'
inputs='` + inputs + `'
printf '%s\n' "gh $*" | awk 'NR > 1 { printf "\\n" } { printf "%s", $0 } END { print "" }' >>"$log"
jqf=. method=GET endpoint= prev=
for a in "$@"; do
	case $prev in
	--input) n=$(($(ls "$inputs" | wc -l) + 1)); cp "$a" "$inputs/input-$n.json" ;;
	--jq) jqf=$a ;;
	--method) method=$a ;;
	esac
	case $a in repos/*|user) [ -z "$endpoint" ] && endpoint=$a ;; esac
	prev=$a
done
answer() { printf '%s\n' "$1" | jq -c -r "$jqf"; }
if [ "$endpoint" = user ]; then
	[ -n "${FAKE_LOGIN:-}" ] && { answer "{\"login\": \"$FAKE_LOGIN\"}"; exit 0; }
	echo "gh: Resource not accessible by integration (HTTP 403)" >&2
	exit 1
fi
if [ "$method" != GET ]; then
	[ -n "${FAKE_WRITE_ERROR:-}" ] && { echo "$FAKE_WRITE_ERROR" >&2; exit 1; }
	case $method:$endpoint in POST:*/reviews)
		if [ -n "${FAKE_REVIEW_ERROR:-}" ] && [ "$(jq '.comments | length' "$inputs/input-$n.json")" -gt 0 ]; then
			echo "$FAKE_REVIEW_ERROR" >&2; exit 1
		fi
		answer '{"id": 777}'; exit 0;;
	esac
	answer '{}'
	exit 0
fi
f="$FAKE_API/$(echo "$endpoint" | tr / _).json"
if [ -f "$f" ]; then answer "$(cat "$f")"; else answer '[]'; fi
`
	bin = filepath.Join(dir, "bin")
	require.NoError(t, os.MkdirAll(bin, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "gh"), []byte(fake), 0o755))
	return bin, log, inputs
}

// prFiles is the pull request's files as GET /pulls/{n}/files lists them:
// each file the change between the merge base and head touches, with its
// patch (the hunks of git diff -U3, without the file's header lines).
func prFiles(t *testing.T, r *gittest.Repo, base, head string) string {
	t.Helper()
	names := r.Git(time.Time{}, "--literal-pathspecs", "diff", "-z", "--name-only", base+"..."+head)
	var files []map[string]string
	for _, name := range strings.Split(strings.TrimRight(names, "\x00"), "\x00") {
		if name == "" {
			continue
		}
		diff := r.Git(time.Time{}, "--literal-pathspecs", "diff", "-U3", base+"..."+head, "--", name)
		_, hunks, ok := strings.Cut(diff, "\n@@ ")
		require.True(t, ok, "%s: a diff with hunks", name)
		files = append(files, map[string]string{"filename": name, "patch": "@@ " + strings.TrimSuffix(hunks, "\n")})
	}
	data, err := json.Marshal(files)
	require.NoError(t, err)
	return string(data)
}

// suggestRun is one push through the suggestion mode.
type suggestRun struct {
	fixOut  string   // fix.sh's folder
	code    int      // pr-suggest.sh's exit status
	gateLog string   // what gate.sh printed, stdout and stderr
	logs    string   // what fix.sh and pr-suggest.sh printed
	summary string   // the job summary pr-suggest.sh wrote
	calls   []string // gh's command lines, in order
	posted  []review // the reviews posted (--input bodies of POST .../reviews)
}

type review struct {
	CommitID string `json:"commit_id"`
	Event    string
	Body     string
	Comments []struct {
		Path      string
		Side      string
		Line      int
		StartLine int    `json:"start_line"`
		StartSide string `json:"start_side"`
		Body      string
	}
}

// pushSuggest runs the Action's steps on the repository's HEAD as a pull
// request into main: gate.sh (whose exit status it returns first), fix.sh
// and pr-suggest.sh, with api the stand-in's canned answers by endpoint.
func pushSuggest(t *testing.T, r *gittest.Repo, api map[string]string, env ...string) (int, suggestRun) {
	t.Helper()
	bin := actionBinary(t)
	ghBin, log, inputs := reviewAPI(t)
	dir := t.TempDir()
	apiDir := filepath.Join(dir, "api")
	require.NoError(t, os.MkdirAll(apiDir, 0o755))
	head := strings.TrimSpace(r.Git(time.Time{}, "rev-parse", "HEAD"))
	api = maps(api, map[string]string{"repos/contoso/connectors/pulls/42/files": prFiles(t, r, "main", head)})
	for endpoint, body := range api {
		require.NoError(t, os.WriteFile(filepath.Join(apiDir, strings.ReplaceAll(endpoint, "/", "_")+".json"), []byte(body), 0o644))
	}
	run := suggestRun{fixOut: filepath.Join(dir, "fix"), summary: filepath.Join(dir, "summary.md")}
	report := filepath.Join(dir, "report")
	common := append([]string{"PATH=" + ghBin + string(os.PathListSeparator) + os.Getenv("PATH"), "CONNECTORDIFF=" + bin,
		"GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY=" + run.summary, "GITHUB_REPOSITORY=contoso/connectors",
		"CONNECTORDIFF_OUT=" + report, "CONNECTORDIFF_BASE=main", "CONNECTORDIFF_REPORT=" + filepath.Join(report, "connectordiff.json"),
		"CONNECTORDIFF_HEAD=" + head, "CONNECTORDIFF_FIX_OUT=" + run.fixOut, "CONNECTORDIFF_FIX_FILES=false", "FAKE_API=" + apiDir, "PR_NUMBER=42",
		"PR_HEAD_SHA=" + head, "GH_TOKEN=t", "GITHUB_SERVER_URL=https://github.com", "GITHUB_RUN_ID=9",
		"GATE=" + absPath(t, "gate.sh"), "FIX=" + absPath(t, "fix.sh"), "SUGGEST=" + absPath(t, "pr-suggest.sh")}, env...)
	gate, stdout, stderr := shell(t, "sh", `sh "$GATE"`, r.Dir, common...)
	run.gateLog = stdout + stderr
	require.Contains(t, []int{0, 1}, gate, run.gateLog)
	code, stdout, stderr := shell(t, "sh", `sh "$FIX"`, r.Dir, common...)
	run.logs = stdout + stderr
	require.Equal(t, 0, code, run.logs)
	// The job summary so far is the gate's: keep only what pr-suggest.sh adds.
	require.NoError(t, os.WriteFile(run.summary, nil, 0o644))
	run.code, stdout, stderr = shell(t, "sh", `sh "$SUGGEST" "$FIX_DIR"`, r.Dir, append(common, "FIX_DIR="+run.fixOut)...)
	run.logs += stdout + stderr
	calls, _ := os.ReadFile(log)
	run.calls = strings.Split(strings.TrimSpace(string(calls)), "\n")
	summary, _ := os.ReadFile(run.summary)
	run.summary = string(summary)
	bodies, _ := filepath.Glob(filepath.Join(inputs, "input-*.json"))
	slices.SortFunc(bodies, func(a, b string) int { return len(a) - len(b) })
	for _, b := range bodies {
		data, err := os.ReadFile(b)
		require.NoError(t, err)
		var rv review
		require.NoError(t, json.Unmarshal(data, &rv), "%s", data)
		run.posted = append(run.posted, rv)
	}
	return gate, run
}

func maps(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

var suggestionBlock = regexp.MustCompile("(?s)^(`{3,})suggestion\n(.*)\n(`{3,})$")

// applyReview applies a review's suggestions to the files of the
// repository's work tree as GitHub commits them: each comment's lines
// (start_line to line of its path) give way to the suggestion block's
// text, followed by the line ending the last of them had. It returns the
// files it changed.
func applyReview(t *testing.T, dir string, rv review) map[string]string {
	t.Helper()
	byPath := map[string][]int{}
	for i, c := range rv.Comments {
		byPath[c.Path] = append(byPath[c.Path], i)
	}
	out := map[string]string{}
	for path, list := range byPath {
		data, err := os.ReadFile(filepath.Join(dir, path))
		require.NoError(t, err)
		lines := strings.SplitAfter(string(data), "\n")
		if lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		slices.SortFunc(list, func(a, b int) int { return rv.Comments[b].Line - rv.Comments[a].Line }) // bottom up
		for _, i := range list {
			c := rv.Comments[i]
			assert.Equal(t, "RIGHT", c.Side)
			start := c.Line
			if c.StartLine != 0 {
				assert.Equal(t, "RIGHT", c.StartSide)
				assert.Less(t, c.StartLine, c.Line)
				start = c.StartLine
			}
			m := suggestionBlock.FindStringSubmatch(c.Body)
			require.NotNil(t, m, "a suggestion block: %q", c.Body)
			require.Equal(t, m[1], m[3])
			assert.NotContains(t, m[2], "\n"+m[1], "nothing in the block closes its fence")
			last := lines[c.Line-1]
			ending := last[len(strings.TrimRight(last, "\r\n")):]
			lines = slices.Concat(lines[:start-1], []string{m[2] + ending}, lines[c.Line:])
		}
		out[path] = strings.Join(lines, "")
	}
	return out
}

// fixOutput is what connectordiff fix writes for the update of path from
// main to HEAD, run on its own.
func fixOutput(t *testing.T, r *gittest.Repo, path string) string {
	t.Helper()
	cmd := exec.Command(actionBinary(t), "fix", "main:"+path, "HEAD:"+path)
	cmd.Dir = r.Dir
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		require.NoError(t, err)
	}
	return string(out)
}

// patchesIn returns the diff blocks of a job summary.
func patchesIn(summary string) []string {
	var out []string
	for _, m := range regexp.MustCompile("(?s)(`{3,})diff\n(.*?)\n?(`{3,})\n").FindAllStringSubmatch(summary, -1) {
		out = append(out, m[2]+"\n")
	}
	return out
}

// gitApply applies a patch to a copy of the repository's file and returns
// the result.
func gitApply(t *testing.T, r *gittest.Repo, path, patch string) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(r.Dir, path))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(path)), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, path), data, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fix.patch"), []byte(patch), 0o644))
	cmd := exec.Command("git", "apply", "fix.patch")
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s\n%s", out, patch)
	data, err = os.ReadFile(filepath.Join(dir, path))
	require.NoError(t, err)
	return string(data)
}

// corpusUpdate returns the two definitions of a corpus pair.
func corpusUpdate(t *testing.T, name string) (old, new string) {
	t.Helper()
	for _, p := range corpus.Pairs(t) {
		if p.Name == name {
			o, err := os.ReadFile(p.OldSwagger)
			require.NoError(t, err)
			n, err := os.ReadFile(p.NewSwagger)
			require.NoError(t, err)
			return string(o), string(n)
		}
	}
	t.Skipf("the corpus has no pair %s", name)
	return "", ""
}

// Real updates fix can fix, in one pull request with an update fix fixes in
// part: cyberproof (LF; fix edits a line of the diff and one outside it),
// anthropic (CRLF) and the README's example (one finding left to a human).
// The review's suggestions, applied to the pull request's files as GitHub
// applies them, give fix's output byte for byte where every edit is in the
// diff; the edit outside the diff is in the job summary, as a patch that
// gives fix's output too; a second push replaces the review instead of
// adding one; once nothing breaks, the suggestions are withdrawn.
func TestSuggestionsOnARealPullRequest(t *testing.T) {
	needs(t, "sh", "git", "jq")
	updates := map[string][2]string{}
	for folder, pair := range map[string]string{
		"connectors/cyberproof": "certified--cyberproof/61c5681411..4fe320b5e6",
		"connectors/anthropic":  "independent--anthropic/5e22a48725..4e9f6e00d0",
	} {
		o, n := corpusUpdate(t, pair)
		updates[folder] = [2]string{o, n}
	}
	exOld, err := os.ReadFile(filepath.Join(root, "testdata/example/old.json"))
	require.NoError(t, err)
	exNew, err := os.ReadFile(filepath.Join(root, "testdata/example/new.json"))
	require.NoError(t, err)
	updates["connectors/example"] = [2]string{string(exOld), string(exNew)}
	require.Contains(t, updates["connectors/anthropic"][1], "\r\n", "a CRLF file")

	r := gittest.New(t)
	for folder, u := range updates {
		r.Write(folder+"/apiDefinition.swagger.json", u[0])
	}
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	for folder, u := range updates {
		r.Write(folder+"/apiDefinition.swagger.json", u[1])
	}
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "change")
	head := strings.TrimSpace(r.Git(time.Time{}, "rev-parse", "HEAD"))

	gate, run := pushSuggest(t, r, nil)
	require.Equal(t, 1, gate, run.logs)
	require.Equal(t, 0, run.code, run.logs)
	assert.Equal(t, []string{
		"gh api user --jq .login",
		"gh api --paginate repos/contoso/connectors/pulls/42/files --jq .[] | {filename, patch}",
		"gh api --paginate repos/contoso/connectors/pulls/42/reviews --jq .[] | select(.user.login == \"" + botLogin +
			"\" and ((.body // \"\") | startswith(\"" + suggestMarker + "\"))) | .id",
	}, run.calls[:3])
	require.Len(t, run.calls, 4, "no earlier review: nothing else to do")
	assert.Regexp(t, `^gh api --method POST repos/contoso/connectors/pulls/42/reviews --input \S+ --jq \.id$`, run.calls[3])
	require.Len(t, run.posted, 1)
	rv := run.posted[0]
	assert.Equal(t, head, rv.CommitID)
	assert.Equal(t, "COMMENT", rv.Event)
	assert.True(t, strings.HasPrefix(rv.Body, suggestMarker+"\n"), rv.Body)
	assert.Contains(t, rv.Body, "**connectors/example/apiDefinition.swagger.json**: 3 edits fix 3 of 4 breaking findings; 1 left to you.")
	assert.Contains(t, rv.Body, "- **request-body-required-added** CreateTask: ")
	assert.Contains(t, rv.Body, "Why: ")
	assert.Contains(t, rv.Body, "**connectors/cyberproof/apiDefinition.swagger.json**: 2 edits fix the 4 breaking findings.")
	assert.Contains(t, rv.Body, "_1 of these 2 edits are outside what this pull request changes (or too long for a comment), "+
		"where GitHub takes no suggestion: the [job summary](https://github.com/contoso/connectors/actions/runs/9) has the fixed file as a patch._")

	applied := applyReview(t, r.Dir, rv)
	for _, folder := range []string{"connectors/example", "connectors/anthropic"} {
		path := folder + "/apiDefinition.swagger.json"
		want := fixOutput(t, r, path)
		require.NotEqual(t, updates[folder][1], want, "fix changes %s", folder)
		assert.True(t, applied[path] == want, "%s: the suggestions give fix's output byte for byte", folder)
	}
	cyber := "connectors/cyberproof/apiDefinition.swagger.json"
	patches := patchesIn(run.summary)
	require.Len(t, patches, 1, "the one file with an edit outside the diff: %s", run.summary)
	assert.Contains(t, patches[0], "+++ b/"+cyber+"\n")
	want := fixOutput(t, r, cyber)
	assert.True(t, gitApply(t, r, cyber, patches[0]) == want, "the summary's patch gives fix's output byte for byte")
	assert.NotEqual(t, want, applied[cyber], "one of its edits is not a suggestion")
	assert.NotEqual(t, updates["connectors/cyberproof"][1], applied[cyber], "the other is")
	for _, c := range rv.Comments {
		assert.NotContains(t, c.Body, "\r\n```", "a suggestion ends without its last line ending")
	}

	// fix.sh's folder, as the Action asks for it: the suggestions only.
	for folder := range updates {
		path := folder + "/apiDefinition.swagger.json"
		assert.FileExists(t, filepath.Join(run.fixOut, "suggestions", path+".json"))
		assert.NoFileExists(t, filepath.Join(run.fixOut, "fixed", path))
	}

	// The next push: the earlier review (777, now listed) loses its
	// comments and says it is replaced, after the new one is posted; a
	// review that another account started with the marker, and a comment
	// of someone else in the bot's review, are left alone.
	r.Write("connectors/example/apiDefinition.swagger.json", strings.Replace(string(exNew), `"title": "`, `"title": "New `, 1))
	r.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "retitle")
	earlier := map[string]string{
		"repos/contoso/connectors/pulls/42/reviews": reviews([3]string{"777", botLogin, suggestMarker + "\n### connectordiff fix"},
			[3]string{"778", "mallory", suggestMarker + "\nfake"}, [3]string{"779", botLogin, "another workflow's review"}),
		"repos/contoso/connectors/pulls/42/reviews/777/comments": reviews([3]string{"9001", botLogin, "```suggestion"},
			[3]string{"9002", botLogin, "```suggestion"}, [3]string{"9003", "mallory", "a reply"}),
		"repos/contoso/connectors/pulls/42/reviews/778/comments": reviews([3]string{"9100", "mallory", "x"}),
	}
	_, again := pushSuggest(t, r, earlier)
	require.Equal(t, 0, again.code, again.logs)
	require.Len(t, again.posted, 1)
	posted := slices.IndexFunc(again.calls, func(c string) bool { return strings.Contains(c, "--method POST") })
	require.Positive(t, posted)
	assert.Equal(t, []string{
		"gh api --paginate repos/contoso/connectors/pulls/42/reviews/777/comments --jq .[] | select(.user.login == \"" + botLogin + "\") | .id",
		"gh api --method DELETE repos/contoso/connectors/pulls/comments/9001",
		"gh api --method DELETE repos/contoso/connectors/pulls/comments/9002",
		"gh api --method PUT repos/contoso/connectors/pulls/42/reviews/777 -f body=" + replacedMarker + "\\nReplaced by the suggestions for commit " +
			strings.TrimSpace(r.Git(time.Time{}, "rev-parse", "HEAD")) + ".",
	}, again.calls[posted+1:], "the earlier review retired, after the new one is posted")
	for _, c := range again.calls {
		assert.NotContains(t, c, "778")
		assert.NotContains(t, c, "779")
		assert.NotContains(t, c, "9003")
	}

	// The fixes committed and the example's break undone: nothing breaks,
	// no review is posted, and the earlier one is withdrawn.
	for folder := range updates {
		path := folder + "/apiDefinition.swagger.json"
		r.Write(path, fixOutput(t, r, path))
	}
	r.Write("connectors/example/apiDefinition.swagger.json", string(exOld))
	r.Commit(time.Date(2026, 9, 4, 0, 0, 0, 0, time.UTC), "apply the fixes")
	gate, done := pushSuggest(t, r, earlier)
	require.Equal(t, 0, gate, done.logs)
	require.Equal(t, 0, done.code, done.logs)
	assert.Empty(t, done.posted, done.logs)
	assert.Equal(t, "gh api --method PUT repos/contoso/connectors/pulls/42/reviews/777 -f body="+replacedMarker+
		"\\nconnectordiff: nothing breaks as of commit "+strings.TrimSpace(r.Git(time.Time{}, "rev-parse", "HEAD"))+", so nothing is left to suggest.",
		done.calls[len(done.calls)-1])
	assert.Empty(t, done.summary)
}

// reviews is a listing as the API returns reviews or review comments: id,
// author, body.
func reviews(list ...[3]string) string {
	var out []map[string]any
	for _, c := range list {
		id, _ := strconv.Atoi(c[0])
		out = append(out, map[string]any{"id": id, "user": map[string]string{"login": c[1]}, "body": c[2]})
	}
	data, _ := json.Marshal(out)
	return string(data)
}

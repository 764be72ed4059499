package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/internal/gittest"
	"github.com/connectordiff/connectordiff/report"
)

// rootPolicy is the repository's policy before the reviewer accepts
// anything: comments, settings and an acceptance of its own.
const rootPolicy = `# Policy of the connectors repository.
# Reviewed like code.
profile: users   # every host

accept:
  # Region values went in March.
  - rule: connection-parameter-values-removed
    reason: the region values were never used
    expires: 2099-12-31
`

// ownPolicyText is connectors/own's policy file.
const ownPolicyText = "# connectors/own only\nlevels:\n  version-not-bumped: warning\n"

// acceptRepo is a repository whose branch feature breaks connectors/b,
// which has no policy file of its own, and connectors/own, which has one,
// checked out at feature.
func acceptRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.CopyFolder(folderOld, "connectors/b")
	r.CopyFolder(folderOld, "connectors/own")
	r.Write(".connectordiff.yaml", rootPolicy)
	r.Write("connectors/own/.connectordiff.yaml", ownPolicyText)
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.CopyFolder(folderNew, "connectors/b")
	r.CopyFolder(folderNew, "connectors/own")
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "breaking update")
	return r
}

// shellWords splits a command line the reports print as a POSIX shell
// reads it: words separated by spaces, single-quoted strings, and a
// backslash before a character outside quotes.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var out []string
	var word strings.Builder
	in, started := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case in && c == '\'':
			in = false
		case in:
			word.WriteByte(c)
		case c == '\'':
			in, started = true, true
		case c == '\\' && i+1 < len(line):
			i++
			word.WriteByte(line[i])
			started = true
		case c == ' ':
			if started {
				out = append(out, word.String())
				word.Reset()
				started = false
			}
		default:
			word.WriteByte(c)
			started = true
		}
	}
	require.False(t, in, "unbalanced quotes in %s", line)
	if started {
		out = append(out, word.String())
	}
	return out
}

// acceptCommands runs the gate as CI would, and returns the accept command
// its JSON report gives for each break.
func acceptCommands(t *testing.T, dir string, extra ...string) (int, []string) {
	t.Helper()
	code, out, stderr := runIn(dir, append([]string{"compare", "--base", "main", "--format", "json"}, extra...)...)
	require.NotEqual(t, exitError, code, stderr)
	var doc struct {
		Connectors []struct {
			Findings []struct{ ID, Level, AcceptCommand string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	var cmds []string
	for _, c := range doc.Connectors {
		for _, f := range c.Findings {
			if f.AcceptCommand != "" {
				assert.Equal(t, "breaking", f.Level)
				assert.True(t, strings.HasSuffix(f.AcceptCommand, " "+f.ID))
				cmds = append(cmds, f.AcceptCommand)
			}
		}
	}
	return code, cmds
}

// The approval workflow end to end: the gate fails; the reviewer runs each
// accept command the report prints, with a reason, in the pull request's
// checkout; the gate passes. The policy files change by the new entries
// only: comments, order and layout stay, and each acceptance goes into the
// connector folder's own file when it has one, the root's otherwise.
func TestAcceptTurnsAFailingGateIntoAPassingOne(t *testing.T) {
	r := acceptRepo(t)
	code, cmds := acceptCommands(t, r.Dir)
	require.Equal(t, exitFindings, code, "the gate fails")
	require.NotEmpty(t, cmds)

	for i, line := range cmds {
		words := shellWords(t, line)
		require.Equal(t, []string{"connectordiff", "accept", "--base", "main", "--reason", report.AcceptReasonPlaceholder}, words[:6], line)
		words[5] = "deliberate: announced to every user, #" + string(rune('a'+i)) + ": \"quoted\""
		code, out, stderr := runIn(r.Dir, words[1:]...)
		require.Equal(t, exitOK, code, "%s\n%s", line, stderr)
		assert.Contains(t, out, "accepted "+words[len(words)-1])
	}

	code, again := acceptCommands(t, r.Dir)
	assert.Equal(t, exitOK, code, "the gate passes")
	assert.Empty(t, again, "nothing left to accept")

	for _, file := range []string{".connectordiff.yaml", "connectors/own/.connectordiff.yaml"} {
		data, err := os.ReadFile(filepath.Join(r.Dir, file))
		require.NoError(t, err)
		before := map[string]string{".connectordiff.yaml": rootPolicy, "connectors/own/.connectordiff.yaml": ownPolicyText}[file]
		assert.True(t, strings.HasPrefix(string(data), before), "%s keeps what it held, comments included:\n%s", file, data)
		numstat := r.Git(time.Time{}, "diff", "--numstat", "--", file)
		assert.Regexp(t, `^\d+\s+0\s+`, numstat, "%s: lines added, none removed or changed", file)
		added := strings.TrimPrefix(string(data), before)
		if file == ".connectordiff.yaml" {
			assert.NotContains(t, added, "accept:", "the entries join the existing list")
		} else {
			assert.True(t, strings.HasPrefix(added, "accept:\n"), "a list of its own")
		}
		assert.Regexp(t, `(?m)^  - id: [0-9a-f]{16}\n    rule: [a-z-]+\n    reason: "deliberate: announced to every user, #[a-z]: \\"quoted\\""$`, added)
		// Each acceptance is the connector's: own's in its file, b's in the root's.
		code, out, _ := runIn(r.Dir, "compare", "--base", "main", "--format", "json")
		require.Equal(t, exitOK, code)
		for _, id := range strings.Split(strings.TrimSpace(added), "\n") {
			if strings.HasPrefix(strings.TrimSpace(id), "- id: ") {
				assert.Contains(t, out, `"id": "`+strings.TrimPrefix(strings.TrimSpace(id), "- id: ")+`"`)
			}
		}
	}
	root, err := os.ReadFile(filepath.Join(r.Dir, ".connectordiff.yaml"))
	require.NoError(t, err)
	own, err := os.ReadFile(filepath.Join(r.Dir, "connectors/own/.connectordiff.yaml"))
	require.NoError(t, err)
	assert.Equal(t, strings.Count(string(root), "- id: "), strings.Count(string(own), "- id: "),
		"b's breaks in the root's file, own's as many in its own")
}

// What accept refuses: no reason, the reports' placeholder for one, an id
// that names nothing or was accepted already, ids and --rule together, and
// a policy file that is a link (a pull request's link to ~/.bashrc).
func TestAcceptRefuses(t *testing.T) {
	r := acceptRepo(t)
	_, cmds := acceptCommands(t, r.Dir)
	require.NotEmpty(t, cmds)
	id := cmds[0][strings.LastIndex(cmds[0], " ")+1:]
	for _, tc := range []struct {
		name string
		args []string
		err  string
	}{
		{"no reason", []string{"accept", "--base", "main", id}, "--reason: say why the break is acceptable"},
		{"a blank reason", []string{"accept", "--base", "main", "--reason", "  ", id}, "--reason: say why the break is acceptable"},
		{"the placeholder", []string{"accept", "--base", "main", "--reason", report.AcceptReasonPlaceholder, id}, "replace <why this break is acceptable> with the reason"},
		{"no base", []string{"accept", "--reason", "fine", id}, "give --base as the gate was given"},
		{"an unknown id", []string{"accept", "--base", "main", "--reason", "fine", "0123456789abcdef"}, "0123456789abcdef: no finding has this id"},
		{"not an id", []string{"accept", "--base", "main", "--reason", "fine", "operation-removed"}, "not a finding's id"},
		{"ids and a rule", []string{"accept", "--base", "main", "--reason", "fine", "--rule", "operation-removed", "--operation", "X", id}, "not both"},
		{"a rule without an operation", []string{"accept", "--reason", "fine", "--rule", "operation-removed"}, "--rule and --operation go together"},
		{"a past date", []string{"accept", "--base", "main", "--reason", "fine", "--expires", "2020-01-01", id}, "--expires 2020-01-01 is past"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runIn(r.Dir, tc.args...)
			assert.Equal(t, exitError, code)
			assert.Contains(t, stderr, tc.err)
		})
	}
	unchanged := r.Git(time.Time{}, "status", "--porcelain")
	assert.Empty(t, unchanged, "nothing refused wrote anything")

	code, _, stderr := runIn(r.Dir, "accept", "--base", "main", "--reason", "fine", id[:8])
	require.Equal(t, exitOK, code, stderr)
	code, _, stderr = runIn(r.Dir, "accept", "--base", "main", "--reason", "again", id)
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, id+": accepted already, by ")

	target := filepath.Join(t.TempDir(), "bashrc")
	require.NoError(t, os.WriteFile(target, []byte("# mine\n"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(r.Dir, ".connectordiff.yaml")))
	if err := os.Symlink(target, filepath.Join(r.Dir, ".connectordiff.yaml")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	code, _, stderr = runIn(r.Dir, "accept", "--reason", "fine", "--rule", "operation-removed", "--operation", "GetTask")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "is a symbolic link")
	data, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "# mine\n", string(data), "the link's target is untouched")
}

// --rule and --operation write that acceptance without comparing anything:
// into a connector's own file when --connector names its folder.
func TestAcceptByRule(t *testing.T) {
	r := acceptRepo(t)
	code, out, stderr := runIn(r.Dir, "accept", "--reason", "GetTask went on purpose", "--rule", "operation-removed",
		"--operation", "GetTask", "--connector", "connectors/own", "--expires", "2099-01-31")
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "connectors/own/.connectordiff.yaml: accepted operation-removed for GetTask\n", out)
	data, err := os.ReadFile(filepath.Join(r.Dir, "connectors/own/.connectordiff.yaml"))
	require.NoError(t, err)
	assert.Equal(t, ownPolicyText+"accept:\n  - rule: operation-removed\n    operation: \"GetTask\"\n    reason: \"GetTask went on purpose\"\n    expires: 2099-01-31\n", string(data))

	code, _, stderr = runIn(r.Dir, "accept", "--reason", "b too", "--rule", "operation-removed", "--operation", "GetTask", "--connector", "connectors/b")
	require.Equal(t, exitOK, code, stderr)
	data, err = os.ReadFile(filepath.Join(r.Dir, ".connectordiff.yaml"))
	require.NoError(t, err)
	assert.Equal(t, rootPolicy+"  - rule: operation-removed\n    connector: \"connectors/b\"\n    operation: \"GetTask\"\n    reason: \"b too\"\n", string(data),
		"b has no file of its own: the root's, naming the connector")

	code, out, _ = runIn(r.Dir, "compare", "--base", "main")
	require.Equal(t, exitFindings, code)
	assert.Contains(t, out, "ACCEPTED  operation-removed")
}

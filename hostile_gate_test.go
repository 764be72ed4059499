package connectordiff_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/internal/gittest"
)

// gitIn runs git in r with stdin and returns its output.
func gitIn(t *testing.T, r *gittest.Repo, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_AUTHOR_DATE=2026-01-02T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-02T00:00:00Z")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return strings.TrimSpace(string(out))
}

// expandedCommit makes branch name of r a commit of a handful of objects
// whose tree holds fan^depth folders connectors/d?/d?/..., each holding the
// same file leaf: every level is one tree naming the level below fan times.
func expandedCommit(t *testing.T, r *gittest.Repo, name, leaf string, fan, depth int) {
	t.Helper()
	blob := gitIn(t, r, `{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}`, "hash-object", "-w", "--stdin")
	tree := gitIn(t, r, "100644 blob "+blob+"\t"+leaf+"\n", "mktree")
	for range depth {
		var b strings.Builder
		for i := range fan {
			fmt.Fprintf(&b, "040000 tree %s\td%d\n", tree, i)
		}
		tree = gitIn(t, r, b.String(), "mktree")
	}
	var root strings.Builder
	for _, line := range strings.Split(gitIn(t, r, "", "ls-tree", "HEAD"), "\n") {
		if !strings.HasSuffix(line, "\tconnectors") {
			root.WriteString(line + "\n")
		}
	}
	fmt.Fprintf(&root, "040000 tree %s\tconnectors\n", tree)
	commit := gitIn(t, r, "", "commit-tree", "-p", "HEAD", "-m", "expanded", gitIn(t, r, root.String(), "mktree"))
	gitIn(t, r, "", "branch", name, commit)
}

// A commit of a dozen objects that names one connector folder at 100,000
// paths is refused, with the limit and how to raise it, before any folder
// is listed: it took 48 s and 2.7 GB to compare. The deadline turns a
// regression into a failure rather than minutes of work.
func TestHostileExpandedCommit(t *testing.T) {
	r := gittest.New(t)
	r.Write("README.md", "connectors\n")
	r.Commit(time.Time{}, "base")
	expandedCommit(t, r, "bomb", "apiDefinition.swagger.json", 10, 5)
	objects := gitIn(t, r, "", "rev-list", "--objects", "--all")
	require.Len(t, strings.Split(objects, "\n"), 12, "a dozen objects")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", "bomb")
	require.ErrorIs(t, err, gate.ErrChangeTooLarge)
	assert.ErrorContains(t, err, "it touches more than 2000 connector folders")
	assert.ErrorContains(t, err, "--max-connectors N")

	// The same from the index (a pre-commit hook), where the tree is staged:
	// 10,000 folders, as an index of 100,000 takes git seconds to write.
	expandedCommit(t, r, "smaller", "apiDefinition.swagger.json", 10, 4)
	gitIn(t, r, "", "read-tree", "smaller")
	_, err = connectordiff.CompareRevisions(ctx, r.Dir, "HEAD", "", connectordiff.Staged())
	require.ErrorIs(t, err, gate.ErrChangeTooLarge)
}

// The same trick with a file that is no connector's passes the connector
// count, but git would still walk a million paths to list the change (69 s
// and 356 MB): it is refused too.
func TestHostileExpandedCommitOfOtherFiles(t *testing.T) {
	r := gittest.New(t)
	r.Write("README.md", "connectors\n")
	r.Commit(time.Time{}, "base")
	expandedCommit(t, r, "bomb", "notes.txt", 10, 6)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", "bomb")
	require.ErrorIs(t, err, gate.ErrChangeTooLarge)
	assert.ErrorContains(t, err, "git would compare more than 100000 files and folders")
}

// MaxConnectors sets the limit: 27 folders pass a limit of 27 and fail one
// of 26, in every mode; folders outside the paths given do not count.
func TestMaxConnectors(t *testing.T) {
	r := gittest.New(t)
	r.Write("README.md", "connectors\n")
	r.Commit(time.Time{}, "base")
	expandedCommit(t, r, "wide", "apiDefinition.swagger.json", 3, 3)
	ctx := context.Background()

	rr, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", "wide", connectordiff.MaxConnectors(27))
	require.NoError(t, err)
	assert.Len(t, rr.Connectors, 27)
	assert.Equal(t, 27, rr.CountStatus(breaking.StatusAdded))
	_, err = connectordiff.CompareRevisions(ctx, r.Dir, "main", "wide", connectordiff.MaxConnectors(26))
	require.ErrorIs(t, err, gate.ErrChangeTooLarge)
	assert.ErrorContains(t, err, "more than 26 connector folders")
	rr, err = connectordiff.CompareRevisions(ctx, r.Dir, "main", "wide", connectordiff.MaxConnectors(9),
		connectordiff.Paths("connectors/d1"))
	require.NoError(t, err)
	assert.Len(t, rr.Connectors, 9)

	// The work tree: its change is counted from git's list of changed
	// files, before any of them is read.
	r.Git(time.Time{}, "checkout", "-q", "wide")
	r.Git(time.Time{}, "checkout", "-q", "main")
	r.Git(time.Time{}, "checkout", "-q", "wide", "--", "connectors")
	_, err = connectordiff.CompareRevisions(ctx, r.Dir, "main", "", connectordiff.MaxConnectors(26))
	require.ErrorIs(t, err, gate.ErrChangeTooLarge)
	rr, err = connectordiff.CompareRevisions(ctx, r.Dir, "main", "", connectordiff.MaxConnectors(27))
	require.NoError(t, err)
	assert.Len(t, rr.Connectors, 27)
	assert.DirExists(t, filepath.Join(r.Dir, "connectors", "d2", "d2", "d2"))
}

package gitrepo

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gitIn runs git in dir with a fixed identity; a failure fails the test.
func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return strings.TrimSpace(string(out))
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if content == "" {
			require.NoError(t, os.Remove(p))
			continue
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
}

// treeOf is the tree id of a commit.
func treeOf(t *testing.T, o *Objects, commit string) string {
	c, err := o.Commit(commit)
	require.NoError(t, err)
	return c.Tree
}

// The changes between two trees are those Changes lists between the two
// commits (which compares their full listings): modified, added, deleted,
// and a folder moved, paired as renames; paths and keep limit
// them, and the empty tree is the side before a root commit.
func TestTreeChangesListWhatChangesListsWithoutFullListings(t *testing.T) {
	dir := newRepo(t, files)
	writeFiles(t, dir, map[string]string{
		"a/apiDefinition.swagger.json":     "",
		"a/script.csx":                     "",
		"moved/apiDefinition.swagger.json": `{"swagger": "2.0"}`,
		"moved/script.csx":                 "// code\n",
		"b/c/deep.txt":                     "deeper",
		"new/apiProperties.json":           "{}",
	})
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "two")
	ctx := context.Background()
	r, err := Open(ctx, dir)
	require.NoError(t, err)
	o, err := r.Objects(ctx)
	require.NoError(t, err)
	defer o.Close()
	one, two := gitIn(t, dir, "rev-parse", "HEAD~1"), gitIn(t, dir, "rev-parse", "HEAD")

	got, err := o.TreeChanges(treeOf(t, o, one), treeOf(t, o, two), nil, nil, 1000)
	require.NoError(t, err)
	want, err := r.Changes(ctx, one, two, false, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Contains(t, got, FileChange{Status: 'R', Old: "a/apiDefinition.swagger.json", New: "moved/apiDefinition.swagger.json"})

	got, err = o.TreeChanges(treeOf(t, o, one), treeOf(t, o, two), []string{"b", "new"}, nil, 1000)
	require.NoError(t, err)
	assert.Equal(t, []FileChange{{Status: 'M', Old: "b/c/deep.txt", New: "b/c/deep.txt"}, {Status: 'A', New: "new/apiProperties.json"}}, got)

	got, err = o.TreeChanges("", treeOf(t, o, one), nil, func(p string) bool { return strings.HasSuffix(p, ".csx") }, 1000)
	require.NoError(t, err)
	assert.Equal(t, []FileChange{{Status: 'A', New: "a/script.csx"}}, got, "everything is added by a root commit")
}

// A tree that names one changed folder at many paths costs the budget, not
// the paths: the walk stops with ErrTooManyEntries.
func TestTreeChangesStopsPastItsBudget(t *testing.T) {
	dir := newRepo(t, files)
	for i := range 30 {
		writeFiles(t, dir, map[string]string{filepath.Join("many", strings.Repeat("x", i+1), "f.json"): "{}"})
	}
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "two")
	ctx := context.Background()
	r, err := Open(ctx, dir)
	require.NoError(t, err)
	o, err := r.Objects(ctx)
	require.NoError(t, err)
	defer o.Close()
	one, two := treeOf(t, o, "HEAD~1"), treeOf(t, o, "HEAD")
	_, err = o.TreeChanges(one, two, nil, nil, 40)
	assert.ErrorIs(t, err, ErrTooManyEntries)
	got, err := o.TreeChanges(one, two, nil, nil, 100)
	require.NoError(t, err)
	assert.Len(t, got, 30)
}

// A commit's author, date and subject are read from its object, whatever
// they hold: the subject is the message's first paragraph on one line,
// cut; a signature's continuation lines are skipped.
func TestCommitReadsTheHeadersAndTheSubject(t *testing.T) {
	sig := "gpgsig -----BEGIN PGP SIGNATURE-----\n \n author Forged <f@example.com> 1 +0000\n -----END PGP SIGNATURE-----\n"
	raw := "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent 1111111111111111111111111111111111111111\n" +
		"author ::error::A <a@example.com> 1700000000 +0200\ncommitter C <c@example.com> 1700000100 -0700\n" + sig +
		"\n\nfirst line\r::warning::second\n\nbody\n"
	c, err := parseCommit([]byte(raw))
	require.NoError(t, err)
	assert.Equal(t, "4b825dc642cb6eb9a060e54bf8d69288fbee4904", c.Tree)
	assert.Equal(t, []string{"1111111111111111111111111111111111111111"}, c.Parents)
	assert.Equal(t, "::error::A", c.Author, "kept as given: printing escapes it")
	assert.Equal(t, int64(1700000100), c.Time.Unix())
	assert.Equal(t, "first line ::warning::second", c.Subject)

	long := "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ncommitter C <c@example.com> 1 +0000\n\n" + strings.Repeat("word ", 1000)
	c, err = parseCommit([]byte(long))
	require.NoError(t, err)
	assert.Equal(t, MaxSubject, len([]rune(c.Subject)))
	assert.True(t, strings.HasSuffix(c.Subject, "…"))

	_, err = parseCommit([]byte("author x\n\nno tree"))
	assert.ErrorContains(t, err, "malformed commit object")
}

// Commit reads a real commit, its message past maxCommitBytes skipped
// unread; trees opened from the same Objects read through its processes
// and leave them running when closed.
func TestObjectsReadCommitsAndTreesThroughOneProcessPair(t *testing.T) {
	dir := newRepo(t, files)
	writeFiles(t, dir, map[string]string{"top.md": "changed"})
	gitIn(t, dir, "add", "-A")
	msgFile := filepath.Join(t.TempDir(), "msg")
	require.NoError(t, os.WriteFile(msgFile, []byte("big\n\n"+strings.Repeat("x", maxCommitBytes+10)), 0o644))
	gitIn(t, dir, "commit", "-q", "-F", msgFile)
	ctx := context.Background()
	r, err := Open(ctx, dir)
	require.NoError(t, err)
	o, err := r.Objects(ctx)
	require.NoError(t, err)
	defer o.Close()
	head := gitIn(t, dir, "rev-parse", "HEAD")
	c, err := o.Commit(head)
	require.NoError(t, err)
	assert.Equal(t, "big", c.Subject)
	assert.Equal(t, head, c.ID)
	for range 2 {
		tree := o.Tree(head)
		data, err := fs.ReadFile(tree, "top.md")
		require.NoError(t, err)
		assert.Equal(t, "changed", string(data))
		require.NoError(t, tree.Close())
	}
	c, err = o.Commit(c.Parents[0])
	require.NoError(t, err, "the processes still answer after the trees closed")
	assert.Equal(t, "one", c.Subject)
	_, err = o.Commit(treeOf(t, o, head))
	assert.ErrorContains(t, err, "not a commit")
}

package gitrepo

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newRepo makes a repository with one commit of files (path -> content) and
// a symbolic link, and returns its folder.
func newRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "a"), 0o755))
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(dir, "a", "escape.json")))
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"commit", "-q", "-m", "one"}} {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com",
			"-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	return dir
}

var files = map[string]string{
	"a/apiDefinition.swagger.json": `{"swagger": "2.0"}`,
	"a/script.csx":                 "// code\n",
	"b/c/deep.txt":                 "deep",
	"top.md":                       "# top\n",
}

// The tree behaves as an fs.FS by the standard library's own checks, and
// holds exactly the committed files; the symbolic link is listed and
// described as a link, never followed.
func TestTreeIsAFileSystem(t *testing.T) {
	dir := newRepo(t, files)
	r, err := Open(context.Background(), dir)
	require.NoError(t, err)
	tree, err := r.Tree(context.Background(), "HEAD")
	require.NoError(t, err)
	defer tree.Close()
	require.NoError(t, fstest.TestFS(tree, "a/apiDefinition.swagger.json", "a/script.csx", "b/c/deep.txt", "top.md"))
	data, err := fs.ReadFile(tree, "b/c/deep.txt")
	require.NoError(t, err)
	assert.Equal(t, "deep", string(data))
	st, err := fs.Stat(tree, "a/escape.json")
	require.NoError(t, err)
	assert.Equal(t, fs.ModeSymlink, st.Mode().Type())
	_, err = fs.ReadFile(tree, "a/escape.json")
	assert.ErrorContains(t, err, "symbolic link")
	_, err = fs.Stat(tree, "a/escape.json/x")
	assert.ErrorIs(t, err, fs.ErrNotExist, "no path leads through a link")
	entries, err := fs.ReadDir(tree, "a")
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name()+" "+e.Type().String())
	}
	assert.Equal(t, []string{"apiDefinition.swagger.json ----------", "escape.json L---------", "script.csx ----------"}, names)
	assert.Len(t, tree.Commit(), 40)
}

func TestResolvePath(t *testing.T) {
	dir := newRepo(t, files)
	sub, err := Open(context.Background(), filepath.Join(dir, "a"))
	require.NoError(t, err)
	assert.Equal(t, "a/", sub.Prefix)
	tree, err := sub.Tree(context.Background(), "HEAD")
	require.NoError(t, err)
	defer tree.Close()
	for in, want := range map[string]string{
		"top.md":                     "top.md",                       // from the root, as git reads it
		"./script.csx":               "a/script.csx",                 // ./ is the current folder
		"../top.md":                  "top.md",                       // and so is ../
		"apiDefinition.swagger.json": "a/apiDefinition.swagger.json", // found only in the current folder
		"missing.json":               "missing.json",                 // not found anywhere: as given
		".":                          "a",
	} {
		assert.Equal(t, want, sub.ResolvePath(context.Background(), tree, in), in)
	}
}

func TestUnknownRevision(t *testing.T) {
	dir := newRepo(t, files)
	r, err := Open(context.Background(), dir)
	require.NoError(t, err)
	_, err = r.Tree(context.Background(), "no-such-branch")
	assert.EqualError(t, err, `unknown revision "no-such-branch"`)
	_, err = r.Tree(context.Background(), "--output=/tmp/x")
	assert.ErrorContains(t, err, "cannot start with '-'")
}

func TestOpenOutsideARepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	_, err := Open(context.Background(), t.TempDir())
	assert.ErrorContains(t, err, "is not in a git repository")
}

// A folder of many files (more than one round of size requests), names
// that would break git's line-based input, and sizes that match the
// contents: the tree reads its objects by id through two processes.
func TestTreeManyFilesAndOddNames(t *testing.T) {
	many := map[string]string{
		"odd/line\nbreak.json": "newline",
		"odd/tab\tname.json":   "tab",
		"odd/ space .json":     "spaces",
		"odd/ü.json":           "unicode",
	}
	for i := range 700 {
		many[fmt.Sprintf("many/f%03d.json", i)] = strings.Repeat("x", i)
	}
	dir := newRepo(t, many)
	r, err := Open(context.Background(), dir)
	require.NoError(t, err)
	tree, err := r.Tree(context.Background(), "HEAD")
	require.NoError(t, err)
	defer tree.Close()
	entries, err := fs.ReadDir(tree, "many")
	require.NoError(t, err)
	require.Len(t, entries, 700)
	for i, e := range entries {
		info, err := e.Info()
		require.NoError(t, err)
		assert.EqualValues(t, i, info.Size(), e.Name())
	}
	data, err := fs.ReadFile(tree, "many/f699.json")
	require.NoError(t, err)
	assert.Len(t, data, 699)
	for name, content := range many {
		if !strings.HasPrefix(name, "odd/") {
			continue
		}
		data, err := fs.ReadFile(tree, name)
		require.NoError(t, err, "%q", name)
		assert.Equal(t, content, string(data))
	}
	_, err = fs.ReadFile(tree, "odd/line")
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

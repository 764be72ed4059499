package gitrepo

import (
	"context"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func isDefinitionOrScript(name string) bool {
	return strings.EqualFold(name, "apiDefinition.swagger.json") || strings.EqualFold(name, "script.csx")
}

// gitRun runs git in dir, failing the test on error.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com",
		"-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	return string(out)
}

// MeasureChange counts what git diff lists: the folders of changed
// matching files (a move counts both folders; another file's change, none),
// under the paths given, and stops one past its limits.
func TestMeasureChange(t *testing.T) {
	dir := newRepo(t, map[string]string{
		"a/apiDefinition.swagger.json": "a1", "b/apiDefinition.swagger.json": "b", "b/icon.png": "png1",
		"c/script.csx": "c1", "d/x/apiDefinition.swagger.json": "d", "e/apiDefinition.swagger.json": "e",
		"g/deep/er/script.csx": "g1",
	})
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	write("a/apiDefinition.swagger.json", "a2")
	write("b/icon.png", "png2")
	write("c/script.csx", "c2")
	gitRun(t, dir, "mv", "d/x", "d/y")
	write("f/SCRIPT.CSX", "f")
	write("g/deep/er/script.csx", "g2")
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-q", "-m", "two")

	ctx := context.Background()
	r, err := Open(ctx, dir)
	require.NoError(t, err)
	a, err := r.Tree(ctx, "HEAD~1")
	require.NoError(t, err)
	defer a.Close()
	b, err := r.Tree(ctx, "HEAD")
	require.NoError(t, err)
	defer b.Close()

	// What git diff lists, without rename detection, as the reference.
	want := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(gitRun(t, dir, "diff", "--name-only", "--no-renames", "HEAD~1", "HEAD")), "\n") {
		if isDefinitionOrScript(path.Base(line)) {
			want[path.Dir(line)] = true
		}
	}
	require.Len(t, want, 6, "a, c, d/x, d/y, f, g/deep/er: %v", want)
	size, err := MeasureChange(a, b, nil, isDefinitionOrScript, 100, 1000)
	require.NoError(t, err)
	assert.Equal(t, len(want), size.Folders)
	// Entries: the root's 7, a's 2 (with newRepo's symbolic link), b's 2,
	// c's 1, d's 2 and each of x and y's 1, f's 1, g's, deep's and er's 1
	// each.
	assert.Equal(t, 7+2+2+1+2+1+1+1+3, size.Entries)

	for _, tc := range []struct {
		paths []string
		want  int
	}{
		{[]string{"d"}, 2},
		{[]string{"d/y", "d", "d"}, 2}, // one under another, repeated: counted once
		{[]string{"a", "g/deep"}, 2},
		{[]string{"c/script.csx"}, 1},
		{[]string{"b"}, 0},
		{[]string{"nothing/here"}, 0},
		{[]string{"."}, 6},
	} {
		size, err := MeasureChange(a, b, tc.paths, isDefinitionOrScript, 100, 1000)
		require.NoError(t, err)
		assert.Equal(t, tc.want, size.Folders, "%v", tc.paths)
	}

	size, err = MeasureChange(a, b, nil, isDefinitionOrScript, 2, 1000)
	require.NoError(t, err)
	assert.Equal(t, 3, size.Folders, "one past the folder limit")
	size, err = MeasureChange(a, b, nil, isDefinitionOrScript, 100, 5)
	require.NoError(t, err)
	assert.Equal(t, 6, size.Entries, "one past the entry limit")
}

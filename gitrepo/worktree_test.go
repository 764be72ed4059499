package gitrepo

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// git runs git in dir with no user or system configuration, failing the
// test on an error, and returns its output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com",
		"-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return string(out)
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
}

func symlink(t *testing.T, dir, target, name string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.Symlink(target, p))
}

func needsUnix(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links and named pipes")
	}
}

// The work tree is an fs.FS by the standard library's checks that never
// follows a link: links are listed as links and cannot be read, no path
// leads through one, .git is not there, and a named pipe is described
// without being opened (which would wait for a writer).
func TestWorkTreeFollowsNoLink(t *testing.T) {
	needsUnix(t)
	dir := newRepo(t, files)
	symlink(t, dir, "../../.git/config", "a/config.csx")
	symlink(t, dir, "apiDefinition.swagger.json", "a/inside.json")
	symlink(t, dir, "b", "through")
	r, err := Open(context.Background(), dir)
	require.NoError(t, err)
	w, err := r.WorkTree(context.Background())
	require.NoError(t, err)
	defer w.Close()

	require.NoError(t, fstest.TestFS(w, "a/apiDefinition.swagger.json", "a/script.csx", "b/c/deep.txt", "top.md"))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "a", "pipe.json"), 0o644))
	names := func(dir string) []string {
		es, err := fs.ReadDir(w, dir)
		require.NoError(t, err)
		var out []string
		for _, e := range es {
			out = append(out, e.Name()+" "+e.Type().String())
		}
		return out
	}
	assert.Equal(t, []string{"a d---------", "b d---------", "through L---------", "top.md ----------"}, names("."), ".git is not listed")
	assert.Equal(t, []string{"apiDefinition.swagger.json ----------", "config.csx L---------", "escape.json L---------",
		"inside.json L---------", "pipe.json p---------", "script.csx ----------"}, names("a"))
	for _, link := range []string{"a/config.csx", "a/inside.json", "a/escape.json"} {
		st, err := fs.Stat(w, link)
		require.NoError(t, err)
		assert.Equal(t, fs.ModeSymlink, st.Mode().Type(), link)
		_, err = fs.ReadFile(w, link)
		assert.ErrorContains(t, err, "is a symbolic link", link)
	}
	_, err = fs.ReadFile(w, "a/pipe.json")
	assert.ErrorContains(t, err, "is not a regular file")
	for _, p := range []string{"through/c/deep.txt", ".git/config", ".GIT/config", "a/escape.json/x"} {
		_, err = fs.Stat(w, p)
		assert.ErrorIs(t, err, fs.ErrNotExist, p)
	}
	data, err := fs.ReadFile(w, "b/c/deep.txt")
	require.NoError(t, err)
	assert.Equal(t, "deep", string(data))
}

// gitChanges is git's own answer: git diff --name-status -M, which the
// tests run with no filter configured, as "<status> <old> <new>" lines.
func gitChanges(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	out := git(t, dir, append([]string{"diff", "-z", "--name-status", "-M"}, args...)...)
	var lines []string
	fields := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	for i := 0; i+1 < len(fields); {
		st := fields[i][:1]
		switch st {
		case "R":
			lines = append(lines, "R "+fields[i+1]+" "+fields[i+2])
			i += 3
		case "A":
			lines = append(lines, "A  "+fields[i+1])
			i += 2
		case "D":
			lines = append(lines, "D "+fields[i+1]+" ")
			i += 2
		default:
			lines = append(lines, st+" "+fields[i+1]+" "+fields[i+1])
			i += 2
		}
	}
	sort.Strings(lines)
	return lines
}

func changeLines(changes []FileChange) []string {
	var lines []string
	for _, c := range changes {
		lines = append(lines, string(c.Status)+" "+c.Old+" "+c.New)
	}
	sort.Strings(lines)
	return lines
}

// Changes lists, without git diff, what git diff -M lists: between two
// commits, the index and the work tree (untracked files included, ignored
// ones not), with renames identical and similar, a file turned into a link,
// and a deletion.
func TestChangesAgreeWithGit(t *testing.T) {
	needsUnix(t)
	def := func(title string, n int) string {
		var b strings.Builder
		b.WriteString(`{"swagger": "2.0", "info": {"title": "` + title + `"}, "paths": {` + "\n")
		for i := range n {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(`  "/p` + strings.Repeat("x", i) + `": {"get": {"operationId": "Op` + strings.Repeat("y", i) + `"}}`)
		}
		b.WriteString("\n}}\n")
		return b.String()
	}
	dir := newRepo(t, map[string]string{
		"c/moved/apiDefinition.swagger.json":   def("moved", 20),
		"c/similar/apiDefinition.swagger.json": def("similar", 20),
		"c/edited/apiDefinition.swagger.json":  def("edited", 5),
		"c/edited/script.csx":                  "// one\n",
		"c/gone/apiDefinition.swagger.json":    def("gone", 3),
		"c/linked/apiProperties.json":          "{}\n",
		".gitignore":                           "ignored/\n",
	})
	main := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD"))
	git(t, dir, "checkout", "-q", "-b", "feature")
	git(t, dir, "mv", "c/moved", "c/moved-to")
	git(t, dir, "mv", "c/similar", "c/similar-to")
	write(t, dir, "c/similar-to/apiDefinition.swagger.json", strings.Replace(def("similar", 20), `"/p"`, `"/q"`, 1))
	write(t, dir, "c/edited/script.csx", "// two\n")
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "c/gone")))
	require.NoError(t, os.Remove(filepath.Join(dir, "c/linked/apiProperties.json")))
	symlink(t, dir, "../edited/script.csx", "c/linked/apiProperties.json")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "feature")
	// Then uncommitted work: staged, unstaged, untracked and ignored.
	write(t, dir, "c/staged/apiDefinition.swagger.json", def("staged", 2))
	git(t, dir, "add", "c/staged")
	write(t, dir, "c/edited/apiDefinition.swagger.json", def("edited", 6))
	write(t, dir, "c/untracked/apiDefinition.swagger.json", def("untracked", 1))
	write(t, dir, "ignored/apiDefinition.swagger.json", def("ignored", 1))
	require.NoError(t, os.Remove(filepath.Join(dir, "c/edited/script.csx")))

	ctx := context.Background()
	r, err := Open(ctx, dir)
	require.NoError(t, err)
	base, err := r.Commit(ctx, main)
	require.NoError(t, err)
	head, err := r.Commit(ctx, "feature")
	require.NoError(t, err)

	got, err := r.Changes(ctx, base, head, false, nil, nil)
	require.NoError(t, err)
	want := gitChanges(t, dir, base, head)
	assert.Equal(t, want, changeLines(got), "two commits")
	assert.Contains(t, want, "R c/moved/apiDefinition.swagger.json c/moved-to/apiDefinition.swagger.json")
	assert.Contains(t, want, "R c/similar/apiDefinition.swagger.json c/similar-to/apiDefinition.swagger.json")
	assert.Contains(t, want, "T c/linked/apiProperties.json c/linked/apiProperties.json")

	got, err = r.Changes(ctx, base, "", true, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, gitChanges(t, dir, "--cached", base), changeLines(got), "the index")

	got, err = r.Changes(ctx, base, "", false, nil, nil)
	require.NoError(t, err)
	worktree := gitChanges(t, dir, base)
	worktree = append(worktree, "A  c/untracked/apiDefinition.swagger.json") // git diff leaves out untracked files
	sort.Strings(worktree)
	assert.Equal(t, worktree, changeLines(got), "the work tree")

	got, err = r.Changes(ctx, base, "", false, []string{"c/edited"}, func(p string) bool { return strings.HasSuffix(p, ".csx") })
	require.NoError(t, err)
	assert.Equal(t, []string{"D c/edited/script.csx "}, changeLines(got), "paths and keep limit the listing")
}

// The work tree's files are hashed as the repository's object format
// says: in a SHA-256 repository, an unchanged file is not a change.
func TestChangesInASHA256Repository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git(t, dir, "init", "-q", "--object-format=sha256")
	write(t, dir, "a/apiDefinition.swagger.json", "{}\n")
	write(t, dir, "a/script.csx", "// code\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "one")
	write(t, dir, "a/script.csx", "// changed\n")
	ctx := context.Background()
	r, err := Open(ctx, dir)
	require.NoError(t, err)
	head, err := r.Commit(ctx, "HEAD")
	require.NoError(t, err)
	require.Len(t, head, 64)
	got, err := r.Changes(ctx, head, "", false, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"M a/script.csx a/script.csx"}, changeLines(got))
	tree, err := r.StagedTree(ctx)
	require.NoError(t, err)
	defer tree.Close()
	data, err := fs.ReadFile(tree, "a/script.csx")
	require.NoError(t, err)
	assert.Equal(t, "// code\n", string(data), "the staged version")
}

// The staged tree is the index as it is, read and never written, with its
// folders listed as git lists a tree's; an unmerged index is an error.
func TestStagedTreeReadsTheIndexOnly(t *testing.T) {
	dir := newRepo(t, files)
	write(t, dir, "a/script.csx", "// staged\n")
	write(t, dir, "new/deeper/x.json", "{}")
	git(t, dir, "add", "-A")
	write(t, dir, "a/script.csx", "// not staged\n")
	index := filepath.Join(dir, ".git", "index")
	before, err := os.ReadFile(index)
	require.NoError(t, err)
	ctx := context.Background()
	r, err := Open(ctx, filepath.Join(dir, "b"))
	require.NoError(t, err)
	tree, err := r.StagedTree(ctx)
	require.NoError(t, err)
	defer tree.Close()
	require.NoError(t, fstest.TestFS(tree, "a/apiDefinition.swagger.json", "a/script.csx", "b/c/deep.txt", "new/deeper/x.json", "top.md"))
	data, err := fs.ReadFile(tree, "a/script.csx")
	require.NoError(t, err)
	assert.Equal(t, "// staged\n", string(data))
	st, err := fs.Stat(tree, "a/escape.json")
	require.NoError(t, err)
	assert.Equal(t, fs.ModeSymlink, st.Mode().Type())
	assert.Equal(t, "", tree.Commit())
	after, err := os.ReadFile(index)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(before, after), "the index was rewritten")

	// A conflict: the same line changed on two branches, merged.
	git(t, dir, "checkout", "-q", "-f")
	git(t, dir, "checkout", "-q", "-b", "other")
	write(t, dir, "top.md", "other\n")
	git(t, dir, "commit", "-q", "-am", "other")
	git(t, dir, "checkout", "-q", "-")
	write(t, dir, "top.md", "mine\n")
	git(t, dir, "commit", "-q", "-am", "mine")
	cmd := exec.Command("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "merge", "-q", "other")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	require.Error(t, cmd.Run(), "the merge conflicts")
	_, err = r.StagedTree(ctx)
	assert.EqualError(t, err, "reading the staged files: top.md is unmerged: resolve the conflict first")
}

// Only plumbing runs: a command that could run a configured program is
// refused before git starts.
func TestOnlyPlumbingRuns(t *testing.T) {
	dir := newRepo(t, files)
	r, err := Open(context.Background(), dir)
	require.NoError(t, err)
	for _, cmd := range []string{"diff", "log", "show", "write-tree", "status", "add"} {
		_, err := r.Output(context.Background(), cmd)
		assert.EqualError(t, err, "internal error: git "+cmd+" is not one of the plumbing commands connectordiff runs")
	}
	out, err := r.Output(context.Background(), "rev-parse", "--is-bare-repository")
	require.NoError(t, err)
	assert.Equal(t, "false\n", string(out))
}

// Similarity counts the bytes two files share by line, as git does: a
// file with a tenth of its lines changed is a rename, one with most lines
// changed is not, nor is one of very different size.
func TestRenameSimilarity(t *testing.T) {
	text := func(n, changed int) []byte {
		var b bytes.Buffer
		for i := range n {
			if i < changed {
				fmt.Fprintf(&b, "changed line %d\n", i)
			} else {
				fmt.Fprintf(&b, "line %d\n", i)
			}
		}
		return b.Bytes()
	}
	a := newFingerprint(text(100, 0))
	assert.InDelta(t, 1.0, a.similarity(newFingerprint(text(100, 0))), 1e-9)
	crlf := bytes.ReplaceAll(text(100, 0), []byte("\n"), []byte("\r\n"))
	assert.InDelta(t, 1.0, a.similarity(newFingerprint(crlf)), 1e-9, "CRLF counts as LF")
	tenth := a.similarity(newFingerprint(text(100, 10)))
	assert.Greater(t, tenth, 0.5)
	assert.Less(t, tenth, 0.95)
	assert.Less(t, a.similarity(newFingerprint(text(100, 60))), 0.5)
	assert.Equal(t, 0.0, a.similarity(newFingerprint(text(300, 0))), "three times the size")
	assert.Equal(t, 0.0, a.similarity(nil))
	assert.Equal(t, 0.0, newFingerprint(nil).similarity(newFingerprint(nil)))
}

// Rename scores are bounded: past maxRenamePairs candidate pairs nothing
// is read and only identical files pair; below it, no more than
// maxRenameBytes are read, however large the files a pull request adds.
func TestRenameScoringIsBounded(t *testing.T) {
	similar := func(side, i int) record {
		return record{path: fmt.Sprintf("s%d/c%d/apiDefinition.swagger.json", side, i), oid: fmt.Sprintf("%d-%d", side, i), mode: 0o100644}
	}
	var read int64
	content := func(side int, e record, limit int64) ([]byte, error) {
		size := int64(20 << 20)
		if size > limit {
			return nil, errTooLargeToScore
		}
		read += size
		return bytes.Repeat([]byte("same line\n"), int(size/10)), nil
	}
	var deleted, added []record
	for i := range 22 {
		deleted, added = append(deleted, similar(0, i)), append(added, similar(1, i))
	}
	added[3].oid = deleted[7].oid // one identical
	got, err := pairRenames(deleted, added, content)
	require.NoError(t, err)
	assert.Equal(t, []FileChange{{Status: 'R', Old: deleted[7].path, New: added[3].path}}, got, "441 pairs: identical files only")
	assert.Zero(t, read)

	read = 0
	got, err = pairRenames(deleted[:5], added[:5], content)
	require.NoError(t, err)
	assert.LessOrEqual(t, read, int64(maxRenameBytes))
	assert.Len(t, got, 1, "three 20 MiB files fit the budget, which pairs one")
}

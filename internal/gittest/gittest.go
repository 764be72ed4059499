package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Repo is a repository in a test's temporary folder.
type Repo struct {
	t   testing.TB
	Dir string
}

// New creates an empty repository whose branch is main.
func New(t testing.TB) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := &Repo{t: t, Dir: t.TempDir()}
	r.Git(time.Time{}, "init", "-q", "-b", "main")
	return r
}

// Open is the repository already in dir (built another way).
func Open(t testing.TB, dir string) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	return &Repo{t: t, Dir: dir}
}

// Git runs git in the repository, dated at (when not zero), and returns
// its output; a failure fails the test.
func (r *Repo) Git(at time.Time, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com",
		"-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"}, args...)...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	if at.IsZero() {
		at = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	d := at.Format(time.RFC3339)
	cmd.Env = append(cmd.Env, "GIT_AUTHOR_DATE="+d, "GIT_COMMITTER_DATE="+d)
	out, err := cmd.CombinedOutput()
	require.NoError(r.t, err, "git %v: %s", args, out)
	return strings.TrimSpace(string(out))
}

// Write writes a file at a slash-separated path of the work tree.
func (r *Repo) Write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(name))
	require.NoError(r.t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(r.t, os.WriteFile(p, []byte(content), 0o644))
}

// CopyFolder copies the files of a folder (not its subfolders) to a
// slash-separated folder of the work tree.
func (r *Repo) CopyFolder(from, to string) {
	r.t.Helper()
	entries, err := os.ReadDir(from)
	require.NoError(r.t, err)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		require.NoError(r.t, err)
		r.Write(to+"/"+e.Name(), string(data))
	}
}

// Commit commits every change of the work tree, dated at.
func (r *Repo) Commit(at time.Time, msg string) {
	r.t.Helper()
	r.Git(at, "add", "-A")
	r.Git(at, "commit", "-q", "-m", msg)
}

package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// names lists a folder's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// A write that fails halfway leaves the file as it was, and no temporary
// file beside it; the error names the file, not the temporary one.
func TestWriteFileFailureLeavesTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.json")
	require.NoError(t, os.WriteFile(path, []byte("the old definition\n"), 0o600))
	err := writeFile(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "the new defin")
		require.NoError(t, err)
		return errors.New("no space left on device")
	})
	require.Error(t, err)
	assert.Equal(t, path+": no space left on device (the file is left as it was)", err.Error())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "the old definition\n", string(data))
	assert.Equal(t, []string{"new.json"}, names(t, dir))

	// A file that did not exist is not created.
	err = writeFile(filepath.Join(dir, "other.json"), func(w io.Writer) error { return errors.New("failed") })
	require.Error(t, err)
	assert.Equal(t, []string{"new.json"}, names(t, dir))
}

// A complete write replaces the file, keeping its permissions; a new file
// is readable by all.
func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.json")
	require.NoError(t, os.WriteFile(path, []byte("a longer old definition\n"), 0o600))
	require.NoError(t, writeFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(data))
	assert.Equal(t, []string{"new.json"}, names(t, dir))
	fresh := filepath.Join(dir, "fresh.json")
	require.NoError(t, writeFile(fresh, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }))
	if runtime.GOOS != "windows" {
		st, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
		st, err = os.Stat(fresh)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
	}
	assert.ErrorContains(t, writeFile(dir, func(io.Writer) error { return nil }), "is a folder")
}

// symlink makes a symbolic link, or skips where the system does not let
// the test make one.
func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
}

// A symbolic link is neither written through nor replaced: a dangling one
// does not create its target, one to a file leaves that file alone, and
// the link stays.
func TestWriteFileRefusesSymbolicLinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	link := filepath.Join(dir, "out.json")
	symlink(t, target, link)
	write := func(w io.Writer) error { _, err := io.WriteString(w, "report"); return err }
	err := writeFile(link, write)
	require.Error(t, err)
	assert.Equal(t, link+" is a symbolic link: connectordiff does not write through links or replace them; remove it, or name another file", err.Error())
	assert.NoFileExists(t, target, "a dangling link's target is not created")

	require.NoError(t, os.WriteFile(target, []byte("precious"), 0o644))
	require.Error(t, writeFile(link, write))
	data, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "precious", string(data))
	st, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, st.Mode()&os.ModeSymlink, "the link is still a link")
}

// fix -o and the report files follow the same rules: a link is refused
// (exit 2), the other reports are still written.
func TestOutputsRefuseSymbolicLinks(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "fixed.json")
	symlink(t, filepath.Join(dir, "elsewhere.json"), link)
	code, _, stderr := runCLI("fix", "-o", link, exampleOld, exampleNew)
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "fixed.json is a symbolic link")
	assert.NoFileExists(t, filepath.Join(dir, "elsewhere.json"))

	md, sarif := filepath.Join(dir, "report.md"), filepath.Join(dir, "report.sarif")
	symlink(t, filepath.Join(dir, "elsewhere.md"), md)
	code, _, stderr = runCLI("compare", "--format", "markdown="+md+",sarif="+sarif, exampleOld, exampleNew)
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "writing the markdown report: "+md+" is a symbolic link")
	assert.NoFileExists(t, filepath.Join(dir, "elsewhere.md"))
	assert.FileExists(t, sarif)
}

// Files that are not regular files are written in place: /dev/null stays
// a device, and /dev/stdout (a link on Linux) is standard output.
func TestWriteFileDevices(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/null")
	}
	code, _, stderr := runCLI("compare", "--format", "text,json=/dev/null", exampleOld, exampleNew)
	assert.Equal(t, exitFindings, code, stderr)
	st, err := os.Stat("/dev/null")
	require.NoError(t, err)
	assert.NotZero(t, st.Mode()&os.ModeCharDevice)
	if _, err := os.Lstat("/dev/stdout"); err != nil {
		return
	}
	assert.NoError(t, writeFile("/dev/stdout", func(w io.Writer) error { _, err := io.WriteString(w, ""); return err }))
}

//go:build linux || darwin

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fsizeHelperEnv makes TestFileSizeLimitHelper run the command after "--"
// under a file size limit of that many bytes.
const fsizeHelperEnv = "CONNECTORDIFF_TEST_FSIZE"

// TestFileSizeLimitHelper is not a test: run as a subprocess by
// TestFixUnderFileSizeLimit, it lowers RLIMIT_FSIZE (as ulimit -f does) and
// runs the command, so that writes past the limit fail with EFBIG (Go
// ignores SIGXFSZ).
func TestFileSizeLimitHelper(t *testing.T) {
	limit := os.Getenv(fsizeHelperEnv)
	if limit == "" {
		return
	}
	var n uint64
	for _, c := range limit {
		n = n*10 + uint64(c-'0')
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
		os.Exit(3)
	}
	i := slices.Index(os.Args, "--")
	os.Exit(run(os.Args[i+1:], os.Stdout, os.Stderr))
}

// fix -o NEW, with NEW's own name, under a file size limit smaller than
// the fixed definition: the write fails, exit 2, and NEW is whole (it was
// cut at the limit: the file was truncated, then written).
func TestFixUnderFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	newText, err := os.ReadFile(exampleNew)
	require.NoError(t, err)
	require.Greater(t, len(newText), 2048)
	target := filepath.Join(dir, "apiDefinition.swagger.json")
	require.NoError(t, os.WriteFile(target, newText, 0o644))
	old, err := filepath.Abs(exampleOld)
	require.NoError(t, err)

	cmd := exec.Command(os.Args[0], "-test.run=^TestFileSizeLimitHelper$", "--", "fix", "-o", target, old, target)
	cmd.Env = append(os.Environ(), fsizeHelperEnv+"=2048")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "%s", out)
	assert.Equal(t, exitError, exit.ExitCode(), "%s", out)
	assert.Contains(t, string(out), target+": file too large (the file is left as it was)")
	data, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, string(newText), string(data), "NEW is whole")
	assert.Equal(t, []string{"apiDefinition.swagger.json"}, names(t, dir), "no temporary file is left")

	// Without the limit, the same command fixes NEW in place.
	cmd = exec.Command(os.Args[0], "-test.run=^TestFileSizeLimitHelper$", "--", "fix", "-o", target, old, target)
	cmd.Env = append(os.Environ(), fsizeHelperEnv+"=100000")
	out, err = cmd.CombinedOutput()
	require.ErrorAs(t, err, &exit, "%s", out)
	assert.Equal(t, exitFindings, exit.ExitCode(), "one finding is left to a human: %s", out)
	data, err = os.ReadFile(target)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"operationId": "GetTask",`)
}

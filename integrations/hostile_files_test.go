package integrations_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/internal/gittest"
)

// Issue 15, item 1, through the Action's gate.sh: a pull request that
// makes apiDefinition.swagger.json breaking and adds a copy of the old one
// as ApiDefinition.swagger.json fails the job with connectordiff's error
// (exit 2) naming both files, instead of passing.
func TestGateScriptRefusesACaseVariantShadow(t *testing.T) {
	needs(t, "sh", "git")
	bin := actionBinary(t)
	r := gittest.New(t)
	r.CopyFolder(filepath.Join(root, "testdata/connector/old"), "connectors/a")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	for name, from := range map[string]string{"apiDefinition.swagger.json": "new", "ApiDefinition.swagger.json": "old"} {
		data, err := os.ReadFile(filepath.Join(root, "testdata/connector", from, "apiDefinition.swagger.json"))
		require.NoError(t, err)
		r.Write("connectors/a/"+name, string(data))
	}
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "shadow")
	code, stdout, stderr := shell(t, "sh", `sh "$GATE"`, r.Dir,
		"GATE="+absPath(t, "gate.sh"), "CONNECTORDIFF="+bin, "CONNECTORDIFF_BASE=main", "CONNECTORDIFF_OUT="+t.TempDir())
	assert.Equal(t, 2, code, stdout+stderr)
	assert.Contains(t, stderr, `connectors/a: holds "ApiDefinition.swagger.json" and "apiDefinition.swagger.json", names of apiDefinition.swagger.json that differ only in case: keep one`)
	assert.NotContains(t, stdout, "SAFE", "the gate passed the change")
}

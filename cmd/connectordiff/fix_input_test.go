package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fix on a NEW without paths says so, naming NEW, with exit 2.
func TestFixNewWithoutPathsCLI(t *testing.T) {
	newFile := filepath.Join(t.TempDir(), "apiDefinition.swagger.json")
	require.NoError(t, os.WriteFile(newFile, []byte(`{"swagger": "2.0", "info": {"title": "T", "version": "2"}}`), 0o644))
	code, stdout, stderr := runCLI("fix", exampleOld, newFile)
	assert.Equal(t, exitError, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "connectordiff: "+newFile+`:1:1: the new definition has no "paths": it has no operations to fix, `+
		`and nowhere to put the old ones back (add "paths": {} to have fix restore them)`+"\n", stderr)
}

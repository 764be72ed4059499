package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/internal/gittest"
)

// Issue 15, item 1, from the command line: a breaking change shadowed by a
// copy of the old file under another case of its name exits 2, naming both
// files, however the sides are given.
func TestCaseVariantShadowExitsWithAnError(t *testing.T) {
	r := gittest.New(t)
	r.CopyFolder(folderOld, "connectors/a")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "pr")
	for name, from := range map[string]string{"apiDefinition.swagger.json": folderNew, "ApiDefinition.swagger.json": folderOld} {
		data, err := os.ReadFile(filepath.Join(from, "apiDefinition.swagger.json"))
		require.NoError(t, err)
		r.Write("connectors/a/"+name, string(data))
	}
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "shadow")
	oldDir, err := filepath.Abs(folderOld)
	require.NoError(t, err)
	const both = `holds "ApiDefinition.swagger.json" and "apiDefinition.swagger.json", names of apiDefinition.swagger.json that differ only in case: keep one`
	for _, args := range [][]string{
		{"compare", "--base", "main"},
		{"compare", "--base", "main", "--head", "pr"},
		{"compare", "--base", "main", "--staged"},
		{"compare", "main:connectors/a", "pr:connectors/a"},
		{"compare", oldDir, "connectors/a"},
	} {
		code, stdout, stderr := runIn(r.Dir, args...)
		assert.Equal(t, exitError, code, "%v: %s", args, stdout)
		assert.NotContains(t, stdout, "SAFE", args)
		assert.Contains(t, stderr, both, args)
	}
}

// Issue 15, item 10, from the command line: the HTML report of the work
// tree, whose script.csx is a link to the repository's .git/config, is an
// error naming the file, and nothing quotes the token the configuration
// holds.
func TestSymlinkToGitConfigIsNotQuoted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	const secret = "SECRET-TOKEN-15"
	r := gittest.New(t)
	r.CopyFolder(folderOld, "connectors/a")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic "+secret)
	require.NoError(t, os.Remove(filepath.Join(r.Dir, "connectors/a/script.csx")))
	require.NoError(t, os.Symlink("../../.git/config", filepath.Join(r.Dir, "connectors/a/script.csx")))
	page := filepath.Join(t.TempDir(), "report.html")
	code, stdout, stderr := runIn(r.Dir, "compare", "--base", "HEAD", "--format", "text,html="+page)
	assert.Equal(t, exitError, code, stdout)
	assert.Contains(t, stderr, "connectors/a/script.csx: is a symbolic link, which connectordiff does not follow here")
	html, _ := os.ReadFile(page)
	for _, s := range []string{stdout, stderr, string(html)} {
		assert.NotContains(t, s, secret)
		assert.NotContains(t, s, "repositoryformatversion")
	}
}

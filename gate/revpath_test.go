package gate_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/gitrepo"
	"github.com/connectordiff/connectordiff/internal/gittest"
)

func TestSplitRevPath(t *testing.T) {
	for arg, want := range map[string][2]string{
		"main:apiDefinition.swagger.json": {"main", "apiDefinition.swagger.json"},
		"HEAD~1:connectors/a":             {"HEAD~1", "connectors/a"},
		"v1:":                             {"v1", ""},
	} {
		rev, path, ok := gate.SplitRevPath(arg)
		assert.True(t, ok, arg)
		assert.Equal(t, want, [2]string{rev, path}, arg)
	}
	for _, arg := range []string{`C:\x\apiDefinition.swagger.json`, "C:/x", "old.json", ":x"} {
		_, _, ok := gate.SplitRevPath(arg)
		assert.False(t, ok, "%s is a path", arg)
	}
}

func TestOpenRevPath(t *testing.T) {
	r := gittest.New(t)
	r.Write("connectors/a/apiDefinition.swagger.json", `{"swagger": "2.0", "info": {"title": "A", "version": "1"}, "paths": {}}`+"\n")
	r.Commit(time.Time{}, "base")
	ctx := context.Background()
	repo, err := gitrepo.Open(ctx, r.Dir)
	require.NoError(t, err)

	dir, err := gate.OpenRevPath(ctx, repo, "main:connectors/a", "main", "connectors/a")
	require.NoError(t, err)
	defer dir.Tree.Close()
	assert.True(t, dir.Dir)
	assert.Equal(t, "connectors/a", dir.Path)

	file, err := gate.OpenRevPath(ctx, repo, "main:connectors/a/apiDefinition.swagger.json", "main", "connectors/a/apiDefinition.swagger.json")
	require.NoError(t, err)
	defer file.Tree.Close()
	assert.False(t, file.Dir)
	data, err := connector.ReadFileFS(file.Tree, file.Path, "x", connector.LoadOptions{})
	require.NoError(t, err)
	assert.Contains(t, string(data), `"title": "A"`)

	_, err = gate.OpenRevPath(ctx, repo, "main:nowhere", "main", "nowhere")
	var le *connector.LoadError
	require.True(t, errors.As(err, &le), "%v", err)
	assert.Equal(t, "main:nowhere", le.File, "the error names the argument as given")
	assert.Contains(t, le.Msg, "nowhere is not in main")

	_, err = gate.OpenRevPath(ctx, repo, "nosuch:x", "nosuch", "x")
	assert.ErrorContains(t, err, "nosuch:x: ")
}

package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/report"
)

// -update rewrites the golden files; review the diff before committing.
var update = flag.Bool("update", false, "rewrite golden files")

func exampleResult(t *testing.T) *breaking.Result {
	t.Helper()
	old, err := os.ReadFile("../testdata/example/old.json")
	require.NoError(t, err)
	new, err := os.ReadFile("../testdata/example/new.json")
	require.NoError(t, err)
	res, err := connectordiff.Compare(context.Background(), old, new, connectordiff.WithNames("old.json", "new.json"))
	require.NoError(t, err)
	return res
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./report -update and review it")
	assert.Equal(t, string(want), string(got))
}

// The golden files of every format (testdata/golden) list warnings and up;
// this one shows the info lines --verbose adds.
func TestTextVerboseGolden(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.Text(&buf, exampleResult(t), report.Options{MinLevel: breaking.Info}))
	golden(t, "example-verbose.txt", buf.Bytes())
}

func TestJSONShapeForEmptyResult(t *testing.T) {
	doc := []byte(`{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}}`)
	res, err := connectordiff.Compare(context.Background(), doc, doc)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, report.JSON(&buf, res, report.Options{}))
	var m map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
	assert.Equal(t, []any{}, m["findings"], "no findings is an empty list, not null")
	assert.Equal(t, []any{}, m["old"].(map[string]any)["notes"])
	assert.EqualValues(t, 1, m["schemaVersion"])
}

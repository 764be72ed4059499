package connectordiff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/corpus"
)

// A finding's id names what the change is, never how the files are laid
// out (issue 19): each corpus pair is compared as it is, then with both
// sides reformatted (compact, 4-space, line endings swapped) and with an
// unrelated operation added; every id of the first report is in each of
// the others, and no report gives two findings one id.

// unrelatedPath is the operation the test adds, which no change reaches.
const unrelatedPath = `"/connectordiff-unrelated/{id}":{"get":{"operationId":"ConnectordiffUnrelated","parameters":[{"name":"id","in":"path","required":true,"type":"string"}],"responses":{"200":{"description":"ok","schema":{"type":"object","properties":{"n":{"type":"integer"}}}}}}}`

// reformat is one way of laying a JSON file out again, and whether it adds
// the unrelated operation to each side.
type reformat struct {
	name     string
	json     func([]byte) ([]byte, error)
	old, new bool // add the unrelated operation to the definition
}

var reformats = []reformat{
	{name: "compact", json: func(b []byte) ([]byte, error) {
		var out bytes.Buffer
		err := json.Compact(&out, b)
		return out.Bytes(), err
	}},
	{name: "4-space, the operation added to both", json: func(b []byte) ([]byte, error) {
		var out bytes.Buffer
		err := json.Indent(&out, b, "", "    ")
		return out.Bytes(), err
	}, old: true, new: true},
	{name: "line endings swapped", json: func(b []byte) ([]byte, error) {
		if bytes.Contains(b, []byte("\r\n")) {
			return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), nil
		}
		return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")), nil
	}},
	{name: "the operation added to the new side", json: func(b []byte) ([]byte, error) { return b, nil }, new: true},
}

var bom = []byte("\xef\xbb\xbf")

// addOperation adds the unrelated operation first in the paths of a
// definition, whatever its layout.
func addOperation(def []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(def))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if key != "paths" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
			continue
		}
		if _, err := dec.Token(); err != nil { // the paths' {
			return nil, err
		}
		at := int(dec.InputOffset())
		sep := ","
		if !dec.More() {
			sep = ""
		}
		return append(append(append([]byte{}, def[:at]...), unrelatedPath+sep...), def[at:]...), nil
	}
	return nil, os.ErrNotExist
}

// folderFS is a connector folder laid out again, as a file system.
func folderFS(t *testing.T, dir string, r reformat, addOp bool) (fstest.MapFS, bool) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := fstest.MapFS{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		if strings.HasSuffix(e.Name(), ".json") {
			hadBOM := bytes.HasPrefix(data, bom)
			data = bytes.TrimPrefix(data, bom)
			if data, err = r.json(data); err != nil {
				return nil, false // not strict JSON: nothing to lay out again
			}
			if addOp && strings.EqualFold(e.Name(), corpus.SwaggerFile) {
				if data, err = addOperation(data); err != nil {
					return nil, false
				}
			}
			if hadBOM {
				data = append(append([]byte{}, bom...), data...)
			}
		}
		out[path.Join("c", e.Name())] = &fstest.MapFile{Data: data}
	}
	return out, true
}

func distinctIDs(t *testing.T, name string, res *breaking.Result) map[string]breaking.Finding {
	t.Helper()
	ids := map[string]breaking.Finding{}
	for _, f := range res.Findings() {
		if !assert.True(t, breaking.ValidID(f.ID), "%s: %s has id %q", name, f.Rule, f.ID) {
			continue
		}
		if other, dup := ids[f.ID]; dup {
			t.Errorf("%s: %s and %s share the id %s", name, other.Rule, f.Rule, f.ID)
		}
		ids[f.ID] = f
	}
	return ids
}

func TestCorpusFindingIDsIgnoreLayout(t *testing.T) {
	compared, findings := 0, 0
	for _, p := range sweep(t, "pairs", corpus.Pairs(t), 4) {
		if p.Invalid {
			continue
		}
		g := guardedCompare(t, p.Name, func(ctx context.Context) (*breaking.Result, error) {
			return connectordiff.CompareDirs(ctx, filepath.Join(p.Dir, "old"), filepath.Join(p.Dir, "new"))
		})
		if !g.ok || g.err != nil {
			continue
		}
		original := distinctIDs(t, p.Name, g.res)
		for _, r := range reformats {
			oldFS, ok1 := folderFS(t, filepath.Join(p.Dir, "old"), r, r.old)
			newFS, ok2 := folderFS(t, filepath.Join(p.Dir, "new"), r, r.new)
			if !ok1 || !ok2 {
				continue
			}
			name := p.Name + " (" + r.name + ")"
			again := guardedCompare(t, name, func(ctx context.Context) (*breaking.Result, error) {
				return connectordiff.CompareFS(ctx, oldFS, "c", newFS, "c")
			})
			if !again.ok || !assert.NoError(t, again.err, name) {
				continue
			}
			ids := distinctIDs(t, name, again.res)
			for id, f := range original {
				if _, ok := ids[id]; !ok {
					t.Errorf("%s: %s %s (%s) has no finding with its id", name, f.Rule, id, f.ValuePath)
				}
			}
		}
		compared++
		findings += len(original)
	}
	t.Logf("%d pairs, %d findings, each laid out %d ways", compared, findings, len(reformats))
	require.Positive(t, findings)
}

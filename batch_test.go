package connectordiff_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// reportOf renders a result as the JSON report, or the error.
func reportOf(t *testing.T, res *breaking.Result, err error) string {
	t.Helper()
	if err != nil {
		return "error: " + err.Error()
	}
	var b bytes.Buffer
	require.NoError(t, report.JSON(&b, res, report.Options{}))
	return b.String()
}

// A batch gives, pair by pair and in order, what comparing each pair alone
// gives: the same reports, the same errors.
func TestCompareBatchIsCompareFilesInOrder(t *testing.T) {
	old, new := filepath.Join("testdata", "example", "old.json"), filepath.Join("testdata", "example", "new.json")
	pairs := []connectordiff.Pair{
		{Old: old, New: new},
		{Old: new, New: old},
		{Old: old, New: old},
		{Old: old, New: filepath.Join("testdata", "example", "missing.json")},
		{Old: old, New: "testdata"},
		{Old: "./" + old, New: new},
	}
	if dir := corpus.Find(); dir != "" {
		// A sample of the corpus: files and whole connector folders, valid and
		// broken, with documents shared by consecutive pairs.
		all := corpus.Pairs(t)
		for i := 0; i < len(all); i += len(all) / 12 {
			p := all[i]
			pairs = append(pairs, connectordiff.Pair{Old: p.OldSwagger, New: p.NewSwagger},
				connectordiff.Pair{Old: filepath.Dir(p.OldSwagger), New: filepath.Dir(p.NewSwagger)},
				connectordiff.Pair{Old: p.NewSwagger, New: p.OldSwagger})
		}
	}
	got, err := connectordiff.CompareBatch(context.Background(), pairs, connectordiff.WithLevel("operation-path-changed", 0))
	require.NoError(t, err)
	require.Len(t, got, len(pairs))
	for i, p := range pairs {
		assert.Equal(t, p, got[i].Pair, "pair %d", i)
		res, err := connectordiff.CompareFiles(context.Background(), p.Old, p.New, connectordiff.WithLevel("operation-path-changed", 0))
		assert.Equal(t, reportOf(t, res, err), reportOf(t, got[i].Result, got[i].Err), "pair %d: %s -> %s", i, p.Old, p.New)
	}
	var le *connector.LoadError
	assert.True(t, errors.As(got[3].Err, &le), "a missing file is a *connector.LoadError: %v", got[3].Err)
	assert.ErrorContains(t, got[4].Err, "not a file and a folder")
}

func TestCompareEachStops(t *testing.T) {
	p := connectordiff.Pair{Old: filepath.Join("testdata", "example", "old.json"), New: filepath.Join("testdata", "example", "new.json")}
	pairs := []connectordiff.Pair{p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p}
	t.Run("when fn fails", func(t *testing.T) {
		stop := errors.New("stop")
		var seen []int
		err := connectordiff.CompareEach(context.Background(), pairs, func(i int, r connectordiff.PairResult) error {
			require.NoError(t, r.Err)
			seen = append(seen, i)
			if i == 2 {
				return stop
			}
			return nil
		})
		assert.ErrorIs(t, err, stop)
		assert.Equal(t, []int{0, 1, 2}, seen)
	})
	t.Run("when the context ends", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		err := connectordiff.CompareEach(ctx, pairs, func(i int, r connectordiff.PairResult) error {
			if i == 1 {
				cancel()
			}
			return nil
		})
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("bad options", func(t *testing.T) {
		err := connectordiff.CompareEach(context.Background(), pairs, func(int, connectordiff.PairResult) error { return nil },
			connectordiff.WithLevel("no-such-rule", 0))
		assert.ErrorContains(t, err, "no-such-rule")
	})
}

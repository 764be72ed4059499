package connectordiff

import (
	"context"
	"runtime"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/batch"
)

// Many comparisons in one process. Across a repository's history, starting
// a process per pair costs as much as the comparisons; a batch loads each
// distinct file or folder once, compares pairs on every core, and hands the
// results back in the order of the pairs.

// Pair names the two sides of one comparison of a batch: two definition
// files (JSON or YAML), or two connector folders (see CompareDirs).
type Pair struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// PairResult is the outcome of one pair: its result, or the error that
// stopped it (a *connector.LoadError for input that could not be read).
type PairResult struct {
	Pair
	Result *breaking.Result
	Err    error
}

// CompareEach compares every pair and calls fn with each outcome, in the
// order of pairs, as soon as it and every pair before it are done. Each
// distinct path (as written: messages name the file as the pair does) is
// loaded once and shared by the pairs that name it (and
// dropped when the last of them is done), and pairs are compared by
// runtime.GOMAXPROCS(0) workers at once. A pair that fails is reported to
// fn with its error and the batch goes on; CompareEach stops early only when
// ctx is done or fn returns an error, which it returns. The options apply to
// every pair; WithNames is ignored, since the paths name the documents.
func CompareEach(ctx context.Context, pairs []Pair, fn func(index int, r PairResult) error, opts ...Option) error {
	cfg, err := newConfig(forCompare, opts)
	if err != nil {
		return err
	}
	if _, err := cfg.policy(); err != nil {
		return err
	}
	var keys []string
	for _, p := range pairs {
		keys = append(keys, p.Old, p.New)
	}
	cache := batch.NewCache[loaded](keys)
	return batch.Each(ctx, len(pairs), runtime.GOMAXPROCS(0), func(ctx context.Context, i int) PairResult {
		res, err := comparePair(ctx, cache, pairs[i], cfg)
		return PairResult{Pair: pairs[i], Result: res, Err: err}
	}, fn)
}

// CompareBatch is CompareEach collecting the outcomes, in the order of
// pairs. The error is ctx's when it ended the batch early; failed pairs
// carry their own error.
func CompareBatch(ctx context.Context, pairs []Pair, opts ...Option) ([]PairResult, error) {
	out := make([]PairResult, 0, len(pairs))
	err := CompareEach(ctx, pairs, func(_ int, r PairResult) error {
		out = append(out, r)
		return nil
	}, opts...)
	return out, err
}

// loaded is a file or folder of a batch, loaded once.
type loaded struct {
	doc  *connector.Document
	conn *connector.Folder
}

func comparePair(ctx context.Context, cache *batch.Cache[loaded], p Pair, cfg *config) (*breaking.Result, error) {
	defer cache.Release(p.Old, p.New)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dir := isDir(p.Old)
	if dir != isDir(p.New) {
		return nil, mixedError(p.Old, p.New)
	}
	var sides [2]breaking.Side
	for i, path := range []string{p.Old, p.New} {
		l, err := cache.Get(path, func() (l loaded, err error) {
			if dir {
				l.conn, err = connector.LoadFolder(path, cfg.load)
			} else {
				l.doc, err = connector.LoadFile(path, cfg.load)
			}
			return l, err
		})
		switch {
		case err != nil:
			return nil, err
		case dir:
			sides[i] = breaking.FolderSide(l.conn, path)
		default:
			sides[i] = breaking.DefinitionSide(l.doc, nil)
		}
	}
	return judge(ctx, cfg, sides[0], sides[1])
}

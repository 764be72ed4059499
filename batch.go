package connectordiff

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
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
// stopped it (a *diff.LoadError for input that could not be read).
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
		return comparePair(ctx, cache, pairs[i], cfg)
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
	doc  *diff.Document
	conn *diff.Connector
}

func comparePair(ctx context.Context, cache *batch.Cache[loaded], p Pair, cfg *config) PairResult {
	out := PairResult{Pair: p}
	defer cache.Release(p.Old, p.New)
	if err := ctx.Err(); err != nil {
		out.Err = err
		return out
	}
	oldDir, newDir := isDir(p.Old), isDir(p.New)
	if oldDir != newDir {
		out.Err = mixedError(p.Old, p.New)
		return out
	}
	load := func(path string, dir bool) (loaded, error) {
		return cache.Get(path, func() (l loaded, err error) {
			if dir {
				l.conn, err = diff.LoadConnector(path, cfg.load)
			} else {
				l.doc, err = diff.LoadFile(path, cfg.load)
			}
			return l, err
		})
	}
	old, err := load(p.Old, oldDir)
	if err != nil {
		out.Err = err
		return out
	}
	new, err := load(p.New, newDir)
	if err != nil {
		out.Err = err
		return out
	}
	if oldDir {
		out.Result, out.Err = judge(ctx, cfg, breaking.FolderSide(old.conn, p.Old), breaking.FolderSide(new.conn, p.New))
	} else {
		out.Result, out.Err = judge(ctx, cfg, breaking.DefinitionSide(old.doc, nil), breaking.DefinitionSide(new.doc, nil))
	}
	return out
}

// ReadPairs reads a list of pairs, one a line: either OLD and NEW separated
// by a tab, or a JSON object {"old": "...", "new": "..."}. Blank lines and
// lines starting with # are skipped. Errors name the line.
func ReadPairs(r io.Reader) ([]Pair, error) {
	var out []Pair
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var p Pair
		if strings.HasPrefix(line, "{") {
			if err := json.Unmarshal([]byte(line), &p); err != nil {
				return nil, fmt.Errorf("line %d: %v", n, err)
			}
		} else if old, new, ok := strings.Cut(line, "\t"); ok {
			p = Pair{Old: strings.TrimSpace(old), New: strings.TrimSpace(new)}
		}
		if p.Old == "" || p.New == "" {
			return nil, fmt.Errorf(`line %d: want OLD<tab>NEW or {"old": "...", "new": "..."}, got %q`, n, line)
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

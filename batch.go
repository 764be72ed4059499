package connectordiff

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
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
	Result *Result
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
	cfg, err := newConfig(opts)
	if err != nil {
		return err
	}
	if _, err := breaking.NewProfilePolicy(cfg.profile, cfg.levels); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	workers := max(1, min(runtime.GOMAXPROCS(0), len(pairs)))
	cache := newDocCache(pairs, cfg.load)
	done := make([]chan PairResult, len(pairs))
	for i := range done {
		done[i] = make(chan PairResult, 1)
	}
	// A window bounds how far workers run ahead of fn, and so the results
	// held in memory at once.
	window := make(chan struct{}, 4*workers)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				done[i] <- comparePair(ctx, cache, pairs[i], cfg)
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range pairs {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer func() {
		cancel() // stops the feeder and the workers, then waits for them
		wg.Wait()
	}()
	for i := range pairs {
		var r PairResult
		select {
		case r = <-done[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-window
		if err := fn(i, r); err != nil {
			return err
		}
	}
	return nil
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

func comparePair(ctx context.Context, cache *docCache, p Pair, cfg *config) PairResult {
	out := PairResult{Pair: p}
	defer cache.release(p)
	if err := ctx.Err(); err != nil {
		out.Err = err
		return out
	}
	oldDir, newDir := isDir(p.Old), isDir(p.New)
	if oldDir != newDir {
		out.Err = fmt.Errorf("compare two files or two connector folders, not a file and a folder (%s, %s)", p.Old, p.New)
		return out
	}
	old, err := cache.load(p.Old, oldDir)
	if err != nil {
		out.Err = err
		return out
	}
	new, err := cache.load(p.New, newDir)
	if err != nil {
		out.Err = err
		return out
	}
	if oldDir {
		out.Result, out.Err = compareSides(ctx, cfg, folderSide(old.conn, p.Old), folderSide(new.conn, p.New))
	} else {
		out.Result, out.Err = compareSides(ctx, cfg, documentSide(old.doc), documentSide(new.doc))
	}
	return out
}

// docCache loads each path of a batch once. An entry is dropped when the
// last pair naming it is done, so that a long history holds only the
// documents of the pairs in flight.
type docCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	opts    diff.LoadOptions
}

type cacheEntry struct {
	once sync.Once
	refs int // pairs still to use the entry
	doc  *diff.Document
	conn *diff.Connector
	err  error
}

func newDocCache(pairs []Pair, opts diff.LoadOptions) *docCache {
	c := &docCache{entries: map[string]*cacheEntry{}, opts: opts}
	for _, p := range pairs {
		for _, path := range []string{p.Old, p.New} {
			e := c.entries[path]
			if e == nil {
				e = &cacheEntry{}
				c.entries[path] = e
			}
			e.refs++
		}
	}
	return c
}

func (c *docCache) entry(path string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[path]
}

// load returns the loaded file or folder at path, loading it on first use.
func (c *docCache) load(path string, dir bool) (*cacheEntry, error) {
	e := c.entry(path)
	e.once.Do(func() {
		if dir {
			e.conn, e.err = diff.LoadConnector(path, c.opts)
		} else {
			e.doc, e.err = diff.LoadFile(path, c.opts)
		}
	})
	return e, e.err
}

// release marks a pair done with its paths.
func (c *docCache) release(p Pair) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, path := range []string{p.Old, p.New} {
		if e := c.entries[path]; e != nil {
			if e.refs--; e.refs <= 0 {
				delete(c.entries, path)
			}
		}
	}
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

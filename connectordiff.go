package connectordiff

import (
	"context"
	"fmt"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

// Result is the judged comparison of two connector definitions.
type Result struct {
	Old      DocumentInfo       `json:"old"`
	New      DocumentInfo       `json:"new"`
	Summary  Summary            `json:"summary"`
	Findings []breaking.Finding `json:"findings"`
}

// DocumentInfo describes one side of a comparison.
type DocumentInfo struct {
	File       string      `json:"file"`
	Title      string      `json:"title"`
	Version    string      `json:"version"`
	Operations int         `json:"operations"`
	Notes      []diff.Note `json:"notes"`
}

// Summary counts findings by level.
type Summary struct {
	Breaking int `json:"breaking"`
	Warning  int `json:"warning"`
	Info     int `json:"info"`
}

// Max returns the most serious level among the findings, or breaking.Off
// when there are none.
func (r *Result) Max() breaking.Level {
	max := breaking.Off
	for _, f := range r.Findings {
		if f.Level > max {
			max = f.Level
		}
	}
	return max
}

// Option adjusts a comparison.
type Option func(*config) error

type config struct {
	levels           map[string]breaking.Level
	load             diff.LoadOptions
	oldName, newName string
}

// WithLevel sets the level of one rule (by id) for this comparison;
// breaking.Off suppresses it. An unknown id makes Compare fail.
func WithLevel(ruleID string, level breaking.Level) Option {
	return func(c *config) error {
		c.levels[ruleID] = level
		return nil
	}
}

// WithMaxBytes raises (or lowers) the size limit of each input document.
func WithMaxBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("max bytes must be positive, got %d", n)
		}
		c.load.MaxBytes = n
		return nil
	}
}

// WithNames sets the file names that messages and reports use for the old
// and the new document when they are given as bytes.
func WithNames(old, new string) Option {
	return func(c *config) error {
		c.oldName, c.newName = old, new
		return nil
	}
}

func newConfig(opts []Option) (*config, error) {
	c := &config{levels: map[string]breaking.Level{}, oldName: "old", newName: "new"}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Compare loads two definitions given as bytes (JSON or YAML) and judges the
// update from old to new. An error means an input could not be read; it
// names the file, line and column (see diff.LoadError).
func Compare(ctx context.Context, old, new []byte, opts ...Option) (*Result, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	od, err := diff.Load(cfg.oldName, old, cfg.load)
	if err != nil {
		return nil, err
	}
	nd, err := diff.Load(cfg.newName, new, cfg.load)
	if err != nil {
		return nil, err
	}
	return compare(ctx, cfg, od, nd)
}

// CompareFiles is Compare for two files on disk.
func CompareFiles(ctx context.Context, oldPath, newPath string, opts ...Option) (*Result, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	od, err := diff.LoadFile(oldPath, cfg.load)
	if err != nil {
		return nil, err
	}
	nd, err := diff.LoadFile(newPath, cfg.load)
	if err != nil {
		return nil, err
	}
	return compare(ctx, cfg, od, nd)
}

// CompareDocuments judges two documents already loaded with diff.Load.
func CompareDocuments(ctx context.Context, old, new *diff.Document, opts ...Option) (*Result, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return compare(ctx, cfg, old, new)
}

func compare(ctx context.Context, cfg *config, od, nd *diff.Document) (*Result, error) {
	policy, err := breaking.NewPolicy(cfg.levels)
	if err != nil {
		return nil, err
	}
	changes, err := diff.Compare(ctx, od, nd)
	if err != nil {
		return nil, err
	}
	res := &Result{Old: info(od), New: info(nd), Findings: policy.Classify(changes)}
	for _, f := range res.Findings {
		switch f.Level {
		case breaking.Breaking:
			res.Summary.Breaking++
		case breaking.Warning:
			res.Summary.Warning++
		case breaking.Info:
			res.Summary.Info++
		}
	}
	return res, nil
}

func info(d *diff.Document) DocumentInfo {
	return DocumentInfo{File: d.Name, Title: d.Title(), Version: d.Version(), Operations: len(d.Operations()), Notes: d.Notes}
}

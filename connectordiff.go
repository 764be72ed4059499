package connectordiff

import (
	"context"
	"fmt"
	"os"

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

// CompareFiles is Compare for two files on disk. When both paths are
// folders it compares whole connectors, as CompareDirs.
func CompareFiles(ctx context.Context, oldPath, newPath string, opts ...Option) (*Result, error) {
	oldDir, newDir := isDir(oldPath), isDir(newPath)
	if oldDir && newDir {
		return CompareDirs(ctx, oldPath, newPath, opts...)
	}
	if oldDir != newDir {
		return nil, fmt.Errorf("compare two files or two connector folders, not a file and a folder (%s, %s)", oldPath, newPath)
	}
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

// CompareDirs judges the update of a whole connector folder:
// apiDefinition.swagger.json, apiProperties.json and script.csx (file names
// matched without regard to case; the last two may be missing). Findings
// outside the definition name their file.
func CompareDirs(ctx context.Context, oldDir, newDir string, opts ...Option) (*Result, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	oc, err := diff.LoadConnector(oldDir, cfg.load)
	if err != nil {
		return nil, err
	}
	nc, err := diff.LoadConnector(newDir, cfg.load)
	if err != nil {
		return nil, err
	}
	policy, err := breaking.NewPolicy(cfg.levels)
	if err != nil {
		return nil, err
	}
	changes, err := diff.CompareConnectors(ctx, oc, nc)
	if err != nil {
		return nil, err
	}
	return judge(policy, connectorInfo(oldDir, oc), connectorInfo(newDir, nc), changes), nil
}

func connectorInfo(dir string, c *diff.Connector) DocumentInfo {
	info := info(c.Definition)
	info.File = dir
	if c.Properties != nil {
		info.Notes = append(append([]diff.Note{}, info.Notes...), c.Properties.Notes...)
	}
	return info
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
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
	return judge(policy, info(od), info(nd), changes), nil
}

func judge(policy *breaking.Policy, old, new DocumentInfo, changes []*diff.Change) *Result {
	res := &Result{Old: old, New: new, Findings: policy.Classify(changes)}
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
	return res
}

func info(d *diff.Document) DocumentInfo {
	return DocumentInfo{File: d.Name, Title: d.Title(), Version: d.Version(), Operations: len(d.Operations()), Notes: d.Notes}
}

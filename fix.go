package connectordiff

import (
	"context"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/fix"
)

// Fix edits the new definition so that the update stops breaking what
// existing flows and apps use, the way Microsoft asks publishers to (see
// fix.Run): each breaking finding with a mechanical remedy is repaired, and
// each without one is listed with the reason. Both definitions must be
// JSON. The result carries the fixed definition (only the edited regions
// differ from new), a JSON Patch of the edits, and the proof; report.FixSummary
// writes what it did as text. An error means an input could not be read,
// or an internal check failed.
func Fix(ctx context.Context, old, new []byte, opts ...Option) (*fix.Result, error) {
	cfg, err := newConfig(forFix, opts)
	if err != nil {
		return nil, err
	}
	od, err := connector.Load(cfg.oldName, old, cfg.load)
	if err != nil {
		return nil, err
	}
	nd, err := connector.Load(cfg.newName, new, cfg.load)
	if err != nil {
		return nil, err
	}
	// The output of a fix that changes nothing is new as given: its loaded
	// text is the same bytes unless the loader repaired them, so only then
	// is new kept (a definition of 60 MB is a tenth of what a fix holds).
	if !nd.Repaired() {
		new = nil
	}
	return runFix(ctx, cfg, od, nd, new)
}

// FixDocuments is Fix for definitions already loaded with connector.Load. When
// nothing needs fixing, the output is new's text as loaded (repaired, if the
// loader had to).
func FixDocuments(ctx context.Context, old, new *connector.Document, opts ...Option) (*fix.Result, error) {
	cfg, err := newConfig(forFix, opts)
	if err != nil {
		return nil, err
	}
	return runFix(ctx, cfg, old, new, nil)
}

func runFix(ctx context.Context, cfg *config, od, nd *connector.Document, raw []byte) (*fix.Result, error) {
	return fix.Run(ctx, od, nd, raw, fix.Config{Profile: cfg.profile, Levels: cfg.levels, Only: cfg.fixOnly, Options: cfg.fix,
		Load: cfg.load})
}

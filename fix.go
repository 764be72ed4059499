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
	return runFix(opts, func(cfg *config, fc fix.Config) (*fix.Result, error) {
		od, err := connector.Load(cfg.oldName, old, cfg.load)
		if err != nil {
			return nil, err
		}
		nd, err := connector.Load(cfg.newName, new, cfg.load)
		if err != nil {
			return nil, err
		}
		// A fix that changes nothing outputs new as given, kept only when the loader
		// repaired its bytes (a 60 MB definition is a tenth of what a fix holds).
		if !nd.Repaired() {
			new = nil
		}
		return fix.Run(ctx, od, nd, new, fc)
	})
}

// FixDocuments is Fix for definitions loaded with connector.Load. When nothing
// needs fixing, the output is new's text as loaded (repaired, if it had to be).
func FixDocuments(ctx context.Context, old, new *connector.Document, opts ...Option) (*fix.Result, error) {
	return runFix(opts, func(_ *config, fc fix.Config) (*fix.Result, error) { return fix.Run(ctx, old, new, nil, fc) })
}

// FixFolders is FixDocuments for whole connector folders (connector.LoadFolder):
// Result.Connector also says what the fix means for new's apiProperties.json
// (scriptOperations kept in step) and script.csx (see fix.RunConnector).
func FixFolders(ctx context.Context, old, new *connector.Folder, opts ...Option) (*fix.Result, error) {
	return runFix(opts, func(_ *config, fc fix.Config) (*fix.Result, error) { return fix.RunConnector(ctx, old, new, fc) })
}

func runFix(opts []Option, run func(*config, fix.Config) (*fix.Result, error)) (*fix.Result, error) {
	cfg, err := newConfig(forFix, opts)
	if err != nil {
		return nil, err
	}
	return run(cfg, fix.Config{Profile: cfg.profile, Levels: cfg.levels, Only: cfg.fixOnly, Options: cfg.fix, Load: cfg.load})
}

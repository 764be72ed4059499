package connectordiff

import (
	"context"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/gate"
)

// CompareRevisions is the repository gate (package gate): it compares every
// connector of the git repository holding repoDir that changed between the
// merge base of base and head and head (a commit, or "" for the work tree,
// uncommitted changes included; Staged for the staged files). A connector
// is a folder holding apiDefinition.swagger.json (in any case); files are
// read from git's objects, and from the work tree never through a symbolic
// link. Connectors are compared in parallel; the result holds them in the
// order of their folders, with the revision range, the policy files applied
// and the policy's own findings. Policy files (.connectordiff.yaml at the
// root and in connector folders) set the profile, rule levels and accepted
// changes; WithProfile and WithLevel override their profile and levels.
// A connector that cannot be read or compared does not stop the others: the
// result holds it with status error and the located message, and the error
// returned with it wraps gate.ErrIncomplete (a caller that stops fails closed).
func CompareRevisions(ctx context.Context, repoDir, base, head string, opts ...Option) (*breaking.Result, error) {
	cfg, err := newConfig(forRevisions, opts)
	if err != nil {
		return nil, err
	}
	g := cfg.gate
	g.Levels, g.Load = cfg.levels, cfg.load
	if cfg.profileSet {
		g.Profile = cfg.profile
	}
	return gate.CompareRevisions(ctx, repoDir, base, head, g)
}

package connectordiff

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// The status of a connector in a repository comparison.
const (
	StatusAdded   = "added"
	StatusChanged = "changed"
	StatusRemoved = "removed"
	StatusRenamed = "renamed"
)

// RepoResult is the judged comparison of two versions of a repository of
// connectors: every connector whose definition, apiProperties.json or
// script.csx changed, in the order of their folders.
type RepoResult struct {
	// Base is the base revision as given, and BaseCommit the commit the
	// change is compared with: the merge base of base and head.
	Base       string `json:"base"`
	BaseCommit string `json:"baseCommit"`
	// Head is the head revision as given ("" for the work tree, "(staged)"
	// for the staged files), and HeadCommit its commit ("" when not one).
	Head       string            `json:"head"`
	HeadCommit string            `json:"headCommit,omitempty"`
	Profile    breaking.Profile  `json:"profile"`
	Connectors []ConnectorResult `json:"connectors"`
	// Findings are about the policy itself: accepted changes that matched
	// nothing or have expired.
	Findings []breaking.Finding `json:"findings"`
	// Policies names the policy files applied; those read from the base
	// revision are named COMMIT:PATH.
	Policies []string `json:"policies"`
	// PolicyFrom is the revision whose policy files were applied: head (the
	// change's own) or base.
	PolicyFrom PolicySource `json:"policyFrom"`
	Summary    RepoSummary  `json:"summary"`
}

// ConnectorResult is one connector of a repository comparison.
type ConnectorResult struct {
	// Folder is the connector's folder from the repository's root, with
	// slashes: the new folder for a rename, the old one for a removal.
	Folder string `json:"folder"`
	// OldFolder is the folder in the base when the connector moved.
	OldFolder string `json:"oldFolder,omitempty"`
	// Status is added, changed, removed or renamed.
	Status string `json:"status"`
	// Result is the connector's comparison. For an added or removed
	// connector, the side that does not exist is empty.
	Result *Result `json:"result"`

	judge *breaking.Policy // the policy its findings were judged by
	base  *diff.Connector  // the connector in the base, when it existed
	// versions is what the version rules saw, to apply them again when the
	// gate judges a finding again.
	versions breaking.Versions
}

// RepoSummary counts the connectors by status and the findings by level,
// over every connector and the policy's own findings.
type RepoSummary struct {
	Added   int `json:"added"`
	Changed int `json:"changed"`
	Removed int `json:"removed"`
	Renamed int `json:"renamed"`
	Counts
	Certification Counts `json:"certification"`
	Accepted      int    `json:"accepted"`
	// AcceptedInChange counts the accepted findings whose acceptance the
	// change itself adds: a reviewer should read those.
	AcceptedInChange int `json:"acceptedInChange"`
}

// Max is the most serious level over every connector and the policy's
// findings, accepted findings aside.
func (r *RepoResult) Max() breaking.Level {
	m := breaking.Off
	for _, c := range r.Connectors {
		m = max(m, c.Result.Max())
	}
	for _, f := range r.Findings {
		if f.Accepted == nil {
			m = max(m, f.Level)
		}
	}
	return m
}

// Fails reports whether a gate failing at threshold fails this change.
func (r *RepoResult) Fails(threshold breaking.Level) bool {
	return threshold > breaking.Off && threshold <= breaking.Breaking && r.Max() >= threshold
}

// RepoOption adjusts a repository comparison beyond the Options every
// comparison takes.
type RepoOption func(*repoConfig)

type repoConfig struct {
	staged          bool
	paths           []string
	policy          string
	policyFrom      PolicySource
	deprecationDays int
	daysSet         bool // deprecationDays was given, over the policy's
	now             func() time.Time
	progress        func(done, total int)
	maxConnectors   int // see MaxConnectors
}

// Staged compares the staged version of each file (the index) instead of
// the work tree, when no head revision is given: what a pre-commit hook
// sees.
func Staged() RepoOption { return func(c *repoConfig) { c.staged = true } }

// Paths limits the comparison to connectors under these paths (relative to
// the folder the repository was opened at).
func Paths(paths ...string) RepoOption {
	return func(c *repoConfig) { c.paths = append(c.paths, paths...) }
}

// PolicyFile reads the policy from this file on disk instead of
// .connectordiff.yaml at the repository's root (connector folders' own
// policy files still apply).
func PolicyFile(path string) RepoOption { return func(c *repoConfig) { c.policy = path } }

// PolicyFrom chooses the revision whose policy files apply: PolicyFromBase
// keeps a pull request from accepting its own breaks or changing levels (its
// policy changes are reported, not applied); PolicyFromHead applies them.
// By default the base's root policy decides (policyFrom), else head.
func PolicyFrom(src PolicySource) RepoOption { return func(c *repoConfig) { c.policyFrom = src } }

// DeprecationDays sets how long an operation must have been deprecated, in
// the history, for its removal to be a warning rather than breaking: by
// default the root policy file's deprecationDays, else 30. Zero or less
// turns the windows off: every removal breaks.
func DeprecationDays(days int) RepoOption {
	return func(c *repoConfig) { c.deprecationDays, c.daysSet = days, true }
}

// Progress is called as connectors are compared: done of total.
func Progress(fn func(done, total int)) RepoOption { return func(c *repoConfig) { c.progress = fn } }

// Now sets the time the change is judged at: the day acceptances expire
// against and deprecation windows end. By default the clock of the machine;
// never a commit's date, which its author sets.
func Now(now func() time.Time) RepoOption { return func(c *repoConfig) { c.now = now } }

// RepoOptions groups the options of a repository comparison.
type RepoOptions []RepoOption

// CompareRevisions compares every connector of the git repository holding
// repoDir that changed between the merge base of base and head and head (a
// commit, or "" for the work tree, uncommitted changes included). A
// connector is a folder holding apiDefinition.swagger.json (in any case);
// files are read from git's objects, and from the work tree never through a
// symbolic link. Connectors are compared in parallel; the result is in the
// order of their folders. Policy files (.connectordiff.yaml at the root and
// in connector folders) set the profile, rule levels and accepted changes;
// the options given here override their profile and levels.
func CompareRevisions(ctx context.Context, repoDir, base, head string, opts []Option, ropts ...RepoOption) (*RepoResult, error) {
	rc := repoConfig{deprecationDays: 30, now: time.Now}
	for _, o := range ropts {
		o(&rc)
	}
	cli, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	repo, err := gitrepo.Open(ctx, repoDir)
	if err != nil {
		return nil, err
	}
	headRev := head
	if headRev == "" {
		headRev = "HEAD"
	}
	headCommit, err := repo.Commit(ctx, headRev)
	if err != nil {
		return nil, err
	}
	baseCommit, err := repo.Commit(ctx, base)
	if err != nil {
		return nil, err
	}
	mergeBase, err := repo.MergeBase(ctx, baseCommit, headCommit)
	if err != nil {
		return nil, err
	}
	out := &RepoResult{Base: base, BaseCommit: mergeBase, Head: head, HeadCommit: headCommit, Profile: cli.profile}
	// The change is judged as of now, by the clock of the machine that
	// runs the gate: a commit's date is whatever its author set.
	now := rc.now()
	if head == "" {
		out.HeadCommit = ""
		if rc.staged {
			out.Head = "(staged)"
		}
	}

	baseTree, err := repo.Tree(ctx, mergeBase)
	if err != nil {
		return nil, err
	}
	defer baseTree.Close()
	var headFS fs.FS
	switch {
	case head != "":
		t, err := repo.Tree(ctx, headCommit)
		if err != nil {
			return nil, err
		}
		defer t.Close()
		headFS = t
	case rc.staged:
		t, err := repo.StagedTree(ctx)
		if err != nil {
			return nil, err
		}
		defer t.Close()
		headFS = t
	default:
		// The work tree as git sees it: no symbolic link is followed, as in
		// a revision's tree.
		w, err := repo.WorkTree(ctx)
		if err != nil {
			return nil, err
		}
		defer w.Close()
		headFS = w
	}

	paths := make([]string, len(rc.paths))
	for i, p := range rc.paths {
		paths[i] = path.Clean(path.Join(repo.Prefix, filepath.ToSlash(p)))
	}
	// A path that names nothing is a mistake (a typo would otherwise pass
	// the gate by comparing nothing).
	for i, p := range paths {
		if p == "." {
			continue
		}
		_, errHead := fs.Stat(headFS, p)
		_, errBase := fs.Stat(baseTree, p)
		if errHead != nil && errBase != nil {
			return nil, fmt.Errorf("%s: no such file or folder in %s or %s", rc.paths[i], base, headName(head, rc.staged))
		}
	}
	if err := checkTreeCap(&rc, baseTree, headFS, paths); err != nil {
		return nil, err
	}
	// Policy files are listed too: every change to one is reported.
	changes, err := repo.Changes(ctx, mergeBase, out.HeadCommit, rc.staged, paths, func(p string) bool {
		return isConnectorFile(p) || path.Base(p) == ConfigFile
	})
	if err != nil {
		return nil, err
	}
	if err := checkChangesCap(&rc, changes); err != nil {
		return nil, err
	}
	found := connectorsTouched(changes, baseTree, headFS)

	pol, err := readPolicies(repo.Top, baseTree, headFS, mergeBase[:min(10, len(mergeBase))], found, changes, rc)
	if err != nil {
		return nil, err
	}
	out.PolicyFrom = pol.source
	out.Policies = pol.files()
	if r := pol.applied.root; r != nil && r.Profile != "" && !cli.profileSet {
		out.Profile = r.Profile
	}

	results := make([]ConnectorResult, len(found))
	errs := make([]error, len(found))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var done int
	var doneMu sync.Mutex
	for i, c := range found {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			folderPolicy := pol.folder(c)
			var err error
			results[i], err = compareConnector(ctx, cli.with(pol.applied.root, folderPolicy), c, baseTree, headFS)
			errs[i] = err
			if rc.progress != nil {
				doneMu.Lock()
				done++
				rc.progress(done, len(found))
				doneMu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out.Connectors = results

	g := &gate{repo: repo, base: mergeBase, now: now, days: rc.deprecationDays}
	if r := pol.applied.root; !rc.daysSet && r != nil && r.DeprecationDays > 0 {
		g.days = r.DeprecationDays
	}
	for i := range out.Connectors {
		if err := g.deprecationWindows(ctx, &out.Connectors[i]); err != nil {
			return nil, err
		}
	}
	// The findings about the policy itself are judged by levels the change
	// cannot set: the caller's and the base revision's root policy.
	trusted, err := breaking.NewProfilePolicy(out.Profile, cli.with(pol.base.root).levels)
	if err != nil {
		return nil, err
	}
	accepts := pol.acceptances(found)
	out.Findings = applyAcceptances(trusted, out.Connectors, accepts, now)
	out.Findings = append(out.Findings, pol.changeFindings(trusted, accepts)...)
	sortPolicyFindings(out.Findings)
	out.count()
	return out, nil
}

// headName names the head side in messages.
func headName(head string, staged bool) string {
	switch {
	case head != "":
		return head
	case staged:
		return "the staged files"
	}
	return "the work tree"
}

// touched is a connector folder a change touched: its folder in the base
// and in the other version (the same but for a move).
type touched struct{ old, new string }

// connectorFiles are the files whose change makes a connector's.
var connectorFiles = []string{diff.DefinitionFile, diff.PropertiesFile, diff.ScriptFile}

func isConnectorFile(p string) bool {
	base := path.Base(p)
	for _, f := range connectorFiles {
		if strings.EqualFold(base, f) {
			return true
		}
	}
	return false
}

// connectorsTouched turns changed files into connector folders: a renamed
// definition moves its connector, unless its old folder still holds one
// (a file added there under another case of the name, say); any other
// change of a connector file, whatever the case of its name, touches its
// folder. Folders that hold a definition on neither side are not
// connectors.
func connectorsTouched(changes []gitrepo.FileChange, base, head fs.FS) []touched {
	moved := map[string]string{} // old folder -> new folder
	movedTo := map[string]bool{}
	for _, c := range changes {
		if c.Status == 'R' && strings.EqualFold(path.Base(c.New), diff.DefinitionFile) && path.Dir(c.Old) != path.Dir(c.New) &&
			!hasDefinition(head, path.Dir(c.Old)) {
			moved[path.Dir(c.Old)] = path.Dir(c.New)
			movedTo[path.Dir(c.New)] = true
		}
	}
	seen := map[touched]bool{}
	var out []touched
	add := func(t touched) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for old, new := range moved {
		add(touched{old, new})
	}
	for _, c := range changes {
		for _, p := range []string{c.Old, c.New} {
			if p == "" || !isConnectorFile(p) {
				continue
			}
			dir := path.Dir(p)
			if _, ok := moved[dir]; ok || movedTo[dir] {
				continue
			}
			add(touched{dir, dir})
		}
	}
	var kept []touched
	for _, t := range out {
		if hasDefinition(base, t.old) || hasDefinition(head, t.new) {
			kept = append(kept, t)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].new < kept[j].new })
	return kept
}

// hasDefinition reports whether folder dir of fsys holds a definition.
func hasDefinition(fsys fs.FS, dir string) bool {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(e.Name(), diff.DefinitionFile) {
			return true
		}
	}
	return false
}

// with is the configuration of one connector: the policy files' profile
// and levels under the caller's own.
func (c *config) with(policies ...*Config) *config {
	out := *c
	out.levels = map[string]breaking.Level{}
	for _, p := range policies {
		if p == nil {
			continue
		}
		if p.Profile != "" && !c.profileSet {
			out.profile = p.Profile
		}
		for id, l := range p.Levels {
			out.levels[id] = l
		}
	}
	for id, l := range c.levels {
		out.levels[id] = l
	}
	return &out
}

// compareConnector compares one connector between the base tree and the
// head's file system.
func compareConnector(ctx context.Context, cfg *config, t touched, base, head fs.FS) (ConnectorResult, error) {
	r := ConnectorResult{Folder: t.new}
	var old, new *diff.Connector
	var err error
	if hasDefinition(base, t.old) {
		if old, err = diff.LoadConnectorFS(base, t.old, t.old, cfg.load); err != nil {
			return r, err
		}
	}
	if hasDefinition(head, t.new) {
		if new, err = diff.LoadConnectorFS(head, t.new, t.new, cfg.load); err != nil {
			return r, err
		}
	}
	policy, err := breaking.NewProfilePolicy(cfg.profile, cfg.levels)
	if err != nil {
		return r, err
	}
	switch {
	case old != nil && new != nil:
		r.Status = StatusChanged
		if t.old != t.new {
			r.Status, r.OldFolder = StatusRenamed, t.old
		}
		o, n := folderSide(old, t.old), folderSide(new, t.new)
		r.Result, err = compareSides(ctx, cfg, o, n)
		if err != nil {
			return r, err
		}
		r.versions = sideVersions(o, n)
	case new != nil:
		r.Status = StatusAdded
		r.Result = &Result{Profile: cfg.profile, New: folderSide(new, t.new).info, Findings: policy.Classify(diff.ConnectorAdded(new))}
	default:
		r.Status, r.Folder = StatusRemoved, t.old
		r.Result = &Result{Profile: cfg.profile, Old: folderSide(old, t.old).info, Findings: policy.Classify(diff.ConnectorRemoved(old))}
	}
	r.Result.count()
	r.judge, r.base = policy, old
	return r, nil
}

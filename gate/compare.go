package gate

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
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// Options are the settings of a repository comparison. The zero value of
// each field means its documented default.
type Options struct {
	// Profile judges every connector for one audience, over the policy
	// files' choice; empty: the root policy file's profile, else users.
	Profile breaking.Profile
	// Levels set rule levels over the policy files'.
	Levels map[string]breaking.Level
	// Load reads each file (its size limit).
	Load connector.LoadOptions
	// Staged compares the staged version of each file (the index) instead
	// of the work tree, when no head revision is given: what a pre-commit
	// hook sees.
	Staged bool
	// Paths limits the comparison to connectors under these paths
	// (relative to the folder the repository was opened at).
	Paths []string
	// PolicyFile reads the root policy from this file on disk instead of
	// ConfigFile at the repository's root (connector folders' own policy
	// files still apply).
	PolicyFile string
	// PolicyFrom chooses the revision whose policy files apply:
	// breaking.PolicyFromBase keeps a pull request from accepting its own
	// breaks or changing levels (its policy changes are reported, not
	// applied); breaking.PolicyFromHead applies them. Empty: the base's root
	// policy decides (policyFrom), else head.
	PolicyFrom breaking.PolicySource
	// DeprecationDays is how long an operation must have been deprecated,
	// in the history, for its removal to be a warning rather than breaking.
	// Zero: the root policy file's deprecationDays, else 30. Less than zero
	// turns the windows off: every removal breaks.
	DeprecationDays int
	// Now is the time the change is judged at: the day acceptances expire
	// against and deprecation windows end. Nil: the clock of the machine;
	// never a commit's date, which its author sets.
	Now func() time.Time
	// Progress is called as connectors are compared: done of total.
	Progress func(done, total int)
	// MaxConnectors is how many connector folders a comparison takes
	// (DefaultMaxConnectors when zero or less). A change that touches more,
	// or that names more than 50 times as many files and folders, fails
	// with ErrChangeTooLarge before any connector is read.
	MaxConnectors int
}

// defaultDeprecationDays is the deprecation window when neither the caller
// nor the root policy file sets one.
const defaultDeprecationDays = 30

// CompareRevisions compares every connector of the git repository holding
// repoDir that changed between the merge base of base and head and head (a
// commit, or "" for the work tree, uncommitted changes included). A
// connector is a folder holding apiDefinition.swagger.json (in any case);
// files are read from git's objects, and from the work tree never through a
// symbolic link. Connectors are compared in parallel; the result is in the
// order of their folders. Policy files (.connectordiff.yaml at the root and
// in connector folders) set the profile, rule levels and accepted changes;
// the options given here override their profile and levels.
//
// A connector that cannot be read or compared does not stop the others: its
// result has status error and the located message, every other connector is
// judged, and the error returned with the result wraps ErrIncomplete.
func CompareRevisions(ctx context.Context, repoDir, base, head string, opts Options) (*breaking.Result, error) {
	if opts.Now == nil {
		opts.Now = time.Now
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
	out := &breaking.Result{Range: &breaking.Range{Base: base, BaseCommit: mergeBase, Head: head, HeadCommit: headCommit},
		Profile: opts.profile()}
	// The change is judged as of now, by the clock of the machine that
	// runs the gate: a commit's date is whatever its author set.
	now := opts.Now()
	if head == "" {
		out.Range.HeadCommit = ""
		if opts.Staged {
			out.Range.Head = "(staged)"
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
	case opts.Staged:
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

	paths := make([]string, len(opts.Paths))
	for i, p := range opts.Paths {
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
			return nil, fmt.Errorf("%s: no such file or folder in %s or %s", opts.Paths[i], base, headName(head, opts.Staged))
		}
	}
	if err := checkTreeCap(&opts, baseTree, headFS, paths); err != nil {
		return nil, err
	}
	// Policy files are listed too: every change to one is reported.
	changes, err := repo.Changes(ctx, mergeBase, out.Range.HeadCommit, opts.Staged, paths, func(p string) bool {
		return connector.IsConnectorFile(p) || path.Base(p) == ConfigFile
	})
	if err != nil {
		return nil, err
	}
	if err := checkChangesCap(&opts, changes); err != nil {
		return nil, err
	}
	found := connectorsTouched(changes, baseTree, headFS)

	pol, err := readPolicies(repo.Top, baseTree, headFS, mergeBase[:min(10, len(mergeBase))], found, changes, &opts)
	if err != nil {
		return nil, err
	}
	out.PolicyFrom = pol.source
	out.Policies = pol.files()
	if r := pol.applied.root; r != nil && r.Profile != "" && opts.Profile == "" {
		out.Profile = r.Profile
	}

	// Each connector is read and compared in parallel; then, in order, the
	// history is read for the removals a deprecation window may judge, and
	// each connector is judged in one pass with what is on record: the
	// deprecation dates, the window, the clock and its acceptances.
	updates := make([]update, len(found))
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
			updates[i], errs[i] = compareConnector(ctx, &opts, c, baseTree, headFS, pol.applied.root, folderPolicy)
			if opts.Progress != nil {
				doneMu.Lock()
				done++
				opts.Progress(done, len(found))
				doneMu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	window := opts.DeprecationDays
	if r := pol.applied.root; window == 0 && r != nil && r.DeprecationDays > 0 {
		window = r.DeprecationDays
	} else if window == 0 {
		window = defaultDeprecationDays
	}
	g := &history{repo: repo, base: mergeBase, now: now}
	accepts := pol.acceptances(found, now)
	scopes := scopeOf(accepts)
	out.Connectors = make([]breaking.ConnectorResult, len(found))
	unreadFolders := map[int]unreadFolder{}
	for i := range updates {
		u := &updates[i]
		if u.err != nil {
			folder, title := u.scopeName()
			unreadFolders[i] = unreadFolder{folder: folder, title: title}
			out.Connectors[i] = u.err.result(u, mergeBase)
			*u = update{}
			continue
		}
		rec := breaking.Record{Now: now, Window: window, IDFolder: u.idFolder()}
		rec.Folder, rec.Title = u.scopeName()
		if head, title := u.folder(), u.title(); head != rec.Folder || title != rec.Title {
			rec.HeadFolder, rec.HeadTitle = head, title
		}
		rec.Unpublished, rec.PreviewAsWarnings = pol.circumstances(found[i], rec.Folder, rec.Title)
		if u.old != nil && u.new != nil && window > 0 {
			var err error
			if rec.Deprecated, err = g.deprecatedSince(ctx, u.t.old, u.old.Connector, removedDeprecated(u.changes, u.old.Connector)); err != nil {
				return nil, err
			}
		}
		var at []int
		rec.Accept, at = scopes.of(i)
		var matched []int
		out.Connectors[i], matched = u.judge(rec)
		for k, n := range matched {
			accepts[at[k]].matched += n
		}
		*u = update{} // what is left of the comparison is in the result
	}
	// The findings about the policy itself are judged by levels the change
	// cannot set: the caller's and the base revision's root policy.
	_, trustedLevels := opts.judging(pol.base.root)
	trusted, err := breaking.NewProfilePolicy(out.Profile, trustedLevels)
	if err != nil {
		return nil, err
	}
	var all []breaking.Acceptance
	var matched []int
	for _, a := range accepts {
		// What a connector that could not be compared would have matched
		// is not known: an acceptance that may apply to one is not stale.
		if a.matched == 0 && a.mayApplyTo(unreadFolders) {
			continue
		}
		all, matched = append(all, a.Acceptance), append(matched, a.matched)
	}
	out.PolicyFindings = trusted.AcceptanceFindings(all, matched, now)
	out.PolicyFindings = append(out.PolicyFindings, pol.changeFindings(trusted, accepts)...)
	sortPolicyFindings(out.PolicyFindings)
	distinctAcross(out)
	out.Count()
	if unread := out.Unread(); len(unread) > 0 {
		return out, &IncompleteError{Unread: unread}
	}
	return out, nil
}

// distinctAcross makes the ids of every finding of out distinct: each
// connector's are (their folder is hashed in), but a folder the change
// both empties by a move and fills again could make two connectors name
// the same folder, and the policy's findings are hashed apart.
func distinctAcross(out *breaking.Result) {
	all := out.Findings()
	seen := make(map[string]bool, len(all))
	clash := false
	for _, f := range all {
		clash = clash || seen[f.ID]
		seen[f.ID] = true
	}
	if !clash {
		return
	}
	breaking.DistinctIDs(all)
	k := 0
	for i := range out.Connectors {
		for j := range out.Connectors[i].Findings {
			out.Connectors[i].Findings[j].ID = all[k].ID
			k++
		}
	}
	for j := range out.PolicyFindings {
		out.PolicyFindings[j].ID = all[k].ID
		k++
	}
}

// ErrIncomplete: some connectors of the change could not be compared (a
// file that does not parse, a comparison over its budget). The result
// returned with it holds every other connector judged, and each of these
// with status error and its located message; a gate must not pass it. The
// error returned is an *IncompleteError, which wraps ErrIncomplete and each
// connector's own error (errors.As finds a *connector.LoadError).
var ErrIncomplete = errors.New("connectors could not be compared")

// IncompleteError lists the connectors a comparison could not compare.
type IncompleteError struct {
	// Unread are those connectors' results (status error), in folder order.
	Unread []*breaking.ConnectorResult
}

// Error is the first connector's located message, as the command prints
// it, saying how many more there are.
func (e *IncompleteError) Error() string {
	msg := e.Unread[0].Error
	if n := len(e.Unread) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more connectors that could not be compared)", n)
	}
	return msg
}

func (e *IncompleteError) Unwrap() []error {
	out := []error{ErrIncomplete}
	for _, c := range e.Unread {
		if c.Err != nil {
			out = append(out, c.Err)
		}
	}
	return out
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

// Touched is a connector folder a change touched: its folder before and
// after the change (the same but for a move).
type Touched struct{ Old, New string }

// ConnectorsTouched turns changed files into connector folders: a renamed
// definition moves its connector, unless its old folder still holds one
// (a file added there under another case of the name, say); any other
// change of a connector file, whatever the case of its name, touches its
// folder. Folders that hold a definition on neither side are not
// connectors. The folders come sorted by new folder, then old. The gate and
// the history (each commit against its first parent) read changes so.
func ConnectorsTouched(changes []gitrepo.FileChange, before, after fs.FS) []Touched {
	moved := map[string]string{} // old folder -> new folder
	movedTo := map[string]bool{}
	for _, c := range changes {
		if c.Status == 'R' && strings.EqualFold(path.Base(c.New), connector.DefinitionFile) && path.Dir(c.Old) != path.Dir(c.New) &&
			!connector.HasDefinition(after, path.Dir(c.Old)) {
			moved[path.Dir(c.Old)] = path.Dir(c.New)
			movedTo[path.Dir(c.New)] = true
		}
	}
	seen := map[Touched]bool{}
	var out []Touched
	add := func(t Touched) {
		if seen[t] { // once per folder, however many of its files changed: each look lists the folder
			return
		}
		seen[t] = true
		if connector.HasDefinition(before, t.Old) || connector.HasDefinition(after, t.New) {
			out = append(out, t)
		}
	}
	for old, new := range moved {
		add(Touched{old, new})
	}
	for _, c := range changes {
		for _, p := range []string{c.Old, c.New} {
			if p == "" || !connector.IsConnectorFile(p) {
				continue
			}
			dir := path.Dir(p)
			if _, ok := moved[dir]; ok || movedTo[dir] {
				continue
			}
			add(Touched{dir, dir})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].New < out[j].New || out[i].New == out[j].New && out[i].Old < out[j].Old
	})
	return out
}

// connectorsTouched is ConnectorsTouched in the gate's own terms.
func connectorsTouched(changes []gitrepo.FileChange, base, head fs.FS) []touched {
	ts := ConnectorsTouched(changes, base, head)
	out := make([]touched, len(ts))
	for i, t := range ts {
		out[i] = touched{t.Old, t.New}
	}
	return out
}

// profile is the profile of the verdict before policy files are read: the
// caller's, else users.
func (o *Options) profile() breaking.Profile {
	if o.Profile == "" {
		return breaking.ProfileUsers
	}
	return o.Profile
}

// judging is the profile and levels of one connector: the policy files'
// under the caller's own.
func (o *Options) judging(policies ...*Config) (breaking.Profile, map[string]breaking.Level) {
	profile := o.profile()
	levels := map[string]breaking.Level{}
	for _, p := range policies {
		if p == nil {
			continue
		}
		if p.Profile != "" && o.Profile == "" {
			profile = p.Profile
		}
		for id, l := range p.Levels {
			levels[id] = l
		}
	}
	for id, l := range o.Levels {
		levels[id] = l
	}
	return profile, levels
}

// update is one connector of the change, read and compared, to judge: the
// policy it is judged by, its sides (nil when the connector is not on one)
// and the changes package diff found between them.
type update struct {
	t        touched
	policy   *breaking.Policy
	old, new *breaking.Side
	changes  []*diff.Change
	err      *unread // why the connector could not be compared, if it could not
}

// folder is the connector's folder, as its result names it: the new one,
// or the old one for a removal.
func (u *update) folder() string {
	if u.new == nil {
		return u.t.old
	}
	return u.t.new
}

// idFolder names the connector in its findings' ids: its folder in the
// base, so that a move keeps every id, or the head's for an added one.
func (u *update) idFolder() string {
	if u.old != nil {
		return u.t.old
	}
	return u.t.new
}

// scopeName names the connector as the policy's connector settings and
// acceptances match it: as the base has it (folder and title) when the base
// has it, so that a pull request that moves or retitles a connector cannot
// choose which settings apply to it (published: false, an acceptance of a
// title); the head's for a connector the change adds.
func (u *update) scopeName() (folder, title string) {
	if u.t.old == "" {
		return u.t.new, u.title()
	}
	if u.old != nil {
		return u.t.old, u.old.Info.Title
	}
	return u.t.old, "" // unread: the title is not known, the folder is
}

// title is the connector's title, as its result names it: the new
// version's, else the old one's.
func (u *update) title() string {
	if u.new != nil && u.new.Info.Title != "" {
		return u.new.Info.Title
	}
	if u.old != nil {
		return u.old.Info.Title
	}
	return ""
}

// judge judges the update with what rec holds (see breaking.Policy.Judge),
// and counts the findings each of rec.Accept matched.
func (u *update) judge(rec breaking.Record) (breaking.ConnectorResult, []int) {
	var r breaking.ConnectorResult
	var matched []int
	switch {
	case u.old != nil && u.new != nil:
		r, matched = u.policy.Changed(u.changes, *u.old, *u.new, rec)
		if u.t.old != u.t.new {
			r.Status, r.OldFolder = breaking.StatusRenamed, u.t.old
		}
	case u.new != nil:
		r, matched = u.policy.Added(*u.new, rec)
	default:
		r, matched = u.policy.Removed(*u.old, rec)
	}
	r.Folder = u.folder()
	return r, matched
}

// compareConnector reads one connector from the base tree and the head's
// file system and compares its versions, to be judged by the policy files
// given under the caller's options. A connector that cannot be read or
// compared is an update holding its error (see unread); the error returned
// is one no connector can be judged without (the policy's levels, the
// context's end).
func compareConnector(ctx context.Context, opts *Options, t touched, base, head fs.FS, policies ...*Config) (update, error) {
	u := update{t: t}
	var err error
	if u.policy, err = breaking.NewProfilePolicy(opts.judging(policies...)); err != nil {
		return u, err
	}
	var old, new *connector.Folder
	if connector.HasDefinition(base, t.old) {
		if old, err = connector.LoadFolderFS(base, t.old, t.old, opts.Load); err != nil {
			u.err = &unread{inBase: true, err: err}
			return u, ctx.Err()
		}
		s := breaking.FolderSide(old, t.old)
		u.old = &s
	}
	if connector.HasDefinition(head, t.new) {
		if new, err = connector.LoadFolderFS(head, t.new, t.new, opts.Load); err != nil {
			u.err = &unread{err: err}
			return u, ctx.Err()
		}
		s := breaking.FolderSide(new, t.new)
		u.new = &s
	}
	if old != nil && new != nil {
		if u.changes, err = diff.CompareConnectors(ctx, old, new); err != nil {
			if ctx.Err() != nil {
				return u, ctx.Err()
			}
			u.err = &unread{err: err}
		}
	}
	return u, nil
}

// unread is why a connector could not be compared: a file of either
// version that does not load, or a comparison that stopped (its budget).
type unread struct {
	inBase bool // the old version's file is at fault
	err    error
}

// result is the connector's result: StatusError, with the error located
// and said as the command prints it, naming the base for an error in the
// old version (whose path a reviewer would look for in the new files).
func (e *unread) result(u *update, baseCommit string) breaking.ConnectorResult {
	r := breaking.ConnectorResult{Folder: u.folder(), Status: breaking.StatusError, Error: e.err.Error(), Err: e.err,
		Profile: u.policy.Profile()}
	if u.t.old != u.t.new {
		r.OldFolder = u.t.old
	}
	if e.inBase {
		r.Error += " (in the base, " + short(baseCommit) + ")"
		return r
	}
	var le *connector.LoadError
	if errors.As(e.err, &le) && le.File != "" {
		r.ErrorAt = &connector.Location{File: le.File, Line: le.Line, Column: le.Column}
	}
	return r
}

func short(commit string) string { return commit[:min(10, len(commit))] }

package history

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"time"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// Options are the settings of a history. The zero value of each field
// means its documented default.
type Options struct {
	// Since and Until bound the history: the first-parent commits of Until
	// (default HEAD) that Since does not hold. Without Since, the history
	// starts at the root commit.
	Since, Until string
	// Paths limits the history to connectors under these paths (relative
	// to the folder the repository was opened at): connector folders or
	// folders that hold them.
	Paths []string
	// Profile judges every version for one audience, over the policy
	// files'; empty: the policy files' profile, else users.
	Profile breaking.Profile
	// Levels set rule levels over the policy files'.
	Levels map[string]breaking.Level
	// PolicyFile reads the root policy from this file on disk instead of
	// .connectordiff.yaml in Until's tree (connector folders' own policy
	// files in Until's tree still apply).
	PolicyFile string
	// Load reads each file (its size limit).
	Load connector.LoadOptions
	// Now caps commit dates: a commit's date is what its author set, so a
	// version is dated no later than any commit after it, nor than now.
	// Nil: the clock of the machine.
	Now func() time.Time
	// Workers is how many connectors are judged at once (default: the
	// number of CPUs).
	Workers int
	// Progress is called as the history is read (StageCommits: commits
	// walked of the total) and judged (StageConnectors: connectors judged).
	Progress func(stage Stage, done, total int)
	// MaxEntries is how many tree entries one commit's change may compare
	// (default DefaultMaxEntries): past it, the history stops with
	// gitrepo.ErrTooManyEntries rather than walk a tree that names one
	// folder at a million paths.
	MaxEntries int
}

// DefaultMaxEntries bounds the tree entries one commit's change compares:
// fifty for each of the 2,000 connector folders the gate takes at most, so
// that a commit adding every connector of the largest repository passes.
const DefaultMaxEntries = 100_000

// Stage is what Progress counts.
type Stage int

// The stages of a history.
const (
	StageCommits Stage = iota
	StageConnectors
)

// Verdict is what a version did to its connector.
type Verdict string

// The verdicts of a version.
const (
	Added    Verdict = "added"
	Breaking Verdict = "breaking"
	Safe     Verdict = "safe"
	Removed  Verdict = "removed"
	Error    Verdict = "error"
)

// Header is what is known of a history before its connectors are judged.
type Header struct {
	// Since and Until are the revisions as given ("" when not), and
	// SinceCommit and UntilCommit their commits.
	Since, SinceCommit string
	Until, UntilCommit string
	// Profile is the audience of the verdicts (a connector folder's policy
	// file may choose another for its connector).
	Profile breaking.Profile
	// Policies names the policy files applied, as read from Until.
	Policies []string
	// Window is the deprecation window of the policy, in days: how long an
	// operation should be deprecated before it is removed.
	Window int
	// Commits counts the first-parent commits walked, Connectors the
	// connectors they changed.
	Commits, Connectors int
}

// Connector is the timeline of one connector.
type Connector struct {
	// Index is the connector's place in the history, from 0, in the order
	// of Folder.
	Index int
	// Folder is the connector's folder at its last version (where it was
	// removed, if it was), from the repository's root.
	Folder string
	// Title is the title of its last readable version.
	Title string
	// Profile is the audience of its verdicts.
	Profile breaking.Profile
	// Versions lists its versions, oldest first.
	Versions []Version
	// Deprecations follows each operation deprecated or removed: when it was
	// deprecated, when removed, and the days between.
	Deprecations []Deprecation
}

// BreakingUpdates counts the versions whose verdict is breaking.
func (c *Connector) BreakingUpdates() int {
	n := 0
	for _, v := range c.Versions {
		if v.Verdict == Breaking {
			n++
		}
	}
	return n
}

// Version is one commit that changed a connector, judged against the
// version before it.
type Version struct {
	Commit string
	// Date is the committer's date, capped by the dates of the commits
	// after it and by now (see Options.Now).
	Date time.Time
	// Author is the author's name, Subject the message's first paragraph,
	// as the commit gives them.
	Author, Subject string
	// Folder is the connector's folder in this version (the old one for a
	// removal), and OldFolder the one it moved from, when it moved.
	Folder, OldFolder string
	// Previous is the commit of the version this one was judged against:
	// the last one that could be read ("" for an added connector).
	Previous string
	Verdict  Verdict
	// Title and InfoVersion are the definition's info.title and
	// info.version (the old version's for a removal).
	Title, InfoVersion string
	// Counts counts the findings by level, Certification by the level
	// Microsoft's validator gives them.
	Counts, Certification breaking.Counts
	Findings              []Finding
	// Error says, located, why the version could not be read or compared.
	Error string
}

// Finding is a finding of a version, as a history keeps it: its sentence
// written, without the documents it was found in.
type Finding struct {
	Rule    string         `json:"rule"`
	Level   breaking.Level `json:"level"`
	Message string         `json:"message"`
	// Operation is the first operation the finding reaches ("" for a
	// document-level finding), Operations all of them.
	Operation  string   `json:"operationId,omitempty"`
	Operations []string `json:"operations,omitempty"`
	// File names the connector file it is in when that is not the
	// definition.
	File string              `json:"file,omitempty"`
	Old  *connector.Location `json:"old,omitempty"`
	New  *connector.Location `json:"new,omitempty"`
	// Hosts lists the hosts the change breaks.
	Hosts         []breaking.Host `json:"hosts,omitempty"`
	Certification breaking.Level  `json:"certification"`
}

// Event is a version an operation's deprecation or removal came with.
type Event struct {
	Commit string
	Date   time.Time
}

// Deprecation is an operation's way out: the version that first marked it
// deprecated (in the run of versions that kept it so up to its removal)
// and the version that removed it. Either may be missing: an operation
// removed without being deprecated first, or still deprecated at the end.
type Deprecation struct {
	Operation           string
	Deprecated, Removed *Event
}

// Days is the number of whole days between the deprecation and the
// removal, and false when either is missing.
func (d Deprecation) Days() (int, bool) {
	if d.Deprecated == nil || d.Removed == nil {
		return 0, false
	}
	return int(d.Removed.Date.Sub(d.Deprecated.Date).Hours() / 24), true
}

// Tally is one connector of the summary.
type Tally struct {
	Index    int
	Folder   string
	Versions int
	// Breaking counts its breaking updates.
	Breaking int
	// Removed is set when its last version removed it.
	Removed bool
}

// Summary is what is known once every connector was judged.
type Summary struct {
	Header
	// Versions counts the versions of every connector, and BreakingUpdates
	// those whose verdict is breaking.
	Versions, BreakingUpdates int
	// Tallies has one entry per connector, in order.
	Tallies []Tally
}

// Sink receives a history as it is judged: Begin once, Connector for each
// connector in the order of their folders, End once.
type Sink interface {
	Begin(h *Header) error
	Connector(c *Connector) error
	End(s *Summary) error
}

// Run walks the first-parent history of the repository holding dir (see
// Options) and hands every connector's judged timeline to sink.
func Run(ctx context.Context, dir string, opts Options, sink Sink) error {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultMaxEntries
	}
	repo, err := gitrepo.Open(ctx, dir)
	if err != nil {
		return err
	}
	h := &Header{Since: opts.Since, Until: opts.Until}
	until := opts.Until
	if until == "" {
		until = "HEAD"
	}
	if h.UntilCommit, err = repo.Commit(ctx, until); err != nil {
		return err
	}
	if opts.Since != "" {
		if h.SinceCommit, err = repo.Commit(ctx, opts.Since); err != nil {
			return err
		}
	}
	paths := make([]string, len(opts.Paths))
	for i, p := range opts.Paths {
		paths[i] = path.Clean(path.Join(repo.Prefix, filepath.ToSlash(p)))
	}

	idx, err := buildIndex(ctx, repo, h, paths, &opts)
	if err != nil {
		return err
	}
	for i, p := range paths {
		if !idx.pathSeen[p] && p != "." {
			return fmt.Errorf("%s: no connector under it changed in the history of %s", opts.Paths[i], until)
		}
	}
	pol, err := readPolicies(ctx, repo, h.UntilCommit, &opts)
	if err != nil {
		return err
	}
	h.Profile, h.Policies, h.Window = pol.profile(), pol.files(), pol.window()
	h.Commits, h.Connectors = idx.commitsWalked, len(idx.connectors)
	if err := sink.Begin(h); err != nil {
		return err
	}
	sum := &Summary{Header: *h}
	err = judgeAll(ctx, repo, idx, pol, &opts, func(c *Connector) error {
		sum.Versions += len(c.Versions)
		t := Tally{Index: c.Index, Folder: c.Folder, Versions: len(c.Versions), Breaking: c.BreakingUpdates()}
		t.Removed = len(c.Versions) > 0 && c.Versions[len(c.Versions)-1].Verdict == Removed
		sum.BreakingUpdates += t.Breaking
		sum.Tallies = append(sum.Tallies, t)
		return sink.Connector(c)
	})
	if err != nil {
		return err
	}
	sum.Policies = pol.files()
	return sink.End(sum)
}

// Tee hands a history to every sink, in order.
func Tee(sinks ...Sink) Sink { return tee(sinks) }

type tee []Sink

func (t tee) Begin(h *Header) error {
	for _, s := range t {
		if err := s.Begin(h); err != nil {
			return err
		}
	}
	return nil
}

func (t tee) Connector(c *Connector) error {
	for _, s := range t {
		if err := s.Connector(c); err != nil {
			return err
		}
	}
	return nil
}

func (t tee) End(sum *Summary) error {
	for _, s := range t {
		if err := s.End(sum); err != nil {
			return err
		}
	}
	return nil
}

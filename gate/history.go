package gate

import (
	"context"
	"path"
	"sort"
	"time"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// history is what the repository comparison knows beyond two versions:
// the history, for deprecation windows.
type history struct {
	repo *gitrepo.Repo
	base string    // the merge base commit
	now  time.Time // when the change is judged: the clock's time, never a commit's
}

// maxHistory bounds how many versions of a definition the history is read
// for, looking for when an operation was first deprecated.
const maxHistory = 200

// removedDeprecated lists the operations that changes remove from old and
// that old marks deprecated: those whose removal a deprecation window may
// make a warning.
func removedDeprecated(changes []*diff.Change, old *connector.Folder) []string {
	var out []string
	for _, c := range changes {
		if op := c.Operation(); c.Kind == diff.OperationRemoved && op != "" && old.Definition.Deprecated(op) {
			out = append(out, op)
		}
	}
	return out
}

// deprecatedSince reads, for each of ops (operations of old, the
// connector's version in the base, in folder), when the base's branch
// received it deprecated: the oldest version of the unbroken run, newest
// first, in which it is deprecated. An operation no version shows
// deprecated is left out.
func (g *history) deprecatedSince(ctx context.Context, folder string, old *connector.Folder, ops []string) (map[string]time.Time, error) {
	if len(ops) == 0 {
		return nil, nil
	}
	defPath := path.Join(folder, old.Files[0].Name)
	revs, err := g.repo.History(ctx, g.base, defPath, maxHistory)
	if err != nil {
		return nil, err
	}
	// Load each version once, newest first, while it is needed.
	var versions []*connector.Document
	version := func(i int) (*connector.Document, error) {
		for len(versions) <= i {
			t, err := g.repo.Tree(ctx, revs[len(versions)].Commit)
			if err != nil {
				return nil, err
			}
			data, err := connector.ReadFileFS(t, defPath, defPath, connector.LoadOptions{})
			t.Close()
			var d *connector.Document
			if err == nil {
				d, _ = connector.Load(defPath, data, connector.LoadOptions{}) // an unreadable old version ends the search
			}
			versions = append(versions, d)
		}
		return versions[i], nil
	}
	// A commit's date is what its author set. Along the first-parent line a
	// commit was received no later than any commit after it, nor than now,
	// so each date is capped by those: a forged date can only shorten a
	// deprecation window, never lengthen one.
	received := make([]time.Time, len(revs))
	latest := g.now
	for i, r := range revs {
		if r.Time.Before(latest) {
			latest = r.Time
		}
		received[i] = latest
	}
	out := map[string]time.Time{}
	for _, op := range ops {
		var since time.Time
		for i := range revs {
			d, err := version(i)
			if err != nil {
				return nil, err
			}
			if d == nil || !d.Deprecated(op) {
				break
			}
			since = received[i]
		}
		if !since.IsZero() {
			out[op] = since
		}
	}
	return out, nil
}

// sortPolicyFindings orders the policy's own findings by file and place.
func sortPolicyFindings(fs []breaking.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.New.Line < b.New.Line || a.New.Line == b.New.Line && a.New.Column < b.New.Column
	})
}

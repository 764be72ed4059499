package history

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// index is what the walk through the commits keeps: which commit changed
// which connector, and what the timelines show of those commits; no
// document, and no finding.
type index struct {
	commits       []commitMeta // the commits that changed a connector, oldest first
	connectors    []*track     // in the order of their folders, once sorted
	pathSeen      map[string]bool
	commitsWalked int
}

// commitMeta is a commit as a timeline shows it.
type commitMeta struct {
	id, parent      string // parent: the first parent ("" for a root commit)
	date            time.Time
	author, subject string
}

// ref is one version of a connector: the commit (in index.commits) and its
// folder in the commit's first parent (old, "" when it was added) and in
// the commit (new, "" when it was removed), with the ids of the folders'
// trees, which are read on their own, without the repository's large
// folders above them.
type ref struct {
	commit           int32
	old, new         string
	oldTree, newTree string
}

// track is one connector's versions, followed across folder renames.
type track struct {
	folder string // its folder at its last version
	refs   []ref
}

// walked is one commit of the first-parent line, as rev-list lists it.
type walked struct {
	id, parent string
	date       time.Time // capped: see Options.Now
}

// firstParentLine lists the first-parent commits from h.UntilCommit back
// to h.SinceCommit (excluded), oldest first, each dated no later than the
// commits after it and than now.
func firstParentLine(ctx context.Context, repo *gitrepo.Repo, h *Header, now time.Time) ([]walked, error) {
	args := []string{"rev-list", "--first-parent", "--timestamp", "--parents", "--end-of-options", h.UntilCommit}
	if h.SinceCommit != "" {
		args = append(args, "^"+h.SinceCommit)
	}
	out, err := repo.Output(ctx, args...)
	if err != nil {
		return nil, err
	}
	var line []walked
	latest := now
	for l := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		if l == "" {
			continue
		}
		// <seconds> <commit> <parents...>, newest first
		f := strings.Fields(l)
		sec, err := strconv.ParseInt(f[0], 10, 64)
		if len(f) < 2 || err != nil {
			return nil, fmt.Errorf("git rev-list: unexpected line %q", l)
		}
		w := walked{id: f[1], date: time.Unix(sec, 0).UTC()}
		if len(f) > 2 {
			w.parent = f[2]
		}
		// A commit's date is what its author set; along the first-parent
		// line, a commit was received no later than any commit after it.
		if w.date.After(latest) {
			w.date = latest
		}
		latest = w.date
		line = append(line, w)
	}
	for i, j := 0, len(line)-1; i < j; i, j = i+1, j-1 {
		line[i], line[j] = line[j], line[i]
	}
	return line, nil
}

// buildIndex walks the first-parent line oldest first and lists, for each
// connector under paths, the commits that changed it.
func buildIndex(ctx context.Context, repo *gitrepo.Repo, h *Header, paths []string, opts *Options) (*index, error) {
	line, err := firstParentLine(ctx, repo, h, opts.Now())
	if err != nil {
		return nil, err
	}
	obj, err := repo.Objects(ctx)
	if err != nil {
		return nil, err
	}
	defer obj.Close()
	idx := &index{pathSeen: map[string]bool{}, commitsWalked: len(line)}
	live := map[string]int{} // folder -> the connector that is (or was last) there
	trees := map[string]string{}
	treeOf := func(commit string) (string, error) {
		if t, ok := trees[commit]; ok {
			return t, nil
		}
		c, err := obj.Commit(commit)
		if err != nil {
			return "", err
		}
		return c.Tree, nil
	}
	for n, w := range line {
		if opts.Progress != nil {
			opts.Progress(StageCommits, n, len(line))
		}
		c, err := obj.Commit(w.id)
		if err != nil {
			return nil, err
		}
		clear(trees) // only the previous commit's tree is asked for again
		trees[w.id] = c.Tree
		parentTree := ""
		if w.parent != "" {
			if parentTree, err = treeOf(w.parent); err != nil {
				return nil, err
			}
		}
		changes, err := obj.TreeChanges(parentTree, c.Tree, paths, connector.IsConnectorFile, opts.MaxEntries)
		if err != nil {
			return nil, fmt.Errorf("commit %s: %w", w.id, err)
		}
		if len(changes) == 0 {
			continue
		}
		var before fs.FS = fstest.MapFS{}
		if w.parent != "" {
			before = obj.Tree(w.parent)
		}
		after := obj.Tree(w.id)
		touched := gate.ConnectorsTouched(changes, before, after)
		at := int32(len(idx.commits))
		// Who each touched folder is, as of the first parent, before any
		// move of this commit is applied: a commit may move A to B and B to
		// C, or move a connector away and add another in its place.
		ids := make([]int, len(touched))
		claimed := map[int]bool{}
		for i, t := range touched {
			ids[i] = -1
			if id, known := live[t.Old]; known && connector.HasDefinition(before, t.Old) {
				ids[i], claimed[id] = id, true
			}
		}
		added := false
		for i, t := range touched {
			hasOld, hasNew := connector.HasDefinition(before, t.Old), connector.HasDefinition(after, t.New)
			if !hasOld && !hasNew {
				continue
			}
			if ids[i] < 0 {
				// There before the history's start, added, or added again
				// where a connector was removed.
				if id, known := live[t.New]; known && !hasOld && !claimed[id] {
					ids[i] = id
				} else {
					ids[i] = idx.newTrack()
				}
				claimed[ids[i]] = true
			}
			r := ref{commit: at}
			if hasOld {
				if r.oldTree, err = folderID(before, t.Old); err != nil {
					return nil, err
				}
				r.old = t.Old
			}
			if hasNew {
				if r.newTree, err = folderID(after, t.New); err != nil {
					return nil, err
				}
				r.new = t.New
			}
			tr := idx.connectors[ids[i]]
			tr.refs = append(tr.refs, r)
			tr.folder = cmp.Or(r.new, r.old)
			idx.see(paths, r.old, r.new)
			added = true
		}
		for i, t := range touched {
			if ids[i] >= 0 && live[t.Old] == ids[i] && t.Old != t.New && connector.HasDefinition(after, t.New) {
				delete(live, t.Old) // moved away
			}
		}
		for i, t := range touched {
			switch {
			case ids[i] < 0:
			case connector.HasDefinition(after, t.New):
				live[t.New] = ids[i]
			default:
				live[t.Old] = ids[i] // removed: it was last there
			}
		}
		if added {
			idx.commits = append(idx.commits, commitMeta{id: w.id, parent: w.parent, date: w.date, author: c.Author, subject: c.Subject})
		}
	}
	if opts.Progress != nil {
		opts.Progress(StageCommits, len(line), len(line))
	}
	sort.SliceStable(idx.connectors, func(i, j int) bool { return idx.connectors[i].folder < idx.connectors[j].folder })
	return idx, nil
}

func (idx *index) newTrack() int {
	idx.connectors = append(idx.connectors, &track{})
	return len(idx.connectors) - 1
}

// see notes the paths that a connector folder is under (or, for a file
// path, in).
func (idx *index) see(paths []string, folders ...string) {
	for _, p := range paths {
		for _, f := range folders {
			if f != "" && (f == p || p == "." || strings.HasPrefix(f, p+"/") || strings.HasPrefix(p, f+"/")) {
				idx.pathSeen[p] = true
			}
		}
	}
}

// folderID is the id of folder dir's tree in a commit's tree.
func folderID(fsys fs.FS, dir string) (string, error) {
	t, ok := fsys.(*gitrepo.Tree)
	if !ok {
		return "", fmt.Errorf("internal error: %s is not in a git tree", dir)
	}
	return t.ID(dir)
}

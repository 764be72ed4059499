package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Objects reads commits and trees of a repository through one pair of git
// cat-file processes, however many it reads: a walk through the history
// starts two processes, not two per commit. Trees opened from it (Tree)
// read through the same processes. It is safe for use by one goroutine at
// a time per tree, and its processes serialise every request.
type Objects struct {
	repo         *Repo
	ctx          context.Context
	batch, check *catFile
	// trees holds the tree objects read last, by id, parsed: a walk reads
	// each commit's tree again as the next one's parent, and the large
	// folders of a repository (hundreds of connectors) in every commit.
	mu    sync.Mutex
	trees map[string][]entry
}

// maxCachedTrees bounds Objects' cache of parsed trees; past it, the cache
// starts over.
const maxCachedTrees = 64

var errNotATree = errors.New("not a tree")

// readTree returns the entries of the tree object oid (errNotATree when
// oid is another object), from the cache when it holds them: callers must
// not change them.
func (o *Objects) readTree(oid string) ([]entry, error) {
	o.mu.Lock()
	es, ok := o.trees[oid]
	o.mu.Unlock()
	if ok {
		return es, nil
	}
	id, typ, data, err := o.batch.read(oid)
	if err != nil {
		return nil, err
	}
	if typ != "tree" {
		return nil, fmt.Errorf("object %s is a %s: %w", oid, typ, errNotATree)
	}
	if es, err = parseTree(data, len(id)/2); err != nil {
		return nil, fmt.Errorf("tree %s: %w", id, err)
	}
	o.mu.Lock()
	if len(o.trees) >= maxCachedTrees {
		clear(o.trees)
	}
	o.trees[oid] = es
	o.mu.Unlock()
	return es, nil
}

// Objects starts the object readers of a walk; Close ends them.
func (r *Repo) Objects(ctx context.Context) (*Objects, error) {
	b, err := startCatFile(ctx, r, "--batch")
	if err != nil {
		return nil, err
	}
	c, err := startCatFile(ctx, r, "--batch-check")
	if err != nil {
		b.close()
		return nil, err
	}
	return &Objects{repo: r, ctx: ctx, batch: b, check: c, trees: map[string][]entry{}}, nil
}

// Close ends the object readers.
func (o *Objects) Close() error {
	if o.batch == nil {
		return nil
	}
	err := errors.Join(o.batch.close(), o.check.close())
	o.batch, o.check = nil, nil
	return err
}

// Tree opens the tree of commit (a full commit id, or a tree's id: the
// tree of one folder), read through o's processes: its Close leaves them
// running.
func (o *Objects) Tree(commit string) *Tree {
	t := o.repo.treeOf(o.ctx, commit)
	t.batch, t.check, t.objects = o.batch, o.check, o
	return t
}

// CommitInfo is what a walk through the history shows of a commit.
type CommitInfo struct {
	// ID is the commit's full id, Tree its tree's and Parents its parents'
	// (the first parent first; none for a root commit).
	ID, Tree string
	Parents  []string
	// Author is the author's name, as the commit gives it (any text).
	Author string
	// Time is the committer's date, as the commit gives it: whatever its
	// author set.
	Time time.Time
	// Subject is the first paragraph of the message on one line, at most
	// MaxSubject characters.
	Subject string
}

// MaxSubject bounds a commit's subject as CommitInfo gives it.
const MaxSubject = 200

// maxCommitBytes bounds how much of a commit object is read: its headers,
// a signature and the start of its message are far smaller; the rest of a
// larger one (a message of gigabytes) is skipped unread.
const maxCommitBytes = 1 << 20

// Commit reads the commit id (a full commit id).
func (o *Objects) Commit(id string) (CommitInfo, error) {
	oid, typ, data, err := o.batch.readHead(id, maxCommitBytes)
	if err != nil {
		return CommitInfo{}, err
	}
	if typ != "commit" {
		return CommitInfo{}, fmt.Errorf("object %s is a %s, not a commit", id, typ)
	}
	c, err := parseCommit(data)
	if err != nil {
		return CommitInfo{}, fmt.Errorf("commit %s: %w", oid, err)
	}
	c.ID = oid
	return c, nil
}

// parseCommit reads a commit object's headers (tree, parents, author,
// committer; a continuation line, starting with a space, belongs to the
// header before it) and its message's first paragraph.
func parseCommit(data []byte) (CommitInfo, error) {
	var c CommitInfo
	headers, message, found := bytes.Cut(data, []byte("\n\n"))
	if !found && len(data) >= maxCommitBytes {
		return c, fmt.Errorf("headers longer than %d bytes", maxCommitBytes)
	}
	committer := false
	for line := range bytes.SplitSeq(headers, []byte{'\n'}) {
		key, value, _ := bytes.Cut(line, []byte{' '})
		switch string(key) {
		case "tree":
			c.Tree = string(value)
		case "parent":
			c.Parents = append(c.Parents, string(value))
		case "author":
			c.Author = identityName(value)
		case "committer":
			c.Time, committer = identityTime(value), true
		}
	}
	if c.Tree == "" || !committer {
		return c, errors.New("malformed commit object")
	}
	para, _, _ := bytes.Cut(bytes.TrimLeft(message, "\n"), []byte("\n\n"))
	c.Subject = oneLine(string(para), MaxSubject)
	return c, nil
}

// identityName is the name of "Name <email> seconds zone".
func identityName(v []byte) string {
	name, _, _ := bytes.Cut(v, []byte(" <"))
	return oneLine(string(name), MaxSubject)
}

// identityTime is the date of "Name <email> seconds zone" (zero when it
// has none that reads).
func identityTime(v []byte) time.Time {
	i := bytes.LastIndexByte(v, '>')
	if i < 0 {
		return time.Time{}
	}
	f := strings.Fields(string(v[i+1:]))
	if len(f) == 0 {
		return time.Time{}
	}
	sec, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// oneLine joins the lines of s with spaces and cuts it to at most max
// characters, marking the cut; s may be any bytes, which the caller escapes
// when it prints them.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\r", " ")), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max-1]) + "…"
}

// readHead reads an object's id, type and first limit bytes, skipping the
// rest unread (--batch).
func (c *catFile) readHead(req string, limit int) (oid, typ string, data []byte, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := io.WriteString(c.in, req+"\n"); err != nil {
		return "", "", nil, err
	}
	oid, typ, size, err := c.header(req)
	if err != nil {
		return "", "", nil, err
	}
	keep := min(size, limit)
	data = make([]byte, keep)
	if _, err := io.ReadFull(c.out, data); err != nil {
		return "", "", nil, err
	}
	if _, err := c.out.Discard(size - keep + 1); err != nil { // the rest and the closing newline
		return "", "", nil, err
	}
	return oid, typ, data, nil
}

// ErrTooManyEntries: listing a change would compare more tree entries than
// the caller allows.
var ErrTooManyEntries = errors.New("too many files and folders to compare")

// TreeChanges lists the files under paths (from the root; none or "."
// means everywhere) whose path keep accepts (nil: every file) and that
// differ between two trees, given by id ("" for the empty tree, before a
// root commit), with renames paired as Changes pairs them. It reads the
// tree objects through o and descends only into subtrees whose ids
// differ, as git diff-tree does, so a commit that touches one folder costs
// a few objects whatever the size of the repository; and it stops with
// ErrTooManyEntries after comparing maxEntries entries, so a tree that
// names one subtree at many paths costs no more than that.
func (o *Objects) TreeChanges(oldTree, newTree string, paths []string, keep func(string) bool, maxEntries int) ([]FileChange, error) {
	if keep == nil {
		keep = func(string) bool { return true }
	}
	w := &treeWalk{o: o, scope: outermost(paths), keep: keep, budget: maxEntries}
	if err := w.trees(oldTree, newTree, "."); err != nil {
		return nil, err
	}
	reader := o.Tree("")
	return diffRecords(w.old, w.new, func(_ int, e record, limit int64) ([]byte, error) {
		return reader.readBlobMax(e.oid, limit)
	})
}

// treeWalk is one listing of the files that differ between two trees.
type treeWalk struct {
	o        *Objects
	scope    []string // outermost paths; "." for everywhere
	keep     func(string) bool
	budget   int
	old, new []record
}

// inScope says whether the entry at p is under one of the paths (in), or
// a folder on the way to one (toward).
func (w *treeWalk) inScope(p string) (in, toward bool) {
	for _, s := range w.scope {
		if s == "." || p == s || strings.HasPrefix(p, s+"/") {
			return true, false
		}
		if strings.HasPrefix(s, p+"/") {
			toward = true
		}
	}
	return false, toward
}

// trees compares the trees a and b ("" for none) at folder dir.
func (w *treeWalk) trees(a, b, dir string) error {
	if a == b {
		return nil
	}
	ea, err := w.read(a)
	if err != nil {
		return err
	}
	eb, err := w.read(b)
	if err != nil {
		return err
	}
	byName := make(map[string][2]entry, max(len(ea), len(eb)))
	var names []string
	for side, es := range [][]entry{ea, eb} {
		for _, e := range es {
			v, seen := byName[e.name]
			if !seen {
				names = append(names, e.name)
			}
			v[side] = e
			byName[e.name] = v
		}
	}
	for _, name := range names {
		x, y := byName[name][0], byName[name][1]
		if x.oid == y.oid && x.mode == y.mode {
			continue
		}
		p := name
		if dir != "." {
			p = dir + "/" + name
		}
		in, toward := w.inScope(p)
		if !in && !toward {
			continue
		}
		if w.budget--; w.budget < 0 {
			return ErrTooManyEntries
		}
		if x.typ == "tree" || y.typ == "tree" {
			if err := w.trees(treeID(x), treeID(y), p); err != nil {
				return err
			}
		}
		if !in || !w.keep(p) {
			continue
		}
		if x.typ != "" && x.typ != "tree" {
			w.old = append(w.old, record{path: p, oid: x.oid, mode: x.mode})
		}
		if y.typ != "" && y.typ != "tree" {
			w.new = append(w.new, record{path: p, oid: y.oid, mode: y.mode})
		}
	}
	return nil
}

// read lists a tree object's entries (none for "").
func (w *treeWalk) read(oid string) ([]entry, error) {
	if oid == "" {
		return nil, nil
	}
	return w.o.readTree(oid)
}

// ID returns the object id of the file or folder at name ("." for the
// root): a folder's id opens it on its own (Objects.Tree).
func (t *Tree) ID(name string) (string, error) {
	if name == "." {
		e, err := t.rootTree()
		return e.oid, err
	}
	e, err := t.lookup("stat", name)
	return e.oid, err
}

package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MergeBase returns the best common ancestor of commits a and b, which is
// what a pull request from b into a is compared with.
func (r *Repo) MergeBase(ctx context.Context, a, b string) (string, error) {
	out, err := r.output(ctx, nil, "merge-base", "--end-of-options", a, b)
	if err != nil {
		return "", fmt.Errorf("no common ancestor of %s and %s: %w", a, b, err)
	}
	return string(bytes.TrimSpace(out)), nil
}

// FileChange is one file that differs between two versions of the
// repository. Paths are from the repository's root, with slashes.
type FileChange struct {
	// Status is git's: 'A'dded, 'D'eleted, 'M'odified, 'R'enamed or 'T'ype
	// changed (a file that became a symbolic link, or the other way).
	Status byte
	// Old is the path in the base ("" when added), New the path in the
	// other version ("" when deleted); both are set for a rename.
	Old, New string
}

// Changes lists the files under paths (from the root; none means
// everywhere) whose path keep accepts (nil: every file) and that differ
// between commit base and another version: commit head, or, when head is
// "", the index (staged) or the work tree (staged, unstaged and untracked
// files, as git status sees them).
//
// It runs no git diff. Each side is listed (git ls-tree, git ls-files) and
// compared here by object id; a work-tree file is hashed here as its bytes
// are on disk. So no clean filter, end-of-line conversion, textconv, hook
// or file system monitor runs, whatever the repository's configuration and
// .gitattributes say, and the index is never written. A work-tree file
// whose bytes differ from the blob only by such a conversion counts as
// changed (its comparison then finds what really changed), and a change of
// the executable bit alone is no change. A file removed and one added
// under the same name (in any case) are a rename when their contents are
// the same or similar, as git's rename detection (-M) pairs them.
func (r *Repo) Changes(ctx context.Context, base, head string, staged bool, paths []string, keep func(string) bool) ([]FileChange, error) {
	if keep == nil {
		keep = func(string) bool { return true }
	}
	old, err := r.treeRecords(ctx, base, paths, keep)
	if err != nil {
		return nil, err
	}
	var new []record
	var work *WorkTree // the work tree, whose files are read from disk
	switch {
	case head != "":
		new, err = r.treeRecords(ctx, head, paths, keep)
	case staged:
		if r.Top == "" {
			return nil, errors.New("a bare repository has no staged files")
		}
		new, err = r.indexEntries(ctx, paths)
		for _, e := range new {
			if err == nil && e.stage != 0 {
				err = fmt.Errorf("reading the staged files: %s is unmerged: resolve the conflict first", e.path)
			}
		}
		new = slices.DeleteFunc(new, func(e record) bool { return !keep(e.path) })
	default:
		if work, err = r.WorkTree(ctx); err != nil {
			return nil, err
		}
		defer work.Close()
		new, err = work.records(ctx, r, paths, keep)
	}
	if err != nil {
		return nil, err
	}
	blobs := r.treeOf(ctx, base) // reads blobs by id, for rename scores
	defer blobs.Close()
	return diffRecords(old, new, func(side int, e record, limit int64) ([]byte, error) {
		if side == 1 && work != nil {
			return work.read(e.path, limit)
		}
		return blobs.readBlobMax(e.oid, limit)
	})
}

// record is one file of a listing: of a tree (git ls-tree), of the index
// (git ls-files --stage, stage is then its merge stage) or of the work tree.
type record struct {
	path, oid string
	mode      uint32
	stage     int
}

func (e record) typ() string {
	switch e.mode {
	case 0o160000:
		return "commit"
	case 0o40000:
		return "tree"
	}
	return "blob"
}

// treeRecords lists the files of commit rev under paths that keep accepts.
func (r *Repo) treeRecords(ctx context.Context, rev string, paths []string, keep func(string) bool) ([]record, error) {
	// ls-tree takes no "--": paths follow the tree, and each is a pathspec
	// with magic, which cannot pass for an option.
	out, err := r.outputAtTop(ctx, append([]string{"ls-tree", "-r", "-z", "--full-tree", "--end-of-options", rev}, topPaths(paths)...)...)
	if err != nil {
		return nil, err
	}
	var recs []record
	for line := range bytes.SplitSeq(out, []byte{0}) {
		if len(line) == 0 {
			continue
		}
		// <mode> SP <type> SP <object> TAB <path>
		meta, p, ok := bytes.Cut(line, []byte{'\t'})
		f := strings.Fields(string(meta))
		if !ok || len(f) != 3 {
			return nil, fmt.Errorf("git ls-tree: unexpected line %q", line)
		}
		mode, err := strconv.ParseUint(f[0], 8, 32)
		if err != nil {
			return nil, fmt.Errorf("git ls-tree: unexpected line %q", line)
		}
		if keep(string(p)) {
			recs = append(recs, record{path: string(p), oid: f[2], mode: uint32(mode)})
		}
	}
	return recs, nil
}

// indexEntries lists the index's entries under paths (all when none).
func (r *Repo) indexEntries(ctx context.Context, paths []string) ([]record, error) {
	out, err := r.outputAtTop(ctx, append([]string{"ls-files", "--stage", "-z", "--"}, topPaths(paths)...)...)
	if err != nil {
		return nil, err
	}
	var recs []record
	for line := range bytes.SplitSeq(out, []byte{0}) {
		if len(line) == 0 {
			continue
		}
		// <mode> SP <object> SP <stage> TAB <path>
		meta, p, ok := bytes.Cut(line, []byte{'\t'})
		f := strings.Fields(string(meta))
		if !ok || len(f) != 3 {
			return nil, fmt.Errorf("git ls-files: unexpected line %q", line)
		}
		mode, err1 := strconv.ParseUint(f[0], 8, 32)
		stage, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("git ls-files: unexpected line %q", line)
		}
		recs = append(recs, record{path: string(p), oid: f[1], mode: uint32(mode), stage: stage})
	}
	return recs, nil
}

// diffRecords compares two listings: a path on both sides whose object or
// type differs is modified ('M', or 'T' for a type change), one on a side
// only deleted or added, and then deleted and added files are paired into
// renames. content reads a record's bytes.
func diffRecords(old, new []record, content contentFunc) ([]FileChange, error) {
	inNew := make(map[string]record, len(new))
	for _, e := range new {
		inNew[e.path] = e
	}
	inOld := make(map[string]bool, len(old))
	var changes []FileChange
	var deleted, added []record
	for _, o := range old {
		inOld[o.path] = true
		n, ok := inNew[o.path]
		switch {
		case !ok:
			deleted = append(deleted, o)
		case kind(o.mode) != kind(n.mode):
			changes = append(changes, FileChange{Status: 'T', Old: o.path, New: n.path})
		case o.oid != n.oid:
			changes = append(changes, FileChange{Status: 'M', Old: o.path, New: n.path})
		}
	}
	seen := map[string]bool{}
	for _, n := range new {
		if !inOld[n.path] && !seen[n.path] { // an unmerged path is listed once per stage
			seen[n.path] = true
			added = append(added, n)
		}
	}
	renames, err := pairRenames(deleted, added, content)
	if err != nil {
		return nil, err
	}
	renamedFrom, renamedTo := map[string]bool{}, map[string]bool{}
	for _, rn := range renames {
		renamedFrom[rn.Old], renamedTo[rn.New] = true, true
		changes = append(changes, rn)
	}
	for _, o := range deleted {
		if !renamedFrom[o.path] {
			changes = append(changes, FileChange{Status: 'D', Old: o.path})
		}
	}
	for _, n := range added {
		if !renamedTo[n.path] {
			changes = append(changes, FileChange{Status: 'A', New: n.path})
		}
	}
	slices.SortFunc(changes, func(a, b FileChange) int {
		return strings.Compare(a.New+"\x00"+a.Old, b.New+"\x00"+b.Old)
	})
	return changes, nil
}

// kind is a mode's type: a regular file (executable or not), a symbolic
// link or a submodule.
func kind(mode uint32) uint32 { return mode &^ 0o777 }

// topPaths turns paths from the root into pathspecs git reads from the
// root whatever the current folder, literally (no glob magic).
func topPaths(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = ":(top,literal)" + p
	}
	return out
}

// outputAtTop runs git from the root of the work tree, so that the paths it
// prints are from the root.
func (r *Repo) outputAtTop(ctx context.Context, args ...string) ([]byte, error) {
	top := *r
	if r.Top != "" {
		top.Dir = r.Top
	}
	return top.output(ctx, nil, args...)
}

// Revision is one commit that changed a file.
type Revision struct {
	Commit string
	Time   time.Time // the committer's date
}

// History lists the commits of rev's first-parent line that changed path
// (from the root), newest first, at most limit of them: the commits the
// branch itself received, a merged branch's changes dated by their merge.
// It does not follow renames. It asks git rev-list, which, unlike git log,
// never verifies a signature (log.showSignature would run gpg on whatever a
// commit carries).
func (r *Repo) History(ctx context.Context, rev, path string, limit int) ([]Revision, error) {
	out, err := r.outputAtTop(ctx, "rev-list", "--first-parent", "--timestamp", "-n", strconv.Itoa(limit),
		"--end-of-options", rev, "--", ":(top,literal)"+path)
	if err != nil {
		return nil, err
	}
	return parseTimestamps(out)
}

// CommitTime returns the committer's date of a commit.
func (r *Repo) CommitTime(ctx context.Context, commit string) (time.Time, error) {
	out, err := r.output(ctx, nil, "rev-list", "--no-walk", "--timestamp", "--end-of-options", commit)
	if err != nil {
		return time.Time{}, err
	}
	revs, err := parseTimestamps(out)
	if err != nil {
		return time.Time{}, err
	}
	if len(revs) != 1 {
		return time.Time{}, fmt.Errorf("git rev-list: %q is not one commit", commit)
	}
	return revs[0].Time, nil
}

// parseTimestamps reads git rev-list --timestamp: "<seconds> <commit>" a
// line.
func parseTimestamps(out []byte) ([]Revision, error) {
	var revs []Revision
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		ts, commit, ok := strings.Cut(line, " ")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("git rev-list: unexpected line %q", line)
		}
		revs = append(revs, Revision{Commit: commit, Time: time.Unix(sec, 0).UTC()})
	}
	return revs, nil
}

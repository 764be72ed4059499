package gitrepo

import (
	"bytes"
	"context"
	"fmt"
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
	// Status is git's: 'A'dded, 'D'eleted, 'M'odified, 'R'enamed, 'T'ype
	// changed or 'C'opied.
	Status byte
	// Old is the path in the base ("" when added), New the path in the
	// other version ("" when deleted); both are set for a rename.
	Old, New string
}

// Changes lists the files under paths (from the root; none means
// everywhere) that differ between commit base and another version: commit
// head, or, when head is "", the index (staged) or the work tree (staged,
// unstaged and untracked files). Renames are detected as git does.
func (r *Repo) Changes(ctx context.Context, base, head string, staged bool, paths []string) ([]FileChange, error) {
	args := []string{"diff", "-z", "--name-status", "-M", "--no-ext-diff", "--no-textconv"}
	switch {
	case head != "":
		args = append(args, "--end-of-options", base, head)
	case staged:
		args = append(args, "--cached", "--end-of-options", base)
	default:
		args = append(args, "--end-of-options", base)
	}
	args = append(args, "--")
	args = append(args, topPaths(paths)...)
	out, err := r.outputAtTop(ctx, args...)
	if err != nil {
		return nil, err
	}
	changes, err := parseNameStatus(out)
	if err != nil {
		return nil, err
	}
	if head == "" && !staged {
		untracked, err := r.outputAtTop(ctx, append([]string{"ls-files", "-z", "--others", "--exclude-standard", "--"}, topPaths(paths)...)...)
		if err != nil {
			return nil, err
		}
		for _, p := range bytes.Split(untracked, []byte{0}) {
			if len(p) > 0 {
				changes = append(changes, FileChange{Status: 'A', New: string(p)})
			}
		}
	}
	return changes, nil
}

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

// parseNameStatus reads git diff -z --name-status: a status (R and C with a
// score), then one path, or two for R and C, each ending in NUL.
func parseNameStatus(out []byte) ([]FileChange, error) {
	fields := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	var changes []FileChange
	for i := 0; i < len(fields); {
		st := fields[i]
		if st == "" {
			i++
			continue
		}
		c := FileChange{Status: st[0]}
		switch c.Status {
		case 'R', 'C':
			if i+2 >= len(fields) {
				return nil, fmt.Errorf("git diff: truncated %s entry", st)
			}
			c.Old, c.New = fields[i+1], fields[i+2]
			if c.Status == 'C' {
				c.Status, c.Old = 'A', ""
			}
			i += 3
		default:
			if i+1 >= len(fields) {
				return nil, fmt.Errorf("git diff: truncated %s entry", st)
			}
			switch c.Status {
			case 'A':
				c.New = fields[i+1]
			case 'D':
				c.Old = fields[i+1]
			default:
				c.Old, c.New = fields[i+1], fields[i+1]
			}
			i += 2
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// Revision is one commit that changed a file.
type Revision struct {
	Commit string
	Time   time.Time // the committer's date
}

// History lists the commits reachable from rev that changed path (from the
// root), newest first, at most limit of them. It does not follow renames.
func (r *Repo) History(ctx context.Context, rev, path string, limit int) ([]Revision, error) {
	out, err := r.outputAtTop(ctx, "log", "-z", "--format=%H %ct", "-n", strconv.Itoa(limit), "--no-ext-diff",
		"--end-of-options", rev, "--", ":(top,literal)"+path)
	if err != nil {
		return nil, err
	}
	var revs []Revision
	for _, rec := range strings.Split(string(out), "\x00") {
		rec = strings.TrimSpace(rec)
		commit, ts, ok := strings.Cut(rec, " ")
		if !ok {
			continue
		}
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("git log: %q", rec)
		}
		revs = append(revs, Revision{Commit: commit, Time: time.Unix(sec, 0).UTC()})
	}
	return revs, nil
}

// CommitTime returns the committer's date of a commit.
func (r *Repo) CommitTime(ctx context.Context, commit string) (time.Time, error) {
	// Not git show -s, which diffs the commit with its parent before it
	// prints nothing of that diff: seconds for a commit that expands to a
	// hundred thousand folders.
	out, err := r.output(ctx, nil, "log", "-1", "--no-show-signature", "--format=%ct", "--end-of-options", commit)
	if err != nil {
		return time.Time{}, err
	}
	sec, err := strconv.ParseInt(string(bytes.TrimSpace(out)), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("git log: %q", out)
	}
	return time.Unix(sec, 0).UTC(), nil
}

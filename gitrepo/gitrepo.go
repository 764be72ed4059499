package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrNoGit: the git command is not installed.
var ErrNoGit = errors.New("the git command was not found")

// Repo is a git repository, addressed by a folder inside its work tree (or
// a bare repository's folder).
type Repo struct {
	// Dir is the folder commands run in.
	Dir string
	// Top is the root of the work tree ("" for a bare repository).
	Top string
	// Prefix is Dir relative to Top, with a trailing slash ("" at the top).
	Prefix string
}

// Open finds the repository that holds dir.
func Open(ctx context.Context, dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, ErrNoGit
	}
	r := &Repo{Dir: dir}
	out, err := r.output(ctx, nil, "rev-parse", "--is-bare-repository", "--show-prefix")
	if err != nil {
		return nil, fmt.Errorf("%s is not in a git repository: %w", dir, err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > 0 && lines[0] == "false" {
		top, err := r.output(ctx, nil, "rev-parse", "--show-toplevel")
		if err != nil {
			return nil, err
		}
		r.Top = strings.TrimRight(string(top), "\n")
		if len(lines) > 1 {
			r.Prefix = lines[1]
		}
	}
	return r, nil
}

// plumbing lists the git commands connectordiff runs. Each reads objects,
// refs, the index or the names of files, and writes nothing (the index
// included, so no post-index-change hook); none reads a file's content from
// the work tree, so no clean filter or end-of-line conversion applies, and
// none runs a hook, a textconv or external diff driver, a pager or any
// other program a configuration names. The Dockerfile's safe.directory '*'
// rests on this: a repository's own configuration runs nothing here.
var plumbing = map[string]bool{
	"rev-parse": true, "merge-base": true, "rev-list": true,
	"ls-tree": true, "ls-files": true, "cat-file": true,
}

// command builds a git command that reads the repository only: a plumbing
// command, with no terminal prompt, no optional locks, no pager, no file
// system monitor, no untracked cache, no hooks folder, no replace refs and
// no transport at all, so that a partial clone's lazy fetch (which would run
// remote and credential helpers) fails instead of running.
func (r *Repo) command(ctx context.Context, args ...string) (*exec.Cmd, error) {
	if len(args) == 0 || !plumbing[args[0]] {
		return nil, fmt.Errorf("internal error: git %s is not one of the plumbing commands connectordiff runs", strings.Join(args, " "))
	}
	full := append([]string{"--no-pager", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false",
		"-c", "core.hooksPath=" + os.DevNull, "-c", "protocol.allow=never"}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0", "GIT_NO_LAZY_FETCH=1",
		"GIT_NO_REPLACE_OBJECTS=1", "LC_ALL=C")
	cmd.WaitDelay = 5 * time.Second
	return cmd, nil
}

// output runs git and returns its standard output; a failure carries git's
// own message.
func (r *Repo) output(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	cmd, err := r.command(ctx, args...)
	if err != nil {
		return nil, err
	}
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i > 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}

// Output runs a read-only plumbing git command (rev-parse, merge-base,
// rev-list, ls-tree, ls-files or cat-file) in the repository, as the
// package's own commands run, and returns its standard output.
func (r *Repo) Output(ctx context.Context, args ...string) ([]byte, error) {
	return r.output(ctx, nil, args...)
}

// Commit resolves a revision to its commit's full id.
func (r *Repo) Commit(ctx context.Context, rev string) (string, error) {
	if strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("revision %q: a revision cannot start with '-'", rev)
	}
	out, err := r.output(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		return "", fmt.Errorf("unknown revision %q", rev)
	}
	return string(bytes.TrimSpace(out)), nil
}

// ResolvePath turns the path of a REV:PATH argument into a path from the
// repository's root, as git reads it: "./x" and "../x" are relative to the
// current folder, anything else to the root, except that a path found only
// relative to the current folder is taken from there (so that
// main:apiDefinition.swagger.json works inside a connector folder).
func (r *Repo) ResolvePath(ctx context.Context, t *Tree, p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	if strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || p == "." || p == ".." {
		return cleanRel(path.Join(r.Prefix, p))
	}
	p = cleanRel(p)
	if r.Prefix == "" {
		return p
	}
	if _, err := fs.Stat(t, p); err == nil {
		return p
	}
	if local := cleanRel(path.Join(r.Prefix, p)); local != p {
		if _, err := fs.Stat(t, local); err == nil {
			return local
		}
	}
	return p
}

func cleanRel(p string) string {
	p = path.Clean("/" + p)
	if p == "/" {
		return "."
	}
	return p[1:]
}

// Tree is the tree of one commit (or the index) as a read-only fs.FS:
// folders list their entries, files read their blobs. A symbolic link is
// listed and described as a link (Stat does not follow it), but reading it
// fails and no path leads through it; submodules do not exist in it. Close
// ends the git processes it started.
type Tree struct {
	repo   *Repo
	ctx    context.Context
	commit string // "" for the index
	// index: every folder was listed up front from the index, none is read
	// from a tree object; sized says which already have their files' sizes.
	index bool
	sized map[string]bool

	mu    sync.Mutex
	dirs  map[string][]entry // entries of each folder listed, by path
	batch *catFile           // git cat-file --batch: trees and blobs
	check *catFile           // git cat-file --batch-check: blob sizes
	// objects, when set, is the Objects whose processes batch and check
	// are (Close leaves them running) and whose cache lists its trees.
	objects *Objects
}

// entry is one entry of a tree object.
type entry struct {
	name, typ, oid string
	mode           uint32
	size           int64
}

// Tree opens the tree of rev, a commit.
func (r *Repo) Tree(ctx context.Context, rev string) (*Tree, error) {
	commit, err := r.Commit(ctx, rev)
	if err != nil {
		return nil, err
	}
	return r.treeOf(ctx, commit), nil
}

func (r *Repo) treeOf(ctx context.Context, treeish string) *Tree {
	return &Tree{repo: r, ctx: ctx, commit: treeish, dirs: map[string][]entry{}}
}

// StagedTree opens the tree the index would commit: the staged version of
// every file. It reads the index (git ls-files --stage) and writes nothing:
// not a tree object, and not the index, whose rewrite would run the
// post-index-change hook. An index with unmerged files is an error, as a
// commit of it would be.
func (r *Repo) StagedTree(ctx context.Context) (*Tree, error) {
	if r.Top == "" {
		return nil, errors.New("a bare repository has no staged files")
	}
	entries, err := r.indexEntries(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("reading the staged files: %w", err)
	}
	t := r.treeOf(ctx, "")
	t.index, t.sized = true, map[string]bool{}
	t.dirs["."] = nil
	made := map[string]bool{".": true} // folders listed in their parent
	for _, e := range entries {
		if e.stage != 0 {
			return nil, fmt.Errorf("reading the staged files: %s is unmerged: resolve the conflict first", e.path)
		}
		dir := path.Dir(e.path)
		t.dirs[dir] = append(t.dirs[dir], entry{name: path.Base(e.path), typ: e.typ(), oid: e.oid, mode: e.mode, size: -1})
		for d := dir; !made[d]; d = path.Dir(d) {
			made[d] = true
			parent := path.Dir(d)
			t.dirs[parent] = append(t.dirs[parent], entry{name: path.Base(d), typ: "tree", mode: 0o40000, size: -1})
		}
	}
	return t, nil
}

// Commit is the full id of the tree's commit ("" for the index).
func (t *Tree) Commit() string { return t.commit }

// Close ends the object readers, if they were started.
func (t *Tree) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.batch == nil {
		return nil
	}
	if t.objects != nil {
		t.batch, t.check, t.objects = nil, nil, nil
		return nil
	}
	err := errors.Join(t.batch.close(), t.check.close())
	t.batch, t.check = nil, nil
	return err
}

// list returns the entries of folder dir ("." for the root).
func (t *Tree) list(dir string) ([]entry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.listLocked(dir)
}

// listLocked reads the tree objects down to dir through the tree's cat-file
// processes (one git process per tree, however many folders are listed),
// asking for each by its id, never by path, so that no name from the
// repository reaches git's line-based input.
func (t *Tree) listLocked(dir string) ([]entry, error) {
	if es, ok := t.dirs[dir]; ok {
		if t.index && !t.sized[dir] {
			if err := t.fillSizes(es); err != nil {
				return nil, err
			}
			t.sized[dir] = true
		}
		return es, nil
	}
	if t.index {
		return nil, fs.ErrNotExist
	}
	oid := t.commit + "^{tree}"
	if dir != "." {
		parent, err := t.listLocked(path.Dir(dir))
		if err != nil {
			return nil, err
		}
		oid = ""
		for _, e := range parent {
			if e.name == path.Base(dir) && e.typ == "tree" {
				oid = e.oid
			}
		}
		if oid == "" {
			return nil, fs.ErrNotExist
		}
	}
	var es []entry
	if t.objects != nil {
		cached, err := t.objects.readTree(oid)
		if errors.Is(err, errNotATree) {
			return nil, fs.ErrNotExist
		}
		if err != nil {
			return nil, err
		}
		es = slices.Clone(cached)
	} else {
		if err := t.start(); err != nil {
			return nil, err
		}
		id, typ, data, err := t.batch.read(oid)
		if err != nil {
			return nil, err
		}
		if typ != "tree" {
			return nil, fs.ErrNotExist
		}
		if es, err = parseTree(data, len(id)/2); err != nil {
			return nil, fmt.Errorf("tree %s: %w", id, err)
		}
	}
	if err := t.fillSizes(es); err != nil {
		return nil, err
	}
	t.dirs[dir] = es
	return es, nil
}

// fillSizes asks for the sizes of a folder's files in one round trip; t.mu
// is held.
func (t *Tree) fillSizes(es []entry) error {
	if err := t.start(); err != nil {
		return err
	}
	var blobs []string
	for _, e := range es {
		if e.typ == "blob" {
			blobs = append(blobs, e.oid)
		}
	}
	sizes, err := t.check.sizes(blobs)
	if err != nil {
		return err
	}
	for i, j := 0, 0; i < len(es); i++ {
		if es[i].typ == "blob" {
			es[i].size = sizes[j]
			j++
		}
	}
	return nil
}

// parseTree reads a tree object: entries of "<octal mode> <name>\x00" and
// the entry's object id in hashLen raw bytes.
func parseTree(data []byte, hashLen int) ([]entry, error) {
	var es []entry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || len(data) < nul+1+hashLen {
			return nil, errors.New("malformed tree object")
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, errors.New("malformed tree object")
		}
		e := entry{name: string(data[sp+1 : nul]), oid: hex.EncodeToString(data[nul+1 : nul+1+hashLen]), mode: uint32(mode), size: -1}
		switch mode {
		case 0o40000:
			e.typ = "tree"
		case 0o160000:
			e.typ = "commit"
		default:
			e.typ = "blob"
		}
		es = append(es, e)
		data = data[nul+1+hashLen:]
	}
	return es, nil
}

// start starts the tree's object readers; t.mu is held.
func (t *Tree) start() error {
	if t.batch != nil {
		return nil
	}
	b, err := startCatFile(t.ctx, t.repo, "--batch")
	if err != nil {
		return err
	}
	c, err := startCatFile(t.ctx, t.repo, "--batch-check")
	if err != nil {
		b.close()
		return err
	}
	t.batch, t.check = b, c
	return nil
}

// lookup finds the entry at name; the root is a tree of its own.
func (t *Tree) lookup(op, name string) (entry, error) {
	if !fs.ValidPath(name) {
		return entry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return entry{name: ".", typ: "tree", mode: 0o40000}, nil
	}
	es, err := t.list(path.Dir(name))
	if err != nil {
		return entry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	base := path.Base(name)
	for _, e := range es {
		if e.name != base {
			continue
		}
		if e.typ == "commit" { // a submodule
			return entry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		return e, nil
	}
	return entry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
}

var errSymlink = errors.New("is a symbolic link, which connectordiff does not follow")

// Open opens a file or folder of the tree.
func (t *Tree) Open(name string) (fs.File, error) {
	e, err := t.lookup("open", name)
	if err != nil {
		return nil, err
	}
	if e.typ == "tree" {
		return &treeDir{t: t, name: name, e: e}, nil
	}
	return &blobFile{t: t, name: name, e: e}, nil
}

// ReadDir lists a folder, sorted by name, leaving out submodules.
func (t *Tree) ReadDir(name string) ([]fs.DirEntry, error) {
	e, err := t.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if e.typ != "tree" {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a folder")}
	}
	es, err := t.list(name)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	var out []fs.DirEntry
	for _, e := range es {
		if e.typ != "commit" {
			out = append(out, fs.FileInfoToDirEntry(info{e}))
		}
	}
	// Trees sort a folder as if its name ended in "/"; fs.ReadDir promises
	// the plain order.
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// Stat describes a file or folder of the tree without reading it.
func (t *Tree) Stat(name string) (fs.FileInfo, error) {
	e, err := t.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	return info{e}, nil
}

// readBlob reads the blob oid.
func (t *Tree) readBlob(oid string) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.start(); err != nil {
		return nil, err
	}
	_, typ, data, err := t.batch.read(oid)
	if err == nil && typ != "blob" {
		err = fmt.Errorf("object %s is a %s, not a file", oid, typ)
	}
	return data, err
}

// readBlobMax reads the blob oid when it is at most limit bytes
// (errTooLargeToScore otherwise).
func (t *Tree) readBlobMax(oid string, limit int64) ([]byte, error) {
	t.mu.Lock()
	if err := t.start(); err != nil {
		t.mu.Unlock()
		return nil, err
	}
	sizes, err := t.check.sizes([]string{oid})
	t.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if sizes[0] > limit {
		return nil, errTooLargeToScore
	}
	return t.readBlob(oid)
}

type info struct{ e entry }

func (i info) Name() string { return i.e.name }
func (i info) Size() int64  { return max(i.e.size, 0) }
func (i info) Mode() fs.FileMode {
	if i.e.typ == "tree" {
		return fs.ModeDir | 0o555
	}
	if i.e.mode == 0o120000 {
		return fs.ModeSymlink | 0o777
	}
	if i.e.mode&0o111 != 0 {
		return 0o555
	}
	return 0o444
}
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return i.e.typ == "tree" }
func (i info) Sys() any           { return nil }

type treeDir struct {
	t     *Tree
	name  string
	e     entry
	pages dirPages
}

func (d *treeDir) Stat() (fs.FileInfo, error) { return info{d.e}, nil }
func (d *treeDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a folder")}
}
func (d *treeDir) Close() error { return nil }

// ReadDir returns the next n entries (all that remain when n <= 0), as
// fs.ReadDirFile says.
func (d *treeDir) ReadDir(n int) ([]fs.DirEntry, error) {
	return d.pages.next(n, func() ([]fs.DirEntry, error) { return d.t.ReadDir(d.name) })
}

// dirPages hands out a folder's entries n at a time, as fs.ReadDirFile's
// ReadDir does, listing the folder on the first call.
type dirPages struct {
	entries []fs.DirEntry
	listed  bool
}

func (p *dirPages) next(n int, list func() ([]fs.DirEntry, error)) ([]fs.DirEntry, error) {
	if !p.listed {
		es, err := list()
		if err != nil {
			return nil, err
		}
		p.entries, p.listed = es, true
	}
	if n <= 0 {
		out := p.entries
		p.entries = nil
		return out, nil
	}
	if len(p.entries) == 0 {
		return nil, io.EOF
	}
	k := min(n, len(p.entries))
	out := p.entries[:k]
	p.entries = p.entries[k:]
	return out, nil
}

// blobFile reads its blob on the first Read, so that a Stat (which reports
// the size from the tree listing) costs no read. A symbolic link is one,
// whose Read fails: the link is described, never followed.
type blobFile struct {
	t    *Tree
	name string
	e    entry
	r    *bytes.Reader
}

func (f *blobFile) Stat() (fs.FileInfo, error) { return info{f.e}, nil }
func (f *blobFile) Close() error               { return nil }
func (f *blobFile) Read(p []byte) (int, error) {
	if f.e.mode == 0o120000 {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: errSymlink}
	}
	if f.r == nil {
		data, err := f.t.readBlob(f.e.oid)
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		}
		f.r = bytes.NewReader(data)
	}
	return f.r.Read(p)
}

// catFile is a running git cat-file --batch (or --batch-check), which
// reads many objects in one process. mu holds each request with its
// answer together: trees opened from one Objects share the process.
type catFile struct {
	mu  sync.Mutex
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startCatFile(ctx context.Context, r *Repo, mode string) (*catFile, error) {
	cmd, err := r.command(ctx, "cat-file", mode)
	if err != nil {
		return nil, err
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &catFile{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 64<<10)}, nil
}

// header reads the "<oid> <type> <size>" line that answers each request.
func (c *catFile) header(req string) (oid, typ string, size int, err error) {
	line, err := c.out.ReadString('\n')
	if err != nil {
		return "", "", 0, err
	}
	f := strings.Fields(line)
	if len(f) != 3 {
		return "", "", 0, fmt.Errorf("object %s: %s", req, strings.TrimSpace(line)) // "<req> missing"
	}
	size, err = strconv.Atoi(f[2])
	return f[0], f[1], size, err
}

// read returns an object's full id, type and contents (--batch).
func (c *catFile) read(req string) (oid, typ string, data []byte, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := io.WriteString(c.in, req+"\n"); err != nil {
		return "", "", nil, err
	}
	oid, typ, size, err := c.header(req)
	if err != nil {
		return "", "", nil, err
	}
	data = make([]byte, size+1) // the object and its closing newline
	if _, err := io.ReadFull(c.out, data); err != nil {
		return "", "", nil, err
	}
	return oid, typ, data[:size], nil
}

// sizes returns the sizes of objects (--batch-check). It asks in rounds
// small enough that neither pipe fills while the other side waits.
func (c *catFile) sizes(oids []string) ([]int64, error) {
	const round = 256 // ~17 KB of requests, ~25 KB of answers
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]int64, 0, len(oids))
	for len(oids) > 0 {
		n := min(round, len(oids))
		if _, err := io.WriteString(c.in, strings.Join(oids[:n], "\n")+"\n"); err != nil {
			return nil, err
		}
		for _, oid := range oids[:n] {
			_, _, size, err := c.header(oid)
			if err != nil {
				return nil, err
			}
			out = append(out, int64(size))
		}
		oids = oids[n:]
	}
	return out, nil
}

func (c *catFile) close() error {
	c.in.Close()
	return c.cmd.Wait()
}

package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
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

// command builds a git command that reads the object database only: no
// terminal prompt, no optional locks, no file system monitor, no lazy
// fetch from a promisor remote and no replace refs.
func (r *Repo) command(ctx context.Context, args ...string) *exec.Cmd {
	full := append([]string{"-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false"}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0", "GIT_NO_LAZY_FETCH=1",
		"GIT_NO_REPLACE_OBJECTS=1", "LC_ALL=C")
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// output runs git and returns its standard output; a failure carries git's
// own message.
func (r *Repo) output(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	cmd := r.command(ctx, args...)
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

// Output runs a read-only git command in the repository, as the package's
// own commands run, and returns its standard output.
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

// Tree is the tree of one commit as a read-only fs.FS: folders list their
// entries, files read their blobs. Symbolic links and submodules do not
// exist in it. Close ends the git processes it started.
type Tree struct {
	repo   *Repo
	ctx    context.Context
	commit string

	mu    sync.Mutex
	dirs  map[string][]entry // entries of each folder listed, by path
	batch *catFile           // git cat-file --batch: trees and blobs
	check *catFile           // git cat-file --batch-check: blob sizes
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
// every file. It writes that tree to the object database (git write-tree),
// which changes no ref, no file and not the index.
func (r *Repo) StagedTree(ctx context.Context) (*Tree, error) {
	out, err := r.output(ctx, nil, "write-tree")
	if err != nil {
		return nil, fmt.Errorf("reading the staged files: %w", err)
	}
	return r.treeOf(ctx, string(bytes.TrimSpace(out))), nil
}

// Commit is the full id of the tree's commit (of the tree itself for a
// staged tree).
func (t *Tree) Commit() string { return t.commit }

// Close ends the object readers, if they were started.
func (t *Tree) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.batch == nil {
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
		return es, nil
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
	es, err := parseTree(data, len(id)/2)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", id, err)
	}
	var blobs []string
	for _, e := range es {
		if e.typ == "blob" {
			blobs = append(blobs, e.oid)
		}
	}
	sizes, err := t.check.sizes(blobs)
	if err != nil {
		return nil, err
	}
	for i, j := 0, 0; i < len(es); i++ {
		if es[i].typ == "blob" {
			es[i].size = sizes[j]
			j++
		}
	}
	t.dirs[dir] = es
	return es, nil
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
		e := entry{name: string(data[sp+1 : nul]), oid: fmt.Sprintf("%x", data[nul+1:nul+1+hashLen]), mode: uint32(mode), size: -1}
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
		switch {
		case e.mode == 0o120000:
			return entry{}, &fs.PathError{Op: op, Path: name, Err: errSymlink}
		case e.typ == "commit": // a submodule
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

// ReadDir lists a folder, leaving out symbolic links and submodules.
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
		if e.mode == 0o120000 || e.typ == "commit" {
			continue
		}
		out = append(out, fs.FileInfoToDirEntry(info{e}))
	}
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

type info struct{ e entry }

func (i info) Name() string { return i.e.name }
func (i info) Size() int64  { return max(i.e.size, 0) }
func (i info) Mode() fs.FileMode {
	if i.e.typ == "tree" {
		return fs.ModeDir | 0o555
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
	t       *Tree
	name    string
	e       entry
	entries []fs.DirEntry // listed on the first ReadDir
	listed  bool
}

func (d *treeDir) Stat() (fs.FileInfo, error) { return info{d.e}, nil }
func (d *treeDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a folder")}
}
func (d *treeDir) Close() error { return nil }

// ReadDir returns the next n entries (all that remain when n <= 0), as
// fs.ReadDirFile says.
func (d *treeDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if !d.listed {
		es, err := d.t.ReadDir(d.name)
		if err != nil {
			return nil, err
		}
		d.entries, d.listed = es, true
	}
	if n <= 0 {
		out := d.entries
		d.entries = nil
		return out, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	k := min(n, len(d.entries))
	out := d.entries[:k]
	d.entries = d.entries[k:]
	return out, nil
}

// blobFile reads its blob on the first Read, so that a Stat (which reports
// the size from the tree listing) costs no read.
type blobFile struct {
	t    *Tree
	name string
	e    entry
	r    *bytes.Reader
}

func (f *blobFile) Stat() (fs.FileInfo, error) { return info{f.e}, nil }
func (f *blobFile) Close() error               { return nil }
func (f *blobFile) Read(p []byte) (int, error) {
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
// reads many objects in one process.
type catFile struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startCatFile(ctx context.Context, r *Repo, mode string) (*catFile, error) {
	cmd := r.command(ctx, "cat-file", mode)
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

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
	batch *catFile
}

// entry is one line of git ls-tree --long.
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

// Close ends the blob reader, if one was started.
func (t *Tree) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.batch != nil {
		err := t.batch.close()
		t.batch = nil
		return err
	}
	return nil
}

// list returns the entries of folder dir ("." for the root).
func (t *Tree) list(dir string) ([]entry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if es, ok := t.dirs[dir]; ok {
		return es, nil
	}
	spec := t.commit + ":"
	if dir != "." {
		spec += dir
	}
	out, err := t.repo.output(t.ctx, nil, "ls-tree", "-z", "--full-tree", "--long", "--end-of-options", spec)
	if err != nil {
		return nil, fs.ErrNotExist
	}
	var es []entry
	for _, rec := range bytes.Split(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, name, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			continue
		}
		f := strings.Fields(string(meta))
		if len(f) != 4 {
			continue
		}
		mode, _ := strconv.ParseUint(f[0], 8, 32)
		size, _ := strconv.ParseInt(f[3], 10, 64) // "-" for trees
		es = append(es, entry{name: string(name), typ: f[1], oid: f[2], mode: uint32(mode), size: size})
	}
	t.dirs[dir] = es
	return es, nil
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

// ReadBlob reads the blob oid, which the caller knows to be size bytes.
func (t *Tree) readBlob(oid string) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.batch == nil {
		b, err := startCatFile(t.ctx, t.repo)
		if err != nil {
			return nil, err
		}
		t.batch = b
	}
	return t.batch.read(oid)
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

// catFile is a running git cat-file --batch, which reads many blobs in one
// process.
type catFile struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startCatFile(ctx context.Context, r *Repo) (*catFile, error) {
	cmd := r.command(ctx, "cat-file", "--batch")
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

func (c *catFile) read(oid string) ([]byte, error) {
	if _, err := io.WriteString(c.in, oid+"\n"); err != nil {
		return nil, err
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(header)
	if len(f) != 3 || f[1] != "blob" {
		return nil, fmt.Errorf("object %s: %s", oid, strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(f[2])
	if err != nil {
		return nil, err
	}
	data := make([]byte, size+1) // the blob and its closing newline
	if _, err := io.ReadFull(c.out, data); err != nil {
		return nil, err
	}
	return data[:size], nil
}

func (c *catFile) close() error {
	c.in.Close()
	return c.cmd.Wait()
}

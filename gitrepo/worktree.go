package gitrepo

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// WorkTree is a repository's work tree as a read-only fs.FS that shows
// what git tracks there and reads nothing else: a symbolic link is listed
// and described as a link (Stat does not follow it), but reading it fails
// and no path leads through it; nothing outside the work tree is reached,
// and the .git folder is not in it. Files are read as they are on disk,
// without any of git's filters. Close releases it.
type WorkTree struct {
	root   *os.Root
	format string   // the repository's object format: sha1 or sha256
	dirs   sync.Map // folders found to be real folders, not links
}

// WorkTree opens the repository's work tree.
func (r *Repo) WorkTree(ctx context.Context) (*WorkTree, error) {
	if r.Top == "" {
		return nil, errors.New("a bare repository has no work tree: give a head revision")
	}
	out, err := r.output(ctx, nil, "rev-parse", "--show-object-format")
	if err != nil {
		return nil, err
	}
	format := strings.TrimSpace(string(out))
	switch format {
	case "sha1", "sha256":
	case "--show-object-format": // a git before 2.29, which knows SHA-1 only, repeats the option
		format = "sha1"
	default:
		return nil, fmt.Errorf("git rev-parse: unknown object format %q", format)
	}
	root, err := os.OpenRoot(r.Top)
	if err != nil {
		return nil, err
	}
	return &WorkTree{root: root, format: format}, nil
}

// Close releases the work tree's folder.
func (w *WorkTree) Close() error { return w.root.Close() }

// lstat describes name without following a symbolic link, after checking
// that the path is valid, outside .git and leads through real folders only.
func (w *WorkTree) lstat(op, name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name != "." {
		parts := strings.Split(name, "/")
		for i, part := range parts {
			if strings.EqualFold(part, ".git") {
				return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
			}
			if i == len(parts)-1 {
				break
			}
			dir := strings.Join(parts[:i+1], "/")
			if _, ok := w.dirs.Load(dir); ok {
				continue
			}
			st, err := w.root.Lstat(dir)
			if err != nil || !st.IsDir() {
				// A path through a symbolic link is not a path git knows.
				return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
			}
			w.dirs.Store(dir, true)
		}
	}
	st, err := w.root.Lstat(name)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: underlying(err)}
	}
	return st, nil
}

// underlying is the cause of a path error, whose path would be said twice.
func underlying(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Open opens a file or folder of the work tree.
func (w *WorkTree) Open(name string) (fs.File, error) {
	st, err := w.lstat("open", name)
	if err != nil {
		return nil, err
	}
	switch {
	case st.Mode()&fs.ModeSymlink != 0:
		return &linkFile{name: name, info: st}, nil
	case !st.IsDir() && !st.Mode().IsRegular():
		// A named pipe would block the open until a writer came.
		return &linkFile{name: name, info: st}, nil
	}
	f, err := w.root.Open(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: underlying(err)}
	}
	if st.IsDir() {
		return &workDir{File: f, w: w, name: name}, nil
	}
	return f, nil
}

// Stat describes a file or folder without following a symbolic link.
func (w *WorkTree) Stat(name string) (fs.FileInfo, error) { return w.lstat("stat", name) }

// ReadDir lists a folder, sorted by name, without .git.
func (w *WorkTree) ReadDir(name string) ([]fs.DirEntry, error) {
	st, err := w.lstat("readdir", name)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a folder")}
	}
	f, err := w.root.Open(name)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: underlying(err)}
	}
	defer f.Close()
	es, err := f.ReadDir(-1)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: underlying(err)}
	}
	es = slices.DeleteFunc(es, func(e fs.DirEntry) bool { return strings.EqualFold(e.Name(), ".git") })
	slices.SortFunc(es, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return es, nil
}

// linkFile is a symbolic link (or a pipe or device) opened without
// following it: it describes itself, and reading it fails.
type linkFile struct {
	name string
	info fs.FileInfo
}

func (f *linkFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *linkFile) Close() error               { return nil }
func (f *linkFile) Read([]byte) (int, error) {
	if f.info.Mode()&fs.ModeSymlink != 0 {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: errSymlink}
	}
	return 0, &fs.PathError{Op: "read", Path: f.name, Err: errors.New("is not a regular file")}
}

// workDir is an open folder whose listing follows WorkTree.ReadDir.
type workDir struct {
	*os.File
	w     *WorkTree
	name  string
	pages dirPages
}

func (d *workDir) ReadDir(n int) ([]fs.DirEntry, error) {
	return d.pages.next(n, func() ([]fs.DirEntry, error) { return d.w.ReadDir(d.name) })
}

// records lists the work tree's files under paths that keep accepts, as
// git would stage them with filters off: the files the index tracks and
// those it does not but would (git ls-files lists both by name only), each
// hashed here. A tracked file gone from the disk is not listed.
func (w *WorkTree) records(ctx context.Context, r *Repo, paths []string, keep func(string) bool) ([]record, error) {
	tracked, err := r.indexEntries(ctx, paths)
	if err != nil {
		return nil, err
	}
	out, err := r.outputAtTop(ctx, append([]string{"ls-files", "-z", "--others", "--exclude-standard", "--"}, topPaths(paths)...)...)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var recs []record // submodules, as the index has them: never entered
	var hashed []string
	for _, e := range tracked {
		if !seen[e.path] && keep(e.path) {
			seen[e.path] = true
			if e.mode == 0o160000 {
				recs = append(recs, record{path: e.path, oid: e.oid, mode: e.mode})
			} else {
				hashed = append(hashed, e.path)
			}
		}
	}
	for p := range bytes.SplitSeq(out, []byte{0}) {
		if len(p) > 0 && !seen[string(p)] && keep(string(p)) {
			seen[string(p)] = true
			hashed = append(hashed, string(p))
		}
	}
	// Hash on every core: hashing is most of a work-tree listing's time.
	found := make([]record, len(hashed))
	ok := make([]bool, len(hashed))
	errs := make([]error, len(hashed))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(hashed), 1)) {
		wg.Go(func() {
			for i := range next {
				found[i], ok[i], errs[i] = w.record(hashed[i])
			}
		})
	}
	for i := range hashed {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	for i, rec := range found {
		if ok[i] {
			recs = append(recs, rec)
		}
	}
	return recs, nil
}

// record hashes one work-tree file as git would store it, without filters:
// a file's bytes, or a symbolic link's target. A path that is no file git
// would store is not listed (ok false); a pipe or device is, under an id no
// object has, so that its connector is compared and refuses it.
func (w *WorkTree) record(p string) (rec record, ok bool, err error) {
	st, err := w.lstat("lstat", p)
	if errors.Is(err, fs.ErrNotExist) {
		return record{}, false, nil
	}
	if err != nil {
		return record{}, false, fmt.Errorf("reading the work tree: %w", err)
	}
	rec = record{path: p, mode: 0o100644}
	switch {
	case st.IsDir():
		return record{}, false, nil
	case st.Mode()&fs.ModeSymlink != 0:
		target, err := w.root.Readlink(p)
		if err != nil {
			return record{}, false, fmt.Errorf("reading the work tree: %w", err)
		}
		rec.mode = 0o120000
		rec.oid, err = w.hash(int64(len(target)), strings.NewReader(target))
		return rec, err == nil, err
	case !st.Mode().IsRegular():
		rec.oid = "irregular " + p
		return rec, true, nil
	}
	if st.Mode()&0o111 != 0 {
		rec.mode = 0o100755
	}
	f, err := w.root.Open(p)
	if err != nil {
		return record{}, false, fmt.Errorf("reading the work tree: %w", err)
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return record{}, false, fmt.Errorf("reading the work tree: %w", err)
	}
	rec.oid, err = w.hash(st.Size(), f)
	if err != nil {
		return record{}, false, fmt.Errorf("reading the work tree: %s: %w", p, err)
	}
	return rec, true, nil
}

// hash is the object id of a blob of size bytes read from r.
func (w *WorkTree) hash(size int64, r io.Reader) (string, error) {
	var h hash.Hash
	if w.format == "sha256" {
		h = sha256.New()
	} else {
		h = sha1.New()
	}
	h.Write([]byte("blob " + strconv.FormatInt(size, 10) + "\x00"))
	n, err := io.Copy(h, io.LimitReader(r, size+1))
	if err != nil {
		return "", err
	}
	if n != size {
		return "", errors.New("the file changed while it was read")
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// read reads a work-tree file of at most limit bytes, for a rename's score.
func (w *WorkTree) read(p string, limit int64) ([]byte, error) {
	f, err := w.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, errTooLargeToScore
	}
	return io.ReadAll(io.LimitReader(f, limit))
}

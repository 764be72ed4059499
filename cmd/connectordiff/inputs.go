package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// input is one side of a comparison as the command line names it: a loaded
// definition, or a connector folder in a file system.
type input struct {
	name  string              // as reports show it: the argument
	doc   *connector.Document // a definition, when fsys is nil
	fsys  fs.FS               // a connector folder's file system
	path  string              // the folder in fsys
	close func() error
}

// compareInputs opens OLD and NEW (files, folders, - or REV:PATH) and
// compares them.
func compareInputs(ctx context.Context, e env, oldArg, newArg string, maxBytes int64, opts []connectordiff.Option) (*breaking.Result, error) {
	if oldArg == "-" && newArg == "-" {
		return nil, errors.New("only one of OLD and NEW can be - (standard input)")
	}
	load := connector.LoadOptions{MaxBytes: maxBytes}
	var repo *gitrepo.Repo // opened once, for the first REV:PATH
	o, err := openInput(ctx, e, oldArg, load, &repo)
	if err != nil {
		return nil, err
	}
	defer o.close()
	n, err := openInput(ctx, e, newArg, load, &repo)
	if err != nil {
		return nil, err
	}
	defer n.close()
	switch {
	case o.fsys == nil && n.fsys == nil:
		return connectordiff.CompareDocuments(ctx, o.doc, n.doc, opts...)
	case o.fsys != nil && n.fsys != nil:
		return connectordiff.CompareFS(ctx, o.fsys, o.path, n.fsys, n.path, append(opts, connectordiff.WithNames(o.name, n.name))...)
	}
	return nil, fmt.Errorf("compare two files or two connector folders, not a file and a folder (%s, %s)", o.name, n.name)
}

func noClose() error { return nil }

// openInput reads a definition or opens a connector folder: - is standard
// input, an https URL is downloaded, an existing path is read from disk,
// and REV:PATH from git.
func openInput(ctx context.Context, e env, arg string, load connector.LoadOptions, repo **gitrepo.Repo) (*input, error) {
	if isURL(arg) {
		data, err := fetch(ctx, e.http, arg, load)
		if err != nil {
			return nil, err
		}
		d, err := connector.Load(arg, data, load)
		if err != nil {
			return nil, err
		}
		return &input{name: arg, doc: d, close: noClose}, nil
	}
	if arg == "-" {
		data, err := readLimited(e.stdin, "stdin", load)
		if err != nil {
			return nil, err
		}
		d, err := connector.Load("stdin", data, load)
		if err != nil {
			return nil, err
		}
		return &input{name: "stdin", doc: d, close: noClose}, nil
	}
	p := arg
	if e.dir != "" && !filepath.IsAbs(p) {
		p = filepath.Join(e.dir, p)
	}
	st, statErr := os.Stat(p)
	if statErr == nil && st.IsDir() {
		root, err := os.OpenRoot(p)
		if err != nil {
			return nil, &connector.LoadError{File: arg, Msg: err.Error(), Err: err}
		}
		return &input{name: arg, fsys: root.FS(), path: ".", close: root.Close}, nil
	}
	if statErr == nil {
		// LoadFile reads the file itself, so the document keeps its bytes
		// without a copy.
		d, err := connector.LoadFile(p, load)
		if err != nil {
			return nil, named(err, p, arg)
		}
		d.Name = arg
		return &input{name: arg, doc: d, close: noClose}, nil
	}
	rev, path, ok := gate.SplitRevPath(arg)
	if !ok {
		return nil, &connector.LoadError{File: arg, Msg: "no such file or folder", Err: statErr}
	}
	if *repo == nil {
		dir := e.dir
		if dir == "" {
			dir = "."
		}
		r, err := gitrepo.Open(ctx, dir)
		if err != nil {
			return nil, fmt.Errorf("%s: no such file or folder, and no git repository to read it from (%v)", arg, err)
		}
		*repo = r
	}
	rp, err := gate.OpenRevPath(ctx, *repo, arg, rev, path)
	if err != nil {
		return nil, err
	}
	in := &input{name: arg, close: rp.Tree.Close}
	if rp.Dir {
		in.fsys, in.path = rp.Tree, rp.Path
		return in, nil
	}
	data, err := connector.ReadFileFS(rp.Tree, rp.Path, arg, load)
	rp.Tree.Close()
	if err != nil {
		return nil, err
	}
	if in.doc, err = connector.Load(arg, data, load); err != nil {
		return nil, err
	}
	in.close = noClose
	return in, nil
}

// named makes an error about path p speak of the argument as given.
func named(err error, p, arg string) error {
	var le *connector.LoadError
	if p != arg && errors.As(err, &le) && le.File == p {
		le.File = arg
	}
	return err
}

// readLimited reads standard input within the size limit.
func readLimited(r io.Reader, name string, load connector.LoadOptions) ([]byte, error) {
	limit := load.MaxBytes
	if limit <= 0 {
		limit = connector.DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &connector.LoadError{File: name, Msg: err.Error(), Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &connector.LoadError{File: name, Err: connector.ErrTooLarge,
			Msg: fmt.Sprintf("input is over the limit of %d bytes (raise the limit with --max-bytes)", limit)}
	}
	return data, nil
}

package gate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// RevPath is a file or folder of a git revision, as REV:PATH names it,
// opened by OpenRevPath.
type RevPath struct {
	// Tree is the revision's tree, which Path is read from; Close it when
	// done.
	Tree *gitrepo.Tree
	// Path is the file or folder in Tree, from the repository's root.
	Path string
	// Dir is true for a folder (a connector's), false for a file.
	Dir bool
}

// SplitRevPath splits an argument REV:PATH. A Windows drive letter (C:\x,
// C:/x) is a path, not a revision.
func SplitRevPath(arg string) (rev, path string, ok bool) {
	i := strings.IndexByte(arg, ':')
	if i <= 0 {
		return "", "", false
	}
	if i == 1 && len(arg) > 2 && (arg[2] == '\\' || arg[2] == '/') {
		return "", "", false
	}
	return arg[:i], arg[i+1:], true
}

// OpenRevPath opens path in revision rev of repo, reading path as git does
// (see gitrepo.Repo.ResolvePath): from the repository's root, or from the
// folder repo was opened at when it starts with ./ or ../ or is found only
// there. Errors name arg, the argument as given; a path not in the
// revision is a *connector.LoadError.
func OpenRevPath(ctx context.Context, repo *gitrepo.Repo, arg, rev, path string) (*RevPath, error) {
	tree, err := repo.Tree(ctx, rev)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	p := repo.ResolvePath(ctx, tree, path)
	st, err := fs.Stat(tree, p)
	if err != nil {
		tree.Close()
		msg := fmt.Sprintf("%s is not in %s", p, rev)
		var pe *fs.PathError
		if !errors.Is(err, fs.ErrNotExist) && errors.As(err, &pe) {
			msg = p + " " + pe.Err.Error()
		}
		return nil, &connector.LoadError{File: arg, Msg: msg, Err: err}
	}
	return &RevPath{Tree: tree, Path: p, Dir: st.IsDir()}, nil
}

package connectordiff

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"testing/fstest"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
)

// The comparisons of two sides. Each returns a breaking.Result holding one
// connector and no revision range: a pair, which package report renders
// and whose Max, Fails, Breaking and Findings judge and list it.

// Compare loads two definitions given as bytes (JSON or YAML) and judges the
// update from old to new. An error means an input could not be read; it
// names the file, line and column (see connector.LoadError).
func Compare(ctx context.Context, old, new []byte, opts ...Option) (*breaking.Result, error) {
	cfg, err := newConfig(forCompare, opts)
	if err != nil {
		return nil, err
	}
	o, err := definitionSide(cfg.oldName, old, cfg.load)
	if err != nil {
		return nil, err
	}
	n, err := definitionSide(cfg.newName, new, cfg.load)
	if err != nil {
		return nil, err
	}
	return judge(ctx, cfg, o, n)
}

func definitionSide(name string, data []byte, opts connector.LoadOptions) (breaking.Side, error) {
	d, err := connector.Load(name, data, opts)
	if err != nil {
		return breaking.Side{}, err
	}
	return breaking.DefinitionSide(d, data), nil
}

// judge compares two loaded sides under the options' policy.
func judge(ctx context.Context, cfg *config, o, n breaking.Side) (*breaking.Result, error) {
	policy, err := cfg.policy()
	if err != nil {
		return nil, err
	}
	c, err := policy.Compare(ctx, o, n)
	if err != nil {
		return nil, err
	}
	return breaking.Pair(c), nil
}

// ConnectorFiles is a whole connector held in memory: its definition, and
// its apiProperties.json and script.csx when it has them (nil otherwise).
type ConnectorFiles struct {
	Definition, Properties, Script []byte
}

// CompareConnectors judges the update of a whole connector held in memory,
// as CompareDirs does for folders; WithNames names the two sides.
func CompareConnectors(ctx context.Context, old, new ConnectorFiles, opts ...Option) (*breaking.Result, error) {
	cfg, err := newConfig(forCompare, opts)
	if err != nil {
		return nil, err
	}
	load := func(name string, files ConnectorFiles) (breaking.Side, error) {
		// fstest.MapFS is a plain in-memory file system; it imports nothing of
		// package testing.
		fsys := fstest.MapFS{connector.DefinitionFile: {Data: files.Definition}}
		if files.Properties != nil {
			fsys[connector.PropertiesFile] = &fstest.MapFile{Data: files.Properties}
		}
		if files.Script != nil {
			fsys[connector.ScriptFile] = &fstest.MapFile{Data: files.Script}
		}
		return folderSide(fsys, ".", name, cfg.load)
	}
	o, err := load(cfg.oldName, old)
	if err != nil {
		return nil, err
	}
	n, err := load(cfg.newName, new)
	if err != nil {
		return nil, err
	}
	return judge(ctx, cfg, o, n)
}

func folderSide(fsys fs.FS, dir, name string, opts connector.LoadOptions) (breaking.Side, error) {
	c, err := connector.LoadFolderFS(fsys, dir, name, opts)
	if err != nil {
		return breaking.Side{}, err
	}
	return breaking.FolderSide(c, name), nil
}

// CompareFiles is Compare for two files on disk. When both paths are
// folders it compares whole connectors, as CompareDirs.
func CompareFiles(ctx context.Context, oldPath, newPath string, opts ...Option) (*breaking.Result, error) {
	oldDir, newDir := isDir(oldPath), isDir(newPath)
	if oldDir && newDir {
		return CompareDirs(ctx, oldPath, newPath, opts...)
	}
	if oldDir != newDir {
		return nil, mixedError(oldPath, newPath)
	}
	cfg, err := newConfig(forCompare, opts)
	if err != nil {
		return nil, err
	}
	o, err := connector.LoadFile(oldPath, cfg.load)
	if err != nil {
		return nil, err
	}
	n, err := connector.LoadFile(newPath, cfg.load)
	if err != nil {
		return nil, err
	}
	return judge(ctx, cfg, breaking.DefinitionSide(o, nil), breaking.DefinitionSide(n, nil))
}

func mixedError(oldPath, newPath string) error {
	return fmt.Errorf("compare two files or two connector folders, not a file and a folder (%s, %s)", oldPath, newPath)
}

// CompareDirs judges the update of a whole connector folder:
// apiDefinition.swagger.json, apiProperties.json and script.csx (file names
// matched without regard to case; the last two may be missing). Findings
// outside the definition name their file. Symbolic links are followed only
// within each folder.
func CompareDirs(ctx context.Context, oldDir, newDir string, opts ...Option) (*breaking.Result, error) {
	cfg, err := newConfig(forCompare, opts)
	if err != nil {
		return nil, err
	}
	oc, err := connector.LoadFolder(oldDir, cfg.load)
	if err != nil {
		return nil, err
	}
	nc, err := connector.LoadFolder(newDir, cfg.load)
	if err != nil {
		return nil, err
	}
	return judge(ctx, cfg, breaking.FolderSide(oc, oldDir), breaking.FolderSide(nc, newDir))
}

// CompareFS judges an update whose sides are read from file systems: each
// path is a definition file or a connector folder inside its fsys ("." for
// its root), such as a git revision's tree (see gate.OpenRevPath), an
// archive or an fstest.MapFS. Both paths must be files, or both folders.
// WithNames names the sides (by default the paths).
func CompareFS(ctx context.Context, oldFS fs.FS, oldPath string, newFS fs.FS, newPath string, opts ...Option) (*breaking.Result, error) {
	cfg, err := newConfig(forCompare, append([]Option{WithNames(oldPath, newPath)}, opts...))
	if err != nil {
		return nil, err
	}
	isDir := func(fsys fs.FS, p, name string) (bool, error) {
		st, err := fs.Stat(fsys, p)
		if err != nil {
			return false, &connector.LoadError{File: name, Msg: errMessage(err), Err: err}
		}
		return st.IsDir(), nil
	}
	load := func(fsys fs.FS, p, name string, dir bool) (breaking.Side, error) {
		if dir {
			return folderSide(fsys, p, name, cfg.load)
		}
		data, err := connector.ReadFileFS(fsys, p, name, cfg.load)
		if err != nil {
			return breaking.Side{}, err
		}
		return definitionSide(name, data, cfg.load)
	}
	oDir, err := isDir(oldFS, oldPath, cfg.oldName)
	if err != nil {
		return nil, err
	}
	nDir, err := isDir(newFS, newPath, cfg.newName)
	if err != nil {
		return nil, err
	}
	if oDir != nDir {
		return nil, mixedError(cfg.oldName, cfg.newName)
	}
	o, err := load(oldFS, oldPath, cfg.oldName, oDir)
	if err != nil {
		return nil, err
	}
	n, err := load(newFS, newPath, cfg.newName, nDir)
	if err != nil {
		return nil, err
	}
	return judge(ctx, cfg, o, n)
}

// errMessage drops the path an fs error repeats, since the LoadError names it.
func errMessage(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// CompareDocuments judges two documents already loaded with connector.Load.
func CompareDocuments(ctx context.Context, old, new *connector.Document, opts ...Option) (*breaking.Result, error) {
	cfg, err := newConfig(forCompare, opts)
	if err != nil {
		return nil, err
	}
	return judge(ctx, cfg, breaking.DefinitionSide(old, nil), breaking.DefinitionSide(new, nil))
}

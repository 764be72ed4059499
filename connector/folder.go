package connector

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// The files of a connector folder, matched without regard to case.
const (
	DefinitionFile = "apiDefinition.swagger.json"
	PropertiesFile = "apiProperties.json"
	ScriptFile     = "script.csx"
)

// ErrNoDefinition: a folder has no apiDefinition.swagger.json, so it is
// not a connector folder.
var ErrNoDefinition = errors.New("not a connector folder")

// ErrCaseVariants: a folder holds two names of one connector file that
// differ only in case. Readers disagree on which is the file (the first
// listed, the exact name, whichever a case-insensitive checkout kept), so a
// copy under another case could hide the real change.
var ErrCaseVariants = errors.New("two names of a connector file differ only in case")

// ErrSymlink: a connector file is a symbolic link where links are not
// followed (a git revision, the repository gate's work tree).
var ErrSymlink = errors.New("is a symbolic link")

// Folder is a whole connector, as its folder holds it: its definition, and
// its properties and script when it has them.
type Folder struct {
	Definition *Document
	Properties *Properties // nil when the folder has no apiProperties.json
	Script     *Script     // nil when the folder has no script.csx
	// Files holds each file read, definition first, by its name in the
	// folder, so that reports can quote them without reading them again.
	Files []File
}

// File is one file of a connector as it was read.
type File struct {
	// Name is the file's name in its folder, in its own case.
	Name string
	// Text is the file's content. It shares memory with the loaded
	// document where it can, so keeping it costs no copy.
	Text string
}

// SourceFile is the text of a loaded definition as a File: the bytes as
// read, or raw when the loader had to repair them (so that line numbers, which
// always count in the original file, find the original lines).
func SourceFile(name string, d *Document, raw []byte) File {
	if d.Repaired() && raw != nil {
		return File{Name: name, Text: string(raw)}
	}
	return File{Name: name, Text: d.Source()}
}

// LoadFolder reads a connector folder on disk: apiDefinition.swagger.json
// (which must exist), apiProperties.json and script.csx (either may be
// missing). File names are matched without regard to case, as Windows
// checkouts of connector repositories differ in case; a folder holding two
// names of one file that differ only in case is an error (ErrCaseVariants).
// Symbolic links are followed only within the folder.
func LoadFolder(dir string, opts LoadOptions) (*Folder, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, ioError(dir, err)
	}
	defer root.Close()
	return LoadFolderFS(root.FS(), ".", dir, opts)
}

// LoadFolderFS reads a connector folder from fsys, as LoadFolder reads one
// on disk: dir is the folder's path in fsys ("." for its root),
// and display is how messages name the folder. fsys may be an os.Root's, a
// git tree's, an archive's or an fstest.MapFS held in memory.
func LoadFolderFS(fsys fs.FS, dir, display string, opts LoadOptions) (*Folder, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, ioError(display, err)
	}
	names := map[string]string{} // each connector file's name in the folder
	for _, want := range []string{DefinitionFile, PropertiesFile, ScriptFile} {
		var found []string
		for _, e := range entries {
			if !e.IsDir() && strings.EqualFold(e.Name(), want) {
				found = append(found, e.Name())
			}
		}
		if len(found) > 1 {
			return nil, &LoadError{File: display, Err: ErrCaseVariants,
				Msg: fmt.Sprintf("holds %s, names of %s that differ only in case: keep one", quoteList(found), want)}
		}
		if len(found) == 1 {
			names[want] = found[0]
		}
	}
	find := func(name string) string { return names[name] }
	shown := func(name string) string {
		if display == "" {
			return name
		}
		return strings.TrimSuffix(display, "/") + "/" + name
	}
	read := func(name string) ([]byte, error) {
		data, err := ReadFileFS(fsys, path.Join(dir, name), shown(name), opts)
		if err == nil {
			return data, nil
		}
		return nil, err
	}
	defName := find(DefinitionFile)
	if defName == "" {
		return nil, &LoadError{File: display, Msg: fmt.Sprintf("no %s in this folder", DefinitionFile), Err: ErrNoDefinition}
	}
	c := &Folder{}
	data, err := read(defName)
	if err != nil {
		return nil, err
	}
	// The bytes are ours: the document may use them without a copy.
	if c.Definition, err = load(shown(defName), data, opts, true); err != nil {
		return nil, err
	}
	c.Files = append(c.Files, SourceFile(defName, c.Definition, data))
	if name := find(PropertiesFile); name != "" {
		data, err := read(name)
		if err != nil {
			return nil, err
		}
		if c.Properties, err = LoadProperties(shown(name), data, opts); err != nil {
			return nil, err
		}
		c.Files = append(c.Files, File{Name: name, Text: string(data)})
	}
	if name := find(ScriptFile); name != "" {
		data, err := read(name)
		if err != nil {
			return nil, err
		}
		c.Script = NewScript(shown(name), data)
		c.Files = append(c.Files, File{Name: name, Text: c.Script.Text})
	}
	return c, nil
}

// quoteList joins names as "a" and "b" (or "a", "b" and "c").
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// ReadFile reads one file from disk within the size limit of opts, as
// LoadFile does; a folder or a device is an error, never a wait.
func ReadFile(path string, opts LoadOptions) ([]byte, error) { return readFile(path, opts) }

// ReadFileFS reads name from fsys within the size limit of opts; display
// is how messages name the file. Only regular files are read.
func ReadFileFS(fsys fs.FS, name, display string, opts LoadOptions) ([]byte, error) {
	// Stat before opening: opening a named pipe would wait for a writer.
	if st, err := fs.Stat(fsys, name); err != nil {
		return nil, ioError(display, err)
	} else if !st.Mode().IsRegular() {
		return readLimited(nil, st, display, opts, true)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, ioError(display, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, ioError(display, err)
	}
	return readLimited(f, st, display, opts, true)
}

// readLimited reads an opened file whose stat is st, no larger than the
// limit (checked before reading, and again while reading, for a file that
// grows meanwhile, or a pipe, which has no size). regularOnly refuses
// anything but a regular file: files a repository or archive holds are
// never devices or pipes the caller meant to read.
func readLimited(f io.Reader, st fs.FileInfo, display string, opts LoadOptions, regularOnly bool) ([]byte, error) {
	if st.IsDir() {
		return nil, &LoadError{File: display, Msg: "is a directory, want a file", Err: fs.ErrInvalid}
	}
	if regularOnly && st.Mode()&fs.ModeSymlink != 0 {
		return nil, &LoadError{File: display, Msg: "is a symbolic link, which connectordiff does not follow here", Err: ErrSymlink}
	}
	if regularOnly && !st.Mode().IsRegular() {
		return nil, &LoadError{File: display, Msg: "is not a regular file (" + st.Mode().Type().String() + ")", Err: fs.ErrInvalid}
	}
	limit := opts.maxBytes()
	if st.Size() > limit {
		return nil, tooLarge(display, st.Size(), limit)
	}
	// Read into a buffer of the size the file says, plus one byte to see a
	// file that grew; a pipe, which has no size, grows its buffer as it goes.
	buf := make([]byte, 0, max(st.Size()+1, 512))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, tooLarge(display, int64(len(buf)), limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, ioError(display, err)
		}
	}
}

// HasDefinition reports whether folder dir of fsys holds a definition
// (apiDefinition.swagger.json, its name in any case): what makes a folder a
// connector's.
func HasDefinition(fsys fs.FS, dir string) bool {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(e.Name(), DefinitionFile) {
			return true
		}
	}
	return false
}

// IsConnectorFile reports whether the file at slash-separated path p is one
// of a connector's (its definition, apiProperties.json, script.csx), its
// name in any case: a change to it is a change to its connector.
func IsConnectorFile(p string) bool {
	base := path.Base(p)
	for _, f := range []string{DefinitionFile, PropertiesFile, ScriptFile} {
		if strings.EqualFold(base, f) {
			return true
		}
	}
	return false
}

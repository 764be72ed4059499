package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// writeFile writes what render produces to the file at path, so that the
// file is either what it was or complete: render writes a temporary file
// in the same folder, which is renamed over path only once it is written
// and synced. A failed write (a full disk, a file size limit, a report
// that fails) leaves path as it was and no temporary file behind.
//
// Symbolic links are not written through, nor replaced: a link at path is
// an error, so that a link planted in a checkout (report.md ->
// ~/.bashrc) cannot send the output elsewhere, and a dangling one cannot
// create its target. /dev/stdout and /dev/stderr, links on Linux, are
// written as the streams they name. Other files that are not regular
// files (a device, a named pipe) are written in place: they hold nothing to
// cut in half, and renaming over them would replace them.
func writeFile(path string, render func(io.Writer) error) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return replaceFile(path, 0o644, render)
	case err != nil:
		return err
	case st.Mode()&fs.ModeSymlink != 0 && (path == "/dev/stdout" || path == "/dev/stderr"):
		return writeInPlace(path, render)
	case st.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link: connectordiff does not write through links or replace them; "+
			"remove it, or name another file", path)
	case st.IsDir():
		return fmt.Errorf("%s is a folder", path)
	case !st.Mode().IsRegular():
		return writeInPlace(path, render)
	}
	return replaceFile(path, st.Mode().Perm(), render)
}

// replaceFile writes a temporary file beside path and renames it to path.
func replaceFile(path string, perm fs.FileMode, render func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			// Name the file asked for, not the temporary one.
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			err = fmt.Errorf("%s: %w (the file is left as it was)", path, err)
		}
	}()
	if err = render(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeInPlace writes to a file that is not a regular one.
func writeInPlace(path string, render func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if err := render(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

//go:build unix

package connectordiff_test

import "syscall"

// mkfifo makes a named pipe: opening it for reading blocks until a writer
// comes, so a test can tell whether anything tried to read it.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }

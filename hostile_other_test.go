//go:build !unix

package connectordiff_test

import "errors"

func mkfifo(string) error { return errors.New("named pipes are unix-only") }

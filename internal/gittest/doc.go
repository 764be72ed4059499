// Package gittest builds git repositories for tests, commit by commit, with
// fixed authors and dates, so that their commit ids are the same on every
// run. Tests that use it skip when git is not installed.
package gittest

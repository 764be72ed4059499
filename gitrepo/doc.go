// Package gitrepo reads connector files straight from a git repository:
// trees and blobs of any revision, and the index, from git's objects, never
// a checkout; and the work tree as plain files. It drives the git command
// (present in every CI) with a fixed set of plumbing commands that read
// objects, refs, the index and file names only, so no hook, filter,
// textconv or external diff driver, file system monitor, pager, credential
// helper or other configured program runs, and nothing is written, the
// index included. Changed files are found by comparing listings here, and
// work-tree files are hashed here, rather than by git diff, which would
// apply the filters a repository's .gitattributes name. Symbolic links are
// listed but never followed, in a tree or in the work tree, and submodules
// are not entered, so a pull request cannot make it read outside the
// repository, or outside a folder through a link.
package gitrepo

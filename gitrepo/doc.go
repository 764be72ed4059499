// Package gitrepo reads connector files straight from a git repository's
// objects: trees and blobs of any revision, never a checkout. It drives the
// git command (present in every CI), with plumbing commands only, so no hook
// runs; symbolic links and submodules in a tree are never followed, so a
// pull request cannot make it read outside the repository.
package gitrepo

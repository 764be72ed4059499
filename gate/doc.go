// Package gate is the repository gate: it compares every connector of a git
// repository that changed between two revisions (or the work tree, or the
// staged files), under the policy files of either side, with deprecation
// windows read from the history and accepted changes, which it hands to the
// policy as a breaking.Record, and returns one breaking.Result. It reads
// git's objects through package gitrepo only.
//
// It also reads policy files (ParseConfig), adds acceptances to their text
// as `connectordiff accept` does (AddAcceptance), and resolves REV:PATH
// arguments (OpenRevPath) for comparisons of single files or folders.
package gate

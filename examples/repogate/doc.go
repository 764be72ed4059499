// Command repogate is the repository gate through the library: it compares
// every connector a branch changed since it left the target branch, prints
// one line per connector (folder, status, verdict, the breaking changes not
// accepted), and fails when one breaks users.
//
//	go run ./examples/repogate -C path/to/PowerPlatformConnectors origin/dev HEAD
//
// Exit status: 0 compatible, 1 breaking, 2 not a repository or unreadable.
package main

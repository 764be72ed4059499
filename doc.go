// Package connectordiff tells whether an update to a Microsoft Power Platform
// connector breaks the flows and apps that already use it.
//
// It is the facade: Compare and its siblings judge two definitions or
// connector folders, CompareRevisions every connector a git change touched
// (package gate), and Fix edits an update until it breaks nothing (package
// fix), all with one Option family. Package diff lists what changed, package
// breaking judges it into a breaking.Result (one shape for a pair and a
// repository), and package report renders that result.
//
//	res, err := connectordiff.Compare(ctx, oldBytes, newBytes)
//	if err != nil { ... }            // unreadable input, with file:line:column
//	if res.Fails(breaking.Breaking) { ... }
package connectordiff

// Package logsafe makes a string from a connector document, a file or folder
// name, a revision or a policy file safe to print: to a terminal, to a GitHub
// Actions or an Azure Pipelines log, or into any text a person reads.
//
// A pull request is written by anyone, and CI systems act on commands in the
// logs of the jobs they run: a line that starts with "::" is a GitHub
// Actions workflow command (::error, ::add-mask::, ::stop-commands::), and a
// line that holds "##vso[" anywhere is an Azure Pipelines logging command
// (##vso[task.prependpath] puts a folder on PATH for the steps that follow),
// on standard output and standard error alike. A folder name or an
// operationId that holds a line break, "::error ...", "##vso[..." or a
// terminal escape would write its own lines and commands into the log of
// every job that prints it.
//
// connectordiff's reports and its command pass every such string through
// Line; a program that prints names, messages or errors from connectordiff
// itself should too:
//
//	fmt.Fprintf(w, "%s: %s\n", logsafe.Line(c.Folder), logsafe.Line(report.Message(f)))
//	fmt.Fprintln(os.Stderr, logsafe.Line(err.Error()))
package logsafe

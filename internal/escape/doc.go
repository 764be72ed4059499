// Package escape makes text that comes from documents, paths and policies
// (all written by whoever opens a pull request) safe to show: visible to a
// reader, and inert for terminals and for the CI systems that read the log.
//
// A log line is a command when:
//
//   - GitHub Actions: it starts with "::" once leading white space is
//     trimmed (::error, ::add-mask::, ::stop-commands::), or holds "##[" (the
//     runner's legacy syntax) anywhere;
//   - Azure Pipelines: it holds "##vso[" anywhere (a logging command, such as
//     task.prependpath or task.setvariable), or "##[" (##[group], ##[error]:
//     formatting).
//
// Both read stdout and stderr, and both end a line at "\n" and at a bare
// "\r". The runner's search is .NET's culture-aware one, which skips
// characters that collate as nothing (zero-width spaces, soft hyphens, joiners,
// variation selectors, most control characters), so the prefixes are
// matched with those allowed between their characters, and "vso" in any
// case.
//
// Neutralising is always visible: the first character of a command prefix is
// written as an escape a reader recognises, in the notation of the output:
// Line writes \x23 and \x3a (as it writes \x1b for ESC), JSON \u0023, and
// Markup &#35; and &#58;. JSON and Markup decode to the original text;
// Line's output is for reading.
package escape

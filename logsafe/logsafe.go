package logsafe

import "github.com/connectordiff/connectordiff/internal/escape"

// Line returns s as one line that shows everything and commands nothing,
// with visible escapes:
//
//   - line breaks, tabs and other control characters (ESC included),
//     bidirectional controls (which reorder what a reader sees, as in
//     "Trojan Source"), line and paragraph separators and invalid UTF-8 are
//     written \n, \t, \x1b, \u202E, \xff;
//   - the first "#" of "##vso[" and "##[" becomes \x23 wherever they are
//     ("\x23#vso[task.prependpath]"), zero-width characters between their
//     characters notwithstanding;
//   - the first ":" of a "::" that begins s, after white space, becomes \x3a
//     ("\x3a:error title=X::boom"): with its line breaks escaped, the start of
//     s is the only place where it can start a line.
//
// Everything else is kept: letters of every script, emoji, spaces,
// punctuation, and a "::" or "#" anywhere else. Backslashes are not doubled:
// the escapes are for a reader, not for decoding.
func Line(s string) string { return escape.Line(s) }

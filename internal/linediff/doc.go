// Package linediff compares two texts line by line, for `connectordiff fix
// --format suggestions`: the edits that turn a definition into its fixed
// version as ranges of whole lines (what a GitHub suggestion replaces), and
// the unified diff of the same edits (what git apply takes).
//
// A line keeps its line ending ("\n" or "\r\n"), so a changed line ending
// is a changed line and the edits rebuild the text byte for byte. The edits
// are the fewest lines changed (Myers' algorithm) where that is cheap; a
// comparison past a work budget anchors on the lines both texts have once
// (patience diff) and compares the gaps between anchors, and a gap past the
// budget is replaced whole: a larger edit, never a wrong one, and never a
// hang on hostile input.
package linediff

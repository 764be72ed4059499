package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff/fix"
	"github.com/connectordiff/connectordiff/internal/linediff"
)

// Suggestions is a fix as line suggestions on the new definition: what
// `connectordiff fix --format suggestions` writes, and what the GitHub
// Action posts as review suggestions and the Azure template publishes. See
// README's "Fix as review suggestions".
type Suggestions struct {
	// File is the new definition as the command line named it.
	File string `json:"file"`
	// Hunks are the fix's edits as ranges of whole lines of File, in
	// order, none overlapping another.
	Hunks []Hunk `json:"hunks"`
	// Fixed and Unfixed are fix's findings, as --format json gives them.
	Fixed   []fix.FixedFinding   `json:"fixed"`
	Unfixed []fix.UnfixedFinding `json:"unfixed"`
	// Skipped are the breaking findings of rules --only left out.
	Skipped []fix.UnfixedFinding `json:"skipped,omitempty"`
	// Renames maps the operationIds the fix changes to their new ids.
	Renames map[string]string `json:"renames,omitempty"`
	// Patch is the same edits as a unified diff of File (git apply takes
	// it), "" when there are none. It is left out (null) when File is not
	// UTF-8 (a Windows-1252 file, which fix writes back as UTF-8), since a
	// JSON string cannot hold its bytes.
	Patch *string `json:"patch"`
	// Markdown says what the fix does and what it leaves to a human, with
	// the reasons, as Markdown whose document text is escaped: the body of
	// the review the Action posts.
	Markdown string `json:"markdown"`
}

// Hunk replaces lines StartLine to EndLine of the new definition (1-based,
// both included, as GitHub's review comments take start_line and line)
// with Replacement. A hunk always replaces at least one line: an insertion
// takes the line before it (or after it, at the top) along.
type Hunk struct {
	StartLine int `json:"startLine"`
	EndLine   int `json:"endLine"`
	// Replacement is the exact text of the fixed definition that takes the
	// lines' place, line endings included.
	Replacement string `json:"replacement"`
	// Suggestion is Replacement without the line ending of its last line,
	// which is the line ending EndLine had: the text of a GitHub
	// suggestion, which keeps that line ending. It is null when the two
	// differ (a fix that added or removed the final line ending), which no
	// suggestion can express: apply Replacement or Patch instead.
	Suggestion *string `json:"suggestion"`
}

// Suggest computes the suggestions of a fix of the definition src.
func Suggest(r *fix.Result, src []byte) (*Suggestions, error) {
	a, b := linediff.Split(string(src)), linediff.Split(string(r.Output))
	edits := linediff.Lines(a, b)
	s := &Suggestions{File: r.New, Hunks: []Hunk{}, Fixed: r.Fixed, Unfixed: r.Unfixed, Skipped: r.Skipped, Renames: r.Renames}
	if s.Fixed == nil {
		s.Fixed = []fix.FixedFinding{}
	}
	if s.Unfixed == nil {
		s.Unfixed = []fix.UnfixedFinding{}
	}
	for _, e := range lineRanges(edits, a, b) {
		h := Hunk{StartLine: e.A0 + 1, EndLine: e.A1, Replacement: strings.Join(b[e.B0:e.B1], "")}
		if !utf8.ValidString(h.Replacement) {
			// fix writes the repaired text, which is UTF-8.
			return nil, fmt.Errorf("%s: the fixed definition is not UTF-8 at line %d", r.New, e.B0+1)
		}
		if e.A1 > e.A0 && e.B1 > e.B0 {
			if end := linediff.Ending(a[e.A1-1]); linediff.Ending(b[e.B1-1]) == end {
				text := strings.TrimSuffix(h.Replacement, end)
				h.Suggestion = &text
			}
		}
		s.Hunks = append(s.Hunks, h)
	}
	if patch := linediff.Unified("a/"+r.New, "b/"+r.New, a, b, edits, 3); utf8.ValidString(patch) {
		s.Patch = &patch
	}
	s.Markdown = suggestionsMarkdown(r, len(s.Hunks))
	return s, nil
}

// lineRanges turns the edits of a line diff into the ranges suggestions
// replace: each takes a line of a along where it would replace none (an
// insertion) or with none (a deletion), and the next line where the line
// endings of its last lines differ, so that a suggestion's text plus the
// last line's own ending is the replacement. Ranges that come to overlap
// are joined.
func lineRanges(edits []linediff.Edit, a, b []string) []linediff.Edit {
	var out []linediff.Edit
	for _, e := range edits {
		if e.A0 == e.A1 || e.B0 == e.B1 {
			switch {
			case e.A0 > 0:
				e.A0, e.B0 = e.A0-1, e.B0-1
			case e.A1 < len(a):
				e.A1, e.B1 = e.A1+1, e.B1+1
			}
		}
		if e.A1 > e.A0 && e.B1 > e.B0 && e.A1 < len(a) && linediff.Ending(a[e.A1-1]) != linediff.Ending(b[e.B1-1]) {
			e.A1, e.B1 = e.A1+1, e.B1+1
		}
		if n := len(out); n > 0 && e.A0 < out[n-1].A1 {
			out[n-1].A1, out[n-1].B1 = max(out[n-1].A1, e.A1), max(out[n-1].B1, e.B1)
			continue
		}
		out = append(out, e)
	}
	return out
}

// FixSuggestions writes the suggestions of a fix of the definition src as
// JSON (see Suggestions), its strings escaped as the JSON report's are.
func FixSuggestions(w io.Writer, r *fix.Result, src []byte) error {
	s, err := Suggest(r, src)
	if err != nil {
		return err
	}
	return encodeJSON(w, s, Options{})
}

// suggestionsMarkdown says what a fix does and leaves, in Markdown: the
// file, the counts, the findings fixed and those left with the reasons,
// the operations renamed.
func suggestionsMarkdown(r *fix.Result, hunks int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**: ", md(inert(r.New)))
	total := len(r.Fixed) + len(r.Unfixed)
	switch {
	case total == 0:
		b.WriteString("nothing to fix: the update breaks nothing fix compares.\n")
	case len(r.Unfixed) == 0:
		fmt.Fprintf(&b, "%s the %s.\n", edits(hunks), plural(total, "breaking finding"))
	default:
		fmt.Fprintf(&b, "%s %d of %d breaking findings; %d left to you.\n", edits(hunks), len(r.Fixed), total, len(r.Unfixed))
	}
	item := func(rule, op, text string) {
		fmt.Fprintf(&b, "- **%s** %s: %s\n", md(inert(rule)), md(inert(orDash(op))), md(inert(text)))
	}
	if len(r.Fixed) > 0 {
		b.WriteString("\nFixed:\n\n")
		for _, f := range r.Fixed {
			item(f.Rule, f.OperationID, f.Remedy)
			for _, n := range f.Notes {
				fmt.Fprintf(&b, "  - check: %s\n", md(inert(n)))
			}
		}
	}
	if len(r.Unfixed) > 0 {
		b.WriteString("\nLeft to you:\n\n")
		for _, f := range r.Unfixed {
			item(f.Rule, f.OperationID, f.Message+". Why: "+f.Reason)
		}
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(&b, "\nNot fixed: %s of rules left out (--only).\n\n", plural(len(r.Skipped), "breaking finding"))
		for _, f := range r.Skipped {
			item(f.Rule, f.OperationID, f.Message)
		}
	}
	if len(r.Renames) > 0 {
		var list []string
		for _, k := range sortedKeys(r.Renames) {
			list = append(list, k+" -> "+r.Renames[k])
		}
		fmt.Fprintf(&b, "\nOperations renamed: %s\n", md(inert(strings.Join(list, ", "))))
	}
	return b.String()
}

// edits is the subject of the Markdown's first sentence: "1 edit fixes",
// "3 edits fix".
func edits(n int) string {
	if n == 1 {
		return "1 edit fixes"
	}
	return fmt.Sprintf("%d edits fix", n)
}

package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff/fix"
)

// FixSummary writes what a fix did and what it left to a human, with the
// reasons, as text: `connectordiff fix` writes it to standard error. The
// operationIds, names and paths it quotes come from the documents and are
// escaped (see logsafe.Line).
func FixSummary(w io.Writer, r *fix.Result) error {
	var b strings.Builder
	total := len(r.Fixed) + len(r.Unfixed)
	fixed := len(r.Fixed)
	switch {
	case total == 0 && len(r.Skipped) == 0:
		fmt.Fprintf(&b, "connectordiff fix: nothing to fix: the update breaks nothing\n")
	default:
		fmt.Fprintf(&b, "connectordiff fix: %d of %d breaking findings fixed", fixed, total)
		if len(r.Unfixed) > 0 {
			fmt.Fprintf(&b, ", %d left to you", len(r.Unfixed))
		}
		if len(r.Skipped) > 0 {
			fmt.Fprintf(&b, ", %d skipped (--only)", len(r.Skipped))
		}
		fmt.Fprintf(&b, "\n")
	}
	w1, w2 := 4, 4
	for _, f := range r.Fixed {
		w1, w2 = max(w1, utf8.RuneCountInString(inert(f.Rule))), max(w2, utf8.RuneCountInString(inert(f.OperationID)))
	}
	for _, f := range r.Unfixed {
		w1, w2 = max(w1, utf8.RuneCountInString(inert(f.Rule))), max(w2, utf8.RuneCountInString(inert(f.OperationID)))
	}
	row := func(rule, op, text string) {
		fmt.Fprintf(&b, "  %s  %s  %s\n", pad(inert(rule), w1), pad(inert(op), w2), inert(text))
	}
	if len(r.Fixed) > 0 {
		fmt.Fprintf(&b, "\nFixed:\n")
		for _, f := range r.Fixed {
			remedy := f.Remedy
			if f.Surfaced {
				remedy = "(found once an earlier edit made it comparable) " + remedy
			}
			row(f.Rule, orDash(f.OperationID), remedy)
			for _, n := range f.Notes {
				row("", "", "  check: "+n)
			}
		}
	}
	if len(r.Unfixed) > 0 {
		fmt.Fprintf(&b, "\nLeft to you:\n")
		for _, f := range r.Unfixed {
			row(f.Rule, orDash(f.OperationID), f.Message)
			why := f.Reason
			if f.Surfaced {
				why = "(found once an earlier edit made it comparable) " + why
			}
			row("", "", "  why: "+why)
		}
	}
	if len(r.Renames) > 0 {
		var list []string
		for _, k := range sortedKeys(r.Renames) {
			s := k + " -> " + r.Renames[k]
			if p, ok := r.Moves[k]; ok {
				s += " (at " + p + ")"
			}
			list = append(list, s)
		}
		fmt.Fprintf(&b, "\nOperations renamed: %s\n", inert(strings.Join(list, ", ")))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nNote: %s\n", inert(n))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

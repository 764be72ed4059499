package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff/fix"
)

// FixSummary writes what a fix did and what it left to a human, as text:
// `connectordiff fix` writes it to standard error. Like compare's report,
// it says the same thing once: findings fixed by one remedy are one entry
// (a version of an operation fixes every finding of its old shape), the
// same edit in several operations is one entry naming them, and each reason
// a finding is left to a human is written once, below the findings it
// holds for. The operationIds, names and paths it quotes come from the
// documents and are escaped (see logsafe.Line).
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
	fixedGroups, unfixedGroups := fixedEntries(r.Fixed), unfixedEntries(r.Unfixed)
	w1, w2 := 4, 4
	for _, g := range fixedGroups {
		w1, w2 = max(w1, utf8.RuneCountInString(g.rule)), max(w2, utf8.RuneCountInString(g.op))
	}
	for _, g := range unfixedGroups {
		for _, e := range g.entries {
			w1, w2 = max(w1, utf8.RuneCountInString(e.rule)), max(w2, utf8.RuneCountInString(e.op))
		}
	}
	row := func(rule, op, text string) {
		fmt.Fprintf(&b, "  %s  %s  %s\n", pad(rule, w1), pad(op, w2), text)
	}
	if len(fixedGroups) > 0 {
		fmt.Fprintf(&b, "\nFixed:\n")
		for _, g := range fixedGroups {
			row(g.rule, g.op, g.text)
			if g.fixes != "" {
				row("", "", "  fixes "+g.fixes)
			}
			for _, n := range g.notes {
				row("", "", "  check: "+n)
			}
		}
	}
	if len(unfixedGroups) > 0 {
		fmt.Fprintf(&b, "\nLeft to you:\n")
		for _, g := range unfixedGroups {
			for _, e := range g.entries {
				row(e.rule, e.op, e.text)
			}
			row("", "", "  why: "+g.why)
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
	if c := r.Connector; c != nil {
		if len(c.ScriptOperations) > 0 {
			fmt.Fprintf(&b, "\n%s, scriptOperations: %s\n", inert(c.PropertiesFile), inert(strings.Join(c.ScriptOperations, "; ")))
		}
		if len(c.ScriptBranches) > 0 {
			fmt.Fprintf(&b, "\n%s routes on operations fix gave new ids; each of these needs a branch (fix does not edit code):\n",
				inert(c.ScriptFile))
			for _, br := range c.ScriptBranches {
				what := fmt.Sprintf("%s is gone: name %s here instead", br.Operation, br.Now)
				if br.Kept {
					what = fmt.Sprintf("%s is the old revision now: add a branch for %s, the new shape", br.Operation, br.Now)
				}
				fmt.Fprintf(&b, "  line %d: %s\n    %s\n", br.Line, inert(truncate(br.Code, 160)), inert(what))
			}
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nNote: %s\n", inert(n))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fixEntry is one line of a fix summary, escaped: a rule (or how many
// findings), an operation (or how many), and what was done or found.
type fixEntry struct {
	rule, op, text string
	// fixes lists the findings one remedy fixed when they are more than
	// one kind; notes are what to check.
	fixes string
	notes []string
}

// surfacedNote marks a finding an earlier edit made comparable.
const surfacedNote = "(found once an earlier edit made it comparable) "

// sameOp stands for a finding's own operation in a text that names it, so
// that the same edit, or the same reason, in many operations is one entry.
func sameOp(text, op string) string {
	if op == "" {
		return text
	}
	return strings.ReplaceAll(text, op, "\x00")
}

// opsColumn is the operation column of an entry over ops: the operation,
// or how many.
func opsColumn(ops []string) string {
	if len(ops) == 1 {
		return inert(orDash(ops[0]))
	}
	return fmt.Sprintf("%d operations", len(ops))
}

// alsoIn says, after the text of an entry's first operation, that the same
// holds in the others, naming them.
func alsoIn(ops []string) string {
	if len(ops) < 2 {
		return ""
	}
	return fmt.Sprintf("; the same in %s: %s", plural(len(ops)-1, "other operation"), inert(listOps(ops[1:], 10)))
}

// fixedEntries groups the findings fixed: one entry per remedy (the
// findings of one versioned operation), and one per kind of edit made in
// several operations (a body's name put back in each).
func fixedEntries(fixed []fix.FixedFinding) []fixEntry {
	type group struct {
		first   fix.FixedFinding
		ops     []string
		rules   []string
		byRule  map[string]int
		opsSeen map[string]bool
	}
	var groups []*group
	index := map[string]*group{}
	for _, f := range fixed {
		remedy := f.Remedy
		if f.Surfaced {
			remedy = surfacedNote + remedy
		}
		key := sameOp(remedy+"\x01"+strings.Join(f.Notes, "\x01"), f.OperationID)
		g, ok := index[key]
		if !ok {
			g = &group{first: f, byRule: map[string]int{}, opsSeen: map[string]bool{}}
			g.first.Remedy = remedy
			index[key] = g
			groups = append(groups, g)
		}
		if !g.opsSeen[f.OperationID] {
			g.opsSeen[f.OperationID] = true
			g.ops = append(g.ops, f.OperationID)
		}
		if g.byRule[f.Rule] == 0 {
			g.rules = append(g.rules, f.Rule)
		}
		g.byRule[f.Rule]++
	}
	out := make([]fixEntry, len(groups))
	for i, g := range groups {
		findings := 0
		var kinds []string
		for _, rule := range g.rules {
			findings += g.byRule[rule]
			k := inert(rule)
			if n := g.byRule[rule]; n > 1 {
				k += fmt.Sprintf(" (%d)", n)
			}
			kinds = append(kinds, k)
		}
		e := fixEntry{rule: inert(g.first.Rule), op: opsColumn(g.ops), text: inert(g.first.Remedy) + alsoIn(g.ops)}
		if len(g.rules) > 1 || findings > len(g.ops) {
			e.rule = plural(findings, "finding")
			e.fixes = strings.Join(kinds, ", ")
		}
		for _, n := range g.first.Notes {
			e.notes = append(e.notes, inert(n))
		}
		out[i] = e
	}
	return out
}

// unfixedGroup is the findings left to a human for one reason.
type unfixedGroup struct {
	why     string
	entries []fixEntry
}

// unfixedEntries groups the findings left to a human by their reason,
// written once, and within a reason the same finding in several operations
// is one entry naming them.
func unfixedEntries(unfixed []fix.UnfixedFinding) []unfixedGroup {
	type entry struct {
		first fix.UnfixedFinding
		ops   []string
	}
	type group struct {
		why     string
		entries []*entry
		index   map[string]*entry
	}
	var groups []*group
	byReason := map[string]*group{}
	for _, f := range unfixed {
		why := f.Reason
		if f.Surfaced {
			why = surfacedNote + why
		}
		rk := sameOp(why, f.OperationID)
		g, ok := byReason[rk]
		if !ok {
			g = &group{why: why, index: map[string]*entry{}}
			byReason[rk] = g
			groups = append(groups, g)
		}
		ek := f.Rule + "\x01" + sameOp(f.Message, f.OperationID)
		e, ok := g.index[ek]
		if !ok {
			e = &entry{first: f}
			g.index[ek] = e
			g.entries = append(g.entries, e)
		}
		e.ops = append(e.ops, f.OperationID)
	}
	out := make([]unfixedGroup, len(groups))
	for i, g := range groups {
		ug := unfixedGroup{why: inert(g.why)}
		for _, e := range g.entries {
			ug.entries = append(ug.entries, fixEntry{rule: inert(e.first.Rule), op: opsColumn(e.ops),
				text: inert(e.first.Message) + alsoIn(e.ops)})
		}
		out[i] = ug
	}
	return out
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

package connectordiff_test

import (
	"context"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/internal/corpus"
)

// Mirror rules. Comparing b with a must report, for what compare(a, b)
// reports as removed, the same element as added, and a change between two
// values as the same change with the values swapped. Precisely:
//
//   - mirrorRules: each finding of a removal rule in compare(a, b), identified
//     by its old JSON pointer (its place in a), matches a finding of one of
//     the addition rules in compare(b, a), identified by its new pointer (its
//     place in a again), and the other way round. An addition has two rules
//     where it splits on whether the new element is required.
//     Only additions count on that side: request-body-required-added also
//     judges a property that became required, whose mirror is
//     requirement-relaxed, not a removal. A removal reported as a rename to
//     a near name (After set) mirrors the opposite rename between the same
//     two names.
//   - swapRules: each finding of the rule in compare(a, b), identified by its
//     old and new pointers and its before and after values, matches a
//     finding of the same rule in compare(b, a) with both swapped.
//
// Rules judging a one-way fact (a narrowed enum, a newly required input, a
// removed response with no "added" counterpart rule) are left out.
var mirrorRules = map[string][]string{
	"operation-removed":             {"operation-added"},
	"parameter-removed":             {"parameter-added", "parameter-required-added"},
	"request-body-property-removed": {"request-body-property-added", "request-body-required-added"},
	"response-property-removed":     {"response-property-added"},
}

// restructured maps the rules of a schema that no longer declares its
// properties to the removal rule each property would have had.
var restructured = map[string]string{
	"response-restructured": "response-property-removed",
	"request-restructured":  "request-body-property-removed",
}

// addition lists the kinds of change that add an element.
var addition = map[diff.Kind]bool{diff.OperationAdded: true, diff.ParameterAdded: true, diff.PropertyAdded: true}

var swapRules = []string{
	"operation-id-changed", "operation-path-changed", "operation-method-changed",
	"parameter-renamed", "parameter-location-changed",
	"parameter-type-changed", "request-body-type-changed", "response-property-type-changed",
	"host-changed",
}

// mirrorKeys indexes the findings of one comparison: removals by old
// pointer, additions by new pointer (both keyed by the removal rule), and
// swap-rule findings as they would read the other way round (reversed) or
// as they are (forward).
type mirrorKeys struct{ removed, added, swapForward, swapReversed map[string]bool }

func indexMirror(res *breaking.Result) mirrorKeys {
	k := mirrorKeys{map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}}
	addedBy := map[string]string{}
	for rem, adds := range mirrorRules {
		for _, a := range adds {
			addedBy[a] = rem
		}
	}
	swap := map[string]bool{}
	for _, r := range swapRules {
		swap[r] = true
	}
	// A schema cut back is one finding; each property it lost mirrors an addition.
	for _, f := range breaking.Ungrouped(res.Findings()) {
		op, np := "", ""
		if f.Old != nil {
			op = f.Old.Pointer
		}
		if f.New != nil {
			np = f.New.Pointer
		}
		switch {
		case restructured[f.Rule] != "" && f.Change.Facts.Undeclared:
			// A schema that no longer declares its properties is one finding;
			// the other way round, each property is added.
			for _, name := range f.Change.Facts.Moved {
				name = strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
				k.removed[restructured[f.Rule]+" "+op+"/"+name] = true
			}
		case mirrorRules[f.Rule] != nil && f.After != "":
			// A removal reported as a rename to a near name (After names the
			// new property): the other way round it is the opposite rename.
			// Identified by the two names only: a definition shared in one
			// file and inlined per operation in the other is one rename one
			// way and one per operation the other way.
			on, nn := op[strings.LastIndex(op, "/")+1:], np[strings.LastIndex(np, "/")+1:]
			k.swapForward[fmt.Sprintf("%s renamed %s -> %s", f.Rule, on, nn)] = true
			k.swapReversed[fmt.Sprintf("%s renamed %s -> %s", f.Rule, nn, on)] = true
		case mirrorRules[f.Rule] != nil:
			k.removed[f.Rule+" "+op] = true
		case addedBy[f.Rule] != "" && addition[f.Change.Kind]:
			k.added[addedBy[f.Rule]+" "+np] = true
		case swap[f.Rule]:
			k.swapForward[fmt.Sprintf("%s %s -> %s: %q -> %q", f.Rule, op, np, f.Before, f.After)] = true
			k.swapReversed[fmt.Sprintf("%s %s -> %s: %q -> %q", f.Rule, np, op, f.After, f.Before)] = true
		}
	}
	return k
}

// missingFrom lists the keys of want absent from have, sorted.
func missingFrom(want, have map[string]bool) []string {
	var out []string
	for k := range want {
		if !have[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TestCorpusMirror compares every valid corpus pair both ways and checks the
// mirror rules above.
func TestCorpusMirror(t *testing.T) {
	pairs := sweep(t, "pairs", corpus.Pairs(t), 3)
	var (
		mu                      sync.Mutex
		compared, mirrored, swp int
	)
	t.Run("pairs", func(t *testing.T) {
		for _, p := range pairs {
			if p.Invalid {
				continue
			}
			t.Run(p.Name, func(t *testing.T) {
				t.Parallel()
				a, err := os.ReadFile(p.OldSwagger)
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(p.NewSwagger)
				if err != nil {
					t.Fatal(err)
				}
				an, bn := path.Join(p.Name, "old"), path.Join(p.Name, "new")
				ab := guardedCompare(t, p.Name+" a->b", func(ctx context.Context) (*breaking.Result, error) {
					return connectordiff.Compare(ctx, a, b, connectordiff.WithNames(an, bn))
				})
				ba := guardedCompare(t, p.Name+" b->a", func(ctx context.Context) (*breaking.Result, error) {
					return connectordiff.Compare(ctx, b, a, connectordiff.WithNames(bn, an))
				})
				if !ab.ok || !ba.ok {
					return
				}
				if ab.err != nil || ba.err != nil {
					t.Fatalf("%s: %v / %v", p.Name, ab.err, ba.err)
				}
				fwd, rev := indexMirror(ab.res), indexMirror(ba.res)
				var problems []string
				for _, c := range []struct {
					what       string
					want, have map[string]bool
				}{
					{"removed a->b, not added b->a", fwd.removed, rev.added},
					{"added b->a, not removed a->b", rev.added, fwd.removed},
					{"removed b->a, not added a->b", rev.removed, fwd.added},
					{"added a->b, not removed b->a", fwd.added, rev.removed},
					{"changed a->b, not changed back b->a", fwd.swapReversed, rev.swapForward},
					{"changed b->a, not changed back a->b", rev.swapReversed, fwd.swapForward},
				} {
					for _, m := range missingFrom(c.want, c.have) {
						problems = append(problems, c.what+": "+m)
					}
				}
				if len(problems) > 0 {
					t.Errorf("%s is not mirrored:\n  %s\na->b %s\nb->a %s", p.Name, strings.Join(problems, "\n  "),
						describeFindings(ab.res), describeFindings(ba.res))
				}
				mu.Lock()
				defer mu.Unlock()
				compared++
				mirrored += len(fwd.removed) + len(rev.removed)
				swp += len(fwd.swapForward)
			})
		}
	})
	if t.Skipped() {
		return
	}
	t.Logf("pairs compared both ways: %d; removals checked against additions: %d; swapped changes checked: %d", compared, mirrored, swp)
}

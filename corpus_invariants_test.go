package connectordiff_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// TestCorpusFindingInvariants compares every valid corpus pair as whole
// connectors, under the users and the power-automate profiles, and checks
// what every report must satisfy:
//   - a finding's valuePath, when it names an operation, names one of the
//     finding's own operations;
//   - no two findings share rule, operations and location (the old one, or
//     the new one for additions): one change, one finding;
//   - no finding, and no verdict, is more severe for Power Automate alone
//     than for every host together.
func TestCorpusFindingInvariants(t *testing.T) {
	pairs := sweep(t, "pairs", corpus.Pairs(t), 1)
	var mu sync.Mutex
	checked := 0
	t.Run("pairs", func(t *testing.T) {
		for _, p := range pairs {
			if p.Invalid {
				continue
			}
			t.Run(p.Name, func(t *testing.T) {
				t.Parallel()
				compare := func(profile breaking.Profile) *breaking.Result {
					g := guardedCompare(t, p.Name, func(ctx context.Context) (*breaking.Result, error) {
						return connectordiff.CompareDirs(ctx, filepath.Join(p.Dir, "old"), filepath.Join(p.Dir, "new"),
							connectordiff.WithProfile(profile))
					})
					if !g.ok || g.err != nil {
						t.Fatalf("%s: %v", p.Name, g.err)
					}
					return g.res
				}
				users, pa := compare(breaking.ProfileUsers), compare(breaking.ProfilePowerAutomate)
				seen := map[string]bool{}
				for _, f := range users.Findings() {
					if vp := f.ValuePath; strings.HasPrefix(vp, "operation/") && len(f.Operations) > 0 && !namesOneOf(vp, f.Operations) {
						t.Errorf("%s: valuePath %s names none of the finding's operations %v", f.Rule, vp, f.Operations)
					}
					key := findingKey(f)
					if seen[key] {
						t.Errorf("two %s findings reach %v at %v", f.Rule, f.Operations, f.Old)
					}
					seen[key] = true
				}
				levels := map[string]breaking.Level{}
				for _, f := range users.Findings() {
					levels[findingKey(f)] = f.Level
				}
				for _, f := range pa.Findings() {
					if l, ok := levels[findingKey(f)]; ok && f.Level > l {
						t.Errorf("%s is %s for Power Automate but %s for every host: %s", f.Rule, f.Level, l, report.Message(f))
					}
				}
				if pa.Max() > users.Max() {
					t.Errorf("the update is %s for Power Automate but %s for every host", pa.Max(), users.Max())
				}
				mu.Lock()
				checked++
				mu.Unlock()
			})
		}
	})
	t.Logf("%d pairs checked under two profiles", checked)
}

// findingKey identifies a finding by rule, file, operations and where it
// sits: its old location, or its new one for an addition.
func findingKey(f breaking.Finding) string {
	at := ""
	switch {
	case f.Old != nil:
		at = "old:" + f.Old.Pointer
	case f.New != nil:
		at = "new:" + f.New.Pointer
	}
	return fmt.Sprintf("%s|%s|%s|%s", f.Rule, f.File, strings.Join(f.Operations, ","), at)
}

// namesOneOf reports whether a value path operation/<id>/... names one of ops.
func namesOneOf(vp string, ops []string) bool {
	for _, op := range ops {
		if prefix := "operation/" + op; vp == prefix || strings.HasPrefix(vp, prefix+"/") {
			return true
		}
	}
	return false
}

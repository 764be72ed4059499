package connectordiff_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/corpus"
)

// TestCorpusFolderMode compares every valid corpus pair as whole connector
// folders (definition, apiProperties.json, script.csx) and logs how often
// each rule fires at each level, so that new rules can be checked by hand
// for false alarms (go test -run TestCorpusFolderMode -v).
func TestCorpusFolderMode(t *testing.T) {
	counts := map[string]int{}
	files := map[string]int{}
	compared := 0
	for _, p := range sweep(t, "pairs", corpus.Pairs(t), 3) {
		if p.Invalid {
			continue
		}
		g := guardedCompare(t, p.Name, func(ctx context.Context) (*breaking.Result, error) {
			return connectordiff.CompareDirs(ctx, filepath.Join(p.Dir, "old"), filepath.Join(p.Dir, "new"))
		})
		if !g.ok {
			continue
		}
		if !assert.NoError(t, g.err, p.Name) {
			continue
		}
		compared++
		for _, f := range g.res.Findings() {
			counts[fmt.Sprintf("%-40s %s", f.Rule, f.Level)]++
			if f.File != "" && !strings.EqualFold(f.File, "apiDefinition.swagger.json") {
				files[f.File]++
			}
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	t.Logf("%d pairs compared in folder mode; findings per rule and level:", compared)
	for _, k := range keys {
		t.Logf("  %6d  %s", counts[k], k)
	}
	t.Logf("findings outside the definition: %v", files)
	assert.Positive(t, files["apiProperties.json"], "some corpus updates change apiProperties.json")
	assert.Positive(t, files["script.csx"], "some corpus updates change script.csx")
}

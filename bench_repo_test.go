package connectordiff_test

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/internal/gittest"
	"github.com/connectordiff/connectordiff/report"
)

// repoFolder is where a corpus connector ("certified--x") sits in a
// repository laid out as microsoft/PowerPlatformConnectors.
func repoFolder(slug string) string {
	kind, name, _ := strings.Cut(slug, "--")
	switch kind {
	case "certified":
		return "certified-connectors/" + name
	case "independent":
		return "independent-publisher-connectors/" + name
	}
	return "custom-connectors/" + name
}

// snapshotRepo commits every connector of the corpus snapshot, 20 of them at
// the old side of one of their corpus pairs, then one commit that applies
// those 20 updates: a pull request on a repository of real size. It returns
// the repository and, by folder, the pairs applied.
func snapshotRepo(b *testing.B) (*gittest.Repo, map[string]corpus.Pair) {
	b.Helper()
	swaggers := corpus.SnapshotSwaggers(b)
	r := gittest.New(b)
	inSnapshot := map[string]bool{}
	for _, s := range swaggers {
		slug := filepath.Base(filepath.Dir(s))
		inSnapshot[slug] = true
		r.CopyFolder(filepath.Dir(s), repoFolder(slug))
	}
	applied := map[string]corpus.Pair{}
	seen := map[string]bool{}
	i := 0
	for _, p := range corpus.Pairs(b) {
		slug := path.Dir(p.Name)
		if p.Invalid || seen[slug] || !inSnapshot[slug] {
			continue
		}
		seen[slug] = true
		if i++; i%11 != 0 || len(applied) == 20 {
			continue
		}
		folder := repoFolder(slug)
		clearFolder(b, filepath.Join(r.Dir, folder))
		r.CopyFolder(filepath.Join(p.Dir, "old"), folder)
		applied[folder] = p
	}
	if len(applied) != 20 {
		b.Fatalf("found %d pairs to apply, want 20", len(applied))
	}
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "815 connectors")
	for folder, p := range applied {
		clearFolder(b, filepath.Join(r.Dir, folder))
		r.CopyFolder(filepath.Join(p.Dir, "new"), folder)
	}
	r.Commit(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), "20 updates")
	r.Git(time.Time{}, "gc", "-q")
	return r, applied
}

func clearFolder(b *testing.B, dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareRevisionsSnapshot is the repository gate on a pull
// request that updates 20 connectors of a repository of 815 (about 40 s to
// build first): compare --base HEAD~1 --head HEAD. Before timing, it checks
// that each connector's findings equal those of comparing its pair's two
// folders directly.
func BenchmarkCompareRevisionsSnapshot(b *testing.B) {
	r, applied := snapshotRepo(b)
	ctx := context.Background()
	rr, err := connectordiff.CompareRevisions(ctx, r.Dir, "HEAD~1", "HEAD")
	if err != nil {
		b.Fatal(err)
	}
	if len(rr.Connectors) != 20 {
		b.Fatalf("%d connectors compared, want 20", len(rr.Connectors))
	}
	for _, c := range rr.Connectors {
		p := applied[c.Folder]
		direct, err := connectordiff.CompareDirs(ctx, filepath.Join(p.Dir, "old"), filepath.Join(p.Dir, "new"))
		if err != nil {
			b.Fatal(err)
		}
		if !reflect.DeepEqual(findingKeys(breaking.Pair(c)), findingKeys(direct)) {
			b.Fatalf("%s: the repository comparison differs from comparing %s directly", c.Folder, p.Name)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := connectordiff.CompareRevisions(ctx, r.Dir, "HEAD~1", "HEAD"); err != nil {
			b.Fatal(err)
		}
	}
}

// findingKeys is what two comparisons of the same update must agree on:
// each finding's rule, level, message, operations and positions.
func findingKeys(r *breaking.Result) []string {
	var out []string
	for _, f := range r.Findings() {
		k := fmt.Sprint(f.Rule, f.Level, report.Message(f), f.Operations, f.ValuePath, f.File, f.Certification, f.Hosts)
		if f.Old != nil {
			k += fmt.Sprint(" old ", f.Old.Line, f.Old.Column)
		}
		if f.New != nil {
			k += fmt.Sprint(" new ", f.New.Line, f.New.Column)
		}
		out = append(out, k)
	}
	return out
}

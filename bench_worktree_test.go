package connectordiff_test

import (
	"context"
	"testing"
	"time"

	"github.com/connectordiff/connectordiff"
)

// BenchmarkCompareRevisionsSnapshotWorkTree is the gate as gate.sh runs it,
// on the work tree of a checkout of the 20 updates (the snapshot repository
// of BenchmarkCompareRevisionsSnapshot): compare --base HEAD~1, which hashes
// the work tree's connector files instead of asking git for a diff. The staged
// variant reads the index, which holds the same files.
func BenchmarkCompareRevisionsSnapshotWorkTree(b *testing.B) {
	r, _ := snapshotRepo(b)
	r.Git(time.Time{}, "checkout", "-q", "HEAD")
	ctx := context.Background()
	for _, mode := range []struct {
		name string
		opts []connectordiff.Option
	}{{"work tree", nil}, {"staged", []connectordiff.Option{connectordiff.Staged()}}} {
		b.Run(mode.name, func(b *testing.B) {
			rr, err := connectordiff.CompareRevisions(ctx, r.Dir, "HEAD~1", "", mode.opts...)
			if err != nil {
				b.Fatal(err)
			}
			if len(rr.Connectors) != 20 {
				b.Fatalf("%d connectors compared, want 20", len(rr.Connectors))
			}
			for b.Loop() {
				if _, err := connectordiff.CompareRevisions(ctx, r.Dir, "HEAD~1", "", mode.opts...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package history_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/connectordiff/connectordiff/history"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// corpusHistory is the corpus history repository (see corpus.HistoryRepo):
// the one in CONNECTORDIFF_HISTORY_REPO when it holds one already, else
// built in a temporary folder (about 20 s).
func corpusHistory(b testing.TB) string {
	if dir := os.Getenv(corpus.HistoryEnvVar); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		corpus.HistoryRepo(b, dir)
		return dir
	}
	dir := b.TempDir()
	corpus.HistoryRepo(b, dir)
	return dir
}

// BenchmarkHistoryCorpus is the whole history of a repository the size of
// microsoft/PowerPlatformConnectors (1,600 first-parent commits, 1,000
// connectors, 1,030 updates), written as JSON to nowhere.
func BenchmarkHistoryCorpus(b *testing.B) {
	dir := corpusHistory(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		sink, err := history.NewRenderer(io.Discard, report.FormatJSON, report.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := history.Run(ctx, dir, history.Options{}, sink); err != nil {
			b.Fatal(err)
		}
	}
}

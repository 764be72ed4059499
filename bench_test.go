package connectordiff_test

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	whatchanged "github.com/pb33f/libopenapi/what-changed"
	"github.com/pb33f/libopenapi/what-changed/model"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// The benchmarks run on the corpus pair with the largest definitions (see
// internal/corpus) and skip when the corpus is absent.

// largestPairBytes reads the largest pair of the corpus.
func largestPairBytes(b *testing.B) (p corpus.Pair, old, new []byte) {
	b.Helper()
	p = corpus.LargestPair(b)
	old, err := os.ReadFile(p.OldSwagger)
	if err != nil {
		b.Fatal(err)
	}
	new, err = os.ReadFile(p.NewSwagger)
	if err != nil {
		b.Fatal(err)
	}
	logLargestPair.Do(func() { b.Logf("largest pair: %s (%d + %d bytes)", p.Name, len(old), len(new)) })
	return p, old, new
}

// Benchmarks log what they run on once per process, not once per -count.
var logLargestPair, logWhatChanged sync.Once

// BenchmarkCompareLargestPair is the library's whole pipeline on bytes in
// memory: load both definitions, compare, judge, write the JSON report.
func BenchmarkCompareLargestPair(b *testing.B) {
	p, old, new := largestPairBytes(b)
	ctx := context.Background()
	opt := connectordiff.WithNames(p.Name+"/old", p.Name+"/new")
	b.ReportAllocs()
	for b.Loop() {
		res, err := connectordiff.Compare(ctx, old, new, opt)
		if err != nil {
			b.Fatal(err)
		}
		if err := report.JSON(io.Discard, res, report.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWhatChangedLargestPair is libopenapi's own comparison of the same
// pair, for scale: parse both documents, build both Swagger models, and run
// what-changed on their low-level models.
func BenchmarkWhatChangedLargestPair(b *testing.B) {
	_, old, new := largestPairBytes(b)
	run := func() (*model.DocumentChanges, error) {
		od, err := libopenapi.NewDocument(old)
		if err != nil {
			return nil, err
		}
		nd, err := libopenapi.NewDocument(new)
		if err != nil {
			return nil, err
		}
		// BuildV2Model returns the model along with non-fatal errors (such as
		// circular references); only a missing model stops the comparison.
		om, err := od.BuildV2Model()
		if om == nil {
			return nil, err
		}
		nm, err := nd.BuildV2Model()
		if nm == nil {
			return nil, err
		}
		return whatchanged.CompareSwaggerDocuments(om.Model.GoLow(), nm.Model.GoLow()), nil
	}
	// Fail fast, outside the timed loop.
	changes, err := run()
	if err != nil {
		b.Fatal(err)
	}
	logWhatChanged.Do(func() {
		if changes == nil {
			b.Log("what-changed: no change")
		} else {
			b.Logf("what-changed: %d changes, %d breaking", changes.TotalChanges(), changes.TotalBreakingChanges())
		}
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := run(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCLILargestPair is the whole command-line tool as a CI job runs it:
// one process per comparison, writing the JSON report (discarded here).
func BenchmarkCLILargestPair(b *testing.B) {
	p := corpus.LargestPair(b)
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("the go command is not on PATH: cannot build ./cmd/connectordiff")
	}
	bin := filepath.Join(b.TempDir(), "connectordiff")
	build := exec.Command(goTool, "build", "-o", bin, "./cmd/connectordiff")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build ./cmd/connectordiff: %v\n%s", err, out)
	}
	run := func() {
		cmd := exec.Command(bin, "compare", "--format", "json", p.OldSwagger, p.NewSwagger)
		var stderr limitedBuffer
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil: // no breaking finding
		case errors.As(err, &exit) && exit.ExitCode() == 1: // breaking findings: fine
		default:
			b.Fatalf("connectordiff compare --format json %s %s: %v\n%s", p.OldSwagger, p.NewSwagger, err, stderr.buf)
		}
	}
	run() // fail fast, outside the timed loop
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}

// limitedBuffer keeps the first 4 KiB written to it.
type limitedBuffer struct{ buf []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - len(l.buf); room > 0 {
		l.buf = append(l.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

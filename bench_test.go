package connectordiff_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
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
	benchWhatChanged(b, old, new, &logWhatChanged)
}

// whatChanged parses both documents, builds both Swagger models and runs
// what-changed on their low-level models.
func whatChanged(old, new []byte) (*model.DocumentChanges, error) {
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

func benchWhatChanged(b *testing.B, old, new []byte, logOnce *sync.Once) {
	run := func() (*model.DocumentChanges, error) { return whatChanged(old, new) }
	// Fail fast, outside the timed loop.
	changes, err := run()
	if err != nil {
		b.Fatal(err)
	}
	logOnce.Do(func() {
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

// benchCompare is the library's whole pipeline on one pair in memory: load
// both definitions, compare, judge, write the JSON report.
func benchCompare(b *testing.B, name string, old, new []byte) {
	ctx := context.Background()
	opt := connectordiff.WithNames(name+"/old", name+"/new")
	b.SetBytes(int64(len(old) + len(new)))
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

// medianPair is the valid corpus pair of median size (old plus new bytes).
func medianPair(b *testing.B) (p corpus.Pair, old, new []byte) {
	b.Helper()
	type sized struct {
		p    corpus.Pair
		size int64
	}
	var all []sized
	for _, p := range corpus.Pairs(b) {
		if p.Invalid {
			continue
		}
		var size int64
		for _, f := range []string{p.OldSwagger, p.NewSwagger} {
			st, err := os.Stat(f)
			if err != nil {
				b.Fatal(err)
			}
			size += st.Size()
		}
		all = append(all, sized{p, size})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].size < all[j].size })
	p = all[len(all)/2].p
	old, err := os.ReadFile(p.OldSwagger)
	if err != nil {
		b.Fatal(err)
	}
	new, err = os.ReadFile(p.NewSwagger)
	if err != nil {
		b.Fatal(err)
	}
	logMedianPair.Do(func() { b.Logf("median pair: %s (%d + %d bytes)", p.Name, len(old), len(new)) })
	return p, old, new
}

var logMedianPair, logWhatChangedMedian, logAllPairs sync.Once

// BenchmarkCompareMedianPair: the library on the pair of median size.
func BenchmarkCompareMedianPair(b *testing.B) {
	p, old, new := medianPair(b)
	benchCompare(b, p.Name, old, new)
}

// BenchmarkWhatChangedMedianPair: what-changed on the same pair, for scale.
func BenchmarkWhatChangedMedianPair(b *testing.B) {
	_, old, new := medianPair(b)
	benchWhatChanged(b, old, new, &logWhatChangedMedian)
}

// validPairs lists the corpus pairs whose definitions are strict JSON.
func validPairs(b *testing.B) []corpus.Pair {
	var out []corpus.Pair
	for _, p := range corpus.Pairs(b) {
		if !p.Invalid {
			out = append(out, p)
		}
	}
	return out
}

// BenchmarkCompareAllPairs compares every valid corpus pair (400 updates)
// in one process, as a repository-wide gate does: CompareBatch loads each
// file once and spreads the pairs over the cores; each JSON report is
// written (and discarded).
func BenchmarkCompareAllPairs(b *testing.B) {
	var pairs []connectordiff.Pair
	var size int64
	for _, p := range validPairs(b) {
		pairs = append(pairs, connectordiff.Pair{Old: p.OldSwagger, New: p.NewSwagger})
		for _, f := range []string{p.OldSwagger, p.NewSwagger} {
			if st, err := os.Stat(f); err == nil {
				size += st.Size()
			}
		}
	}
	logAllPairs.Do(func() { b.Logf("all pairs: %d pairs, %d bytes", len(pairs), size) })
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		err := connectordiff.CompareEach(context.Background(), pairs, func(i int, r connectordiff.PairResult) error {
			if r.Err != nil {
				return r.Err
			}
			return report.JSON(io.Discard, r.Result, report.Options{})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWhatChangedAllPairs runs what-changed on the same pairs, one after
// the other (libopenapi parallelises inside a document), reading the files
// each time as the batch does.
func BenchmarkWhatChangedAllPairs(b *testing.B) {
	pairs := validPairs(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pairs {
			old, err := os.ReadFile(p.OldSwagger)
			if err != nil {
				b.Fatal(err)
			}
			new, err := os.ReadFile(p.NewSwagger)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := whatChanged(old, new); err != nil {
				b.Fatalf("%s: %v", p.Name, err)
			}
		}
	}
}

// scales are the sizes of the synthetic documents, in copies of the
// largest pair.
var scales = []int{1, 4, 16}

// BenchmarkCompareScaled compares synthetic documents made of 1, 4 and 16
// copies of the largest pair (see scaled), to show how time grows with size.
func BenchmarkCompareScaled(b *testing.B) {
	p, old, new := largestPairBytes(b)
	for _, k := range scales {
		o, n := scaled(b, old, k), scaled(b, new, k)
		b.Run(fmt.Sprintf("x%d", k), func(b *testing.B) { benchCompare(b, p.Name, o, n) })
	}
}

// BenchmarkWhatChangedScaled runs what-changed on the same documents.
func BenchmarkWhatChangedScaled(b *testing.B) {
	_, old, new := largestPairBytes(b)
	for _, k := range scales {
		o, n := scaled(b, old, k), scaled(b, new, k)
		var once sync.Once
		b.Run(fmt.Sprintf("x%d", k), func(b *testing.B) { benchWhatChanged(b, o, n, &once) })
	}
}

// scaled makes a definition k times as large: the paths, definitions,
// parameters and responses repeated with a suffix on every name (path,
// operationId, definition key, $ref), so that each copy is a distinct part
// of the document and an update to it is an update to every copy. The
// result is indented JSON, like real connector files.
func scaled(b *testing.B, data []byte, k int) []byte {
	b.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		b.Fatal(err)
	}
	if k > 1 {
		for _, section := range []string{"paths", "definitions", "parameters", "responses"} {
			m, _ := doc[section].(map[string]any)
			out := map[string]any{}
			for key, v := range m {
				for c := 0; c < k; c++ {
					suffix := ""
					if c > 0 {
						suffix = fmt.Sprintf("_%d", c)
					}
					nk := key + suffix
					if section == "paths" && strings.HasPrefix(key, "/") {
						nk = "/" + strconv.Itoa(c) + key
						if c == 0 {
							nk = key
						}
					}
					out[nk] = renamed(v, suffix)
				}
			}
			if m != nil {
				doc[section] = out
			}
		}
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// renamed copies a JSON value, adding suffix to every operationId and to
// the name each local $ref points at.
func renamed(v any, suffix string) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			switch s, ok := x.(string); {
			case ok && k == "$ref" && strings.HasPrefix(s, "#/"):
				out[k] = s + suffix
			case ok && k == "operationId":
				out[k] = s + suffix
			default:
				out[k] = renamed(x, suffix)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = renamed(x, suffix)
		}
		return out
	}
	return v
}

// BenchmarkHostileShapes compares the shapes of hostile_schema_test.go at
// growing sizes, whole pipeline (load, compare, judge): time per link or
// level stays flat when the comparison is linear. A 10,000-link chain took
// 60 s and a 25-level diamond 16 s when the walk re-ran per path.
func BenchmarkHostileShapes(b *testing.B) {
	type shape struct {
		name     string
		unit     string
		sizes    []int
		old, new func(n int) string
	}
	for _, s := range []shape{
		{"chain", "link", []int{1_000, 10_000, 40_000},
			func(n int) string { return refChain(n, "string") }, func(n int) string { return refChain(n, "integer") }},
		{"diamond", "level", []int{10, 100, 1_000},
			func(n int) string { return refDiamond(n, "string") }, func(n int) string { return refDiamond(n, "integer") }},
		{"diamond-in-base", "level", []int{10, 100, 1_000},
			func(n int) string { return refDiamond(n, "string") }, func(int) string { return refLoop() }},
		{"nesting", "level", []int{100, 1_000, 4_990},
			func(n int) string { return nestedSchema(n, "string") }, func(n int) string { return nestedSchema(n, "integer") }},
	} {
		for _, n := range s.sizes {
			old, new := []byte(s.old(n)), []byte(s.new(n))
			b.Run(fmt.Sprintf("%s/%d", s.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					res, err := connectordiff.Compare(context.Background(), old, new)
					if err != nil {
						b.Fatal(err)
					}
					if len(res.Findings()) == 0 {
						b.Fatal("the change was not found")
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/"+s.unit)
			})
		}
	}
}

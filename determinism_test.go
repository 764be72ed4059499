package connectordiff_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// determinismRuns is how many times TestDeterministicOutput renders each pair.
const determinismRuns = 20

// namedPair is a pair of definitions to compare.
type namedPair struct {
	name     string
	old, new []byte
}

// determinismPairs returns the example pair and, when the corpus is present,
// the largest pair and the pairs with the most findings (they exercise the
// most sorting and merging).
func determinismPairs(t *testing.T, most int) []namedPair {
	t.Helper()
	read := func(p string) []byte {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		return data
	}
	out := []namedPair{{"example", read("testdata/example/old.json"), read("testdata/example/new.json")}}
	if corpus.Find() == "" {
		return out
	}
	largest := corpus.LargestPair(t)
	out = append(out, namedPair{largest.Name, read(largest.OldSwagger), read(largest.NewSwagger)})
	rankOnce.Do(func() {
		for _, p := range sweep(t, "pairs ranked by findings", corpus.Pairs(t), 4) {
			if p.Invalid || p.Name == largest.Name {
				continue
			}
			np := namedPair{p.Name, read(p.OldSwagger), read(p.NewSwagger)}
			res, err := connectordiff.Compare(context.Background(), np.old, np.new)
			require.NoError(t, err, p.Name)
			ranked = append(ranked, scoredPair{np, len(res.Findings())})
		}
		sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].findings > ranked[j].findings })
	})
	for _, s := range ranked[:min(most, len(ranked))] {
		out = append(out, s.pair)
	}
	return out
}

// ranked lists the valid corpus pairs but the largest, most findings first,
// computed once for the tests that use it.
var (
	rankOnce sync.Once
	ranked   []scoredPair
)

type scoredPair struct {
	pair     namedPair
	findings int
}

// renderPair compares a pair and writes both reports, verbose text included.
func renderPair(t *testing.T, p namedPair, opts ...connectordiff.Option) []byte {
	t.Helper()
	opts = append([]connectordiff.Option{connectordiff.WithNames(p.name+"/old", p.name+"/new")}, opts...)
	res, err := connectordiff.Compare(context.Background(), p.old, p.new, opts...)
	require.NoError(t, err, p.name)
	out, err := render(context.Background(), p.old, p.new)
	require.NoError(t, err, p.name)
	var b bytes.Buffer
	b.Write(out)
	fmt.Fprintf(&b, "\n%d findings\n", len(res.Findings()))
	for _, f := range res.Findings() {
		fmt.Fprintf(&b, "%s %s %s %v %v %q\n", f.Level, f.Rule, report.Message(f), f.Old, f.New, f.Operations)
	}
	return b.Bytes()
}

// TestDeterministicOutput renders each pair determinismRuns times, and again
// with GOMAXPROCS 1 and 2: every rendering must be byte-identical.
func TestDeterministicOutput(t *testing.T) {
	pairs := determinismPairs(t, 5)
	runs := 5
	switch {
	case corpus.Long():
		runs = determinismRuns
	case raceEnabled || testing.Short():
		runs = 3 // the race detector makes each run several times slower
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			want := renderPair(t, p)
			for i := 1; i < runs; i++ {
				if got := renderPair(t, p); !bytes.Equal(got, want) {
					t.Fatalf("run %d differs from run 1:\n%s", i+1, firstDifference(want, got))
				}
			}
			for _, procs := range []int{1, 2} {
				prev := runtime.GOMAXPROCS(procs)
				got := renderPair(t, p)
				runtime.GOMAXPROCS(prev)
				if !bytes.Equal(got, want) {
					t.Fatalf("GOMAXPROCS=%d differs:\n%s", procs, firstDifference(want, got))
				}
			}
			t.Logf("%s: %d identical renderings (%d bytes), and with GOMAXPROCS 1 and 2", p.name, runs, len(want))
		})
	}
}

// firstDifference shows the first line where two renderings differ.
func firstDifference(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d and %d lines", len(al), len(bl))
}

// TestConcurrentCompare runs comparisons side by side, with different rule
// levels and on shared loaded documents, and checks each against the same
// comparison run alone. Under -race it also proves there is no data race.
func TestConcurrentCompare(t *testing.T) {
	pairs := determinismPairs(t, 3)
	if len(pairs) > 2 {
		pairs = append(pairs[:1], pairs[2:]...) // the largest pair makes this slow under -race
	}
	levels := [][]connectordiff.Option{
		nil,
		{connectordiff.WithLevel("operation-path-changed", breaking.Warning), connectordiff.WithLevel("response-property-removed", breaking.Info)},
		{connectordiff.WithLevel("response-property-removed", breaking.Off), connectordiff.WithLevel("operation-added", breaking.Breaking)},
	}
	type job struct {
		pair   namedPair
		opts   []connectordiff.Option
		want   []byte
		od, nd *connector.Document
	}
	var jobs []job
	for _, p := range pairs {
		od, err := connector.Load(p.name+"/old", p.old, connector.LoadOptions{})
		require.NoError(t, err)
		nd, err := connector.Load(p.name+"/new", p.new, connector.LoadOptions{})
		require.NoError(t, err)
		for _, opts := range levels {
			jobs = append(jobs, job{p, opts, summarize(t, p, opts, nil, nil), od, nd})
		}
	}
	const workers, rounds = 8, 3
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*len(jobs))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				for i := range jobs {
					j := jobs[(i+w)%len(jobs)] // each worker starts elsewhere
					var od, nd *connector.Document
					if (w+r)%2 == 0 {
						od, nd = j.od, j.nd // documents shared by every worker
					}
					if got := summarize(t, j.pair, j.opts, od, nd); !bytes.Equal(got, j.want) {
						errs <- fmt.Errorf("worker %d round %d, %s: differs from the comparison run alone:\n%s", w, r, j.pair.name, firstDifference(j.want, got))
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d workers x %d rounds x %d comparisons agreed with the comparisons run alone", workers, rounds, len(jobs))
}

// summarize renders the findings of a comparison, from bytes or from
// documents already loaded.
func summarize(t *testing.T, p namedPair, opts []connectordiff.Option, od, nd *connector.Document) []byte {
	var res *breaking.Result
	var err error
	if od != nil {
		res, err = connectordiff.CompareDocuments(context.Background(), od, nd, opts...)
	} else {
		all := append([]connectordiff.Option{connectordiff.WithNames(p.name+"/old", p.name+"/new")}, opts...)
		res, err = connectordiff.Compare(context.Background(), p.old, p.new, all...)
	}
	if err != nil {
		t.Error(err)
		return nil
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%+v\n", res.Summary)
	for _, f := range res.Findings() {
		fmt.Fprintf(&b, "%s %s %s %v %v %q\n", f.Level, f.Rule, report.Message(f), f.Old, f.New, f.Operations)
	}
	return b.Bytes()
}

// TestNoProcessGlobalState: libopenapi's what-changed keeps its
// breaking-rules configuration in a process-wide variable, so no package of
// the module may use it (tests may, to benchmark against it).
func TestNoProcessGlobalState(t *testing.T) {
	const forbidden = "github.com/pb33f/libopenapi/what-changed"
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, forbidden) {
				t.Errorf("%s imports %s, whose breaking-rules configuration is process-global", path, p)
			}
		}
		return nil
	})
	require.NoError(t, err)
	require.NotZero(t, checked)
}

// TestCompareHonoursContext: a cancelled context or a passed deadline stops
// a comparison promptly with the context's error.
func TestCompareHonoursContext(t *testing.T) {
	old, new := manyOperations(wide, -1), manyOperations(wide, 7)
	od, err := connector.Load("old", old, connector.LoadOptions{})
	require.NoError(t, err)
	nd, err := connector.Load("new", new, connector.LoadOptions{})
	require.NoError(t, err)
	start := time.Now()
	_, err = connectordiff.CompareDocuments(context.Background(), od, nd)
	require.NoError(t, err)
	full := time.Since(start)

	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := connectordiff.CompareDocuments(ctx, od, nd)
		assert.ErrorIs(t, err, context.Canceled)
		_, err = connectordiff.Compare(ctx, old, new)
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("deadline", func(t *testing.T) {
		deadline := full / 10
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		start := time.Now()
		_, err := connectordiff.CompareDocuments(ctx, od, nd)
		took := time.Since(start)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, took, deadline+full/4, "stopped %v after the start, deadline %v, a full comparison takes %v", took, deadline, full)
		t.Logf("full comparison %v; with a %v deadline it stopped after %v", full.Round(time.Millisecond), deadline.Round(time.Millisecond), took.Round(time.Millisecond))
	})
	t.Run("cancelled during", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(full/10, cancel)
		start := time.Now()
		_, err := connectordiff.CompareDocuments(ctx, od, nd)
		assert.True(t, errors.Is(err, context.Canceled), "err = %v", err)
		assert.Less(t, time.Since(start), full/10+full/4)
	})
}

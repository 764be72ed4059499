package connectordiff_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// fuzzHang is how long one comparison may take before FuzzCompare declares a
// hang: the watchdog panics, which the fuzzer records as a crasher.
const fuzzHang = 30 * time.Second

// fuzzPairMaxBytes keeps seed pairs small enough for the mutator.
const fuzzPairMaxBytes = 16 << 10

// fuzzCorpusPairs is how many corpus pairs at most seed FuzzCompare.
const fuzzCorpusPairs = 16

// FuzzCompare runs the whole pipeline (load, compare, judge, both reports)
// on a pair the fuzzer mutates. It must not panic or hang, must give the same
// report twice, and a document that loads must compare clean with itself.
func FuzzCompare(f *testing.F) {
	for _, p := range seedPairs(f) {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, old, new []byte) {
		stop := time.AfterFunc(fuzzHang, func() {
			panic(fmt.Sprintf("Compare: still running after %v on %d + %d bytes (hang)", fuzzHang, len(old), len(new)))
		})
		defer stop.Stop()
		ctx := context.Background()
		first, err := render(ctx, old, new)
		if err != nil {
			var le *connector.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error is a %T, want *connector.LoadError: %v", err, err)
			}
			return
		}
		second, err := render(ctx, old, new)
		if err != nil || !bytes.Equal(first, second) {
			t.Fatalf("the same pair gave two different reports (err %v):\n%s\n---\n%s", err, first, second)
		}
		res, err := connectordiff.Compare(ctx, old, old)
		if err != nil {
			t.Fatalf("old loaded in the pair but not alone: %v", err)
		}
		if len(res.Findings()) > 0 {
			t.Fatalf("old compared with itself: %s", describeFindings(res))
		}
	})
}

// render compares a pair and writes both reports, as the command would.
func render(ctx context.Context, old, new []byte) ([]byte, error) {
	res, err := connectordiff.Compare(ctx, old, new)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := report.JSON(&b, res, report.Options{}); err != nil {
		return nil, err
	}
	if err := report.Text(&b, res, report.Options{Explain: true}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// seedPairs returns the example pair, every case of the rule fixtures and,
// when the corpus is present, a fixed sample of its small pairs.
func seedPairs(tb testing.TB) [][2][]byte {
	tb.Helper()
	var out [][2][]byte
	read := func(p string) []byte {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		return data
	}
	out = append(out, [2][]byte{read("testdata/example/old.json"), read("testdata/example/new.json")})
	files, err := filepath.Glob("testdata/rules/*.txtar")
	if err != nil {
		tb.Fatal(err)
	}
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		docs := map[string][]byte{}
		for _, f := range ar.Files {
			docs[f.Name] = f.Data
		}
		for _, f := range ar.Files {
			if c, ok := strings.CutSuffix(f.Name, ".old.yaml"); ok && docs[c+".new.yaml"] != nil {
				out = append(out, [2][]byte{f.Data, docs[c+".new.yaml"]})
			}
		}
	}
	if corpus.Find() == "" {
		return out
	}
	var small []corpus.Pair
	for _, p := range corpus.Pairs(tb) {
		so, e1 := os.Stat(p.OldSwagger)
		sn, e2 := os.Stat(p.NewSwagger)
		if e1 == nil && e2 == nil && so.Size()+sn.Size() <= fuzzPairMaxBytes {
			small = append(small, p)
		}
	}
	n := min(len(small), fuzzCorpusPairs)
	for i := 0; i < n; i++ {
		p := small[i*len(small)/n]
		out = append(out, [2][]byte{read(p.OldSwagger), read(p.NewSwagger)})
	}
	return out
}

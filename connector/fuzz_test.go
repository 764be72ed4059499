package connector_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/internal/corpus"
)

// The fuzz targets run their seeds (f.Add and testdata/fuzz/FuzzXxx) under a
// plain `go test`; `go test -fuzz FuzzXxx` mutates them. Each input must
// load (or fail) without a panic, within fuzzHang, and the same way twice.

// fuzzHang is how long one input may take before the target declares a hang.
// A hang cannot be recovered in the same goroutine, so the watchdog panics,
// which makes the fuzzer record the input as a crasher.
const fuzzHang = 30 * time.Second

// watchdog panics when the returned stop function is not called within
// fuzzHang.
func watchdog(what string, data []byte) (stop func()) {
	t := time.AfterFunc(fuzzHang, func() {
		panic(fmt.Sprintf("%s: still running after %v on %d bytes of input (hang)", what, fuzzHang, len(data)))
	})
	return func() { t.Stop() }
}

// fuzzSeedMaxBytes keeps seeds small: the mutator is slow on large inputs and
// small ones reach the same code.
const fuzzSeedMaxBytes = 16 << 10

// fuzzCorpusSeeds is how many corpus files at most seed a target.
const fuzzCorpusSeeds = 24

// seedDocuments returns the seed documents: the loader's testdata, the
// example pair, every document of the rule fixtures and, when the corpus is
// present, a fixed sample of its small definitions.
func seedDocuments(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	add := func(data []byte) {
		if len(data) <= fuzzSeedMaxBytes {
			out = append(out, data)
		}
	}
	files, err := filepath.Glob(filepath.Join("testdata", "load", "*"))
	if err != nil {
		tb.Fatal(err)
	}
	ex, _ := filepath.Glob(filepath.Join("..", "testdata", "example", "*.json"))
	for _, f := range append(files, ex...) {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		add(data)
	}
	rules, _ := filepath.Glob(filepath.Join("..", "testdata", "rules", "*.txtar"))
	for _, f := range rules {
		ar, err := txtar.ParseFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, file := range ar.Files {
			add(file.Data)
		}
	}
	for _, f := range corpusSample(tb) {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		add(data)
	}
	return out
}

// corpusSample picks up to fuzzCorpusSeeds small definitions of the corpus
// (both sides of the pairs, valid and _invalid, and the snapshot), evenly
// spread over the sorted list so that the sample is the same on every run.
func corpusSample(tb testing.TB) []string {
	tb.Helper()
	dir := corpus.Find()
	if dir == "" {
		return nil
	}
	var small []string
	for _, pattern := range []string{
		filepath.Join(dir, "pairs", "*", "*", "*", corpus.SwaggerFile),
		filepath.Join(dir, "pairs", corpus.InvalidDir, "*", "*", "*", corpus.SwaggerFile),
		filepath.Join(dir, "snapshot", "*", corpus.SwaggerFile),
	} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range m {
			if st, err := os.Stat(f); err == nil && st.Size() <= fuzzSeedMaxBytes {
				small = append(small, f)
			}
		}
	}
	sort.Strings(small)
	if len(small) <= fuzzCorpusSeeds {
		return small
	}
	out := make([]string, 0, fuzzCorpusSeeds)
	for i := 0; i < fuzzCorpusSeeds; i++ {
		out = append(out, small[i*len(small)/fuzzCorpusSeeds])
	}
	return out
}

// hostileSeeds are short inputs aimed at the loader's edges.
var hostileSeeds = []string{
	"",
	" \n\t",
	"null",
	"[]",
	"42",
	`"swagger"`,
	"{}",
	`{"swagger": "2.0"}`,
	`{"openapi": "3.0.0"}`,
	"swagger: '2.0'\npaths:\n  /a:\n    get: &a {operationId: x, responses: {200: {description: ok}}}\n    put: *a\n",
	"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nswagger: '2.0'\n",
	`{"swagger":"2.0","paths":{"/a":{"get":{"parameters":[{"$ref":"#/parameters/p"}]}}},"parameters":{"p":{"$ref":"#/parameters/p"}}}`,
	`{"swagger":"2.0","definitions":{"A":{"items":{"$ref":"#/definitions/A"}}}}`,
	`{"swagger":"2.0","x":{"$ref":"file:///etc/passwd"},"y":{"$ref":"http://example.com/x.json#/a"}}`,
	"{\"swagger\": \"2.0\", \"a\": 1, \"a\": 2,}",
	"\xEF\xBB\xBF{\"swagger\": \"2.0\", \"info\": {\"title\": \"\x93x\x94\"}}",
	"{\"swagger\": \"2.0\", \"d\": \"a\nb\", \"n\": NaN}",
	"{\"swagger\": \"2.0\"\u2003}",
	strings.Repeat("[", 300) + strings.Repeat("]", 300),
	"{\"swagger\": \"2.0\", \"a\": " + strings.Repeat("{\"a\": ", 300) + "1" + strings.Repeat("}", 300) + "}",
}

func FuzzLoad(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	for _, d := range seedDocuments(f) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		stop := watchdog("Load", data)
		defer stop()
		doc, err := connector.Load("fuzz", data, connector.LoadOptions{})
		checkLoadOutcome(t, data, doc, err)
		// The same bytes load the same way again.
		doc2, err2 := connector.Load("fuzz", data, connector.LoadOptions{})
		if fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("two loads of the same bytes differ: %v / %v", err, err2)
		}
		if doc != nil && !equalDocs(doc, doc2) {
			t.Fatalf("two loads of the same bytes give different documents")
		}
		if doc != nil {
			// A document compared with itself has no change.
			changes, err := diff.Compare(context.Background(), doc, doc2)
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) > 0 {
				t.Fatalf("a document compared with itself: %d change(s), first %s %s", len(changes), changes[0].Kind, changes[0].Subject)
			}
		}
	})
}

// checkLoadOutcome checks what every load must give: a document whose root
// is a mapping with sorted, located notes, or a *LoadError that wraps one of
// the sentinels and says something.
func checkLoadOutcome(t *testing.T, data []byte, doc *connector.Document, err error) {
	t.Helper()
	if err != nil {
		if doc != nil {
			t.Fatalf("both a document and an error: %v", err)
		}
		var le *connector.LoadError
		if !errors.As(err, &le) {
			t.Fatalf("error is a %T, want *connector.LoadError: %v", err, err)
		}
		if !errors.Is(err, connector.ErrSyntax) && !errors.Is(err, connector.ErrNotSwagger2) && !errors.Is(err, connector.ErrEmpty) && !errors.Is(err, connector.ErrTooLarge) {
			t.Fatalf("error wraps none of the sentinels: %v", err)
		}
		if le.Msg == "" || le.Line < 0 || le.Column < 0 || le.Line == 0 && le.Column != 0 {
			t.Fatalf("malformed error %#v", le)
		}
		return
	}
	if doc == nil || doc.Root == nil || doc.Root.Kind() != connector.Object {
		t.Fatalf("no error, but no document with a mapping root")
	}
	lines := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) + 1
	for i, n := range doc.Notes {
		if n.Message == "" || n.Line < 0 || n.Line > lines || n.Line > 0 && n.Column <= 0 {
			t.Fatalf("malformed note %#v (input has at most %d lines)", n, lines)
		}
		if i > 0 {
			p := doc.Notes[i-1]
			if p.Line > n.Line || p.Line == n.Line && p.Column > n.Column {
				t.Fatalf("notes out of order: %v before %v", p, n)
			}
		}
	}
	seen := map[string]bool{}
	for _, id := range doc.OperationIDs() {
		if seen[id] {
			t.Fatalf("operation %q listed twice", id)
		}
		seen[id] = true
	}
}

// equalDocs compares what a load produced: notes, operations and the tree.
func equalDocs(a, b *connector.Document) bool {
	return fmt.Sprint(a.Notes) == fmt.Sprint(b.Notes) &&
		strings.Join(a.OperationIDs(), "\n") == strings.Join(b.OperationIDs(), "\n") &&
		connector.SameTree(a.Root, b.Root)
}

func FuzzRepairJSON(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	for _, d := range seedDocuments(f) {
		if c := connector.BlankUntil(d); c < len(d) && (d[c] == '{' || d[c] == '[') {
			f.Add(d)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		stop := watchdog("RepairJSON", data)
		defer stop()
		out, notes, err := connector.RepairJSON("fuzz", data)
		if err != nil {
			var le *connector.LoadError
			if !errors.As(err, &le) || !errors.Is(err, connector.ErrSyntax) && !errors.Is(err, connector.ErrEmpty) {
				t.Fatalf("error is not a *connector.LoadError wrapping ErrSyntax or ErrEmpty: %T %v", err, err)
			}
			if out != nil {
				t.Fatalf("bytes returned with an error")
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("repaired bytes are not valid JSON: %q", out)
		}
		if len(notes) == 0 && !bytes.Equal(out, data) {
			t.Fatalf("bytes changed without a note")
		}
		if len(notes) > 0 && bytes.Equal(out, data) {
			t.Fatalf("notes %v, but nothing changed", notes)
		}
		lines := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}) + 1
		for _, n := range notes {
			if n.Line < 1 || n.Line > lines || n.Column < 1 || n.Message == "" {
				t.Fatalf("malformed note %#v (input has at most %d lines)", n, lines)
			}
		}
		// Repairing is idempotent: the output needs no further repair.
		again, notes2, err := connector.RepairJSON("fuzz", out)
		if err != nil || len(notes2) > 0 || !bytes.Equal(again, out) {
			t.Fatalf("repairing the repaired bytes again: err %v, notes %v, changed %v", err, notes2, !bytes.Equal(again, out))
		}
	})
}

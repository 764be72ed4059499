package connectordiff_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	yaml "github.com/pb33f/go-yaml"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// The corpus tests run the engine over real connector updates (see
// internal/corpus); they skip when the corpus is absent.

// corpusTimeout bounds one comparison: a comparison still running after it
// counts as a hang.
const corpusTimeout = 20 * time.Second

// corpusShowFindings is how many findings a failure lists.
const corpusShowFindings = 10

// guarded is the outcome of a comparison run by guardedCompare.
type guarded struct {
	res *breaking.Result
	err error
	ok  bool // false: it panicked or hung, and the test already failed
}

// guardedCompare runs compare in its own goroutine under a corpusTimeout
// deadline and turns a panic or a hang into a failure of t naming what.
// It also waits out a comparison that ignores its context for a while,
// since loading a document takes none.
func guardedCompare(t *testing.T, what string, compare func(ctx context.Context) (*breaking.Result, error)) guarded {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), corpusTimeout)
	defer cancel()
	type outcome struct {
		res      *breaking.Result
		err      error
		panicked any
		stack    []byte
	}
	ch := make(chan outcome, 1)
	start := time.Now()
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- outcome{panicked: r, stack: debug.Stack()}
			}
		}()
		res, err := compare(ctx)
		ch <- outcome{res: res, err: err}
	}()
	grace := time.NewTimer(corpusTimeout + 10*time.Second)
	defer grace.Stop()
	select {
	case o := <-ch:
		switch {
		case o.panicked != nil:
			t.Errorf("%s: panic: %v\n%s", what, o.panicked, o.stack)
			return guarded{}
		case o.err != nil && (errors.Is(o.err, context.DeadlineExceeded) || ctx.Err() != nil):
			t.Errorf("%s: not done within %v (hang?): after %v: %v", what, corpusTimeout, time.Since(start).Round(time.Millisecond), o.err)
			return guarded{}
		}
		return guarded{res: o.res, err: o.err, ok: true}
	case <-grace.C:
		t.Errorf("%s: hang: still running %v after the start, past its %v deadline", what, time.Since(start).Round(time.Second), corpusTimeout)
		return guarded{}
	}
}

// describeFindings lists the first findings of res, one a line.
func describeFindings(res *breaking.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d finding(s) (breaking %d, warning %d, info %d):", len(res.Findings()),
		res.Summary.Breaking, res.Summary.Warning, res.Summary.Info)
	for i, f := range res.Findings() {
		if i == corpusShowFindings {
			fmt.Fprintf(&b, "\n  ... and %d more", len(res.Findings())-i)
			break
		}
		fmt.Fprintf(&b, "\n  [%s] %s: %s", f.Level, f.Rule, report.Message(f))
		if f.Operation != "" {
			fmt.Fprintf(&b, " (operation %s)", f.Operation)
		}
		if f.ValuePath != "" {
			fmt.Fprintf(&b, " at %s", f.ValuePath)
		}
		if f.Old != nil {
			fmt.Fprintf(&b, " old=%+v", *f.Old)
		}
		if f.New != nil {
			fmt.Fprintf(&b, " new=%+v", *f.New)
		}
		if f.Before != "" || f.After != "" {
			fmt.Fprintf(&b, " before=%q after=%q", clip(f.Before), clip(f.After))
		}
	}
	return b.String()
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}

// invalidSides reads meta.json of an _invalid pair and reports which of its
// swagger files are not strict JSON, with the reasons.
func invalidSides(t *testing.T, p corpus.Pair) (old, new string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(p.Dir, "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Invalid map[string]string `json:"invalid"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		t.Fatalf("%s/meta.json: %v", p.Name, err)
	}
	return meta.Invalid["old/"+corpus.SwaggerFile], meta.Invalid["new/"+corpus.SwaggerFile]
}

// TestCorpusPairsNoPanic compares every pair of the corpus (1 in 4 under the
// race detector; see sweep): valid pairs must
// compare without error, pairs with broken JSON must either be repaired (with
// a note) or refused with a located *connector.LoadError, and no comparison may
// panic or hang.
func TestCorpusPairsNoPanic(t *testing.T) {
	pairs := sweep(t, "pairs", corpus.Pairs(t), 1)
	var (
		mu                     sync.Mutex
		compared, valid, inval int
		byLevel                = map[breaking.Level]int{}
		byRule                 = map[string]int{}
		repaired, rejected     []string
		propsOnly              []string
	)
	record := func(res *breaking.Result) {
		compared++
		for _, f := range res.Findings() {
			byLevel[f.Level]++
			byRule[f.Rule]++
		}
	}
	t.Run("pairs", func(t *testing.T) {
		for _, p := range pairs {
			t.Run(p.Name, func(t *testing.T) {
				t.Parallel()
				old, err := os.ReadFile(p.OldSwagger)
				if err != nil {
					t.Fatal(err)
				}
				new, err := os.ReadFile(p.NewSwagger)
				if err != nil {
					t.Fatal(err)
				}
				var brokenOld, brokenNew string
				if p.Invalid {
					brokenOld, brokenNew = invalidSides(t, p)
				}
				oldName, newName := path.Join(p.Name, "old", corpus.SwaggerFile), path.Join(p.Name, "new", corpus.SwaggerFile)
				g := guardedCompare(t, p.Name, func(ctx context.Context) (*breaking.Result, error) {
					return connectordiff.Compare(ctx, old, new, connectordiff.WithNames(oldName, newName))
				})
				if !g.ok {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if p.Invalid {
					inval++
				} else {
					valid++
				}
				if g.err == nil {
					record(g.res)
					if !p.Invalid {
						return
					}
					if brokenOld == "" && brokenNew == "" {
						// Only an apiProperties.json is broken: the swaggers are strict JSON.
						propsOnly = append(propsOnly, p.Name)
						return
					}
					for _, side := range []struct {
						name, reason string
						notes        []connector.Note
					}{{"old", brokenOld, g.res.Connectors[0].Old.Notes}, {"new", brokenNew, g.res.Connectors[0].New.Notes}} {
						if side.reason != "" && len(side.notes) == 0 {
							t.Errorf("%s: the %s swagger is not strict JSON (%s), yet it loaded without a repair note", p.Name, side.name, side.reason)
						}
					}
					var notes []string
					for _, n := range append(append([]connector.Note(nil), g.res.Connectors[0].Old.Notes...), g.res.Connectors[0].New.Notes...) {
						notes = append(notes, n.String())
					}
					repaired = append(repaired, fmt.Sprintf("%s (old: %q, new: %q): %d note(s), first: %s",
						p.Name, brokenOld, brokenNew, len(notes), notes[0]))
					return
				}
				if brokenOld == "" && brokenNew == "" {
					t.Errorf("%s: %v", p.Name, g.err)
					return
				}
				var le *connector.LoadError
				switch {
				case !errors.As(g.err, &le):
					t.Errorf("%s: the error is a %T, want a *connector.LoadError: %v", p.Name, g.err, g.err)
				case le.Line <= 0 || le.Column <= 0:
					t.Errorf("%s: the error has no position (line %d, column %d): %v", p.Name, le.Line, le.Column, g.err)
				case le.File == oldName && brokenOld == "" || le.File == newName && brokenNew == "":
					t.Errorf("%s: refused %s, which is strict JSON: %v", p.Name, le.File, g.err)
				}
				rejected = append(rejected, fmt.Sprintf("%s (old: %q, new: %q): %v", p.Name, brokenOld, brokenNew, g.err))
			})
		}
	})
	if t.Skipped() {
		return
	}
	t.Logf("pairs compared: %d of %d (valid %d, _invalid %d)", compared, len(pairs), valid, inval)
	t.Logf("findings: breaking %d, warning %d, info %d", byLevel[breaking.Breaking], byLevel[breaking.Warning], byLevel[breaking.Info])
	rules := make([]string, 0, len(byRule))
	for r := range byRule {
		rules = append(rules, r)
	}
	sort.Slice(rules, func(i, j int) bool {
		if byRule[rules[i]] != byRule[rules[j]] {
			return byRule[rules[i]] > byRule[rules[j]]
		}
		return rules[i] < rules[j]
	})
	var rl []string
	for _, r := range rules {
		rl = append(rl, fmt.Sprintf("%s=%d", r, byRule[r]))
	}
	t.Logf("findings by rule: %s", strings.Join(rl, " "))
	sort.Strings(repaired)
	sort.Strings(rejected)
	sort.Strings(propsOnly)
	t.Logf("_invalid pairs: %d repaired, %d rejected, %d with only apiProperties.json broken (swaggers compared as valid)",
		len(repaired), len(rejected), len(propsOnly))
	for _, r := range repaired {
		t.Logf("  repaired: %s", r)
	}
	for _, r := range rejected {
		t.Logf("  rejected: %s", r)
	}
	for _, r := range propsOnly {
		t.Logf("  apiProperties.json only: %s", r)
	}
}

// corpusFile is one distinct valid swagger of the corpus.
type corpusFile struct {
	name string // pairs/<slug>/<range>/old, or snapshot/<slug>
	path string
	also int // how many other corpus files have the same bytes
}

var (
	corpusFilesOnce sync.Once
	corpusFilesList []corpusFile
	corpusFilesErr  error
)

// corpusFiles lists every valid swagger of the pairs (both sides) and of the
// snapshot once per distinct content: many files are byte-identical (the new
// side of one pair is the old side of the next, the snapshot repeats the
// newest versions), and comparing a copy again proves nothing.
func corpusFiles(t *testing.T) []corpusFile {
	t.Helper()
	pairs := corpus.Pairs(t)
	snapshot := corpus.SnapshotSwaggers(t)
	corpusFilesOnce.Do(func() {
		type entry struct{ name, path string }
		var all []entry
		for _, p := range pairs {
			if p.Invalid {
				continue
			}
			all = append(all, entry{"pairs/" + p.Name + "/old", p.OldSwagger}, entry{"pairs/" + p.Name + "/new", p.NewSwagger})
		}
		for _, f := range snapshot {
			all = append(all, entry{"snapshot/" + filepath.Base(filepath.Dir(f)), f})
		}
		seen := map[[32]byte]int{}
		for _, e := range all {
			data, err := os.ReadFile(e.path)
			if err != nil {
				corpusFilesErr = err
				return
			}
			sum := sha256.Sum256(data)
			if i, ok := seen[sum]; ok {
				corpusFilesList[i].also++
				continue
			}
			seen[sum] = len(corpusFilesList)
			corpusFilesList = append(corpusFilesList, corpusFile{name: e.name, path: e.path})
		}
	})
	if corpusFilesErr != nil {
		t.Fatal(corpusFilesErr)
	}
	return corpusFilesList
}

// sweep samples a corpus list for an exhaustive test: every every-th
// element (every*raceSlowdown under the race detector, which makes
// comparisons about ten times slower and is there for data races, not
// invariants), or all of them with CONNECTORDIFF_LONG=1.
func sweep[T any](t *testing.T, what string, list []T, every int) []T {
	t.Helper()
	if raceEnabled {
		every *= raceSlowdown
	}
	return corpus.Sample(t, what, list, every)
}

// raceSlowdown is how many times sparser the sweeps sample under -race.
const raceSlowdown = 4

// TestCorpusSelfCompareIsClean compares every valid swagger of the corpus
// (a sample; see sweep) with itself: there must be no finding at any level.
func TestCorpusSelfCompareIsClean(t *testing.T) {
	files := sweep(t, "distinct files", corpusFiles(t), 3)
	total := 0
	for _, f := range files {
		total += 1 + f.also
	}
	t.Logf("%d distinct valid swaggers among %d files (pairs old and new, snapshot)", len(files), total)
	t.Run("files", func(t *testing.T) {
		for _, f := range files {
			t.Run(f.name, func(t *testing.T) {
				t.Parallel()
				data, err := os.ReadFile(f.path)
				if err != nil {
					t.Fatal(err)
				}
				g := guardedCompare(t, f.name, func(ctx context.Context) (*breaking.Result, error) {
					return connectordiff.Compare(ctx, data, data, connectordiff.WithNames(f.name, f.name))
				})
				switch {
				case !g.ok:
				case g.err != nil:
					t.Errorf("%s: %v", f.name, g.err)
				case len(g.res.Findings()) > 0:
					t.Errorf("%s compared with itself: %s", f.name, describeFindings(g.res))
				}
			})
		}
	})
}

// TestCorpusReformatIsClean re-serialises every valid swagger of the corpus
// (a sample; see sweep),
// as minified JSON, as YAML and as YAML with sorted keys, and compares the
// original with each copy: the same definition written differently must give
// no finding.
func TestCorpusReformatIsClean(t *testing.T) {
	files := sweep(t, "distinct files", corpusFiles(t), 10)
	var (
		mu      sync.Mutex
		checked int
		noted   []string
	)
	t.Run("files", func(t *testing.T) {
		for _, f := range files {
			t.Run(f.name, func(t *testing.T) {
				t.Parallel()
				data, err := os.ReadFile(f.path)
				if err != nil {
					t.Fatal(err)
				}
				orig, err := connector.Load(f.name, data, connector.LoadOptions{})
				if err != nil {
					t.Fatalf("%s: %v", f.name, err)
				}
				// Notes of a file that is strict JSON (duplicate keys, $ref
				// problems) survive reformatting; repaired files do not.
				if len(orig.Notes) > 0 && !json.Valid(data) {
					mu.Lock()
					noted = append(noted, fmt.Sprintf("%s (%d note(s), first: %s)", f.name, len(orig.Notes), orig.Notes[0]))
					mu.Unlock()
					t.Skipf("%s loads with repairs, first: %s", f.name, orig.Notes[0])
				}
				var minified bytes.Buffer
				if err := json.Compact(&minified, data); err != nil {
					t.Fatalf("%s: json.Compact: %v", f.name, err)
				}
				yml, err := jsonToYAML(data, false)
				if err != nil {
					t.Fatalf("%s: converting to YAML: %v", f.name, err)
				}
				sorted, err := jsonToYAML(data, true)
				if err != nil {
					t.Fatalf("%s: converting to YAML: %v", f.name, err)
				}
				// Tabs and CRLF line ends: json.Indent writes line breaks
				// only between tokens, never inside a string.
				var indented bytes.Buffer
				if err := json.Indent(&indented, minified.Bytes(), "", "\t"); err != nil {
					t.Fatalf("%s: json.Indent: %v", f.name, err)
				}
				crlf := bytes.ReplaceAll(indented.Bytes(), []byte("\n"), []byte("\r\n"))
				params, err := permuted(data, reverseParameters)
				if err != nil {
					t.Fatalf("%s: reversing parameters: %v", f.name, err)
				}
				paths, err := permuted(data, reversePaths)
				if err != nil {
					t.Fatalf("%s: reversing paths: %v", f.name, err)
				}
				for _, c := range []struct {
					kind string
					data []byte
				}{{"minified JSON", minified.Bytes()}, {"YAML", yml}, {"YAML with sorted keys", sorted},
					{"JSON indented with tabs and CRLF", crlf}, {"JSON with every parameter list reversed", params},
					{"JSON with the paths reversed", paths}} {
					name := f.name + " as " + c.kind
					g := guardedCompare(t, name, func(ctx context.Context) (*breaking.Result, error) {
						doc, err := connector.Load(name, c.data, connector.LoadOptions{})
						if err != nil {
							return nil, err
						}
						return connectordiff.CompareDocuments(ctx, orig, doc)
					})
					switch {
					case !g.ok:
					case g.err != nil:
						t.Errorf("%s: %v", name, g.err)
					case len(g.res.Findings()) > 0:
						t.Errorf("%s vs its %s copy: %s", f.name, c.kind, describeFindings(g.res))
					}
				}
				mu.Lock()
				checked++
				mu.Unlock()
			})
		}
	})
	if !t.Skipped() {
		sort.Strings(noted)
		t.Logf("%d distinct valid swaggers: %d reformatted and compared (%d comparisons: minified, YAML, sorted-key YAML, tabs+CRLF, parameters reversed, paths reversed), %d skipped because they load with repairs",
			len(files), checked, checked*reformatVariants, len(noted))
		for _, n := range noted {
			t.Logf("  skipped: %s", n)
		}
	}
}

// reformatVariants is how many copies TestCorpusReformatIsClean compares
// each file with.
const reformatVariants = 6

// permuted reads a JSON document, applies permute to its tree and writes it
// back as JSON.
func permuted(data []byte, permute func(root *yaml.Node)) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	root, err := jsonToNode(dec, 0)
	if err != nil {
		return nil, err
	}
	permute(root)
	var b bytes.Buffer
	if err := nodeToJSON(&b, root); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// reverseParameters reverses every parameter list of the paths (path items'
// and operations'): parameters are matched by name and location, so their
// order carries no meaning.
func reverseParameters(root *yaml.Node) {
	reverse := func(list *yaml.Node) {
		if list != nil && list.Kind == yaml.SequenceNode {
			slices.Reverse(list.Content)
		}
	}
	paths := mappingValue(root, "paths")
	if paths == nil {
		return
	}
	for i := 1; i < len(paths.Content); i += 2 {
		item := paths.Content[i]
		reverse(mappingValue(item, "parameters"))
		for j := 1; j < len(item.Content); j += 2 {
			reverse(mappingValue(item.Content[j], "parameters"))
		}
	}
}

// reversePaths reverses the order of the paths: operations are matched by
// operationId, so their order carries no meaning.
func reversePaths(root *yaml.Node) {
	paths := mappingValue(root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return
	}
	n := len(paths.Content) / 2
	for i := 0; i < n/2; i++ {
		a, b := 2*i, 2*(n-1-i)
		paths.Content[a], paths.Content[b] = paths.Content[b], paths.Content[a]
		paths.Content[a+1], paths.Content[b+1] = paths.Content[b+1], paths.Content[a+1]
	}
}

// mappingValue returns the value of key in mapping m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// nodeToJSON writes a tree made by jsonToNode back as compact JSON.
func nodeToJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(n.Content[i].Value)
			b.Write(k)
			b.WriteByte(':')
			if err := nodeToJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := nodeToJSON(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		if n.Tag == "!!str" {
			s, _ := json.Marshal(n.Value)
			b.Write(s)
		} else {
			b.WriteString(n.Value) // numbers, booleans and null as read
		}
	default:
		return fmt.Errorf("unexpected node kind %v", n.Kind)
	}
	return nil
}

// jsonToYAML rewrites a JSON document as block-style YAML, keeping key order
// and the type of every scalar (a JSON string "200" stays a string). It reads
// the JSON with encoding/json rather than the YAML parser, which refuses some
// valid JSON (surrogate pairs such as "\ud83d\ude3a", for one). With
// sortKeys, the keys of every object are sorted instead: key order carries no
// meaning in Swagger, so the comparison must not see it.
func jsonToYAML(data []byte, sortKeys bool) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	root, err := jsonToNode(dec, 0)
	if err != nil {
		return nil, err
	}
	if tok, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the document: %v %v", tok, err)
	}
	if sortKeys {
		sortNodeKeys(root)
	}
	return yaml.Marshal(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}})
}

// sortNodeKeys sorts the keys of every mapping under n (stably, so duplicate
// keys keep their order).
func sortNodeKeys(n *yaml.Node) {
	if n.Kind == yaml.MappingNode {
		type kv struct{ k, v *yaml.Node }
		pairs := make([]kv, 0, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			pairs = append(pairs, kv{n.Content[i], n.Content[i+1]})
		}
		sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].k.Value < pairs[j].k.Value })
		for i, p := range pairs {
			n.Content[2*i], n.Content[2*i+1] = p.k, p.v
		}
	}
	for _, c := range n.Content {
		sortNodeKeys(c)
	}
}

// jsonToNode reads one JSON value from dec as a node tree.
func jsonToNode(dec *json.Decoder, depth int) (*yaml.Node, error) {
	if depth > 10000 {
		return nil, errors.New("JSON nested too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if v == '{' {
			n = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		}
		for dec.More() {
			if n.Kind == yaml.MappingNode {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key.(string)})
			}
			c, err := jsonToNode(dec, depth+1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
		return n, nil
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}, nil
	case json.Number:
		tag := "!!float"
		if _, err := strconv.ParseInt(v.String(), 10, 64); err == nil {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

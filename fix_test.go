package connectordiff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/fix"
	"github.com/connectordiff/connectordiff/report"
)

var updateFix = flag.Bool("update", false, "rewrite the fixed.json golden files of testdata/fix")

// TestFixFixtures runs every testdata/fix/<name>.txtar archive: old.json and
// new.json are an update, fixed.json the definition fix must write (a golden
// file: -update rewrites it, and the diff is reviewed before it is
// committed). The archive's comment says what must come out, one line each:
//
//	args: --version-path /v2 --profile certification --only a,b --hide advanced
//	fixed: <rule> [<operationId>]     a finding fix repairs
//	unfixed: <rule> [<operationId>]   a finding left to a human
//	note: <text>                      a note containing the text
//	rounds: <n>                       rounds of compare, plan and edit it takes
//
// The lists are complete: a finding not listed fails the test. Every result
// is also proven as the corpus results are (see checkFix).
func TestFixFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/fix/*.txtar")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			require.NoError(t, err)
			docs := map[string][]byte{}
			for _, f := range ar.Files {
				docs[f.Name] = f.Data
			}
			old, new := docs["old.json"], docs["new.json"]
			require.NotNil(t, old, "old.json")
			require.NotNil(t, new, "new.json")
			var opts fixOptions
			var wantFixed, wantUnfixed, wantNotes []string
			wantRounds := -1
			for _, line := range strings.Split(string(ar.Comment), "\n") {
				key, val, ok := strings.Cut(line, ": ")
				if !ok || strings.HasPrefix(line, "#") {
					continue
				}
				switch key {
				case "args":
					opts = opts.plus(fixArgs(t, val))
				case "fixed":
					wantFixed = append(wantFixed, strings.TrimSpace(val))
				case "unfixed":
					wantUnfixed = append(wantUnfixed, strings.TrimSpace(val))
				case "note":
					wantNotes = append(wantNotes, strings.TrimSpace(val))
				case "rounds":
					n, err := strconv.Atoi(strings.TrimSpace(val))
					require.NoError(t, err)
					wantRounds = n
				}
			}
			res, err := connectordiff.Fix(context.Background(), old, new, opts.all()...)
			require.NoError(t, err)
			var gotFixed, gotUnfixed []string
			for _, f := range res.Fixed {
				gotFixed = append(gotFixed, strings.TrimSpace(f.Rule+" "+f.OperationID))
			}
			for _, f := range res.Unfixed {
				gotUnfixed = append(gotUnfixed, strings.TrimSpace(f.Rule+" "+f.OperationID))
				assert.NotEmpty(t, f.Reason, "%s has no reason", f.Rule)
			}
			sort.Strings(wantFixed)
			sort.Strings(gotFixed)
			sort.Strings(wantUnfixed)
			sort.Strings(gotUnfixed)
			var summary bytes.Buffer
			require.NoError(t, report.FixSummary(&summary, res))
			assert.Equal(t, wantFixed, gotFixed, "fixed\n%s", summary.String())
			assert.Equal(t, wantUnfixed, gotUnfixed, "unfixed\n%s", summary.String())
			if wantRounds >= 0 {
				assert.Equal(t, wantRounds, res.Rounds, "rounds")
			}
			for _, n := range wantNotes {
				assert.Contains(t, strings.Join(res.Notes, "\n"), n)
			}
			if len(wantFixed) == 0 {
				assert.Equal(t, new, res.Output, "nothing fixed, so nothing may change")
				assert.False(t, res.Changed())
			}
			checkFix(t, old, new, res, opts)
			golden(t, file, ar, res.Output)
		})
	}
}

// fixOptions are the options of a fix under test: those its comparisons
// take too (a profile), and those of Fix alone, which a comparison refuses.
type fixOptions struct{ compare, fix []connectordiff.Option }

func (o fixOptions) all() []connectordiff.Option {
	return append(append([]connectordiff.Option(nil), o.compare...), o.fix...)
}

func (o fixOptions) plus(p fixOptions) fixOptions {
	return fixOptions{compare: append(append([]connectordiff.Option(nil), o.compare...), p.compare...),
		fix: append(append([]connectordiff.Option(nil), o.fix...), p.fix...)}
}

// fixArgs turns a fixture's args line into options.
func fixArgs(t *testing.T, line string) fixOptions {
	t.Helper()
	f := strings.Fields(line)
	var opts fixOptions
	for i := 0; i+1 < len(f); i += 2 {
		switch f[i] {
		case "--version-path":
			opts.fix = append(opts.fix, connectordiff.FixVersionPath(f[i+1]))
		case "--profile":
			opts.compare = append(opts.compare, connectordiff.WithProfile(breaking.Profile(f[i+1])))
		case "--only":
			opts.fix = append(opts.fix, connectordiff.FixOnly(strings.Split(f[i+1], ",")...))
		case "--hide":
			opts.fix = append(opts.fix, connectordiff.FixHide(f[i+1]))
		default:
			t.Fatalf("unknown fixture argument %s", f[i])
		}
	}
	return opts
}

// golden compares the fixed definition with the archive's fixed.json, or
// writes it there under -update.
func golden(t *testing.T, file string, ar *txtar.Archive, got []byte) {
	t.Helper()
	idx := -1
	for i, f := range ar.Files {
		if f.Name == "fixed.json" {
			idx = i
		}
	}
	if *updateFix {
		if idx < 0 {
			ar.Files = append(ar.Files, txtar.File{Name: "fixed.json"})
			idx = len(ar.Files) - 1
		}
		ar.Files[idx].Data = got
		require.NoError(t, os.WriteFile(file, txtar.Format(ar), 0o644))
		return
	}
	require.GreaterOrEqual(t, idx, 0, "%s has no fixed.json; run go test -run TestFixFixtures -update and review it", file)
	assert.Equal(t, string(ar.Files[idx].Data), string(got), "fixed.json differs; run with -update and review the diff")
}

// checkFix proves a fix result, independently of the bookkeeping of Fix:
//   - the output is strict JSON (no duplicate key the new definition did not
//     have) and loads as Swagger 2.0;
//   - comparing old with it reports no breaking finding fix claims fixed, and
//     every breaking finding it reports is listed as unfixed;
//   - its JSON Patch, applied to new, gives it;
//   - fixing it again changes nothing.
func checkFix(t *testing.T, old, new []byte, res *fix.Result, opts fixOptions) {
	t.Helper()
	problems := fixProblems(old, new, res, opts)
	for _, p := range problems {
		t.Error(p)
	}
}

// fixProblems returns what checkFix finds wrong, for tests that count.
func fixProblems(old, new []byte, res *fix.Result, opts fixOptions) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if !json.Valid(res.Output) {
		bad("the fixed definition is not JSON")
		return out
	}
	if d, err := duplicateKeys(res.Output); err != nil || d > 0 {
		if nd, _ := duplicateKeys(new); d > nd {
			bad("the fixed definition has %d duplicate keys (the new one %d): %v", d, nd, err)
		}
	}
	if _, err := connector.Load("fixed", res.Output, connector.LoadOptions{}); err != nil {
		bad("the fixed definition does not load: %v", err)
		return out
	}
	cmp, err := connectordiff.Compare(context.Background(), old, res.Output, opts.compare...)
	if err != nil {
		bad("comparing old with fixed: %v", err)
		return out
	}
	key := func(rule, vp string, l *connector.Location) string {
		k := rule + " " + vp
		if l != nil {
			k += " " + l.Pointer
		}
		return k
	}
	fixed, unfixed := map[string]bool{}, map[string]bool{}
	for _, f := range res.Fixed {
		fixed[key(f.Rule, f.ValuePath, f.Old)] = true
	}
	for _, f := range res.Unfixed {
		unfixed[key(f.Rule, f.ValuePath, f.Old)] = true
	}
	for _, f := range res.Skipped {
		unfixed[key(f.Rule, f.ValuePath, f.Old)] = true
	}
	// fix lists each property of a schema cut back on its own.
	for _, f := range breaking.Ungrouped(cmp.Breaking()) {
		k := key(f.Rule, f.ValuePath, f.Old)
		switch {
		case fixed[k]:
			bad("claimed fixed, still breaking: %s: %s", f.Rule, report.Message(f))
		case !unfixed[k]:
			bad("breaking, and not listed as unfixed: %s: %s", f.Rule, report.Message(f))
		}
	}
	var patched, want any
	if err := json.Unmarshal(new, &patched); err != nil {
		repaired, _, rerr := connector.RepairJSON("new", new)
		if rerr != nil || json.Unmarshal(repaired, &patched) != nil {
			bad("new is not JSON: %v", err)
			return out
		}
	}
	patch, err := json.Marshal(res.Patch)
	if err != nil {
		bad("the patch does not marshal: %v", err)
		return out
	}
	if patched, err = applyPatch(patched, patch); err != nil {
		bad("the patch does not apply to new: %v", err)
	} else if json.Unmarshal(res.Output, &want) == nil && !jsonEqual(patched, want) {
		bad("the patch applied to new does not give the fixed definition")
	}
	again, err := connectordiff.Fix(context.Background(), old, res.Output, opts.all()...)
	switch {
	case err != nil:
		bad("fixing the fixed definition: %v", err)
	case again.Changed():
		bad("fixing the fixed definition changes it again: %d edits", len(again.Patch))
	}
	return out
}

// duplicateKeys counts the keys repeated within an object of a JSON text.
func duplicateKeys(data []byte) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n := 0
	var walk func() error
	walk = func() error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				if seen[k.(string)] {
					n++
				}
				seen[k.(string)] = true
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	if err := walk(); err != nil && err != io.EOF {
		return n, err
	}
	return n, nil
}

// applyPatch applies an RFC 6902 patch (add, replace, remove and move, the
// operations fix writes) to a decoded JSON value.
func applyPatch(doc any, patch []byte) (any, error) {
	var ops []struct {
		Op, Path, From string
		Value          json.RawMessage
	}
	if err := json.Unmarshal(patch, &ops); err != nil {
		return nil, err
	}
	for _, op := range ops {
		var val any
		if len(op.Value) > 0 {
			if err := json.Unmarshal(op.Value, &val); err != nil {
				return nil, err
			}
		}
		var err error
		switch op.Op {
		case "add", "replace":
			doc, err = setAt(doc, op.Path, val, op.Op == "add")
		case "remove":
			_, doc, err = takeAt(doc, op.Path)
		case "move":
			var v any
			if v, doc, err = takeAt(doc, op.From); err == nil {
				doc, err = setAt(doc, op.Path, v, true)
			}
		default:
			err = fmt.Errorf("unknown op %q", op.Op)
		}
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", op.Op, op.Path, err)
		}
	}
	return doc, nil
}

func pointerTokens(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts
}

// setAt sets (add) or replaces the value at pointer p and returns the
// document.
func setAt(doc any, p string, val any, add bool) (any, error) {
	toks := pointerTokens(p)
	if len(toks) == 0 {
		return val, nil
	}
	parent, err := getAt(doc, toks[:len(toks)-1])
	if err != nil {
		return nil, err
	}
	last := toks[len(toks)-1]
	switch c := parent.(type) {
	case map[string]any:
		if _, ok := c[last]; !ok && !add {
			return nil, fmt.Errorf("no member %q to replace", last)
		}
		c[last] = val
	case []any:
		i := len(c)
		if last != "-" {
			if i, err = strconv.Atoi(last); err != nil || i < 0 || i > len(c) {
				return nil, fmt.Errorf("bad index %q", last)
			}
		}
		var next []any
		if add {
			next = append(append(append([]any{}, c[:i]...), val), c[i:]...)
		} else {
			c[i] = val
			next = c
		}
		return setAt(doc, "/"+strings.Join(escapeTokens(toks[:len(toks)-1]), "/"), next, false)
	default:
		return nil, fmt.Errorf("parent is not a container")
	}
	return doc, nil
}

func escapeTokens(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return out
}

func getAt(doc any, toks []string) (any, error) {
	for _, tok := range toks {
		switch c := doc.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("no member %q", tok)
			}
			doc = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("bad index %q", tok)
			}
			doc = c[i]
		default:
			return nil, fmt.Errorf("%q is not in a container", tok)
		}
	}
	return doc, nil
}

// takeAt removes the value at pointer p and returns it and the document.
func takeAt(doc any, p string) (any, any, error) {
	toks := pointerTokens(p)
	parent, err := getAt(doc, toks[:len(toks)-1])
	if err != nil {
		return nil, nil, err
	}
	last := toks[len(toks)-1]
	switch c := parent.(type) {
	case map[string]any:
		v, ok := c[last]
		if !ok {
			return nil, nil, fmt.Errorf("no member %q", last)
		}
		delete(c, last)
		return v, doc, nil
	case []any:
		i, err := strconv.Atoi(last)
		if err != nil || i < 0 || i >= len(c) {
			return nil, nil, fmt.Errorf("bad index %q", last)
		}
		v := c[i]
		next := append(append([]any{}, c[:i]...), c[i+1:]...)
		doc, err = setAt(doc, "/"+strings.Join(escapeTokens(toks[:len(toks)-1]), "/"), next, false)
		return v, doc, err
	}
	return nil, nil, fmt.Errorf("parent is not a container")
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestFixRefusesYAML(t *testing.T) {
	old, err := os.ReadFile("testdata/example/old.json")
	require.NoError(t, err)
	yaml := []byte("swagger: \"2.0\"\ninfo: {title: T, version: \"1\"}\npaths: {}\n")
	_, err = connectordiff.Fix(context.Background(), old, yaml)
	assert.ErrorContains(t, err, "fix edits JSON definitions, and the new definition (new) is YAML")
	_, err = connectordiff.Fix(context.Background(), yaml, old)
	assert.ErrorContains(t, err, "the old definition, whose parts it copies, (old) is YAML")
}

func TestFixOnlySkipsTheOtherRules(t *testing.T) {
	old, err := os.ReadFile("testdata/example/old.json")
	require.NoError(t, err)
	new, err := os.ReadFile("testdata/example/new.json")
	require.NoError(t, err)
	res, err := connectordiff.Fix(context.Background(), old, new, connectordiff.FixOnly("operation-id-changed"))
	require.NoError(t, err)
	require.Len(t, res.Fixed, 1)
	assert.Equal(t, "operation-id-changed", res.Fixed[0].Rule)
	assert.Empty(t, res.Unfixed)
	var skipped []string
	for _, f := range res.Skipped {
		skipped = append(skipped, f.Rule)
		assert.Equal(t, "not selected (--only)", f.Reason)
	}
	assert.ElementsMatch(t, []string{"parameter-enum-narrowed", "response-property-removed", "request-body-required-added"}, skipped)
	assert.Equal(t, map[string]string{"GetTaskById": "GetTask"}, res.Renames)
	_, err = connectordiff.Fix(context.Background(), old, new, connectordiff.FixOnly("no-such-rule"))
	assert.ErrorContains(t, err, "unknown rule id no-such-rule")
}

package connectordiff_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// applyAsGitHub applies suggestions the way GitHub applies a suggested
// change: lines StartLine to EndLine give way to the suggestion's text,
// followed by the line ending line EndLine had.
func applyAsGitHub(src string, hunks []report.Hunk) (string, bool) {
	lines := strings.SplitAfter(src, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out strings.Builder
	next := 1
	for _, h := range hunks {
		if h.Suggestion == nil || h.StartLine < next || h.EndLine < h.StartLine || h.EndLine > len(lines) {
			return "", false
		}
		out.WriteString(strings.Join(lines[next-1:h.StartLine-1], ""))
		last := lines[h.EndLine-1]
		out.WriteString(*h.Suggestion + last[len(strings.TrimRight(last, "\r\n")):])
		next = h.EndLine + 1
	}
	out.WriteString(strings.Join(lines[next-1:], ""))
	return out.String(), true
}

// The suggestions of real fixes (the gold pairs and a sample of the corpus,
// every one with CONNECTORDIFF_LONG=1; the first few also with the new
// definition in CRLF), applied as GitHub applies them, give fix's output
// byte for byte.
func TestSuggestionsOfCorpusFixes(t *testing.T) {
	type update struct{ name, old, new string }
	var updates []update
	gold, _ := filepath.Glob(filepath.Join("..", "shared", "gold", "pairs", "*"))
	for _, d := range gold {
		updates = append(updates, update{"gold " + filepath.Base(d), filepath.Join(d, "old.json"), filepath.Join(d, "new.json")})
	}
	for _, p := range sweep(t, "pairs", corpus.Pairs(t), 16) {
		if !p.Invalid {
			updates = append(updates, update{p.Name, p.OldSwagger, p.NewSwagger})
		}
	}
	fixed, crlf := 0, 0
	for _, u := range updates {
		old, err1 := os.ReadFile(u.old)
		new, err2 := os.ReadFile(u.new)
		if err1 != nil || err2 != nil {
			continue
		}
		variants := map[string][]byte{"": new}
		if fixed < 3 && !strings.Contains(string(new), "\r\n") {
			variants[" (CRLF)"] = []byte(strings.ReplaceAll(string(new), "\n", "\r\n"))
		}
		for suffix, new := range variants {
			res, err := connectordiff.Fix(context.Background(), old, new)
			require.NoError(t, err, u.name)
			if !res.Changed() {
				continue
			}
			if suffix == "" {
				fixed++
			} else {
				crlf++
			}
			s, err := report.Suggest(res, new)
			require.NoError(t, err, u.name)
			got, ok := applyAsGitHub(string(new), s.Hunks)
			if assert.True(t, ok, "%s%s: every hunk is a suggestion", u.name, suffix) {
				assert.True(t, got == string(res.Output), "%s%s: the suggestions give fix's output", u.name, suffix)
			}
		}
	}
	t.Logf("%d fixes, %d in CRLF", fixed, crlf)
	if len(updates) > 0 {
		assert.Positive(t, fixed)
	}
}

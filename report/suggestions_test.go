package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/fix"
	"github.com/connectordiff/connectordiff/report"
)

// asGitHub applies suggestions as GitHub applies a suggested change: lines
// StartLine to EndLine give way to the suggestion's text and the line
// ending line EndLine had. It is written from the documented behaviour,
// not from the code under test.
func asGitHub(t *testing.T, src string, hunks []report.Hunk) string {
	t.Helper()
	var lines []string
	for rest := src; rest != ""; {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			lines = append(lines, rest)
			break
		}
		lines = append(lines, rest[:i+1])
		rest = rest[i+1:]
	}
	var out strings.Builder
	next := 1
	for _, h := range hunks {
		require.NotNil(t, h.Suggestion, "hunk %d-%d", h.StartLine, h.EndLine)
		require.GreaterOrEqual(t, h.StartLine, next, "hunks in order, none overlapping")
		require.LessOrEqual(t, h.StartLine, h.EndLine, "a suggestion replaces at least one line")
		require.LessOrEqual(t, h.EndLine, len(lines))
		for _, l := range lines[next-1 : h.StartLine-1] {
			out.WriteString(l)
		}
		last := lines[h.EndLine-1]
		ending := last[len(strings.TrimRight(last, "\r\n")):]
		if ending == "\r" { // a bare CR ends no line
			ending = ""
		}
		out.WriteString(*h.Suggestion + ending)
		next = h.EndLine + 1
	}
	for _, l := range lines[next-1:] {
		out.WriteString(l)
	}
	return out.String()
}

func ending(s string) string {
	switch {
	case strings.HasSuffix(s, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(s, "\n"):
		return "\n"
	}
	return ""
}

// withReplacements applies the hunks' exact replacements.
func withReplacements(src string, hunks []report.Hunk) string {
	lines := strings.SplitAfter(src, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out strings.Builder
	next := 1
	for _, h := range hunks {
		out.WriteString(strings.Join(lines[next-1:h.StartLine-1], ""))
		out.WriteString(h.Replacement)
		next = h.EndLine + 1
	}
	out.WriteString(strings.Join(lines[next-1:], ""))
	return out.String()
}

func suggest(t *testing.T, src, out string) *report.Suggestions {
	t.Helper()
	s, err := report.Suggest(&fix.Result{New: "f.json", Output: []byte(out)}, []byte(src))
	require.NoError(t, err)
	return s
}

// The cases the line model has to get right: an insertion between lines
// takes the line before along, one at the top the line after, a deletion
// the line before; CRLF stays inside the suggestion and the last line's
// ending is the replaced line's; a missing final line ending is kept.
func TestSuggestionHunks(t *testing.T) {
	type hunk struct {
		start, end int
		suggestion string
	}
	for _, c := range []struct {
		name, src, out string
		want           []hunk
	}{
		{"insertion", "{\n  \"a\": 1\n}\n", "{\n  \"a\": 1,\n  \"b\": 2\n}\n", []hunk{{2, 2, "  \"a\": 1,\n  \"b\": 2"}}},
		{"insertion at a line boundary", "{\n  \"a\": 1,\n}\n", "{\n  \"a\": 1,\n  \"b\": 2,\n}\n", []hunk{{2, 2, "  \"a\": 1,\n  \"b\": 2,"}}},
		{"insertion at the top", "x\ny\n", "w\nx\ny\n", []hunk{{1, 1, "w\nx"}}},
		{"deletion", "a\nb\nc\n", "a\nc\n", []hunk{{1, 2, "a"}}},
		{"crlf", "{\r\n  \"a\": 1\r\n}\r\n", "{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n", []hunk{{2, 2, "  \"a\": 1,\r\n  \"b\": 2"}}},
		{"no final line ending", "{\n  \"a\": 1\n}", "{\n  \"a\": 1\n,\"b\": 2}", []hunk{{3, 3, ",\"b\": 2}"}}},
		{"two far apart", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\nX\n3\n4\n5\n6\n7\nY\n9\n", []hunk{{2, 2, "X"}, {8, 8, "Y"}}},
		{"nothing", "a\n", "a\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := suggest(t, c.src, c.out)
			var got []hunk
			for _, h := range s.Hunks {
				require.NotNil(t, h.Suggestion)
				got = append(got, hunk{h.StartLine, h.EndLine, *h.Suggestion})
			}
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.out, asGitHub(t, c.src, s.Hunks))
		})
	}
}

// A fix that adds or removes the final line ending cannot be a suggestion
// (GitHub keeps the replaced line's ending): the hunk says so, and its
// replacement and the patch still give the fixed text.
func TestSuggestionOfAFinalLineEnding(t *testing.T) {
	for _, c := range [][2]string{{"a\nb", "a\nb\n"}, {"a\nb\n", "a\nb"}, {"a\nb", "a\nc\n"}} {
		s := suggest(t, c[0], c[1])
		require.Len(t, s.Hunks, 1, "%q", c)
		assert.Nil(t, s.Hunks[0].Suggestion, "%q", c)
		assert.Equal(t, c[1], withReplacements(c[0], s.Hunks))
		require.NotNil(t, s.Patch)
	}
}

// On random texts full of repeated lines (as JSON's braces are), with CRLF
// and missing final line endings, the suggestions applied as GitHub does
// give the fixed text byte for byte, and so do the replacements.
func TestSuggestionsRebuildTheFixedText(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	words := []string{"{\n", "}\n", "},\n", "  \"a\": 1,\n", "x\r\n", "]\n", "y\n"}
	text := func(n int) []string {
		l := make([]string, n)
		for i := range l {
			l[i] = words[r.IntN(len(words))]
		}
		return l
	}
	tried, applied := 0, 0
	for range 1000 {
		a := text(r.IntN(30) + 1)
		final := r.IntN(4) != 0
		b := append([]string(nil), a...)
		for range r.IntN(4) + 1 {
			at := r.IntN(len(b) + 1)
			switch r.IntN(3) {
			case 0:
				b = append(b[:at], append(text(r.IntN(3)+1), b[at:]...)...)
			case 1:
				if at < len(b) && len(b) > 1 {
					b = append(b[:at], b[at+1:]...)
				}
			default:
				if at < len(b) {
					b[at] = fmt.Sprintf("changed %d\n", at)
				}
			}
		}
		src, out := strings.Join(a, ""), strings.Join(b, "")
		if !final { // the fix keeps the missing final line ending, as fix does
			src, out = strings.TrimSuffix(src, "\n"), strings.TrimSuffix(out, "\n")
			if strings.HasSuffix(src, "\r") != strings.HasSuffix(out, "\r") {
				continue
			}
		}
		tried++
		s := suggest(t, src, out)
		require.Equal(t, out, withReplacements(src, s.Hunks), "%q -> %q", src, out)
		suggestable := true
		for _, h := range s.Hunks {
			if h.Suggestion == nil {
				// Only where the last line's ending changes (a mixed file
				// whose fix ends in another line ending than it did).
				last := strings.SplitAfter(src, "\n")
				require.Equal(t, len(strings.SplitAfter(strings.TrimSuffix(src, "\n"), "\n")), h.EndLine, "%q -> %q", src, out)
				require.NotEqual(t, ending(last[h.EndLine-1]), ending(h.Replacement), "%q -> %q", src, out)
				suggestable = false
			}
		}
		if suggestable {
			applied++
			require.Equal(t, out, asGitHub(t, src, s.Hunks), "%q -> %q", src, out)
		}
	}
	assert.Greater(t, tried, 500)
	assert.Greater(t, applied, tried*9/10, "nearly every fix is suggestions")
}

// On a real fix: the JSON names the findings fixed and left with their
// reasons, and the Markdown says the same with document text escaped.
func TestFixSuggestionsOfAFix(t *testing.T) {
	for _, dir := range []string{"../testdata/connector", "testdata/hostile"} {
		oldData, err := os.ReadFile(filepath.Join(dir, "old", "apiDefinition.swagger.json"))
		if os.IsNotExist(err) {
			oldData, err = os.ReadFile(filepath.Join(dir, "old.json"))
		}
		require.NoError(t, err, dir)
		newPath := filepath.Join(dir, "new", "apiDefinition.swagger.json")
		newData, err := os.ReadFile(newPath)
		if os.IsNotExist(err) {
			newPath = filepath.Join(dir, "new.json")
			newData, err = os.ReadFile(newPath)
		}
		require.NoError(t, err)
		res, err := connectordiff.Fix(context.Background(), oldData, newData, connectordiff.WithNames("old", newPath))
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, report.FixSuggestions(&b, res, newData))
		var s report.Suggestions
		require.NoError(t, json.Unmarshal(b.Bytes(), &s))
		assert.Equal(t, newPath, s.File)
		assert.Equal(t, string(res.Output), withReplacements(string(newData), s.Hunks), dir)
		assert.Len(t, s.Fixed, len(res.Fixed))
		assert.Len(t, s.Unfixed, len(res.Unfixed))
		require.NotNil(t, s.Patch)
		assert.Equal(t, res.Changed(), *s.Patch != "")
		if len(res.Unfixed) == 0 {
			assert.Contains(t, s.Markdown, fmt.Sprintf(" the %d breaking findings.", len(res.Fixed)))
		} else {
			assert.Contains(t, s.Markdown, fmt.Sprintf("fix %d of %d breaking findings; %d left to you", len(res.Fixed), len(res.Fixed)+len(res.Unfixed), len(res.Unfixed)))
		}
		for _, f := range res.Unfixed {
			assert.Contains(t, s.Markdown, "Why: ", dir)
			if f.OperationID != "" && !strings.ContainsAny(f.OperationID, "<>&[]*_#!`|~$@\\") {
				assert.Contains(t, s.Markdown, f.OperationID)
			}
		}
		for _, bad := range []string{"<", "](", "##vso[", "\n::"} {
			assert.NotContains(t, s.Markdown, bad, dir)
		}
	}
}

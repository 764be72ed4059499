package linediff

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitKeepsLineEndings(t *testing.T) {
	assert.Equal(t, []string{"a\r\n", "b\n", "c\rd"}, Split("a\r\nb\nc\rd"))
	assert.Equal(t, []string{"a\n"}, Split("a\n"))
	assert.Empty(t, Split(""))
	assert.Equal(t, "\r\n", Ending("x\r\n"))
	assert.Equal(t, "\n", Ending("x\n"))
	assert.Equal(t, "", Ending("x\r"))
}

// lcsEdits is the fewest lines inserted and deleted that turn a into b,
// by dynamic programming: what Myers' algorithm must reach.
func lcsEdits(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return len(a) + len(b) - 2*dp[0][0]
}

func changed(edits []Edit) int {
	n := 0
	for _, e := range edits {
		n += e.A1 - e.A0 + e.B1 - e.B0
	}
	return n
}

// randomText is n lines from a small alphabet, so that lines repeat as
// braces and commas do in JSON, with CRLF or no final line ending now and
// then.
func randomText(r *rand.Rand, n int) []string {
	words := []string{"{\n", "}\n", "},\n", "\"a\": 1,\n", "\"b\": 2\n", "x\r\n", "]\n"}
	lines := make([]string, n)
	for i := range lines {
		lines[i] = words[r.IntN(len(words))]
	}
	if n > 0 && r.IntN(4) == 0 {
		lines[n-1] = strings.TrimRight(lines[n-1], "\r\n")
	}
	return lines
}

// mutate inserts, deletes and replaces runs of lines.
func mutate(r *rand.Rand, a []string) []string {
	b := append([]string(nil), a...)
	for range r.IntN(5) + 1 {
		at := r.IntN(len(b) + 1)
		switch r.IntN(3) {
		case 0:
			b = append(b[:at], append(randomText(r, r.IntN(4)+1), b[at:]...)...)
		case 1:
			if at < len(b) {
				b = append(b[:at], b[min(at+r.IntN(3)+1, len(b)):]...)
			}
		default:
			if at < len(b) {
				b[at] = "changed\n"
			}
		}
	}
	return b
}

// Lines rebuilds the second text from the first byte for byte, with the
// fewest lines changed, on texts full of repeated lines.
func TestLinesRebuildsAndIsMinimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		a := randomText(r, r.IntN(40))
		b := mutate(r, a)
		edits := Lines(a, b)
		got, err := Apply(a, b, edits)
		require.NoError(t, err)
		require.Equal(t, strings.Join(b, ""), got, "%q -> %q", a, b)
		assert.Equal(t, lcsEdits(a, b), changed(edits), "%q -> %q: %v", a, b, edits)
		for i := 1; i < len(edits); i++ {
			assert.Greater(t, edits[i].A0, edits[i-1].A1, "edits neither touch nor overlap: %v", edits)
		}
	}
}

// Past the budget the edits are coarser but still right: anchored on the
// lines both texts have once, then gaps replaced whole.
func TestLinesPastTheBudgetStaysRight(t *testing.T) {
	defer func(b int) { Budget = b }(Budget)
	r := rand.New(rand.NewPCG(3, 4))
	for _, budget := range []int{0, 10, 200} {
		Budget = budget
		for range 200 {
			a := randomText(r, r.IntN(60))
			for i := range a {
				if r.IntN(3) == 0 {
					a[i] = "unique " + string(rune('A'+i)) + "\n"
				}
			}
			b := mutate(r, a)
			got, err := Apply(a, b, Lines(a, b))
			require.NoError(t, err)
			require.Equal(t, strings.Join(b, ""), got)
		}
	}
	// Unique lines around an insertion anchor it, however small the
	// budget: the edit is the insertion, not the whole text.
	Budget = 0
	a := []string{"one\n", "{\n", "}\n", "two\n", "{\n", "}\n", "three\n"}
	b := []string{"one\n", "{\n", "}\n", "two\n", "new\n", "{\n", "}\n", "three\n"}
	assert.Equal(t, []Edit{{4, 4, 4, 5}}, Lines(a, b))
}

// A hostile pair (two long random texts of two lines, so that the edit
// distance is huge, snakes everywhere and no line unique) costs the budget
// and no more, and the edits are still right.
func TestLinesHostileInputIsBounded(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	a := make([]string, 50_000)
	b := make([]string, 50_000)
	for i := range a {
		a[i], b[i] = []string{"a\n", "b\n"}[r.IntN(2)], []string{"a\n", "b\n"}[r.IntN(2)]
	}
	edits := Lines(a, b)
	got, err := Apply(a, b, edits)
	require.NoError(t, err)
	assert.Equal(t, strings.Join(b, ""), got)
}

// The unified diff applies with git apply, to the second text byte for
// byte: CRLF lines, a missing final line ending, hunks far apart and close.
func TestUnifiedAppliesWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := rand.New(rand.NewPCG(5, 6))
	dir := t.TempDir()
	for n := range 40 {
		a := randomText(r, 30+r.IntN(30))
		for i := range a {
			if r.IntN(2) == 0 {
				a[i] = strings.Replace(a[i], "\n", " "+string(rune('a'+i%26))+string(rune('a'+i/26))+"\n", 1)
			}
		}
		b := mutate(r, a)
		patch := Unified("a/f.json", "b/f.json", a, b, Lines(a, b), 3)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "f.json"), []byte(strings.Join(a, "")), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "p.diff"), []byte(patch), 0o644))
		cmd := exec.Command("git", "apply", "--unsafe-paths", "p.diff")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%d: %s\n%s", n, out, patch)
		got, err := os.ReadFile(filepath.Join(dir, "f.json"))
		require.NoError(t, err)
		require.Equal(t, strings.Join(b, ""), string(got), "%d: %s", n, patch)
	}
}

func TestUnifiedHeaders(t *testing.T) {
	a := []string{"1\n", "2\n", "3\n", "4\n", "5\n", "6\n", "7\n", "8\n", "9\n", "10"}
	b := []string{"0\n", "1\n", "2\n", "3\n", "4\n", "5\n", "6\n", "7\n", "8\n", "9\n", "10\n"}
	assert.Equal(t, "--- a\n+++ b\n"+
		"@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n"+
		"@@ -7,4 +8,4 @@\n 7\n 8\n 9\n-10\n\\ No newline at end of file\n+10\n", Unified("a", "b", a, b, Lines(a, b), 3))
	assert.Equal(t, "--- a\n+++ b\n"+
		"@@ -0,0 +1 @@\n+0\n"+
		"@@ -10 +11 @@\n-10\n\\ No newline at end of file\n+10\n", Unified("a", "b", a, b, Lines(a, b), 0))
	assert.Empty(t, Unified("a", "b", a, a, nil, 3))
}

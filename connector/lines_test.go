package connector

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// TestColumnMarks: columns of long lines counted from the marks are the
// columns counted from the start of the line, at every offset, and the
// offsets found from them (for the YAML parser's positions) are the same.
func TestColumnMarks(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "é", "€", "😀", " ", "\n", "xyzzy"}
	var b strings.Builder
	for b.Len() < 5*markEvery {
		p := pieces[rng.IntN(len(pieces))]
		if p == "\n" && rng.IntN(50) > 0 {
			continue // few line breaks: lines of several marks
		}
		b.WriteString(p)
	}
	b.WriteString(strings.Repeat("é", 3*markEvery)) // a line of two-byte characters only
	src := b.String()
	tx := newText(src, yamlLines(src))
	require.NotEmpty(t, tx.marks)
	for off := 0; off <= len(src); off++ {
		if off < len(src) && !utf8.RuneStart(src[off]) {
			continue
		}
		line, col := tx.lines.position(src, uint32(off))
		gotLine, gotCol := tx.lineCol(uint32(off))
		if line != gotLine || col != gotCol {
			t.Fatalf("offset %d: %d:%d from the marks, %d:%d counted", off, gotLine, gotCol, line, col)
		}
		if back := tx.offset(line, col); back != uint32(off) {
			t.Fatalf("%d:%d: offset %d from the marks, want %d", line, col, back, off)
		}
	}
}

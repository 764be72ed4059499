package linediff

import (
	"fmt"
	"sort"
	"strings"
)

// Split returns the lines of s, each with its line ending ("\n" or "\r\n");
// the last one lacks it when s does not end with a line feed. A carriage
// return alone ends no line, as in git.
func Split(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}

// Ending returns the line ending of a line as Split returns it: "\r\n",
// "\n" or "" (the last line of a text without a final line feed).
func Ending(line string) string {
	switch {
	case strings.HasSuffix(line, "\r\n"):
		return "\r\n"
	case strings.HasSuffix(line, "\n"):
		return "\n"
	}
	return ""
}

// Edit replaces lines A0 to A1 of the first text (0-based, A1 excluded)
// with lines B0 to B1 of the second. A0 == A1 inserts before line A0;
// B0 == B1 deletes.
type Edit struct{ A0, A1, B0, B1 int }

// Budget bounds the work of one comparison (steps of Myers' algorithm,
// about one comparison of two lines each): past it, the comparison anchors
// on unique lines, and a gap between anchors past it is replaced whole.
// About a tenth of a second.
var Budget = 20_000_000

// maxD bounds the edit distance Myers' algorithm searches, and so the
// memory of its trace (maxD² integers).
const maxD = 2000

// Lines returns the edits that turn a into b, in order; no two touch (an
// edit that ends where the next starts is merged with it).
func Lines(a, b []string) []Edit {
	ids := map[string]int32{}
	intern := func(lines []string) []int32 {
		out := make([]int32, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = int32(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	x, y := intern(a), intern(b)
	d := &differ{x: x, y: y, budget: Budget}
	d.compare(0, len(x), 0, len(y), true)
	return merge(d.edits)
}

type differ struct {
	x, y   []int32
	budget int
	edits  []Edit
}

// compare adds the edits that turn x[a0:a1] into y[b0:b1]; anchor says
// whether a comparison past the budget may anchor on unique lines (once:
// the gaps between anchors are compared without).
func (d *differ) compare(a0, a1, b0, b1 int, anchor bool) {
	for a0 < a1 && b0 < b1 && d.x[a0] == d.y[b0] {
		a0, b0 = a0+1, b0+1
	}
	for a0 < a1 && b0 < b1 && d.x[a1-1] == d.y[b1-1] {
		a1, b1 = a1-1, b1-1
	}
	if a0 == a1 || b0 == b1 {
		if a0 != a1 || b0 != b1 {
			d.edits = append(d.edits, Edit{a0, a1, b0, b1})
		}
		return
	}
	if edits, ok := myers(d.x[a0:a1], d.y[b0:b1], d.budget); ok {
		for _, e := range edits {
			d.edits = append(d.edits, Edit{a0 + e.A0, a0 + e.A1, b0 + e.B0, b0 + e.B1})
		}
		return
	}
	if anchor {
		if anchors := d.anchors(a0, a1, b0, b1); len(anchors) > 0 {
			i, j := a0, b0
			for _, p := range anchors {
				d.compare(i, p[0], j, p[1], false)
				i, j = p[0]+1, p[1]+1
			}
			d.compare(i, a1, j, b1, false)
			return
		}
	}
	d.edits = append(d.edits, Edit{a0, a1, b0, b1})
}

// anchors returns the pairs (i, j) of lines x[i] == y[j] that occur once in
// each range, the longest run of them in the same order in both.
func (d *differ) anchors(a0, a1, b0, b1 int) [][2]int {
	type seen struct{ nx, ny, i, j int }
	count := map[int32]*seen{}
	for i := a0; i < a1; i++ {
		s := count[d.x[i]]
		if s == nil {
			s = &seen{}
			count[d.x[i]] = s
		}
		s.nx++
		s.i = i
	}
	for j := b0; j < b1; j++ {
		if s := count[d.y[j]]; s != nil {
			s.ny++
			s.j = j
		}
	}
	var pairs [][2]int
	for _, s := range count {
		if s.nx == 1 && s.ny == 1 {
			pairs = append(pairs, [2]int{s.i, s.j})
		}
	}
	sort.Slice(pairs, func(p, q int) bool { return pairs[p][0] < pairs[q][0] })
	return increasing(pairs)
}

// increasing returns the longest subsequence of pairs (sorted by their
// first member) whose second members increase (patience sorting).
func increasing(pairs [][2]int) [][2]int {
	if len(pairs) == 0 {
		return nil
	}
	var tails []int // tails[k]: index of the smallest end of a run of k+1
	prev := make([]int, len(pairs))
	for i, p := range pairs {
		k := sort.Search(len(tails), func(k int) bool { return pairs[tails[k]][1] >= p[1] })
		if k > 0 {
			prev[i] = tails[k-1]
		} else {
			prev[i] = -1
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	out := make([][2]int, len(tails))
	for i, k := tails[len(tails)-1], len(tails)-1; k >= 0; i, k = prev[i], k-1 {
		out[k] = pairs[i]
	}
	return out
}

// myers returns the fewest edits that turn x into y (Myers, "An O(ND)
// difference algorithm", 1986), or false when that takes more than budget
// steps or an edit distance past maxD.
func myers(x, y []int32, budget int) ([]Edit, bool) {
	n, m := len(x), len(y)
	limit := min(n+m, maxD)
	off := limit + 1
	v := make([]int32, 2*limit+3) // v[off+k]: the furthest i reached on diagonal k = i-j
	var trace [][]int32           // trace[d]: v[off-d .. off+d] before round d
	work := 0
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int32(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				i = int(v[off+k+1])
			} else {
				i = int(v[off+k-1]) + 1
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i, j = i+1, j+1
				work++
			}
			v[off+k] = int32(i)
			if work++; work > budget {
				return nil, false
			}
			if i >= n && j >= m {
				return backtrack(trace, n, m), true
			}
		}
	}
	return nil, false
}

// backtrack walks the trace from (n, m) back to (0, 0), one step of an
// insertion or a deletion per round, and returns the edits merged into
// runs.
func backtrack(trace [][]int32, n, m int) []Edit {
	var edits []Edit
	i, j := n, m
	for d := len(trace) - 1; d > 0; d-- {
		v := trace[d] // v[d+k]: the furthest i on diagonal k after round d-1
		k := i - j
		pk := k - 1 // a step right: x[pi] deleted
		if k == -d || (k != d && v[d+k-1] < v[d+k+1]) {
			pk = k + 1 // a step down: y[pj] inserted
		}
		pi := int(v[d+pk])
		pj := pi - pk
		if pk == k+1 {
			edits = append(edits, Edit{pi, pi, pj, pj + 1})
		} else {
			edits = append(edits, Edit{pi, pi + 1, pj, pj})
		}
		i, j = pi, pj
	}
	for l, r := 0, len(edits)-1; l < r; l, r = l+1, r-1 {
		edits[l], edits[r] = edits[r], edits[l]
	}
	return merge(edits)
}

// merge joins edits that touch or overlap; edits must be in order.
func merge(edits []Edit) []Edit {
	var out []Edit
	for _, e := range edits {
		if n := len(out); n > 0 && out[n-1].A1 >= e.A0 && out[n-1].B1 >= e.B0 {
			out[n-1].A1, out[n-1].B1 = max(out[n-1].A1, e.A1), max(out[n-1].B1, e.B1)
			continue
		}
		out = append(out, e)
	}
	return out
}

// Apply returns a with the edits made: lines of a outside them, lines of b
// in them. It is the inverse the tests check Lines against.
func Apply(a, b []string, edits []Edit) (string, error) {
	var s strings.Builder
	at := 0
	for _, e := range edits {
		if e.A0 < at || e.A1 < e.A0 || e.A1 > len(a) || e.B0 < 0 || e.B1 < e.B0 || e.B1 > len(b) {
			return "", fmt.Errorf("edit %v out of order or range", e)
		}
		for _, l := range a[at:e.A0] {
			s.WriteString(l)
		}
		for _, l := range b[e.B0:e.B1] {
			s.WriteString(l)
		}
		at = e.A1
	}
	for _, l := range a[at:] {
		s.WriteString(l)
	}
	return s.String(), nil
}

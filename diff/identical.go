package diff

import (
	"sort"

	"github.com/connectordiff/connectordiff/connector"
)

// Most of an update is unchanged: comparing two schemas whose text is the
// same byte for byte finds nothing, so the walk skips them when it can prove
// that. Identical text is the same tree, but not always the same meaning:
//
//   - a $ref inside may name definitions that differ between the documents,
//     so the references inside must be stable: resolving to text that is
//     identical too, whose references are stable in turn;
//   - x-ms-dynamic-* extensions report the operations they call that the
//     update removed (DynamicTargetRemoved), so when any operation was
//     removed, subtrees holding one are walked.
//
// Only JSON documents take part: their spans are exact, while a YAML node's
// end is approximate and its aliases can expand differently.
//
// Each part is linear in the documents: which references are stable is
// decided once, by propagating instability from the references that are
// not; a span's references are then one binary search away; and text is
// compared through a cache (sameText), since nested schemas would otherwise
// compare the same bytes once per level.

// identical reports whether the resolved schemas o (old) and n (new) are
// the same text with the same meaning, so that comparing them finds nothing.
func (c *comparer) identical(o, n *connector.Node) bool {
	if !c.canSkip {
		return false
	}
	os, oe := span(c.old, o)
	ns, ne := span(c.new, n)
	if oe-os != ne-ns || !c.sameText(os, ns, oe-os) {
		return false
	}
	if c.opsRemoved && hasOffsetIn(c.old.DynamicKeyOffsets(), os, oe) {
		return false
	}
	if c.unstable == nil {
		c.unstable = c.unstableUses()
	}
	return !hasOffsetIn(c.unstable, os, oe)
}

// span returns the byte offsets of node n in the text of d, its document.
func span(d *connector.Document, n *connector.Node) (start, end uint32) {
	s, e := d.Span(n)
	return uint32(s), uint32(e)
}

// hasOffsetIn reports whether sorted offsets hold one in [start, end).
func hasOffsetIn(offsets []uint32, start, end uint32) bool {
	i := sort.Search(len(offsets), func(i int) bool { return offsets[i] >= start })
	return i < len(offsets) && offsets[i] < end
}

// unstableUses returns the offsets, in order, of the $ref values of the old
// document whose reference is not stable: it resolves differently in the two
// documents, to text that differs, or to text holding such a reference.
// Stable references are the greatest fixed point; instability spreads from
// each use of an unstable reference to every target (a node some reference
// names) whose span holds it. References and targets are numbered, and
// their relations kept in flat arrays: a definition has thousands.
func (c *comparer) unstableUses() []uint32 {
	uses := c.old.References() // in document order
	refID := map[string]int32{}
	var stable []bool
	var refTarget []int32 // by reference: its target, or -1
	targetOf := map[*connector.Node]int32{}
	var targets []*connector.Node
	useRef := make([]int32, len(uses))
	var worklist []int32
	for i, u := range uses {
		r := u.Value()
		id, done := refID[r]
		if !done {
			id = int32(len(stable))
			refID[r] = id
			o, n := c.old.Target(r), c.new.Target(r)
			c.step(1)
			st := o == nil && n == nil
			if o != nil && n != nil {
				os, oe := span(c.old, o)
				ns, ne := span(c.new, n)
				st = oe-os == ne-ns && c.sameText(os, ns, oe-os) &&
					!(c.opsRemoved && hasOffsetIn(c.old.DynamicKeyOffsets(), os, oe))
			}
			stable = append(stable, st)
			if !st {
				worklist = append(worklist, id)
			}
			t := int32(-1)
			if o != nil {
				var ok bool
				if t, ok = targetOf[o]; !ok {
					t = int32(len(targets))
					targetOf[o] = t
					targets = append(targets, o)
				}
			}
			refTarget = append(refTarget, t)
		}
		useRef[i] = id
	}
	// The references naming each target, and the uses of each reference.
	targetRefs := group(len(targets), refTarget)
	refUses := group(len(stable), useRef)
	// The targets' spans nest or are disjoint (they are nodes of one tree):
	// one sweep finds each target's parent and each use's innermost target.
	order := make([]int32, len(targets))
	starts, ends := make([]uint32, len(targets)), make([]uint32, len(targets))
	for i, t := range targets {
		order[i] = int32(i)
		starts[i], ends[i] = span(c.old, t)
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		return starts[a] < starts[b] || starts[a] == starts[b] && ends[a] > ends[b]
	})
	parent := make([]int32, len(targets))
	innermost := make([]int32, len(uses))
	var open []int32
	ti := 0
	for ui := 0; ui <= len(uses); ui++ {
		pos := ^uint32(0)
		if ui < len(uses) {
			pos, _ = span(c.old, uses[ui])
		}
		for ; ti < len(order) && starts[order[ti]] <= pos; ti++ {
			t := order[ti]
			for len(open) > 0 && ends[open[len(open)-1]] <= starts[t] {
				open = open[:len(open)-1]
			}
			parent[t] = -1
			if len(open) > 0 {
				parent[t] = open[len(open)-1]
			}
			open = append(open, t)
		}
		if ui == len(uses) {
			break
		}
		for len(open) > 0 && ends[open[len(open)-1]] <= pos {
			open = open[:len(open)-1]
		}
		innermost[ui] = -1
		if len(open) > 0 {
			innermost[ui] = open[len(open)-1]
		}
	}
	c.step(len(targets) + len(uses))
	// Instability has spread from a propagated target to every target
	// holding it, so a walk up stops at the first.
	propagated := make([]bool, len(targets))
	for len(worklist) > 0 {
		r := worklist[len(worklist)-1]
		worklist = worklist[:len(worklist)-1]
		for _, u := range refUses.of(r) {
			for t := innermost[u]; t >= 0 && !propagated[t]; t = parent[t] {
				propagated[t] = true
				c.step(1)
				for _, tr := range targetRefs.of(t) {
					if stable[tr] {
						stable[tr] = false
						worklist = append(worklist, tr)
					}
				}
			}
		}
	}
	out := []uint32{}
	for i, u := range uses {
		if !stable[useRef[i]] {
			at, _ := span(c.old, u)
			out = append(out, at)
		}
	}
	return out
}

// groups lists, for each of n keys, the indexes that map to it: members
// of key k are at[start[k]:start[k+1]].
type groups struct {
	start []int32
	at    []int32
}

// group inverts keyOf (index -> key, -1 for none) into groups of n keys.
func group(n int, keyOf []int32) groups {
	g := groups{start: make([]int32, n+1)}
	for _, k := range keyOf {
		if k >= 0 {
			g.start[k+1]++
		}
	}
	for k := range n {
		g.start[k+1] += g.start[k]
	}
	g.at = make([]int32, g.start[n])
	fill := append([]int32(nil), g.start[:n]...)
	for i, k := range keyOf {
		if k >= 0 {
			g.at[fill[k]] = int32(i)
			fill[k]++
		}
	}
	return g
}

func (g groups) of(k int32) []int32 { return g.at[g.start[k]:g.start[k+1]] }

// stretch is a run of old text known equal to the new text on one diagonal
// (old offset minus new offset): [from, to), and whether the bytes at to
// were found to differ.
type stretch struct {
	from, to uint32
	differs  bool
}

// sameText reports whether size bytes of old text at oldAt equal those of
// new text at newAt. Each diagonal keeps the stretches compared on it, so
// that a byte is compared once per diagonal: a schema nested thousands of
// levels deep, changed at the bottom, would otherwise compare its whole
// text once per level.
func (c *comparer) sameText(oldAt, newAt, size uint32) bool {
	old, new := c.oldText, c.newText
	if size < cachedText {
		c.step(1 + int(size)/256)
		return old[oldAt:oldAt+size] == new[newAt:newAt+size]
	}
	if c.stretches == nil {
		c.stretches = map[int64][]stretch{}
	}
	diag := int64(oldAt) - int64(newAt)
	list := c.stretches[diag]
	pos, end := oldAt, oldAt+size
	// i is the stretch that holds pos or ends there, else -1 (one is made).
	i := sort.Search(len(list), func(i int) bool { return list[i].from > pos }) - 1
	if i < 0 || list[i].to < pos {
		list = append(list, stretch{})
		c.step(len(list) - i)
		copy(list[i+2:], list[i+1:])
		i++
		list[i] = stretch{from: pos, to: pos}
	}
	for {
		s := &list[i]
		if s.to >= end {
			c.stretches[diag] = list
			return true
		}
		if s.differs {
			c.stretches[diag] = list
			return false
		}
		limit := end
		if i+1 < len(list) && list[i+1].from < limit {
			limit = list[i+1].from
		}
		at := s.to
		m := at + uint32(firstDifference(old[at:limit], new[int64(at)-diag:int64(limit)-diag]))
		c.step(1 + int(m-at)/256)
		s.to = m
		if m < limit {
			s.differs = true
			continue
		}
		if i+1 < len(list) && list[i+1].from == m { // merge with the next stretch
			s.to, s.differs = list[i+1].to, list[i+1].differs
			list = append(list[:i+1], list[i+2:]...)
		}
	}
}

// cachedText is the size from which sameText remembers what it compared;
// shorter spans cost less to compare again than to look up.
const cachedText = 1024

// firstDifference returns the length of the common prefix of a and b, which
// have the same length.
func firstDifference(a, b string) int {
	const chunk = 64
	i := 0
	for i+chunk <= len(a) && a[i:i+chunk] == b[i:i+chunk] {
		i += chunk
	}
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i
}

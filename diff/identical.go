package diff

import "sort"

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
func (c *comparer) identical(o, n *Node) bool {
	if !c.canSkip || o.end-o.start != n.end-n.start || !c.sameText(o.start, n.start, o.end-o.start) {
		return false
	}
	if c.opsRemoved && hasOffsetIn(c.old.dynKeys, o.start, o.end) {
		return false
	}
	if c.unstable == nil {
		c.unstable = c.unstableUses()
	}
	return !hasOffsetIn(c.unstable, o.start, o.end)
}

// hasOffsetIn reports whether sorted offsets hold one in [start, end).
func hasOffsetIn(offsets []uint32, start, end uint32) bool {
	i := sort.Search(len(offsets), func(i int) bool { return offsets[i] >= start })
	return i < len(offsets) && offsets[i] < end
}

// refTarget is a node of the old document some reference names.
type refTarget struct {
	node       *Node
	refs       []string
	parent     *refTarget // the innermost target whose span holds this one
	propagated bool       // instability has spread from here to every target holding it
}

// unstableUses returns the offsets, in order, of the $ref values of the old
// document whose reference is not stable: it resolves differently in the two
// documents, to text that differs, or to text holding such a reference.
// Stable references are the greatest fixed point; instability spreads from
// each use of an unstable reference to every target whose span holds it.
func (c *comparer) unstableUses() []uint32 {
	stable := map[string]bool{}
	byNode := map[*Node]*refTarget{}
	var targets []*refTarget
	var worklist []string
	for _, u := range c.old.refUses {
		r := u.value.val
		if _, done := stable[r]; done {
			continue
		}
		o, n := c.old.refs[r], c.new.refs[r]
		c.step(1)
		stable[r] = o == nil && n == nil || o != nil && n != nil && o.end-o.start == n.end-n.start &&
			c.sameText(o.start, n.start, o.end-o.start) && !(c.opsRemoved && hasOffsetIn(c.old.dynKeys, o.start, o.end))
		if !stable[r] {
			worklist = append(worklist, r)
		}
		if o != nil {
			t := byNode[o]
			if t == nil {
				t = &refTarget{node: o}
				byNode[o] = t
				targets = append(targets, t)
			}
			t.refs = append(t.refs, r)
		}
	}
	// The targets' spans nest or are disjoint (they are nodes of one tree):
	// one sweep finds each target's parent and each use's innermost target.
	sort.Slice(targets, func(i, j int) bool {
		a, b := targets[i].node, targets[j].node
		return a.start < b.start || a.start == b.start && a.end > b.end
	})
	uses := c.old.refUses // in the order of their values
	innermost := make([]*refTarget, len(uses))
	var open []*refTarget
	ti := 0
	for ui := 0; ui <= len(uses); ui++ {
		pos := ^uint32(0)
		if ui < len(uses) {
			pos = uses[ui].value.start
		}
		for ; ti < len(targets) && targets[ti].node.start <= pos; ti++ {
			t := targets[ti]
			for len(open) > 0 && open[len(open)-1].node.end <= t.node.start {
				open = open[:len(open)-1]
			}
			if len(open) > 0 {
				t.parent = open[len(open)-1]
			}
			open = append(open, t)
		}
		if ui == len(uses) {
			break
		}
		for len(open) > 0 && open[len(open)-1].node.end <= pos {
			open = open[:len(open)-1]
		}
		if len(open) > 0 {
			innermost[ui] = open[len(open)-1]
		}
	}
	c.step(len(targets) + len(uses))
	usesOf := map[string][]int{}
	for i, u := range uses {
		usesOf[u.value.val] = append(usesOf[u.value.val], i)
	}
	for len(worklist) > 0 {
		r := worklist[len(worklist)-1]
		worklist = worklist[:len(worklist)-1]
		for _, i := range usesOf[r] {
			for t := innermost[i]; t != nil && !t.propagated; t = t.parent {
				t.propagated = true
				c.step(1 + len(t.refs))
				for _, tr := range t.refs {
					if stable[tr] {
						stable[tr] = false
						worklist = append(worklist, tr)
					}
				}
			}
		}
	}
	out := []uint32{}
	for _, u := range uses {
		if !stable[u.value.val] {
			out = append(out, u.value.start)
		}
	}
	return out
}

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
	old, new := c.old.src, c.new.src
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

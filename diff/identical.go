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

// identical reports whether the resolved schemas o (old) and n (new) are
// the same text with the same meaning, so that comparing them finds nothing.
func (c *comparer) identical(o, n *Node) bool {
	if !c.canSkip || o.end-o.start != n.end-n.start ||
		c.old.src[o.start:o.end] != c.new.src[n.start:n.end] {
		return false
	}
	if c.opsRemoved && hasOffsetIn(c.old.dynKeys, o.start, o.end) {
		return false
	}
	for _, u := range c.old.usesIn(o.start, o.end) {
		if !c.stableRef(u.value.val) {
			return false
		}
	}
	return true
}

// usesIn returns the $ref members inside the span [start, end).
func (d *Document) usesIn(start, end uint32) []refUse {
	i := sort.Search(len(d.refUses), func(i int) bool { return d.refUses[i].value.start >= start })
	j := i
	for j < len(d.refUses) && d.refUses[j].value.start < end {
		j++
	}
	return d.refUses[i:j]
}

// hasOffsetIn reports whether sorted offsets hold one in [start, end).
func hasOffsetIn(offsets []uint32, start, end uint32) bool {
	i := sort.Search(len(offsets), func(i int) bool { return offsets[i] >= start })
	return i < len(offsets) && offsets[i] < end
}

// stableRef reports whether reference r resolves the same way in both
// documents: to nothing in both, or to identical text whose own references
// are stable. The set is the greatest fixed point, computed once.
func (c *comparer) stableRef(r string) bool {
	if c.stable == nil {
		c.stable = c.stableRefs()
	}
	return c.stable[r]
}

func (c *comparer) stableRefs() map[string]bool {
	stable := map[string]bool{}
	targets := map[string][2]*Node{}
	for _, u := range c.old.refUses {
		r := u.value.val
		if _, done := targets[r]; done {
			continue
		}
		o, n := c.old.refs[r], c.new.refs[r]
		targets[r] = [2]*Node{o, n}
		switch {
		case o == nil && n == nil:
			stable[r] = true
		case o == nil || n == nil:
		case o.end-o.start == n.end-n.start && c.old.src[o.start:o.end] == c.new.src[n.start:n.end] &&
			!(c.opsRemoved && hasOffsetIn(c.old.dynKeys, o.start, o.end)):
			stable[r] = true
		}
	}
	// Drop every reference whose target holds one that is not stable, until
	// nothing changes.
	for changed := true; changed; {
		changed = false
		for r := range stable {
			o := targets[r][0]
			if o == nil {
				continue
			}
			for _, u := range c.old.usesIn(o.start, o.end) {
				if !stable[u.value.val] {
					delete(stable, r)
					changed = true
					break
				}
			}
		}
	}
	return stable
}

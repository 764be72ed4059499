package connector

// What the external tests (package connector_test, which may import diff)
// read of the package's insides.

// BlankUntil is blankUntil.
var BlankUntil = blankUntil

// SameTree reports whether two loads built the same tree: the same nodes,
// values, tags and spans.
func SameTree(a, b *Node) bool {
	if a.kind != b.kind || a.tag != b.tag || a.quoted != b.quoted || a.val != b.val || a.start != b.start || a.end != b.end || a.n != b.n {
		return false
	}
	for i := range a.kids() {
		if !SameTree(&a.kids()[i], &b.kids()[i]) {
			return false
		}
	}
	return true
}

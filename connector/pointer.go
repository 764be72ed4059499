package connector

// Pointer is a JSON pointer kept as a link to its parent's, made into a
// string only when a location needs it: a walk that descends through inline
// schemas nested thousands of levels deep would hold memory quadratic in the
// depth with a string per level (700 MB for a 170 KB definition). Every
// Pointer descends from one made by NewPointer.
type Pointer struct {
	up   *Pointer
	tail string // what this pointer adds to up's, escaped: "/properties/name"
	s    string // the whole pointer, once made
	made bool
}

// NewPointer returns the pointer s, given whole (its reference tokens
// escaped).
func NewPointer(s string) *Pointer { return &Pointer{s: s, made: true} }

// Add extends p with tail, reference tokens already escaped and each
// preceded by "/".
func (p *Pointer) Add(tail string) *Pointer { return &Pointer{up: p, tail: tail} }

// Token extends p with one reference token, escaped here.
func (p *Pointer) Token(tok string) *Pointer { return p.Add(ptr("", tok)) }

// String makes the pointer, caching it in p alone: caching every ancestor
// too would make the strings quadratic again. A pointer given whole is
// never written to, so that documents can share theirs between comparisons.
func (p *Pointer) String() string {
	if p.made {
		return p.s
	}
	size := 0
	x := p
	for ; !x.made; x = x.up {
		size += len(x.tail)
	}
	size += len(x.s)
	b := make([]byte, size)
	at := size
	for x = p; !x.made; x = x.up {
		at -= len(x.tail)
		copy(b[at:], x.tail)
	}
	copy(b, x.s)
	p.s, p.made = string(b), true
	return p.s
}

// ResolvePointer is Resolve for a pointer kept as links: it returns the
// pointer of the node a reference names, made once by the loader, so that
// following a reference allocates nothing.
func (d *Document) ResolvePointer(n *Node, p *Pointer) (*Node, *Pointer) {
	if r := refOf(n); r != nil {
		end := d.ends[r.val]
		if end.ptr == nil {
			return nil, p
		}
		return end.node, end.ptr
	}
	return n, p
}

package diff

// ptrPath is a JSON pointer kept as a link to its parent's, made into a
// string only when a location needs it. The schema walk descends through
// inline schemas nested thousands of levels deep: a string per level would
// hold memory quadratic in the depth (700 MB for a 170 KB definition).
type ptrPath struct {
	up   *ptrPath
	tail string // what this pointer adds to up's, escaped: "/properties/name"
	s    string // the whole pointer, once made
	made bool
}

// rootPtr is a pointer given whole.
func rootPtr(s string) *ptrPath { return &ptrPath{s: s, made: true} }

// add extends p with tail, reference tokens already escaped and each
// preceded by "/".
func (p *ptrPath) add(tail string) *ptrPath { return &ptrPath{up: p, tail: tail} }

// token extends p with one reference token, escaped here.
func (p *ptrPath) token(tok string) *ptrPath { return p.add(ptr("", tok)) }

// String makes the pointer, caching it in p alone: caching every ancestor
// too would make the strings quadratic again. A pointer given whole is
// never written to, so that documents can share theirs between comparisons.
func (p *ptrPath) String() string {
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

// resolvePath is resolve for a pointer kept as links.
func (d *Document) resolvePath(n *Node, p *ptrPath) (*Node, *ptrPath) {
	if r := refOf(n); r != nil {
		end := d.ends[r.val]
		if end.ptr == nil {
			return nil, p
		}
		return end.node, end.ptr
	}
	return n, p
}

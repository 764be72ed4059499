package fix

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Copying: text taken from the old document into the current one keeps its
// references valid, sharing what the current document has the same and
// copying the rest under free names.

// transplant returns the text of the old document's node at p, with extra
// (operations on the old document inside p) applied and every local $ref in
// it pointing at an equal node of the current document, copying the old
// definition where the current one differs or is missing.
func (pl *planner) transplant(p string, extra []Op) (string, error) {
	n := pl.old.at(p)
	if n == nil {
		return "", fmt.Errorf("the old definition has nothing at %s", p)
	}
	ops := append([]Op(nil), extra...)
	var err error
	walk(n, p, func(m *connector.Node, mp string) bool {
		if err != nil {
			return false
		}
		r := m.Get("$ref")
		if r == nil || r.Kind() != connector.String {
			return true
		}
		var to string
		to, err = pl.mapRef(r.Value())
		if err == nil && to != r.Value() {
			ops = append(ops, Op{Op: "replace", Path: ptr(mp, "$ref"), Value: quote(to)})
		}
		return true
	})
	if err != nil {
		return "", err
	}
	text, err := pl.old.textWith(p, ops)
	return dedupe(text), err
}

// walk calls fn for every object under n (n included) with its pointer, in
// document order; fn returns false to skip an object's children.
func walk(n *connector.Node, p string, fn func(*connector.Node, string) bool) {
	switch n.Kind() {
	case connector.Object:
		if !fn(n, p) {
			return
		}
		for i := 0; i < n.Len(); i++ {
			k, v := n.Member(i)
			walk(v, ptr(p, k.Value()), fn)
		}
	case connector.Array:
		for i := 0; i < n.Len(); i++ {
			walk(n.Elem(i), p+"/"+strconv.Itoa(i), fn)
		}
	}
}

// pointerOf is the JSON pointer of a path of keys from the root.
func pointerOf(keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteByte('/')
		b.WriteString(escape(k))
	}
	return b.String()
}

// sections are the parts of a definition that references point into and
// fix copies from.
var sections = map[string]bool{"definitions": true, "parameters": true, "responses": true}

// mapRef returns the reference that names, in the current document, what
// ref names in the old one.
func (pl *planner) mapRef(ref string) (string, error) {
	if !strings.HasPrefix(ref, "#/") {
		return ref, nil // not followed by the comparison either
	}
	p := ref[1:]
	if c, ok := pl.st.copies[p]; ok {
		return "#" + c, nil
	}
	if pl.sameRef(p) {
		return ref, nil
	}
	toks := tokens(p)
	if len(toks) != 2 || !sections[toks[0]] {
		return "", fmt.Errorf("it refers to %s, which changed and is not a definition fix can copy", ref)
	}
	if pl.old.at(p) == nil {
		return ref, nil // unresolved in the old document: compared as absent on both sides
	}
	name := pl.freeName(toks[0], toks[1])
	to := "/" + escape(toks[0]) + "/" + escape(name)
	pl.j.set(pl.st.copies, p, to)
	text, err := pl.transplant(p, nil)
	if err != nil {
		pl.j.del(pl.st.copies, p)
		return "", err
	}
	if _, ok := pl.sections[toks[0]]; !ok {
		pl.secOrder = append(pl.secOrder, toks[0])
	}
	pl.sections[toks[0]] = append(pl.sections[toks[0]], [2]string{name, text})
	return "#" + to, nil
}

// freeName returns a name for a copy of an old definition: its own when the
// current document has none by that name, else the name with the old
// revision's suffix (Task -> TaskV1), made unique.
func (pl *planner) freeName(section, name string) string {
	free := func(n string) bool {
		if pl.cur.at("/"+escape(section)+"/"+escape(n)) != nil {
			return false
		}
		for _, m := range pl.sections[section] {
			if m[0] == n {
				return false
			}
		}
		return true
	}
	if free(name) {
		return name
	}
	base := name + pl.sep + "1"
	for i := 1; ; i++ {
		n := base
		if i > 1 {
			n = fmt.Sprintf("%s_%d", base, i)
		}
		if free(n) {
			return n
		}
	}
}

// sameRef reports whether the node at pointer p is the same in the old and
// the current document, references included.
func (pl *planner) sameRef(p string) bool {
	switch pl.same[p] {
	case 1, 2:
		return true // being compared: a cycle is the same unless something else differs
	case -1:
		return false
	}
	pl.same[p] = 2
	ok := pl.sameNode(pl.old.at(p), pl.cur.at(p))
	if ok {
		pl.same[p] = 1
	} else {
		pl.same[p] = -1
	}
	return ok
}

// sameNode compares a node of the old document with one of the current
// document by value, following the local references in both.
func (pl *planner) sameNode(a, b *connector.Node) bool {
	return connector.EqualAcross(a, b, func(ref string) bool {
		return !strings.HasPrefix(ref, "#/") || pl.sameRef(ref[1:])
	})
}

package diff

import (
	"sort"
	"strconv"

	"github.com/connectordiff/connectordiff/connector"
)

// The properties of object schemas: flattened through allOf, matched by
// name, renamed, added, or moved into or out of a wrapper.

// prop is one named property of an object schema.
type prop struct {
	name string
	key  *connector.Node
	node *connector.Node // unresolved, as written
	ptr  *connector.Pointer
}

type propSet struct {
	list     []prop
	index    map[string]int // position in list by name: find must not scan, objects may have 100,000 properties
	required map[string]bool
	// container locates where the properties are declared.
	container *connector.Node
	ptr       *connector.Pointer
	cost      int // nodes and properties read
}

// flatten gathers the properties and required names of an object schema,
// including those it inherits through allOf, however deep: in the order a
// depth-first walk meets them, the first declaration of a name winning.
func flatten(d *connector.Document, s *connector.Node, p *connector.Pointer) propSet {
	set := propSet{required: map[string]bool{}, index: map[string]int{}}
	visited := map[*connector.Node]bool{}
	type item struct {
		s *connector.Node
		p *connector.Pointer
	}
	// An explicit stack, members pushed in reverse so that they are taken
	// in order: an allOf chain has no depth the walk may assume.
	stack := []item{{s, p}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		s, p := d.ResolvePointer(it.s, it.p)
		if s == nil || visited[s] {
			continue
		}
		visited[s] = true
		set.cost++
		if props := get(s, "properties"); props != nil {
			base := p.Add("/properties")
			if set.container == nil {
				set.container, set.ptr = props, base
			}
			pairs(props, func(k, v *connector.Node) {
				set.cost++
				if _, seen := set.index[k.Value()]; !seen {
					set.index[k.Value()] = len(set.list)
					set.list = append(set.list, prop{name: k.Value(), key: k, node: v, ptr: base.Token(k.Value())})
				}
			})
		}
		for _, r := range stringList(get(s, "required")) {
			set.required[r] = true
		}
		if all := get(s, "allOf"); all != nil && all.Kind() == connector.Array {
			for i := all.Len() - 1; i >= 0; i-- {
				stack = append(stack, item{all.Elem(i), p.Add(ptrIndex("/allOf", i))})
			}
		}
	}
	if set.container == nil {
		set.container, set.ptr = s, p
	}
	return set
}

// flatten is flatten counted against the comparison's budget.
func (c *comparer) flatten(d *connector.Document, s *connector.Node, p *connector.Pointer) propSet {
	set := flatten(d, s, p)
	c.step(set.cost)
	return set
}

// renamedTo finds the one new property of news, absent from olds, whose
// name equals name but for case and punctuation. byLoose indexes those new
// properties by looseName, built on first use: a scan per removed property
// made wide objects quadratic (20,000 properties replaced took minutes).
func renamedTo(name string, olds, news propSet, byLoose *map[string][]prop) (prop, bool) {
	if *byLoose == nil {
		*byLoose = map[string][]prop{}
		for _, q := range news.list {
			if _, old := olds.find(q.name); !old {
				k := looseName(q.name)
				(*byLoose)[k] = append((*byLoose)[k], q)
			}
		}
	}
	if m := (*byLoose)[looseName(name)]; len(m) == 1 {
		return m[0], true
	}
	return prop{}, false
}

func (ps propSet) find(name string) (prop, bool) {
	if i, ok := ps.index[name]; ok {
		return ps.list[i], true
	}
	return prop{}, false
}

// propWalk is the comparison of an object's properties, one at a time.
type propWalk struct {
	olds, news         propSet
	renamed            map[string]bool // new names reported as the target of a rename
	byLoose            map[string][]prop
	movedOld, movedNew map[string]bool
	next               int // the old property to compare next
}

// startProperties flattens the properties of both schemas and reports
// those that moved; nil when neither declares any.
func (c *comparer) startProperties(s schemaCtx, o, n *connector.Node, op, np *connector.Pointer) *propWalk {
	if get(o, "properties") == nil && get(o, "allOf") == nil && get(n, "properties") == nil && get(n, "allOf") == nil {
		return nil
	}
	w := &propWalk{olds: c.flatten(c.old, o, op), news: c.flatten(c.new, n, np), renamed: map[string]bool{}}
	// Properties that moved under a new wrapper (or out of an old one), or
	// that the new schema no longer declares at all, are one change.
	w.movedOld, w.movedNew = c.restructured(s, w.olds, w.news, o, n, op, np, func(ch *Change) { c.record(s, ch) })
	return w
}

// nextProperty compares the next old property with its namesake, entering
// their schemas; false when none is left.
func (c *comparer) nextProperty(s schemaCtx, w *propWalk) bool {
	add := func(ch *Change) { c.record(s, ch) }
	olds, news := w.olds, w.news
	for w.next < len(olds.list) {
		p := olds.list[w.next]
		w.next++
		c.step(1)
		if w.movedOld[p.name] {
			continue
		}
		pn, _ := c.old.ResolvePointer(p.node, p.ptr)
		oInternal := s.internal || str(pn, "x-ms-visibility") == "internal"
		q, ok := news.find(p.name)
		if !ok {
			ch := &Change{Kind: PropertyRemoved, Subject: "/" + p.name, Old: loc(p.ptr.String(), p.key), New: loc(news.ptr.String(), news.container),
				ValuePath: "/" + p.name, Facts: Facts{Internal: oInternal, ReadOnly: boolean(pn, "readOnly"), Required: olds.required[p.name]}}
			// A new sibling whose name differs only in case or punctuation is
			// the same property renamed: still removed for flows, which store
			// the exact name, but reported once, naming the new one.
			if r, ok := renamedTo(p.name, olds, news, &w.byLoose); ok {
				ch.After, ch.New = r.name, loc(r.ptr.String(), r.key)
				w.renamed[r.name] = true
			}
			add(ch)
			continue
		}
		qn, _ := c.new.ResolvePointer(q.node, q.ptr)
		if or, nr := olds.required[p.name], news.required[q.name]; or != nr {
			add(&Change{Kind: PropertyRequiredChanged, Subject: "/" + p.name, Old: loc(p.ptr.String(), p.key), New: loc(q.ptr.String(), q.key),
				ValuePath: "/" + p.name, Before: strconv.FormatBool(or), After: strconv.FormatBool(nr),
				Facts: Facts{Internal: oInternal || str(qn, "x-ms-visibility") == "internal", Required: nr,
					HasDefault: get(qn, "default") != nil, ReadOnly: boolean(qn, "readOnly"),
					NotificationURL: boolean(qn, "x-ms-notification-url")}})
		}
		if or, nr := boolean(pn, "readOnly"), boolean(qn, "readOnly"); or != nr {
			add(&Change{Kind: ReadOnlyChanged, Subject: "/" + p.name, Old: c.fieldLoc(p.ptr.String(), "readOnly", pn),
				New: c.fieldLoc(q.ptr.String(), "readOnly", qn), ValuePath: "/" + p.name, Before: strconv.FormatBool(or), After: strconv.FormatBool(nr),
				Facts: Facts{Internal: oInternal}})
		}
		if ov, nv := str(pn, "x-ms-visibility"), str(qn, "x-ms-visibility"); ov != nv {
			add(&Change{Kind: VisibilityChanged, Subject: "/" + p.name, Old: c.fieldLoc(p.ptr.String(), "x-ms-visibility", pn),
				New: c.fieldLoc(q.ptr.String(), "x-ms-visibility", qn), ValuePath: "/" + p.name + "/x-ms-visibility", Before: ov, After: nv,
				Facts: Facts{Internal: s.internal, Required: news.required[q.name], HasDefault: get(qn, "default") != nil}})
		}
		if !s.where.Request() || !boolean(pn, "readOnly") {
			c.enter(s.child(p.name, p.name, oInternal), p.node, q.node, p.ptr, q.ptr)
			return true
		}
	}
	return false
}

// addedProperties reports the new properties that match no old one.
func (c *comparer) addedProperties(s schemaCtx, w *propWalk) {
	for _, q := range w.news.list {
		c.step(1)
		if _, ok := w.olds.find(q.name); ok || w.renamed[q.name] || w.movedNew[q.name] {
			continue
		}
		qn, _ := c.new.ResolvePointer(q.node, q.ptr)
		c.record(s, &Change{Kind: PropertyAdded, Subject: "/" + q.name, New: loc(q.ptr.String(), q.key), ValuePath: "/" + q.name,
			Facts: Facts{Internal: s.internal || str(qn, "x-ms-visibility") == "internal", Required: w.news.required[q.name],
				HasDefault: get(qn, "default") != nil, ReadOnly: boolean(qn, "readOnly"),
				NotificationURL: boolean(qn, "x-ms-notification-url")}})
	}
}

// restructured finds the properties of an object that moved rather than
// went: into a new wrapper property ({a, b} -> {task: {a, b}}), or out of an
// old one ({data: {a, b}} -> {a, b}), two properties or more; or, when the
// new schema declares no property at all ({type: object}), every property
// it no longer declares.
// Each is one change listing what moved where, as a move breaks every
// reference to the moved properties at once. It returns the old and the new
// names it accounted for.
func (c *comparer) restructured(s schemaCtx, olds, news propSet, o, n *connector.Node, op, np *connector.Pointer, add func(*Change)) (movedOld, movedNew map[string]bool) {
	movedOld, movedNew = map[string]bool{}, map[string]bool{}
	var gone, come []prop
	for _, p := range olds.list {
		if _, ok := news.find(p.name); !ok {
			gone = append(gone, p)
		}
	}
	for _, q := range news.list {
		if _, ok := olds.find(q.name); !ok {
			come = append(come, q)
		}
	}
	if len(gone) == 0 {
		return
	}
	facts := func(names []prop) Facts {
		f := Facts{Internal: true, ReadOnly: true}
		for _, p := range names {
			pn, _ := c.old.ResolvePointer(p.node, p.ptr)
			f.Internal = f.Internal && (s.internal || str(pn, "x-ms-visibility") == "internal")
			f.ReadOnly = f.ReadOnly && boolean(pn, "readOnly")
		}
		return f
	}
	if len(news.list) == 0 && len(gone) >= 2 {
		f := facts(gone)
		for _, p := range gone {
			movedOld[p.name] = true
			f.Moved = append(f.Moved, p.name)
		}
		f.Undeclared = true
		add(&Change{Kind: SchemaRestructured, Old: loc(olds.ptr.String(), olds.container), New: loc(np.String(), n),
			Facts: f})
		return
	}
	goneAt, comeAt := positions(gone), positions(come)
	// Into a new wrapper: a new property whose own properties hold
	// properties that went, of the same type.
	for _, w := range come {
		inner := c.flatten(c.new, w.node, w.ptr)
		moved := c.matchInner(gone, goneAt, inner, movedOld, func(p, q prop) bool { return sameType(c.old, p, c.new, q) })
		if len(moved) < 2 { // one property moved is one removal, reported as such
			continue
		}
		f := facts(moved)
		for _, p := range moved {
			movedOld[p.name] = true
			f.Moved = append(f.Moved, p.name+" -> "+w.name+"/"+p.name)
		}
		movedNew[w.name] = true
		add(&Change{Kind: SchemaRestructured, Old: loc(moved[0].ptr.String(), moved[0].key), New: loc(w.ptr.String(), w.key),
			ValuePath: "/" + moved[0].name, Facts: f})
	}
	// Out of an old wrapper: a property that went whose own properties are
	// now properties of the object itself.
	for _, w := range gone {
		if movedOld[w.name] {
			continue
		}
		inner := c.flatten(c.old, w.node, w.ptr)
		moved := c.matchInner(come, comeAt, inner, movedNew, func(q, p prop) bool { return sameType(c.old, p, c.new, q) })
		if len(moved) < 2 {
			continue
		}
		f := facts([]prop{w})
		for _, q := range moved {
			movedNew[q.name] = true
			f.Moved = append(f.Moved, w.name+"/"+q.name+" -> "+q.name)
		}
		movedOld[w.name] = true
		add(&Change{Kind: SchemaRestructured, Old: loc(w.ptr.String(), w.key), New: loc(moved[0].ptr.String(), moved[0].key),
			ValuePath: "/" + w.name, Facts: f})
	}
	return
}

// positions indexes a list of properties by name.
func positions(list []prop) map[string]int {
	at := make(map[string]int, len(list))
	for i, p := range list {
		at[p.name] = i
	}
	return at
}

// matchInner lists, in list's order, the properties of list not taken
// that inner holds too, and same accepts (given the listed property and
// inner's). It loops over the shorter of list and inner: a wrapper is
// looked for among every property added, each against every property gone,
// and both may be 20,000 long.
func (c *comparer) matchInner(list []prop, at map[string]int, inner propSet, taken map[string]bool, same func(listed, in prop) bool) []prop {
	var out []prop
	if len(list) <= len(inner.list) {
		c.step(len(list))
		for _, p := range list {
			if q, ok := inner.find(p.name); ok && !taken[p.name] && same(p, q) {
				out = append(out, p)
			}
		}
		return out
	}
	c.step(len(inner.list))
	var idx []int
	for _, q := range inner.list {
		if i, ok := at[q.name]; ok && !taken[q.name] && same(list[i], q) {
			idx = append(idx, i)
		}
	}
	sort.Ints(idx)
	for _, i := range idx {
		out = append(out, list[i])
	}
	return out
}

// sameType reports whether two properties have the same declared type, so
// that a property found under a new parent is the one that moved.
func sameType(od *connector.Document, p prop, nd *connector.Document, q prop) bool {
	pn, _ := od.ResolvePointer(p.node, p.ptr)
	qn, _ := nd.ResolvePointer(q.node, q.ptr)
	return pn != nil && qn != nil && typeOf(pn) == typeOf(qn)
}

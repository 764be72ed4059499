package fix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Op is one JSON Patch operation (RFC 6902): add, replace, remove, or move
// (only between two keys of one object, which renames a member). Value is
// JSON text; fix writes it with one tab per level of indentation and lays
// it out in the edited document's own style when applied.
type Op struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	From  string `json:"from,omitempty"`
	Value string `json:"-"`
}

// MarshalJSON writes the operation as RFC 6902 has it, its value compact.
func (o Op) MarshalJSON() ([]byte, error) {
	type plain struct {
		Op    string          `json:"op"`
		From  string          `json:"from,omitempty"`
		Path  string          `json:"path"`
		Value json.RawMessage `json:"value,omitempty"`
	}
	p := plain{Op: o.Op, From: o.From, Path: o.Path}
	if o.Op == "add" || o.Op == "replace" {
		var b bytes.Buffer
		if err := json.Compact(&b, []byte(o.Value)); err != nil {
			return nil, fmt.Errorf("%s %s: value is not JSON: %w", o.Op, o.Path, err)
		}
		p.Value = b.Bytes()
	}
	return json.Marshal(p)
}

// edit replaces the bytes [Start, End) of a text with Text; an insertion has
// Start == End.
type edit struct {
	Start, End int
	Text       string
	owner      int // the index of the operation it comes from
}

// ConflictError says that two operations of one batch edit the same bytes
// (or one edits inside what the other replaces).
type ConflictError struct{ A, B int }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("operations %d and %d edit the same part of the document", e.A, e.B)
}

// Apply applies a batch of operations to the text of a JSON document and
// returns the new text. The operations of a batch must not depend on each
// other (none targets a node another replaces, removes or adds), so that
// applying them together equals applying them in order; plans are made so.
// Every byte outside the edited nodes is kept.
func Apply(d *connector.Document, ops []Op) (string, error) {
	if d.Format != "json" {
		return "", fmt.Errorf("fix edits JSON definitions; %s is %s", d.Name, strings.ToUpper(d.Format))
	}
	x := newDoc(d)
	edits, err := x.compile(ops)
	if err != nil {
		return "", err
	}
	return splice(x.src, edits), nil
}

// Text returns the JSON text of the node at pointer p of document d, with
// one tab per level of indentation, as Op values are written.
func Text(d *connector.Document, p string) (string, error) {
	x := newDoc(d)
	n := x.at(p)
	if n == nil {
		return "", fmt.Errorf("%s: nothing at %q", d.Name, p)
	}
	return x.text(n), nil
}

// text returns the canonical text of node n.
func (x *doc) text(n *connector.Node) string {
	s, e := x.d.Span(n)
	return canonical(x.src[s:e], indentAt(x.src, s), x.style)
}

// textWith returns the canonical text of the node at p with ops (which must
// all fall inside it) applied.
func (x *doc) textWith(p string, ops []Op) (string, error) {
	n := x.at(p)
	if n == nil {
		return "", fmt.Errorf("nothing at %q", p)
	}
	s, e := x.d.Span(n)
	edits, err := x.compile(ops)
	if err != nil {
		return "", err
	}
	for i := range edits {
		if edits[i].Start < s || edits[i].End > e || edits[i].Start == e && edits[i].End == e && e > s {
			return "", fmt.Errorf("an edit falls outside %q", p)
		}
		edits[i].Start -= s
		edits[i].End -= s
	}
	return canonical(splice(x.src[s:e], edits), indentAt(x.src, s), x.style), nil
}

func splice(src string, edits []edit) string {
	var b strings.Builder
	b.Grow(len(src) + 256)
	at := 0
	for _, e := range edits {
		b.WriteString(src[at:e.Start])
		b.WriteString(e.Text)
		at = e.End
	}
	b.WriteString(src[at:])
	return b.String()
}

// pending collects what a batch adds to one object or array.
type pending struct {
	node  *connector.Node
	owner int
	keys  []string // for objects
	vals  []string
	own   []int
}

// compile turns operations into byte edits, sorted and checked.
func (x *doc) compile(ops []Op) ([]edit, error) {
	var edits []edit
	var order []*pending
	groups := map[*connector.Node]*pending{}
	removals := map[*connector.Node]map[int]int{} // container -> removed entry -> operation
	var removeOrder []*connector.Node
	addTo := func(n *connector.Node, owner int, key, val string) error {
		g := groups[n]
		if g == nil {
			g = &pending{node: n, owner: owner}
			groups[n] = g
			order = append(order, g)
		}
		for _, k := range g.keys {
			if n.Kind() == connector.Object && k == key {
				return fmt.Errorf("operation %d adds %q twice", owner, key)
			}
		}
		g.keys = append(g.keys, key)
		g.vals = append(g.vals, val)
		g.own = append(g.own, owner)
		return nil
	}
	for i, op := range ops {
		switch op.Op {
		case "add":
			parentPtr, key := split(op.Path)
			parent := x.at(parentPtr)
			if parent == nil {
				return nil, fmt.Errorf("add %s: no object or array at %q", op.Path, parentPtr)
			}
			switch parent.Kind() {
			case connector.Object:
				if v := member(parent, key); v != nil {
					edits = append(edits, x.replace(v, op.Value, i))
					continue
				}
				if err := addTo(parent, i, key, op.Value); err != nil {
					return nil, err
				}
			case connector.Array:
				if key == "-" {
					if err := addTo(parent, i, "", op.Value); err != nil {
						return nil, err
					}
					continue
				}
				idx, err := strconv.Atoi(key)
				if err != nil || idx < 0 || idx > parent.Len() {
					return nil, fmt.Errorf("add %s: bad array index", op.Path)
				}
				if idx == parent.Len() {
					if err := addTo(parent, i, "", op.Value); err != nil {
						return nil, err
					}
					continue
				}
				edits = append(edits, x.insertBefore(parent, idx, op.Value, i))
			default:
				return nil, fmt.Errorf("add %s: %q is neither an object nor an array", op.Path, parentPtr)
			}
		case "replace":
			n := x.at(op.Path)
			if n == nil {
				return nil, fmt.Errorf("replace %s: nothing there", op.Path)
			}
			edits = append(edits, x.replace(n, op.Value, i))
		case "remove":
			parentPtr, key := split(op.Path)
			parent := x.at(parentPtr)
			idx, err := entryIndex(parent, key)
			if err != nil {
				return nil, fmt.Errorf("remove %s: %w", op.Path, err)
			}
			r := removals[parent]
			if r == nil {
				r = map[int]int{}
				removals[parent] = r
				removeOrder = append(removeOrder, parent)
			}
			if _, dup := r[idx]; dup {
				return nil, fmt.Errorf("remove %s: removed twice", op.Path)
			}
			r[idx] = i
		case "move":
			fromParent, fromKey := split(op.From)
			toParent, toKey := split(op.Path)
			parent := x.at(fromParent)
			if fromParent != toParent || parent == nil || parent.Kind() != connector.Object {
				return nil, fmt.Errorf("move %s: fix moves a member only to another key of the same object", op.From)
			}
			idx := memberIndex(parent, fromKey)
			if idx < 0 || member(parent, toKey) != nil {
				return nil, fmt.Errorf("move %s to %s: no such member, or the target exists", op.From, op.Path)
			}
			k, _ := parent.Member(idx)
			s, e := x.d.Span(k)
			edits = append(edits, edit{Start: s, End: e, Text: quote(toKey), owner: i})
		default:
			return nil, fmt.Errorf("unsupported operation %q", op.Op)
		}
	}
	emptied := map[*connector.Node]bool{}
	for _, parent := range removeOrder {
		more, all := x.removeAll(parent, removals[parent])
		if all && groups[parent] != nil {
			emptied[parent] = true // what is added replaces the whole container
			continue
		}
		edits = append(edits, more...)
	}
	for _, g := range order {
		edits = append(edits, x.insertAll(g, emptied[g.node]))
	}
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Start != edits[j].Start {
			return edits[i].Start < edits[j].Start
		}
		return edits[i].End < edits[j].End
	})
	for i := 1; i < len(edits); i++ {
		a, b := edits[i-1], edits[i]
		if b.Start < a.End || b.Start == a.Start && b.End == a.End && a.Start == a.End {
			return nil, &ConflictError{A: a.owner, B: b.owner}
		}
	}
	return edits, nil
}

// replace replaces node n with a value, laid out where n was: over several
// lines at n's indentation, or on one line when n sat in a one-line
// container.
func (x *doc) replace(n *connector.Node, val string, owner int) edit {
	s, e := x.d.Span(n)
	text := layout(val, indentAt(x.src, s), x.style)
	if !strings.Contains(x.src[s:e], "\n") && !x.multiline(s) {
		text = compact(val)
	}
	return edit{Start: s, End: e, Text: text, owner: owner}
}

// multiline reports whether the value starting at offset s sits in a
// container laid out one member per line: its key (or itself) begins a line.
func (x *doc) multiline(s int) bool {
	ls := lineStart(x.src, s)
	rest := strings.TrimLeft(x.src[ls:s], " \t")
	if rest == "" {
		return true
	}
	// "key": value, with the key first on its line.
	return strings.HasPrefix(rest, `"`) && strings.Count(rest, `"`) >= 2 && strings.HasSuffix(strings.TrimRight(rest, " \t"), ":")
}

// insertAll adds the pending members or elements at the end of their
// container, in the container's layout; empty says that the batch removes
// all the container had, so that the additions replace it.
func (x *doc) insertAll(g *pending, empty bool) edit {
	n := g.node
	s, e := x.d.Span(n)
	isObj := n.Kind() == connector.Object
	entry := func(key, sep, val string) string {
		if isObj {
			return quote(key) + sep + val
		}
		return val
	}
	if n.Len() == 0 || empty {
		anyMulti := strings.Contains(x.src[s:e], "\n")
		for _, v := range g.vals {
			anyMulti = anyMulti || strings.Contains(v, "\n")
		}
		open, closer := "{", "}"
		if !isObj {
			open, closer = "[", "]"
		}
		var parts []string
		if !anyMulti {
			for i, v := range g.vals {
				parts = append(parts, entry(g.keys[i], ": ", compact(v)))
			}
			return edit{Start: s, End: e, Text: open + strings.Join(parts, ", ") + closer, owner: g.owner}
		}
		outer := indentAt(x.src, s)
		inner := outer + x.style.unit
		for i, v := range g.vals {
			parts = append(parts, inner+entry(g.keys[i], ": ", layout(v, inner, x.style)))
		}
		return edit{Start: s, End: e, Text: open + x.style.eol + strings.Join(parts, ","+x.style.eol) + x.style.eol + outer + closer, owner: g.owner}
	}
	// The last entry shows the layout: its indentation, the separator
	// between key and value, and between entries.
	var lastStart, lastEnd int
	sep, between := ": ", ", "
	if isObj {
		k, v := n.Member(n.Len() - 1)
		ks, ke := x.d.Span(k)
		vs, ve := x.d.Span(v)
		lastStart, lastEnd = ks, ve
		if ke <= vs {
			sep = x.src[ke:vs]
		}
		if n.Len() > 1 {
			_, pv := n.Member(n.Len() - 2)
			_, pe := x.d.Span(pv)
			between = x.src[pe:ks]
		}
	} else {
		lastStart, lastEnd = x.d.Span(n.Elem(n.Len() - 1))
		if n.Len() > 1 {
			_, pe := x.d.Span(n.Elem(n.Len() - 2))
			between = x.src[pe:lastStart]
		}
	}
	var b strings.Builder
	if firstOnLine(x.src, lastStart) {
		ind := indentAt(x.src, lastStart)
		for i, v := range g.vals {
			b.WriteString("," + x.style.eol + ind + entry(g.keys[i], sep, layout(v, ind, x.style)))
		}
	} else {
		if strings.Contains(between, "\n") || strings.TrimSpace(between) != "," {
			between = ", "
		}
		for i, v := range g.vals {
			b.WriteString(between + entry(g.keys[i], sep, compact(v)))
		}
	}
	return edit{Start: lastEnd, End: lastEnd, Text: b.String(), owner: g.owner}
}

// insertBefore inserts an element before element idx of array n.
func (x *doc) insertBefore(n *connector.Node, idx int, val string, owner int) edit {
	s, _ := x.d.Span(n.Elem(idx))
	if firstOnLine(x.src, s) {
		ind := indentAt(x.src, s)
		return edit{Start: s, End: s, Text: layout(val, ind, x.style) + "," + x.style.eol + ind, owner: owner}
	}
	return edit{Start: s, End: s, Text: compact(val) + ", ", owner: owner}
}

// entryIndex returns the index of member key of an object, or of element
// key of an array.
func entryIndex(parent *connector.Node, key string) (int, error) {
	if parent == nil {
		return 0, fmt.Errorf("no parent")
	}
	switch parent.Kind() {
	case connector.Object:
		if i := memberIndex(parent, key); i >= 0 {
			return i, nil
		}
		return 0, fmt.Errorf("no member %q", key)
	case connector.Array:
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i >= parent.Len() || strconv.Itoa(i) != key {
			return 0, fmt.Errorf("bad array index")
		}
		return i, nil
	}
	return 0, fmt.Errorf("parent is neither an object nor an array")
}

// removeAll deletes the given entries (index -> operation) of a container,
// each run of neighbours with the separators that went with it, and reports
// whether that is all of them (the container is then written empty).
func (x *doc) removeAll(parent *connector.Node, gone map[int]int) ([]edit, bool) {
	n := parent.Len()
	starts, ends := make([]int, n), make([]int, n)
	for i := 0; i < n; i++ {
		if parent.Kind() == connector.Object {
			k, v := parent.Member(i)
			starts[i], _ = x.d.Span(k)
			_, ends[i] = x.d.Span(v)
		} else {
			starts[i], ends[i] = x.d.Span(parent.Elem(i))
		}
	}
	if len(gone) == n {
		s, e := x.d.Span(parent)
		empty := "{}"
		if parent.Kind() == connector.Array {
			empty = "[]"
		}
		owner := n
		for _, o := range gone {
			owner = min(owner, o)
		}
		return []edit{{Start: s, End: e, Text: empty, owner: owner}}, true
	}
	var edits []edit
	for i := 0; i < n; i++ {
		owner, ok := gone[i]
		if !ok {
			continue
		}
		j := i
		for j+1 < n {
			if _, next := gone[j+1]; !next {
				break
			}
			j++
		}
		if i > 0 {
			edits = append(edits, edit{Start: ends[i-1], End: ends[j], owner: owner})
		} else {
			edits = append(edits, edit{Start: starts[0], End: starts[j+1], owner: owner})
		}
		i = j
	}
	return edits, false
}

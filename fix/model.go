package fix

import (
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/diff"
)

// doc is a loaded JSON definition with what fix needs to find its way in
// it: pointer look-ups, references, and its operations as the comparison
// matches them (by operationId, parameters merged from the path item).
type doc struct {
	d     *diff.Document
	src   string
	style style
	ops   []*operation
	byID  map[string]*operation
}

type operation struct {
	id       string // operationId, or "METHOD path" when absent
	hasID    bool   // the operation has an operationId of its own
	method   string
	path     string
	ptr      string
	node     *diff.Node
	item     *diff.Node // the path item, resolved
	itemPtr  string
	params   []*param
	internal bool
}

type param struct {
	name, in string
	slot     *diff.Node // the entry of a parameters array, maybe a $ref
	slotPtr  string
	node     *diff.Node // the resolved definition
	ptr      string
	shared   bool // declared on the path item
}

// methods are the Swagger 2.0 operation keys of a path item, in the order
// the comparison lists them.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch"}

func newDoc(d *diff.Document) *doc {
	x := &doc{d: d, src: d.Source(), byID: map[string]*operation{}}
	x.style = detectStyle(x.src)
	x.index()
	return x
}

func (x *doc) index() {
	paths := x.d.Root.Get("paths")
	if paths == nil || paths.Kind() != diff.Object {
		return
	}
	for i := 0; i < paths.Len(); i++ {
		k, item := paths.Member(i)
		path := k.Value()
		if !strings.HasPrefix(path, "/") {
			continue
		}
		itemPtr := ptr("/paths", path)
		item, itemPtr = x.resolve(item, itemPtr)
		if item == nil || item.Kind() != diff.Object {
			continue
		}
		for _, m := range methods {
			n := item.Get(m)
			if n == nil || n.Kind() != diff.Object {
				continue
			}
			o := &operation{method: m, path: path, ptr: ptr(itemPtr, m), node: n, item: item, itemPtr: itemPtr,
				internal: str(n, "x-ms-visibility") == "internal"}
			if idn := n.Get("operationId"); idn != nil && idn.Kind() == diff.String && idn.Value() != "" {
				o.id, o.hasID = idn.Value(), true
			} else {
				o.id = strings.ToUpper(m) + " " + path
			}
			if _, dup := x.byID[o.id]; dup {
				o.id += "#2"
				o.hasID = false // a reused id is not one fix can name
			}
			o.params = x.mergeParams(item.Get("parameters"), ptr(itemPtr, "parameters"), n.Get("parameters"), ptr(o.ptr, "parameters"))
			x.byID[o.id] = o
			x.ops = append(x.ops, o)
		}
	}
}

// mergeParams applies Swagger's rule that an operation's parameters
// override the path item's with the same name and location.
func (x *doc) mergeParams(shared *diff.Node, sharedPtr string, own *diff.Node, ownPtr string) []*param {
	var out []*param
	at := map[string]int{}
	add := func(list *diff.Node, base string, isShared bool) {
		if list == nil || list.Kind() != diff.Array {
			return
		}
		for i := 0; i < list.Len(); i++ {
			slot := list.Elem(i)
			slotPtr := base + "/" + strconv.Itoa(i)
			def, defPtr := x.resolve(slot, slotPtr)
			if def == nil {
				continue
			}
			p := &param{name: str(def, "name"), in: str(def, "in"), slot: slot, slotPtr: slotPtr, node: def, ptr: defPtr, shared: isShared}
			key := p.name + "\x00" + p.in
			if j, ok := at[key]; ok {
				if !isShared {
					out[j] = p
				}
				continue
			}
			at[key] = len(out)
			out = append(out, p)
		}
	}
	add(shared, sharedPtr, true)
	add(own, ownPtr, false)
	return out
}

func (o *operation) param(name, in string) *param {
	for _, p := range o.params {
		if p.name == name && p.in == in {
			return p
		}
	}
	return nil
}

func (o *operation) hasIn(in string) bool {
	for _, p := range o.params {
		if p.in == in {
			return true
		}
	}
	return false
}

// at returns the node at JSON pointer p, without following references, or
// nil.
func (x *doc) at(p string) *diff.Node { return lookup(x.d.Root, p) }

func lookup(root *diff.Node, p string) *diff.Node {
	if p == "" {
		return root
	}
	if !strings.HasPrefix(p, "/") {
		return nil
	}
	n := root
	for _, tok := range strings.Split(p[1:], "/") {
		tok = unescape(tok)
		switch {
		case n == nil:
			return nil
		case n.Kind() == diff.Object:
			n = member(n, tok)
		case n.Kind() == diff.Array:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= n.Len() || strconv.Itoa(i) != tok {
				return nil
			}
			n = n.Elem(i)
		default:
			return nil
		}
	}
	return n
}

// member returns the value of key in object n (the loader keeps the last of
// duplicate keys), or nil.
func member(n *diff.Node, key string) *diff.Node {
	if n == nil || n.Kind() != diff.Object {
		return nil
	}
	return n.Get(key)
}

// memberIndex returns the index of key among the members of object n, or -1.
func memberIndex(n *diff.Node, key string) int {
	if n == nil || n.Kind() != diff.Object {
		return -1
	}
	for i := 0; i < n.Len(); i++ {
		if k, _ := n.Member(i); k.Value() == key {
			return i
		}
	}
	return -1
}

// resolve follows local $ref chains from n (at pointer p) to the node they
// name; nil for a reference that does not resolve or loops.
func (x *doc) resolve(n *diff.Node, p string) (*diff.Node, string) {
	for hops := 0; n != nil && n.Kind() == diff.Object; hops++ {
		r := n.Get("$ref")
		if r == nil || r.Kind() != diff.String {
			return n, p
		}
		if hops > 32 || !strings.HasPrefix(r.Value(), "#") {
			return nil, p
		}
		p = strings.TrimPrefix(r.Value(), "#")
		n = x.at(p)
	}
	return n, p
}

func str(n *diff.Node, key string) string {
	v := member(n, key)
	if v == nil || v.Kind() == diff.Object || v.Kind() == diff.Array {
		return ""
	}
	return v.Value()
}

func boolean(n *diff.Node, key string) bool {
	return strings.EqualFold(str(n, key), "true")
}

// ptr appends one reference token to a JSON pointer (RFC 6901).
func ptr(base, token string) string {
	return base + "/" + escape(token)
}

func escape(token string) string {
	if strings.ContainsAny(token, "~/") {
		token = strings.ReplaceAll(token, "~", "~0")
		token = strings.ReplaceAll(token, "/", "~1")
	}
	return token
}

func unescape(t string) string {
	if !strings.Contains(t, "~") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// split returns the parent pointer and the last token (unescaped) of p.
func split(p string) (parent, last string) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", p
	}
	return p[:i], unescape(p[i+1:])
}

// tokens returns the unescaped reference tokens of pointer p.
func tokens(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i := range parts {
		parts[i] = unescape(parts[i])
	}
	return parts
}

// equal compares two node trees by value, ignoring positions, style and
// key order (numbers compare as written).
func equal(a, b *diff.Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case diff.Object:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			k, v := a.Member(i)
			if !equal(v, b.Get(k.Value())) {
				return false
			}
		}
		return true
	case diff.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equal(a.Elem(i), b.Elem(i)) {
				return false
			}
		}
		return true
	}
	return a.Value() == b.Value()
}

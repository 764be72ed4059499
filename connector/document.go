package connector

import (
	"fmt"
	"sort"
	"strings"
)

// Document is one loaded Swagger 2.0 definition: its node tree (every node
// knows its span in the text, and line:column follow from it) plus what the
// loader had to repair to read it. A Document is read-only once loaded and
// may be shared by concurrent comparisons.
type Document struct {
	// Name is how messages refer to the file (usually its path).
	Name string
	// Format is "json" or "yaml".
	Format string
	// Root is the top-level object of the document.
	Root *Node
	// Notes lists each repair the lenient loader made, each reference it
	// refused to follow or could not resolve, and each duplicate operationId,
	// in document order.
	Notes []Note

	text
	refs       map[string]*Node // local $ref string -> target (nil when unresolved)
	ends       map[string]refEnd
	refValues  []*Node      // the value of every $ref member, in document order
	dynKeys    []uint32     // offsets of the x-ms-dynamic-* keys, in order (JSON only)
	operations []*Operation // document order
	byID       map[string]*Operation
}

// Note is an informational remark about the input, such as a repaired
// trailing comma, located in the original file.
type Note struct {
	// File names the file when it is not the definition itself, such as
	// apiProperties.json in a connector folder.
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func (n Note) String() string {
	if n.Line == 0 {
		return n.Message
	}
	return fmt.Sprintf("%d:%d: %s", n.Line, n.Column, n.Message)
}

// methods are the Swagger 2.0 operation keys of a path item, in the order
// operations are listed when a path has several.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch"}

// Operation is one operation of a definition, with its parameters resolved
// and merged, as the comparison matches operations and fix edits them. It
// belongs to its Document and is read-only.
type Operation struct {
	// ID is the operationId, or "METHOD path" when there is none; an
	// operationId used again is suffixed "#2".
	ID string
	// HasID says the operation has an operationId of its own, which no
	// operation before it uses.
	HasID bool
	// Method is the path item key, in lower case ("get").
	Method string
	// Path is the key of the path item ("/items/{id}").
	Path    string
	Pointer string // of the operation object
	Node    *Node  // the operation object
	// PathItem is the path item, resolved when it is a $ref, found at
	// PathPointer.
	PathItem    *Node
	PathPointer string
	// Params are the parameters of the path item and of the operation,
	// resolved, the operation's overriding the path item's of the same name
	// and location, in that order.
	Params []*Parameter

	Internal   bool   // x-ms-visibility: internal
	Deprecated bool   // deprecated: true
	Visibility string // x-ms-visibility
	Trigger    string // x-ms-trigger
}

// Parameter is one entry of an operation's merged parameter list.
type Parameter struct {
	Name, In string
	// Slot is the entry of a parameters array, which may be a $ref, found
	// at SlotPointer.
	Slot        *Node
	SlotPointer string
	// Node is the parameter's definition (Slot resolved), found at Pointer.
	Node    *Node
	Pointer string
	Index   int  // position in the merged list
	Shared  bool // declared on the path item
}

// Param returns the parameter of o with name and location in, or nil.
func (o *Operation) Param(name, in string) *Parameter {
	for _, p := range o.Params {
		if p.Name == name && p.In == in {
			return p
		}
	}
	return nil
}

func countBodies(params []*Parameter) int {
	n := 0
	for _, p := range params {
		if p.In == "body" {
			n++
		}
	}
	return n
}

// refUse is one "$ref": "..." member: where the object holding it starts,
// and the value.
type refUse struct {
	obj   uint32
	value *Node
}

// walkRefs lists the $ref members of the tree under root in the order the
// JSON scanner records them for itself (any order: users sort them).
func walkRefs(root *Node) []refUse {
	// An explicit stack: depth costs no goroutine stack.
	var uses []refUse
	stack := []*Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.kind == Object {
			for i := 0; i+1 < len(n.kids()); i += 2 {
				if k, v := &n.kids()[i], &n.kids()[i+1]; k.val == "$ref" && v.IsScalar() {
					uses = append(uses, refUse{n.start, v})
				}
			}
		}
		for i := len(n.kids()) - 1; i >= 0; i-- {
			if c := &n.kids()[i]; c.kind == Object || c.kind == Array {
				stack = append(stack, c)
			}
		}
	}
	return uses
}

// indexRefs resolves every $ref of the document once, so that comparisons
// only read a finished map and reference problems are reported whether or not
// a comparison reaches them. Only local references (#/...) are followed;
// nothing is read from disk or network because a document says so. It keeps
// the uses in document order, and returns the first use of each distinct
// reference in the order the references are checked for cycles (objects in
// document order, each object's own $ref before those of its children).
func (d *Document) indexRefs(uses []refUse) []*Node {
	d.refs = map[string]*Node{}
	// Objects in document order (a stable sort keeps an object's members in
	// order): the first use of each reference there is the one checked.
	sort.SliceStable(uses, func(i, j int) bool { return uses[i].obj < uses[j].obj })
	var first []*Node
	seen := map[string]bool{}
	for _, u := range uses {
		if !seen[u.value.val] {
			seen[u.value.val] = true
			first = append(first, u.value)
		}
	}
	sort.SliceStable(first, func(i, j int) bool { return first[i].start < first[j].start })
	// Resolve in document order, at any depth: the walks that follow
	// references keep their own stacks.
	sort.SliceStable(uses, func(i, j int) bool { return uses[i].value.start < uses[j].value.start })
	wide := map[*Node]map[string]*Node{}
	for _, u := range uses {
		if _, seen := d.refs[u.value.val]; !seen {
			d.refs[u.value.val] = d.lookupRef(u.value, wide)
		}
	}
	d.refValues = make([]*Node, len(uses))
	for i, u := range uses {
		d.refValues[i] = u.value
	}
	d.indexEnds()
	return first
}

// lookupRef finds the node a local reference names. wide holds the key
// indexes of the large objects met so far: a scan of definitions per
// reference would make 20,000 definitions cost minutes.
func (d *Document) lookupRef(v *Node, wide map[*Node]map[string]*Node) *Node {
	ref := v.val
	if !strings.HasPrefix(ref, "#") {
		line, col := d.lineCol(v.start)
		d.Notes = append(d.Notes, Note{Line: line, Column: col,
			Message: fmt.Sprintf("$ref %q points outside this document; it is not followed, and what it names is compared as absent", ref)})
		return nil
	}
	target := d.Root
	p := strings.TrimPrefix(ref, "#")
	if p != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
			tok = UnescapeToken(tok)
			switch target.kind {
			case Object:
				if target.Len() <= 16 {
					target = get(target, tok)
					break
				}
				idx := wide[target]
				if idx == nil {
					idx = keyIndex(target)
					wide[target] = idx
				}
				target = idx[tok]
			case Array:
				i := -1
				fmt.Sscanf(tok, "%d", &i)
				if i >= 0 && i < len(target.kids()) {
					target = &target.kids()[i]
				} else {
					target = nil
				}
			default:
				target = nil
			}
			if target == nil {
				break
			}
		}
	}
	if target == nil {
		line, col := d.lineCol(v.start)
		d.Notes = append(d.Notes, Note{Line: line, Column: col,
			Message: fmt.Sprintf("$ref %q does not resolve; what it names is compared as absent", ref)})
	}
	return target
}

// Resolve follows the $ref chain from n (found at pointer p), however long,
// to the node it names and that node's pointer; n itself when it is not a
// reference. It returns nil for a chain that breaks, loops or leaves the
// document (the loader noted each). n must be a node of d.
func (d *Document) Resolve(n *Node, p string) (*Node, string) {
	if r := refOf(n); r != nil {
		end := d.ends[r.val]
		if end.ptr == nil {
			return nil, p
		}
		return end.node, end.ptr.s
	}
	return n, p
}

// refOf returns the $ref value of n when n is a reference.
func refOf(n *Node) *Node {
	if n == nil || n.kind != Object {
		return nil
	}
	if r := get(n, "$ref"); r != nil && r.IsScalar() {
		return r
	}
	return nil
}

// refEnd is where a reference leads once every reference it names in turn
// is followed: a node that is not a reference (nil when the chain breaks or
// loops), and the pointer of the last reference followed.
type refEnd struct {
	node *Node
	ptr  *Pointer // made once here: the walk reads it for every reference it follows
}

// indexEnds follows every chain of references once, however long, so that
// resolving one costs a look-up: a chain may be as long as a pull request
// makes it, and a limit on hops would compare what it hides as absent.
func (d *Document) indexEnds() {
	d.ends = make(map[string]refEnd, len(d.refs))
	onPath := map[string]bool{}
	var path []string
	for r := range d.refs {
		path = path[:0]
		var end refEnd
		for cur := r; ; {
			if e, done := d.ends[cur]; done {
				end = e
				break
			}
			if onPath[cur] { // a cycle of references
				end = refEnd{ptr: NewPointer(refPointer(cur))}
				break
			}
			onPath[cur] = true
			path = append(path, cur)
			t := d.refs[cur]
			next := refOf(t)
			if next == nil {
				end = refEnd{node: t, ptr: NewPointer(refPointer(cur))}
				break
			}
			cur = next.val
		}
		for _, x := range path {
			d.ends[x] = end
			delete(onPath, x)
		}
	}
}

// refPointer turns a local $ref ("#/definitions/Item") into a JSON pointer.
func refPointer(ref string) string { return strings.TrimPrefix(ref, "#") }

func (d *Document) indexOperations() {
	d.byID = map[string]*Operation{}
	paths := get(d.Root, "paths")
	pairs(paths, func(k, item *Node) {
		path := k.val
		if !strings.HasPrefix(path, "/") {
			return // x-ms-* extensions beside the paths
		}
		itemPtr := ptr("/paths", path)
		item, itemPtr = d.Resolve(item, itemPtr)
		if item == nil {
			return
		}
		shared := get(item, "parameters")
		for _, m := range methods {
			opNode := get(item, m)
			if opNode == nil || opNode.kind != Object {
				continue
			}
			op := &Operation{
				Method:      m,
				Path:        path,
				Pointer:     ptr(itemPtr, m),
				Node:        opNode,
				PathItem:    item,
				PathPointer: itemPtr,
				Visibility:  str(opNode, "x-ms-visibility"),
				Deprecated:  boolean(opNode, "deprecated"),
			}
			op.Internal = op.Visibility == "internal"
			if t := get(opNode, "x-ms-trigger"); t != nil && t.IsScalar() {
				op.Trigger = t.val
			}
			idNode := get(opNode, "operationId")
			if idNode != nil && idNode.IsScalar() && idNode.val != "" {
				op.ID, op.HasID = idNode.val, true
			} else {
				op.ID = strings.ToUpper(m) + " " + path
			}
			if prev, dup := d.byID[op.ID]; dup {
				at := opNode
				if idNode != nil {
					at = idNode
				}
				line, col := d.lineCol(at.start)
				d.Notes = append(d.Notes, Note{Line: line, Column: col,
					Message: fmt.Sprintf("operationId %q is used again (first at %s %s); the later one is compared as %q", op.ID, strings.ToUpper(prev.Method), prev.Path, op.ID+"#2")})
				op.ID += "#2"
				op.HasID = false // fix cannot name it: its operationId names another
			}
			op.Params = d.mergeParams(shared, ptr(itemPtr, "parameters"), get(opNode, "parameters"), ptr(op.Pointer, "parameters"))
			if bodies := countBodies(op.Params); bodies > 1 {
				line, col := d.lineCol(opNode.start)
				d.Notes = append(d.Notes, Note{Line: line, Column: col,
					Message: fmt.Sprintf("operation %s declares %d body parameters, which Swagger 2.0 does not allow; they are compared by name", op.ID, bodies)})
			}
			d.byID[op.ID] = op
			d.operations = append(d.operations, op)
		}
	})
}

// mergeParams applies Swagger's rule that operation parameters override
// path-item parameters with the same name and location.
func (d *Document) mergeParams(shared *Node, sharedPtr string, own *Node, ownPtr string) []*Parameter {
	var out []*Parameter
	at := map[string]int{} // first position in out of each name and location: lists may be long
	add := func(list *Node, base string, override bool) {
		if list == nil || list.kind != Array {
			return
		}
		for i := range list.kids() {
			slot := &list.kids()[i]
			slotPtr := ptrIndex(base, i)
			def, defPtr := d.Resolve(slot, slotPtr)
			if def == nil {
				continue
			}
			p := &Parameter{Name: str(def, "name"), In: str(def, "in"), SlotPointer: slotPtr, Slot: slot, Node: def, Pointer: defPtr, Shared: !override}
			key := p.Name + "\x00" + p.In
			if j, ok := at[key]; ok && override {
				out[j] = p
				continue
			}
			if _, ok := at[key]; !ok {
				at[key] = len(out)
			}
			out = append(out, p)
		}
	}
	add(shared, sharedPtr, false)
	add(own, ownPtr, true)
	for i, p := range out {
		p.Index = i
	}
	return out
}

// PathParams returns the parameters path item item (found at itemPtr)
// declares for all its operations, resolved, as an operation's Params
// lists them.
func (d *Document) PathParams(item *Node, itemPtr string) []*Parameter {
	return d.mergeParams(get(item, "parameters"), ptr(itemPtr, "parameters"), nil, "")
}

// OperationIDs returns the identifiers of the document's operations in
// document order.
func (d *Document) OperationIDs() []string {
	ids := make([]string, len(d.operations))
	for i, o := range d.operations {
		ids[i] = o.ID
	}
	return ids
}

// Operations returns the document's operations in document order. The
// list and the operations belong to d, and are read-only.
func (d *Document) Operations() []*Operation { return d.operations }

// Operation returns the operation whose ID is id, or nil.
func (d *Document) Operation(id string) *Operation { return d.byID[id] }

// References returns the value node of every "$ref" member of the
// document, in document order. The list belongs to d, and is read-only.
func (d *Document) References() []*Node { return d.refValues }

// Target returns the node the local reference ref names directly (which
// may be a reference in turn), or nil when it names nothing in the
// document, points outside it, or is not a reference of the document.
func (d *Document) Target(ref string) *Node { return d.refs[ref] }

// DynamicKeyOffsets returns the byte offsets in Source of the
// x-ms-dynamic-* keys, in order, for a JSON document (nil for YAML, whose
// spans are not exact). The list belongs to d, and is read-only.
func (d *Document) DynamicKeyOffsets() []uint32 { return d.dynKeys }

// Title returns info.title, and Version info.version.
func (d *Document) Title() string   { return str(get(d.Root, "info"), "title") }
func (d *Document) Version() string { return str(get(d.Root, "info"), "version") }

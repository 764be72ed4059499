package diff

import (
	"fmt"
	"sort"
	"strings"

	yaml "github.com/pb33f/go-yaml"
)

// Document is one loaded Swagger 2.0 definition: its node tree (with line and
// column on every node) plus what the loader had to repair to read it.
// A Document is read-only once loaded and may be shared by concurrent
// comparisons.
type Document struct {
	// Name is how messages refer to the file (usually its path).
	Name string
	// Format is "json" or "yaml".
	Format string
	// Root is the top-level mapping node of the document.
	Root *yaml.Node
	// Notes lists each repair the lenient loader made, each reference it
	// refused to follow or could not resolve, and each duplicate operationId,
	// in document order.
	Notes []Note

	refs       map[string]*yaml.Node // local $ref string -> target (nil when unresolved)
	operations []*operation          // document order
	byID       map[string]*operation
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

// operation is one operation with its parameters resolved and merged.
type operation struct {
	id       string // operationId, or "METHOD path" when absent
	method   string // lower case
	path     string
	ptr      string
	node     *yaml.Node
	pathItem *yaml.Node
	pathPtr  string
	params   []*parameter

	internal   bool
	deprecated bool
	visibility string
	trigger    string
}

func (o *operation) ref() OperationRef { return OperationRef{ID: o.id, Internal: o.internal} }

// parameter is one entry of an operation's merged parameter list.
type parameter struct {
	name, in string
	slot     string     // pointer of the slot in a parameters array
	slotNode *yaml.Node // the slot itself, which may be a $ref
	node     *yaml.Node // the resolved definition
	ptr      string     // pointer of the resolved definition
	pos      int        // index in the merged list
}

func (p *parameter) internal() bool { return str(p.node, "x-ms-visibility") == "internal" }
func (p *parameter) required() bool { return boolean(p.node, "required") }
func (p *parameter) label() string  { return fmt.Sprintf("%s (%s)", p.name, p.in) }

// newDocument builds the operation model of a parsed document. Load calls it
// once the bytes parsed and the swagger version checked out.
func newDocument(name, format string, root *yaml.Node, notes []Note) (*Document, error) {
	d := &Document{Name: name, Format: format, Root: root, Notes: notes}
	d.indexRefs()
	d.indexOperations()
	sort.SliceStable(d.Notes, func(i, j int) bool {
		a, b := d.Notes[i], d.Notes[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return d, nil
}

// indexRefs resolves every $ref of the document once, so that comparisons
// only read a finished map and reference problems are reported whether or not
// a comparison reaches them. Only local references (#/...) are followed;
// nothing is read from disk or network because a document says so.
func (d *Document) indexRefs() {
	d.refs = map[string]*yaml.Node{}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if depth > maxDepth {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "$ref" && v.Kind == yaml.ScalarNode {
					if _, seen := d.refs[v.Value]; !seen {
						d.refs[v.Value] = d.lookupRef(v)
					}
					continue
				}
				walk(v, depth+1)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, depth+1)
			}
		}
	}
	walk(d.Root, 0)
}

// maxDepth bounds recursion over the node tree; the parser already refuses
// deeper documents, so this only guards against surprises.
const maxDepth = 2000

func (d *Document) lookupRef(v *yaml.Node) *yaml.Node {
	ref := v.Value
	if !strings.HasPrefix(ref, "#") {
		d.Notes = append(d.Notes, Note{Line: v.Line, Column: v.Column,
			Message: fmt.Sprintf("$ref %q points outside this document; it is not followed, and what it names is compared as absent", ref)})
		return nil
	}
	target := d.Root
	p := strings.TrimPrefix(ref, "#")
	if p != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
			tok = unescapeToken(tok)
			switch target.Kind {
			case yaml.MappingNode:
				target = get(target, tok)
			case yaml.SequenceNode:
				i := -1
				fmt.Sscanf(tok, "%d", &i)
				if i >= 0 && i < len(target.Content) {
					target = target.Content[i]
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
		d.Notes = append(d.Notes, Note{Line: v.Line, Column: v.Column,
			Message: fmt.Sprintf("$ref %q does not resolve; what it names is compared as absent", ref)})
	}
	return target
}

// resolve follows $ref chains from n (found at pointer p) to the node they
// name and its pointer. It returns nil for an unresolvable or cyclic chain.
func (d *Document) resolve(n *yaml.Node, p string) (*yaml.Node, string) {
	for hops := 0; n != nil && n.Kind == yaml.MappingNode; hops++ {
		r := get(n, "$ref")
		if r == nil || r.Kind != yaml.ScalarNode {
			return n, p
		}
		if hops > 32 { // a chain of pure references that loops
			return nil, p
		}
		n, p = d.refs[r.Value], refPointer(r.Value)
	}
	return n, p
}

// refPointer turns a local $ref ("#/definitions/Item") into a JSON pointer.
func refPointer(ref string) string { return strings.TrimPrefix(ref, "#") }

func (d *Document) indexOperations() {
	d.byID = map[string]*operation{}
	paths := get(d.Root, "paths")
	pairs(paths, func(k, item *yaml.Node) {
		path := k.Value
		if !strings.HasPrefix(path, "/") {
			return // x-ms-* extensions beside the paths
		}
		itemPtr := ptr("/paths", path)
		item, itemPtr = d.resolve(item, itemPtr)
		if item == nil {
			return
		}
		shared := get(item, "parameters")
		for _, m := range methods {
			opNode := get(item, m)
			if opNode == nil || opNode.Kind != yaml.MappingNode {
				continue
			}
			op := &operation{
				method:     m,
				path:       path,
				ptr:        ptr(itemPtr, m),
				node:       opNode,
				pathItem:   item,
				pathPtr:    itemPtr,
				visibility: str(opNode, "x-ms-visibility"),
				deprecated: boolean(opNode, "deprecated"),
			}
			op.internal = op.visibility == "internal"
			if t := get(opNode, "x-ms-trigger"); t != nil && t.Kind == yaml.ScalarNode {
				op.trigger = t.Value
			}
			idNode := get(opNode, "operationId")
			if idNode != nil && idNode.Kind == yaml.ScalarNode && idNode.Value != "" {
				op.id = idNode.Value
			} else {
				op.id = strings.ToUpper(m) + " " + path
			}
			if prev, dup := d.byID[op.id]; dup {
				line, col := opNode.Line, opNode.Column
				if idNode != nil {
					line, col = idNode.Line, idNode.Column
				}
				d.Notes = append(d.Notes, Note{Line: line, Column: col,
					Message: fmt.Sprintf("operationId %q is used again (first at %s %s); the later one is compared as %q", op.id, strings.ToUpper(prev.method), prev.path, op.id+"#2")})
				op.id += "#2"
			}
			op.params = d.mergeParams(shared, ptr(itemPtr, "parameters"), get(opNode, "parameters"), ptr(op.ptr, "parameters"))
			d.byID[op.id] = op
			d.operations = append(d.operations, op)
		}
	})
}

// mergeParams applies Swagger's rule that operation parameters override
// path-item parameters with the same name and location.
func (d *Document) mergeParams(shared *yaml.Node, sharedPtr string, own *yaml.Node, ownPtr string) []*parameter {
	var out []*parameter
	at := map[string]int{} // first position in out of each name and location: lists may be long
	add := func(list *yaml.Node, base string, override bool) {
		if list == nil || list.Kind != yaml.SequenceNode {
			return
		}
		for i, slot := range list.Content {
			slotPtr := ptrIndex(base, i)
			def, defPtr := d.resolve(slot, slotPtr)
			if def == nil {
				continue
			}
			p := &parameter{name: str(def, "name"), in: str(def, "in"), slot: slotPtr, slotNode: slot, node: def, ptr: defPtr}
			key := p.name + "\x00" + p.in
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
		p.pos = i
	}
	return out
}

// Operations returns the identifiers of the document's operations in
// document order.
func (d *Document) Operations() []string {
	ids := make([]string, len(d.operations))
	for i, o := range d.operations {
		ids[i] = o.id
	}
	return ids
}

// Title returns info.title, and Version info.version.
func (d *Document) Title() string   { return str(get(d.Root, "info"), "title") }
func (d *Document) Version() string { return str(get(d.Root, "info"), "version") }

package connector

import (
	"strconv"
	"unsafe"
)

// Node is one value of a loaded document: an object, an array or a scalar,
// with its span in the text it was parsed from (Document.Source).
//
// Nodes are compact (40 bytes on 64-bit platforms): a scalar's value is a
// substring of the document's text unless it had escapes to decode, an
// object or array holds its children by value, contiguous in a backing
// array shared with other nodes, and line:column are not stored but
// computed from the offsets when a location is reported. A Node is
// read-only, and a pointer to one stays valid for the life of its Document.
type Node struct {
	val        string // scalar value, unescaped; "" for objects and arrays
	first      *Node  // the first child: object key, value, key, value...; array elements
	n          uint32 // the number of children
	start, end uint32 // byte span in the source: a key is its token, a value all of it
	kind       NodeKind
	tag        scalarTag // how the scalar was written (JSON number, YAML tag...)
	quoted     bool      // the scalar was quoted (always for JSON strings)
}

// kids returns the children of an object (key, value, key, value...) or
// array. A pointer and a count, rather than a slice, keep a node at 40 bytes
// instead of 56, which the scanner copies and the collector scans for every
// node of the document.
func (n *Node) kids() []Node { return unsafe.Slice(n.first, n.n) }

// setKids makes kids the children of n.
func (n *Node) setKids(kids []Node) {
	if len(kids) > 0 {
		n.first, n.n = &kids[0], uint32(len(kids))
	}
}

// NodeKind says what a node is, in JSON terms.
type NodeKind uint8

// The kinds of node. A YAML scalar is a String unless it resolves to a
// number, a boolean or null.
const (
	Object NodeKind = iota + 1
	Array
	String
	Number
	Bool
	Null
)

func (k NodeKind) String() string {
	switch k {
	case Object:
		return "object"
	case Array:
		return "array"
	case String:
		return "string"
	case Number:
		return "number"
	case Bool:
		return "boolean"
	case Null:
		return "null"
	}
	return "invalid"
}

// scalarTag keeps what the YAML tag of a scalar would have been, which
// rendering and error messages depend on: JSON numbers resolve lazily (a
// number too large for a float64 is a string to YAML), YAML scalars keep
// the tag the YAML parser gave them.
type scalarTag uint8

const (
	tagNone   scalarTag = iota // objects, arrays, JSON strings, booleans and null
	tagJSON                    // a JSON number, resolved by numberTag when asked
	tagInt                     // YAML !!int
	tagFloat                   // YAML !!float
	tagString                  // YAML !!str that looks like a number (quoted or tagged)
	tagOther                   // any other YAML tag (!!timestamp, !!binary, custom)
)

// Kind returns what the node is.
func (n *Node) Kind() NodeKind { return n.kind }

// Value returns a scalar's value (a string unescaped, a number as written,
// true, false or null), or "" for an object or array.
func (n *Node) Value() string { return n.val }

// Len returns the number of members of an object or elements of an array.
func (n *Node) Len() int {
	if n.kind == Object {
		return int(n.n) / 2
	}
	return int(n.n)
}

// Elem returns element i of an array.
func (n *Node) Elem(i int) *Node { return &n.kids()[i] }

// Member returns the key and value of member i of an object, in document
// order (a duplicate key keeps only its last value).
func (n *Node) Member(i int) (key, value *Node) { return &n.kids()[2*i], &n.kids()[2*i+1] }

// Get returns the value of key in an object, or nil.
func (n *Node) Get(key string) *Node { return get(n, key) }

// IsScalar reports whether n is a string, number, boolean or null.
func (n *Node) IsScalar() bool { return n.kind >= String }

// yamlTag returns the tag the YAML parser gives the scalar (or !!map,
// !!seq), which decides how values are rendered and named in messages.
func (n *Node) yamlTag() string {
	switch n.kind {
	case Object:
		return "!!map"
	case Array:
		return "!!seq"
	case Bool:
		return "!!bool"
	case Null:
		return "!!null"
	}
	switch n.tag {
	case tagJSON:
		return numberTag(n.val)
	case tagInt:
		return "!!int"
	case tagFloat:
		return "!!float"
	case tagOther:
		return "!other"
	}
	return "!!str"
}

// numberTag resolves a JSON number as the YAML resolver resolves a plain
// scalar: negative zero is a float, then an integer when it fits 64 bits, a
// float when it parses as one, and a string otherwise (out of range).
func numberTag(v string) string {
	if v == "-0" || v == "-0.0" {
		return "!!float"
	}
	if _, err := strconv.ParseInt(v, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseUint(v, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return "!!float"
	}
	return "!!str"
}

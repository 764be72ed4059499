package fix

import (
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// doc is a loaded JSON definition with what fix needs to find its way in
// it: its text and style, pointer look-ups, and its operations as the
// comparison matches them (connector's index: by operationId, parameters
// merged from the path item, references resolved).
type doc struct {
	d     *connector.Document
	src   string
	style style
	ops   []*connector.Operation // document order
}

func newDoc(d *connector.Document) *doc {
	x := &doc{d: d, src: d.Source(), ops: d.Operations()}
	x.style = detectStyle(x.src)
	return x
}

// op returns the operation whose identifier is id, or nil.
func (x *doc) op(id string) *connector.Operation { return x.d.Operation(id) }

// hasIn reports whether operation o has a parameter in location in.
func hasIn(o *connector.Operation, in string) bool {
	for _, p := range o.Params {
		if p.In == in {
			return true
		}
	}
	return false
}

// at returns the node at JSON pointer p, without following references, or
// nil.
func (x *doc) at(p string) *connector.Node { return lookup(x.d.Root, p) }

func lookup(root *connector.Node, p string) *connector.Node {
	if p == "" {
		return root
	}
	if !strings.HasPrefix(p, "/") {
		return nil
	}
	n := root
	for _, tok := range strings.Split(p[1:], "/") {
		tok = connector.UnescapeToken(tok)
		switch {
		case n == nil:
			return nil
		case n.Kind() == connector.Object:
			n = member(n, tok)
		case n.Kind() == connector.Array:
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
func member(n *connector.Node, key string) *connector.Node {
	if n == nil || n.Kind() != connector.Object {
		return nil
	}
	return n.Get(key)
}

// memberIndex returns the index of key among the members of object n, or -1.
func memberIndex(n *connector.Node, key string) int {
	if n == nil || n.Kind() != connector.Object {
		return -1
	}
	for i := 0; i < n.Len(); i++ {
		if k, _ := n.Member(i); k.Value() == key {
			return i
		}
	}
	return -1
}

// resolve follows the $ref chain from n (at pointer p) to the node it
// names; nil for a reference that does not resolve, loops or leaves the
// document.
func (x *doc) resolve(n *connector.Node, p string) (*connector.Node, string) {
	return x.d.Resolve(n, p)
}

func str(n *connector.Node, key string) string {
	v := member(n, key)
	if v == nil || v.Kind() == connector.Object || v.Kind() == connector.Array {
		return ""
	}
	return v.Value()
}

func boolean(n *connector.Node, key string) bool {
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

// split returns the parent pointer and the last token (unescaped) of p.
func split(p string) (parent, last string) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", p
	}
	return p[:i], connector.UnescapeToken(p[i+1:])
}

// tokens returns the unescaped reference tokens of pointer p.
func tokens(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i := range parts {
		parts[i] = connector.UnescapeToken(parts[i])
	}
	return parts
}

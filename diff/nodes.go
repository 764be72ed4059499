package diff

import (
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// The comparison's short ways to read the node tree. Each is nil-safe, as
// what one side has the other often lacks.

// get returns the value of key in mapping m, or nil.
func get(m *connector.Node, key string) *connector.Node { return m.Get(key) }

// str returns the scalar value of key in m, or "".
func str(m *connector.Node, key string) string {
	v := m.Get(key)
	if v == nil || !v.IsScalar() {
		return ""
	}
	return v.Value()
}

// strOr returns the scalar value of key in m, or def when it is absent, for
// keywords whose absence means a documented default.
func strOr(m *connector.Node, key, def string) string {
	if v := str(m, key); v != "" {
		return v
	}
	return def
}

// boolean reports whether key in m is the boolean true (or the string "true",
// which real connectors write too).
func boolean(m *connector.Node, key string) bool {
	v := m.Get(key)
	return v != nil && v.IsScalar() && strings.EqualFold(v.Value(), "true")
}

// isObject and isArray report what n is; false for nil.
func isObject(n *connector.Node) bool { return n != nil && n.Kind() == connector.Object }

func isArray(n *connector.Node) bool { return n != nil && n.Kind() == connector.Array }

// pairs calls fn for each key and value of mapping m in document order.
func pairs(m *connector.Node, fn func(k, v *connector.Node)) {
	if !isObject(m) {
		return
	}
	for i := range m.Len() {
		fn(m.Member(i))
	}
}

// keyIndex maps each key of mapping m to its value (the first, as get
// does), for code that looks up many keys of one large mapping.
func keyIndex(m *connector.Node) map[string]*connector.Node {
	out := map[string]*connector.Node{}
	pairs(m, func(k, v *connector.Node) {
		if _, ok := out[k.Value()]; !ok {
			out[k.Value()] = v
		}
	})
	return out
}

// stringList returns the values of the elements of array n (nil for
// anything else).
func stringList(n *connector.Node) []string {
	if !isArray(n) {
		return nil
	}
	var out []string
	for i := range n.Len() {
		out = append(out, n.Elem(i).Value())
	}
	return out
}

// ptr appends one reference token to a JSON pointer.
func ptr(base, token string) string { return connector.AppendToken(base, token) }

func ptrIndex(base string, i int) string { return base + "/" + strconv.Itoa(i) }

// loc locates node n under pointer p; line and column are filled in when
// the comparison is done (see resolveLocations).
func loc(p string, n *connector.Node) *connector.Location { return connector.At(p, n) }

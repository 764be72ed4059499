package diff

import (
	"strconv"
	"strings"

	yaml "github.com/pb33f/go-yaml"
)

// get returns the value of key in mapping m, or nil. Connector mappings are
// small except paths and definitions, which the model indexes once.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// keyIndex maps each key of mapping m to its value (the first, as get
// does), for code that looks up many keys of one large mapping.
func keyIndex(m *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	pairs(m, func(k, v *yaml.Node) {
		if _, ok := out[k.Value]; !ok {
			out[k.Value] = v
		}
	})
	return out
}

// str returns the scalar value of key in m, or "".
func str(m *yaml.Node, key string) string {
	v := get(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// strOr returns the scalar value of key in m, or def when it is absent, for
// keywords whose absence means a documented default.
func strOr(m *yaml.Node, key, def string) string {
	if v := str(m, key); v != "" {
		return v
	}
	return def
}

// boolean reports whether key in m is the boolean true (or the string "true",
// which real connectors write too).
func boolean(m *yaml.Node, key string) bool {
	v := get(m, key)
	return v != nil && v.Kind == yaml.ScalarNode && strings.EqualFold(v.Value, "true")
}

// pairs calls fn for each key and value of mapping m in document order.
func pairs(m *yaml.Node, fn func(k, v *yaml.Node)) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		fn(m.Content[i], m.Content[i+1])
	}
}

// ptr appends one reference token to a JSON pointer (RFC 6901).
func ptr(base, token string) string {
	if strings.ContainsAny(token, "~/") {
		token = strings.ReplaceAll(token, "~", "~0")
		token = strings.ReplaceAll(token, "/", "~1")
	}
	return base + "/" + token
}

func ptrIndex(base string, i int) string { return base + "/" + strconv.Itoa(i) }

// unescapeToken decodes one JSON pointer reference token.
func unescapeToken(t string) string {
	if !strings.Contains(t, "~") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// loc locates node n under pointer p.
func loc(p string, n *yaml.Node) *Location {
	if n == nil {
		return &Location{Pointer: p}
	}
	return &Location{Pointer: p, Line: n.Line, Column: n.Column}
}

// render prints a node compactly as JSON-like text for Before/After values.
func render(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	renderTo(&b, n, 0)
	return b.String()
}

const renderLimit = 400

func renderTo(b *strings.Builder, n *yaml.Node, depth int) {
	if b.Len() > renderLimit {
		return
	}
	if depth > 20 {
		b.WriteString("…")
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			renderTo(b, n.Content[0], depth)
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			renderTo(b, n.Alias, depth+1)
		}
	case yaml.ScalarNode:
		if n.Tag == "!!str" || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			b.WriteString(strconv.Quote(n.Value))
		} else {
			b.WriteString(n.Value)
		}
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteString(", ")
			}
			renderTo(b, c, depth+1)
		}
		b.WriteByte(']')
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(n.Content[i].Value))
			b.WriteString(": ")
			renderTo(b, n.Content[i+1], depth+1)
		}
		b.WriteByte('}')
	}
	if b.Len() > renderLimit {
		s := b.String()[:renderLimit]
		b.Reset()
		b.WriteString(s)
		b.WriteString("…")
	}
}

// equalNodes compares two node trees by value, ignoring positions, style and
// key order. ignore names mapping keys to skip at every level.
func equalNodes(a, b *yaml.Node, ignore func(string) bool) bool {
	return equalDepth(a, b, ignore, 0)
}

func equalDepth(a, b *yaml.Node, ignore func(string) bool, depth int) bool {
	if a == nil || b == nil {
		return a == b
	}
	if depth > 200 {
		return true
	}
	for a.Kind == yaml.AliasNode && a.Alias != nil {
		a = a.Alias
	}
	for b.Kind == yaml.AliasNode && b.Alias != nil {
		b = b.Alias
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return a.Value == b.Value
	case yaml.SequenceNode:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := range a.Content {
			if !equalDepth(a.Content[i], b.Content[i], ignore, depth+1) {
				return false
			}
		}
		return true
	case yaml.MappingNode:
		na, nb := 0, 0
		lookup := func(k string) *yaml.Node { return get(b, k) }
		if len(b.Content) > 64 { // a scan per key would make large values quadratic
			idx := keyIndex(b)
			lookup = func(k string) *yaml.Node { return idx[k] }
		}
		for i := 0; i+1 < len(a.Content); i += 2 {
			k := a.Content[i].Value
			if ignore != nil && ignore(k) {
				continue
			}
			na++
			if !equalDepth(a.Content[i+1], lookup(k), ignore, depth+1) {
				return false
			}
		}
		for i := 0; i+1 < len(b.Content); i += 2 {
			if ignore == nil || !ignore(b.Content[i].Value) {
				nb++
			}
		}
		return na == nb
	}
	return true
}

package connector

import (
	"strconv"
	"strings"
)

// get returns the value of key in mapping m, or nil. Connector mappings are
// small except paths and definitions, which the model indexes once.
func get(m *Node, key string) *Node {
	if m == nil || m.kind != Object {
		return nil
	}
	kids := m.kids()
	for i := 0; i+1 < len(kids); i += 2 {
		if kids[i].val == key {
			return &kids[i+1]
		}
	}
	return nil
}

// keyIndex maps each key of mapping m to its value (the first, as get
// does), for code that looks up many keys of one large mapping.
func keyIndex(m *Node) map[string]*Node {
	out := map[string]*Node{}
	pairs(m, func(k, v *Node) {
		if _, ok := out[k.val]; !ok {
			out[k.val] = v
		}
	})
	return out
}

// str returns the scalar value of key in m, or "".
func str(m *Node, key string) string {
	v := get(m, key)
	if v == nil || !v.IsScalar() {
		return ""
	}
	return v.val
}

// strOr returns the scalar value of key in m, or def when it is absent, for
// keywords whose absence means a documented default.
func strOr(m *Node, key, def string) string {
	if v := str(m, key); v != "" {
		return v
	}
	return def
}

// boolean reports whether key in m is the boolean true (or the string "true",
// which real connectors write too).
func boolean(m *Node, key string) bool {
	v := get(m, key)
	return v != nil && v.IsScalar() && strings.EqualFold(v.val, "true")
}

// pairs calls fn for each key and value of mapping m in document order.
func pairs(m *Node, fn func(k, v *Node)) {
	if m == nil || m.kind != Object {
		return
	}
	kids := m.kids()
	for i := 0; i+1 < len(kids); i += 2 {
		fn(&kids[i], &kids[i+1])
	}
}

// elems returns the elements of sequence n (nil for anything else).
func elems(n *Node) []Node {
	if n == nil || n.kind != Array {
		return nil
	}
	return n.kids()
}

// AppendToken appends one reference token to the JSON pointer base,
// escaping it (RFC 6901).
func AppendToken(base, token string) string { return ptr(base, token) }

// ptr appends one reference token to a JSON pointer (RFC 6901).
func ptr(base, token string) string {
	if strings.ContainsAny(token, "~/") {
		token = strings.ReplaceAll(token, "~", "~0")
		token = strings.ReplaceAll(token, "/", "~1")
	}
	return base + "/" + token
}

func ptrIndex(base string, i int) string { return base + "/" + strconv.Itoa(i) }

// UnescapeToken decodes one JSON pointer reference token (RFC 6901: ~1 is
// "/", ~0 is "~").
func UnescapeToken(t string) string {
	if !strings.Contains(t, "~") {
		return t
	}
	return strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
}

// Compact returns the value of n as compact JSON-like text, cut after a few
// hundred bytes, as messages show a value; "" for a nil node.
func (n *Node) Compact() string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	renderTo(&b, n, 0)
	return b.String()
}

const renderLimit = 400

func renderTo(b *strings.Builder, n *Node, depth int) {
	if b.Len() > renderLimit {
		return
	}
	if depth > 20 {
		b.WriteString("…")
		return
	}
	switch n.kind {
	case Array:
		b.WriteByte('[')
		for i := range n.kids() {
			if i > 0 {
				b.WriteString(", ")
			}
			renderTo(b, &n.kids()[i], depth+1)
		}
		b.WriteByte(']')
	case Object:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.kids()); i += 2 {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(n.kids()[i].val))
			b.WriteString(": ")
			renderTo(b, &n.kids()[i+1], depth+1)
		}
		b.WriteByte('}')
	default:
		if n.quoted || n.yamlTag() == "!!str" {
			b.WriteString(strconv.Quote(n.val))
		} else {
			b.WriteString(n.val)
		}
	}
	if b.Len() > renderLimit {
		s := b.String()[:renderLimit]
		b.Reset()
		b.WriteString(s)
		b.WriteString("…")
	}
}

// Equal reports whether two node trees hold the same value: nodes of the
// same kinds, scalars of the same text, objects with the same keys (in any
// order) holding equal values, arrays equal element by element. Positions,
// layout and style do not count (numbers compare as written: 1 is not 1.0).
func Equal(a, b *Node) bool { return equal(a, b, &equality{}) }

// Equivalent is Equal as the comparison judges values: a scalar compares by
// its text alone, so "1" and 1, or "true" and true, are one value
// (connectors write both), a number by its value, so 1.0 and 1 are one
// value too, and the mapping keys ignore names (nil for none) are skipped at
// every level.
func Equivalent(a, b *Node, ignore func(key string) bool) bool {
	return equal(a, b, &equality{ignore: ignore, loose: true})
}

// EqualAcross is Equal for nodes of two documents, where a reference may
// name different things on each side: two "$ref" members of the same text
// are equal when sameRef(ref) says that what they name is.
func EqualAcross(a, b *Node, sameRef func(ref string) bool) bool {
	return equal(a, b, &equality{sameRef: sameRef})
}

// equality is how equal compares: Equal's way unless told otherwise.
type equality struct {
	ignore  func(string) bool // keys skipped at every level
	loose   bool              // scalars compared by text alone
	sameRef func(string) bool // judges references of the same text
}

// equal is the one node equality. It recurses as deep as the trees go,
// which the parsers bound (MaxNesting, and MaxAliasExpansion for YAML
// aliases): a depth limit that answered "equal" would hide a change below
// it. Members are compared in a's order, after the counts when no key is
// ignored, so that sameRef is asked only what it must be.
func equal(a, b *Node, e *equality) bool {
	if a == nil || b == nil {
		return a == b
	}
	if e.loose && a.class() != b.class() || !e.loose && a.kind != b.kind {
		return false
	}
	switch a.kind {
	case Array:
		if len(a.kids()) != len(b.kids()) {
			return false
		}
		for i := range a.kids() {
			if !equal(&a.kids()[i], &b.kids()[i], e) {
				return false
			}
		}
		return true
	case Object:
		if e.ignore == nil && len(a.kids()) != len(b.kids()) {
			return false
		}
		na, nb := 0, 0
		lookup := func(k string) *Node { return get(b, k) }
		if len(b.kids()) > 64 { // a scan per key would make large values quadratic
			idx := keyIndex(b)
			lookup = func(k string) *Node { return idx[k] }
		}
		for i := 0; i+1 < len(a.kids()); i += 2 {
			k := a.kids()[i].val
			if e.ignore != nil && e.ignore(k) {
				continue
			}
			na++
			v, w := &a.kids()[i+1], lookup(k)
			if e.sameRef != nil && k == "$ref" && v.kind == String && w != nil && w.kind == String {
				if v.val != w.val || !e.sameRef(v.val) {
					return false
				}
				continue
			}
			if !equal(v, w, e) {
				return false
			}
		}
		for i := 0; i+1 < len(b.kids()); i += 2 {
			if e.ignore == nil || !e.ignore(b.kids()[i].val) {
				nb++
			}
		}
		return na == nb
	}
	if a.val == b.val {
		return true
	}
	// Loosely, a number is a JSON value: 1.0 is 1, 1e3 is 1000. A string
	// is not a number: "01234" and 1234 are different values.
	if e.loose && a.kind == Number && b.kind == Number {
		x, ok1 := NumberKey(a.val)
		y, ok2 := NumberKey(b.val)
		return ok1 && ok2 && x == y
	}
	return false
}

// NumberKey returns the value of a JSON number as a canonical text, the same
// for every spelling of one value ("1", "1.0", "10e-1" and "0.1E1" are all
// "1e0"), exactly, however many digits it has; ok is false for text that
// is not a JSON number, or whose exponent is beyond 9 digits.
func NumberKey(s string) (key string, ok bool) {
	i := 0
	neg := false
	if i < len(s) && s[i] == '-' {
		neg, i = true, i+1
	}
	digitsFrom := func() int {
		from := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return from
	}
	from := digitsFrom()
	intPart := s[from:i]
	if intPart == "" {
		return "", false
	}
	var frac string
	if i < len(s) && s[i] == '.' {
		i++
		from = digitsFrom()
		if frac = s[from:i]; frac == "" {
			return "", false
		}
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg, i = s[i] == '-', i+1
		}
		from = digitsFrom()
		digits := s[from:i]
		if digits == "" || len(digits) > 9 {
			return "", false
		}
		for _, d := range digits {
			exp = exp*10 + int(d-'0')
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(s) {
		return "", false
	}
	mantissa := strings.TrimLeft(intPart+frac, "0")
	exp -= len(frac)
	if mantissa == "" {
		return "0", true // -0 is 0
	}
	trimmed := strings.TrimRight(mantissa, "0")
	exp += len(mantissa) - len(trimmed)
	key = trimmed + "e" + strconv.Itoa(exp)
	if neg {
		key = "-" + key
	}
	return key, true
}

// class groups the kinds as Equivalent sees them: scalars are compared
// by their text alone, so "1" equals 1.
func (n *Node) class() NodeKind {
	if n.IsScalar() {
		return String
	}
	return n.kind
}

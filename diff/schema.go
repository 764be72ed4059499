package diff

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// schemaCtx is what a schema walk knows about where it is.
type schemaCtx struct {
	where    Where
	internal bool   // inside an x-ms-visibility: internal parameter or property
	trail    *trail // the human path and Microsoft's value path so far
}

func (s schemaCtx) child(name, vpName string, internal bool) schemaCtx {
	s.trail = &trail{up: s.trail, label: name, vp: vpName}
	s.internal = s.internal || internal
	return s
}

// label is the human path, such as "body/items/name".
func (s schemaCtx) label() string { return s.trail.join(false) }

// field is the path users know the schema by (see Change.Field): the
// root's field, then the names below the root.
func (s schemaCtx) field() string {
	root := s.trail
	for root.up != nil {
		root = root.up
	}
	below := s.label()[len(root.label):]
	if root.field == "" {
		return strings.TrimPrefix(below, "/")
	}
	return root.field + below
}

// vp is Microsoft's value path.
func (s schemaCtx) vp() string { return s.trail.join(true) }

// trail is a path as links to the parent's, joined with "/" only when a
// change needs it: a chain 40,000 schemas deep would otherwise hold 40,000
// ever longer strings, quadratic in memory.
type trail struct {
	up        *trail
	label, vp string // this level's names (the root's whole label and value path)
	field     string // at the root: the field its changes are in (see Change.Field)
	// The joined paths, once made.
	labelPath, vpPath string
	joined            uint8 // bit 1: labelPath made, bit 2: vpPath made
}

func (t *trail) join(vp bool) string {
	bit := uint8(1)
	if vp {
		bit = 2
	}
	if t.joined&bit != 0 {
		if vp {
			return t.vpPath
		}
		return t.labelPath
	}
	name := func(t *trail) string {
		if vp {
			return t.vp
		}
		return t.label
	}
	size := 0
	for x := t; x != nil; x = x.up {
		size += len(name(x)) + 1
	}
	b := make([]byte, size-1)
	at := len(b)
	for x := t; x != nil; x = x.up {
		at -= len(name(x))
		copy(b[at:], name(x))
		if at > 0 {
			at--
			b[at] = '/'
		}
	}
	out := string(b)
	t.joined |= bit
	if vp {
		t.vpPath = out
	} else {
		t.labelPath = out
	}
	return out
}

// keywords compares what a pair says at its own level and reports whether
// the walk goes on beneath it: not when the type changed, which makes the
// nested differences noise.
func (c *comparer) keywords(s schemaCtx, o, n *connector.Node, op, np *connector.Pointer) bool {
	add := func(ch *Change) { c.record(s, ch) }
	ot, nt := typeOf(o), typeOf(n)
	binary := isBinary(o) && isBinary(n) // {type: file} and {type: string, format: binary} are the same body
	if ot != nt && !binary {
		f := Facts{Internal: s.internal, NamedProperties: namedProperties(c.old, o)}
		add(&Change{Kind: TypeChanged, Old: c.fieldLoc(op.String(), "type", o), New: c.fieldLoc(np.String(), "type", n),
			Before: ot, After: nt, Facts: f})
		// Lookups are compared still: a schema that gains a type and a
		// dynamic schema at once changes both.
		for _, ch := range c.dynamic(s, o, n, op, np) {
			add(ch)
		}
		return false
	}
	if of, nf := str(o, "format"), str(n, "format"); of != nf && !binary {
		add(&Change{Kind: FormatChanged, Old: c.fieldLoc(op.String(), "format", o), New: c.fieldLoc(np.String(), "format", n),
			Before: of, After: nf, Facts: Facts{Internal: s.internal}})
	}
	if ch := c.enum(s, o, n, op, np, ot); ch != nil {
		add(ch)
	}
	if s.where.Request() {
		if od, nd := get(o, "default"), get(n, "default"); (od != nil || nd != nil) && !connector.Equivalent(od, nd, nil) {
			add(&Change{Kind: DefaultChanged, Old: c.fieldLoc(op.String(), "default", o), New: c.fieldLoc(np.String(), "default", n),
				Before: od.Compact(), After: nd.Compact(), Facts: Facts{Internal: s.internal}})
		}
	}
	c.constraints(s, o, n, op, np)
	if od, nd := str(o, "discriminator"), str(n, "discriminator"); od != nd {
		add(&Change{Kind: DiscriminatorChanged, Old: c.fieldLoc(op.String(), "discriminator", o),
			New: c.fieldLoc(np.String(), "discriminator", n), Before: od, After: nd, Facts: Facts{Internal: s.internal}})
	}
	if s.where == InRequestBody && allowsAdditional(o) && !allowsAdditional(n) {
		add(&Change{Kind: AdditionalPropertiesRemoved, Old: c.fieldLoc(op.String(), "additionalProperties", o),
			New: c.fieldLoc(np.String(), "additionalProperties", n), Before: get(o, "additionalProperties").Compact(),
			After: get(n, "additionalProperties").Compact(), Facts: Facts{Internal: s.internal}})
	}
	if s.where == InParameter {
		if of, nf := strOr(o, "collectionFormat", "csv"), strOr(n, "collectionFormat", "csv"); of != nf && ot == "array" {
			add(&Change{Kind: CollectionFormatChanged, Old: c.fieldLoc(op.String(), "collectionFormat", o),
				New: c.fieldLoc(np.String(), "collectionFormat", n), Before: of, After: nf, Facts: Facts{Internal: s.internal}})
		}
		if oe, ne := strOr(o, "x-ms-url-encoding", "single"), strOr(n, "x-ms-url-encoding", "single"); oe != ne {
			add(&Change{Kind: URLEncodingChanged, Old: c.fieldLoc(op.String(), "x-ms-url-encoding", o),
				New: c.fieldLoc(np.String(), "x-ms-url-encoding", n), Before: oe, After: ne, Facts: Facts{Internal: s.internal}})
		}
	}
	for _, ch := range c.dynamic(s, o, n, op, np) {
		add(ch)
	}
	return true
}

// allowsAdditional reports whether an object schema declares that it takes
// properties beyond its named ones (which the designer offers as free
// key-value pairs).
func allowsAdditional(n *connector.Node) bool {
	ap := get(n, "additionalProperties")
	return ap != nil && !(ap.IsScalar() && ap.Value() == "false")
}

// bound is a validation keyword and the direction that makes it stricter.
type bound struct {
	key string
	// upper: a lower value is stricter (maximum); otherwise a higher one is.
	upper bool
	// flag: a boolean keyword, true is stricter (uniqueItems).
	flag bool
}

var bounds = []bound{
	{key: "maxLength", upper: true}, {key: "maximum", upper: true}, {key: "maxItems", upper: true},
	{key: "maxProperties", upper: true}, {key: "minLength"}, {key: "minimum"}, {key: "minItems"},
	{key: "minProperties"}, {key: "exclusiveMaximum", flag: true}, {key: "exclusiveMinimum", flag: true},
	{key: "uniqueItems", flag: true}, {key: "pattern"}, {key: "multipleOf"},
}

// constraints reports each validation keyword that changed, and whether it
// now accepts less (Tightened) or more.
func (c *comparer) constraints(s schemaCtx, o, n *connector.Node, op, np *connector.Pointer) {
	for _, b := range bounds {
		ov, nv := get(o, b.key), get(n, b.key)
		if b.flag {
			// An absent flag is false.
			if strings.EqualFold(scalarOrRender(ov), "true") == strings.EqualFold(scalarOrRender(nv), "true") {
				continue
			}
		} else if ov == nil && nv == nil || ov != nil && nv != nil && sameConstraint(b.key, ov.Value(), nv.Value()) {
			continue
		}
		var tight bool
		switch {
		case b.flag:
			tight = strings.EqualFold(scalarOrRender(nv), "true")
		case nv == nil:
			tight = false
		case ov == nil:
			tight = true
		case b.key == "pattern" || b.key == "multipleOf":
			tight = true // a different pattern may reject what the old one took
		default:
			of, err1 := strconv.ParseFloat(ov.Value(), 64)
			nf, err2 := strconv.ParseFloat(nv.Value(), 64)
			if err1 != nil || err2 != nil {
				tight = true
			} else {
				tight = nf < of == b.upper
			}
		}
		c.record(s, &Change{Kind: ConstraintChanged, Old: c.fieldLoc(op.String(), b.key, o),
			New: c.fieldLoc(np.String(), b.key, n), Before: scalarOrRender(ov), After: scalarOrRender(nv),
			Details: []string{b.key}, Facts: Facts{Internal: s.internal, Tightened: tight}})
	}
}

var unicodeEscape = regexp.MustCompile(`\\u[0-9a-fA-F]{4}`)

// sameConstraint compares two values of a keyword; patterns are compared
// after decoding \uXXXX escapes, which spell the same character class.
func sameConstraint(key, a, b string) bool {
	if a == b {
		return true
	}
	if key != "pattern" {
		fa, err1 := strconv.ParseFloat(a, 64)
		fb, err2 := strconv.ParseFloat(b, 64)
		return err1 == nil && err2 == nil && fa == fb
	}
	decode := func(s string) string {
		return unicodeEscape.ReplaceAllStringFunc(s, func(e string) string {
			r, err := strconv.ParseUint(e[2:], 16, 32)
			if err != nil {
				return e
			}
			return string(rune(r))
		})
	}
	return decode(a) == decode(b)
}

// isBinary reports whether a schema is a file: {type: file}, or a string
// of format binary, which Swagger 2.0 connectors write for the same bytes.
func isBinary(n *connector.Node) bool {
	t := str(n, "type")
	return t == "file" || t == "string" && str(n, "format") == "binary"
}

// typeOf returns a schema's declared type, or the one its keywords imply.
func typeOf(n *connector.Node) string {
	t := get(n, "type")
	if t != nil {
		if t.IsScalar() {
			return t.Value()
		}
		return t.Compact()
	}
	if get(n, "properties") != nil || get(n, "allOf") != nil {
		return "object"
	}
	if get(n, "items") != nil {
		return "array"
	}
	return ""
}

// enum compares enum restrictions after normalising literals to the declared
// type, so that "true" and true, or "1" and 1, are the same value.
func (c *comparer) enum(s schemaCtx, o, n *connector.Node, op, np *connector.Pointer, typ string) *Change {
	oe, ne := get(o, "enum"), get(n, "enum")
	if oe == nil && ne == nil {
		return nil
	}
	if oe != nil && oe.Kind() != connector.Array || ne != nil && ne.Kind() != connector.Array {
		return nil
	}
	if typ == "array" { // an array parameter's enum sits on its items
		return nil
	}
	if oe != nil && ne != nil && sameScalars(oe, ne) {
		return nil // the common case, decided without building sets
	}
	ch := &Change{Kind: EnumChanged, Old: c.fieldLoc(op.String(), "enum", o), New: c.fieldLoc(np.String(), "enum", n),
		Facts: Facts{Internal: s.internal}}
	// Before and After are rendered only for a change that is reported.
	found := func() *Change {
		ch.Before, ch.After = oe.Compact(), ne.Compact()
		return ch
	}
	switch {
	case oe == nil:
		ch.Facts.EnumIntroduced = true
		spelled := map[string]string{}
		for _, v := range enumValues(ne, typ, nil, spelled) {
			ch.Facts.EnumAdded = append(ch.Facts.EnumAdded, spelled[v])
		}
		return found()
	case ne == nil:
		ch.Facts.EnumDropped = true
		return found()
	}
	oldSet, newSet := map[string]bool{}, map[string]bool{}
	oldSpelled, newSpelled := map[string]string{}, map[string]string{}
	var impossible []string
	olds := enumValues(oe, typ, &impossible, oldSpelled)
	for _, v := range olds {
		oldSet[v] = true
	}
	var newImpossible []string
	news := enumValues(ne, typ, &newImpossible, newSpelled)
	for _, v := range news {
		newSet[v] = true
	}
	for _, v := range newImpossible {
		newSet[v] = true
	}
	// Values are compared normalised, and named as each document spells them.
	for _, v := range olds {
		if !newSet[v] {
			ch.Facts.EnumRemoved = append(ch.Facts.EnumRemoved, oldSpelled[v])
		}
	}
	for _, v := range news {
		if !oldSet[v] {
			ch.Facts.EnumAdded = append(ch.Facts.EnumAdded, newSpelled[v])
		}
	}
	for _, v := range impossible {
		if !newSet[v] {
			ch.Facts.EnumImpossible = append(ch.Facts.EnumImpossible, v)
		}
	}
	if len(ch.Facts.EnumRemoved)+len(ch.Facts.EnumAdded)+len(ch.Facts.EnumImpossible) == 0 {
		return nil
	}
	return found()
}

// sameScalars reports whether two arrays hold the same scalars (of the same
// kinds and values) in the same order, whose enums cannot differ.
func sameScalars(a, b *connector.Node) bool {
	if a.Len() != b.Len() {
		return false
	}
	for i := range a.Len() {
		x, y := a.Elem(i), b.Elem(i)
		if !x.IsScalar() || x.Kind() != y.Kind() || x.Value() != y.Value() {
			return false
		}
	}
	return true
}

// enumValues normalises enum literals to typ, and records in spelled how
// the document writes each (the first spelling of a value written twice), so
// that a report shows 3.0 or "False" where the document has them. Values
// the type can never take go to impossible (when given) instead of the
// result.
func enumValues(e *connector.Node, typ string, impossible *[]string, spelled map[string]string) []string {
	var out []string
	seen := map[string]bool{}
	for i := range e.Len() {
		v := e.Elem(i)
		lit, ok := normalizeLiteral(v, typ)
		if !ok {
			if impossible != nil {
				*impossible = append(*impossible, v.Compact())
			}
			continue
		}
		if !seen[lit] {
			seen[lit] = true
			out = append(out, lit)
			if spelled != nil {
				if _, ok := spelled[lit]; !ok {
					spelled[lit] = v.Compact()
				}
			}
		}
	}
	return out
}

func normalizeLiteral(v *connector.Node, typ string) (string, bool) {
	if !v.IsScalar() {
		return v.Compact(), true
	}
	switch typ {
	case "boolean":
		switch strings.ToLower(v.Value()) {
		case "true", "false":
			return strings.ToLower(v.Value()), true
		}
		return "", false
	case "integer", "number":
		return plainNumber(strings.TrimSpace(v.Value()))
	}
	if v.Kind() == connector.Null {
		return "null", true
	}
	if v.Kind() == connector.Number {
		// A number is a JSON value whatever the declared type: 1.0 is 1.
		if n, ok := plainNumber(v.Value()); ok {
			return strconv.Quote(n), true
		}
	}
	return strconv.Quote(v.Value()), true
}

// plainNumber writes the value of a JSON number in one spelling, exactly:
// "1.0", "1" and "1e0" are all "1", "0.50" is "0.5"; values far from 1 keep
// an exponent ("1e40"). ok is false for text that is not a JSON number.
func plainNumber(s string) (string, bool) {
	key, ok := connector.NumberKey(s)
	if !ok {
		return "", false
	}
	if key == "0" {
		return key, true
	}
	sign := ""
	if key[0] == '-' {
		sign, key = "-", key[1:]
	}
	i := strings.IndexByte(key, 'e')
	digits := key[:i]
	exp, _ := strconv.Atoi(key[i+1:])
	switch {
	case exp >= 0 && exp <= 20:
		return sign + digits + strings.Repeat("0", exp), true
	case exp < 0 && -exp < len(digits):
		at := len(digits) + exp
		return sign + digits[:at] + "." + digits[at:], true
	case exp < 0 && -exp-len(digits) <= 20:
		return sign + "0." + strings.Repeat("0", -exp-len(digits)) + digits, true
	}
	return sign + key, true
}

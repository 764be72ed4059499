package diff

import (
	"regexp"
	"sort"
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

// vp is Microsoft's value path.
func (s schemaCtx) vp() string { return s.trail.join(true) }

// trail is a path as links to the parent's, joined with "/" only when a
// change needs it: a chain 40,000 schemas deep would otherwise hold 40,000
// ever longer strings, quadratic in memory.
type trail struct {
	up        *trail
	label, vp string // this level's names (the root's whole label and value path)
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

// prop is one named property of an object schema.
type prop struct {
	name string
	key  *connector.Node
	node *connector.Node // unresolved, as written
	ptr  *connector.Pointer
}

type propSet struct {
	list     []prop
	index    map[string]int // position in list by name: find must not scan, objects may have 100,000 properties
	required map[string]bool
	// container locates where the properties are declared.
	container *connector.Node
	ptr       *connector.Pointer
	cost      int // nodes and properties read
}

// flatten gathers the properties and required names of an object schema,
// including those it inherits through allOf, however deep: in the order a
// depth-first walk meets them, the first declaration of a name winning.
func flatten(d *connector.Document, s *connector.Node, p *connector.Pointer) propSet {
	set := propSet{required: map[string]bool{}, index: map[string]int{}}
	visited := map[*connector.Node]bool{}
	type item struct {
		s *connector.Node
		p *connector.Pointer
	}
	// An explicit stack, members pushed in reverse so that they are taken
	// in order: an allOf chain has no depth the walk may assume.
	stack := []item{{s, p}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		s, p := d.ResolvePointer(it.s, it.p)
		if s == nil || visited[s] {
			continue
		}
		visited[s] = true
		set.cost++
		if props := get(s, "properties"); props != nil {
			base := p.Add("/properties")
			if set.container == nil {
				set.container, set.ptr = props, base
			}
			pairs(props, func(k, v *connector.Node) {
				set.cost++
				if _, seen := set.index[k.Value()]; !seen {
					set.index[k.Value()] = len(set.list)
					set.list = append(set.list, prop{name: k.Value(), key: k, node: v, ptr: base.Token(k.Value())})
				}
			})
		}
		for _, r := range stringList(get(s, "required")) {
			set.required[r] = true
		}
		if all := get(s, "allOf"); all != nil && all.Kind() == connector.Array {
			for i := all.Len() - 1; i >= 0; i-- {
				stack = append(stack, item{all.Elem(i), p.Add(ptrIndex("/allOf", i))})
			}
		}
	}
	if set.container == nil {
		set.container, set.ptr = s, p
	}
	return set
}

// flatten is flatten counted against the comparison's budget.
func (c *comparer) flatten(d *connector.Document, s *connector.Node, p *connector.Pointer) propSet {
	set := flatten(d, s, p)
	c.step(set.cost)
	return set
}

// renamedTo finds the one new property of news, absent from olds, whose
// name equals name but for case and punctuation. byLoose indexes those new
// properties by looseName, built on first use: a scan per removed property
// made wide objects quadratic (20,000 properties replaced took minutes).
func renamedTo(name string, olds, news propSet, byLoose *map[string][]prop) (prop, bool) {
	if *byLoose == nil {
		*byLoose = map[string][]prop{}
		for _, q := range news.list {
			if _, old := olds.find(q.name); !old {
				k := looseName(q.name)
				(*byLoose)[k] = append((*byLoose)[k], q)
			}
		}
	}
	if m := (*byLoose)[looseName(name)]; len(m) == 1 {
		return m[0], true
	}
	return prop{}, false
}

func (ps propSet) find(name string) (prop, bool) {
	if i, ok := ps.index[name]; ok {
		return ps.list[i], true
	}
	return prop{}, false
}

// propWalk is the comparison of an object's properties, one at a time.
type propWalk struct {
	olds, news         propSet
	renamed            map[string]bool // new names reported as the target of a rename
	byLoose            map[string][]prop
	movedOld, movedNew map[string]bool
	next               int // the old property to compare next
}

// startProperties flattens the properties of both schemas and reports
// those that moved; nil when neither declares any.
func (c *comparer) startProperties(s schemaCtx, o, n *connector.Node, op, np *connector.Pointer) *propWalk {
	if get(o, "properties") == nil && get(o, "allOf") == nil && get(n, "properties") == nil && get(n, "allOf") == nil {
		return nil
	}
	w := &propWalk{olds: c.flatten(c.old, o, op), news: c.flatten(c.new, n, np), renamed: map[string]bool{}}
	// Properties that moved under a new wrapper (or out of an old one), or
	// that the new schema no longer declares at all, are one change.
	w.movedOld, w.movedNew = c.restructured(s, w.olds, w.news, o, n, op, np, func(ch *Change) { c.record(s, ch) })
	return w
}

// nextProperty compares the next old property with its namesake, entering
// their schemas; false when none is left.
func (c *comparer) nextProperty(s schemaCtx, w *propWalk) bool {
	add := func(ch *Change) { c.record(s, ch) }
	olds, news := w.olds, w.news
	for w.next < len(olds.list) {
		p := olds.list[w.next]
		w.next++
		c.step(1)
		if w.movedOld[p.name] {
			continue
		}
		pn, _ := c.old.ResolvePointer(p.node, p.ptr)
		oInternal := s.internal || str(pn, "x-ms-visibility") == "internal"
		q, ok := news.find(p.name)
		if !ok {
			ch := &Change{Kind: PropertyRemoved, Subject: "/" + p.name, Old: loc(p.ptr.String(), p.key), New: loc(news.ptr.String(), news.container),
				ValuePath: "/" + p.name, Facts: Facts{Internal: oInternal, ReadOnly: boolean(pn, "readOnly"), Required: olds.required[p.name]}}
			// A new sibling whose name differs only in case or punctuation is
			// the same property renamed: still removed for flows, which store
			// the exact name, but reported once, naming the new one.
			if r, ok := renamedTo(p.name, olds, news, &w.byLoose); ok {
				ch.After, ch.New = r.name, loc(r.ptr.String(), r.key)
				w.renamed[r.name] = true
			}
			add(ch)
			continue
		}
		qn, _ := c.new.ResolvePointer(q.node, q.ptr)
		if or, nr := olds.required[p.name], news.required[q.name]; or != nr {
			add(&Change{Kind: PropertyRequiredChanged, Subject: "/" + p.name, Old: loc(p.ptr.String(), p.key), New: loc(q.ptr.String(), q.key),
				ValuePath: "/" + p.name, Before: strconv.FormatBool(or), After: strconv.FormatBool(nr),
				Facts: Facts{Internal: oInternal || str(qn, "x-ms-visibility") == "internal", Required: nr,
					HasDefault: get(qn, "default") != nil, ReadOnly: boolean(qn, "readOnly"),
					NotificationURL: boolean(qn, "x-ms-notification-url")}})
		}
		if or, nr := boolean(pn, "readOnly"), boolean(qn, "readOnly"); or != nr {
			add(&Change{Kind: ReadOnlyChanged, Subject: "/" + p.name, Old: c.fieldLoc(p.ptr.String(), "readOnly", pn),
				New: c.fieldLoc(q.ptr.String(), "readOnly", qn), ValuePath: "/" + p.name, Before: strconv.FormatBool(or), After: strconv.FormatBool(nr),
				Facts: Facts{Internal: oInternal}})
		}
		if ov, nv := str(pn, "x-ms-visibility"), str(qn, "x-ms-visibility"); ov != nv {
			add(&Change{Kind: VisibilityChanged, Subject: "/" + p.name, Old: c.fieldLoc(p.ptr.String(), "x-ms-visibility", pn),
				New: c.fieldLoc(q.ptr.String(), "x-ms-visibility", qn), ValuePath: "/" + p.name + "/x-ms-visibility", Before: ov, After: nv,
				Facts: Facts{Internal: s.internal, Required: news.required[q.name], HasDefault: get(qn, "default") != nil}})
		}
		if !s.where.Request() || !boolean(pn, "readOnly") {
			c.enter(s.child(p.name, p.name, oInternal), p.node, q.node, p.ptr, q.ptr)
			return true
		}
	}
	return false
}

// addedProperties reports the new properties that match no old one.
func (c *comparer) addedProperties(s schemaCtx, w *propWalk) {
	for _, q := range w.news.list {
		c.step(1)
		if _, ok := w.olds.find(q.name); ok || w.renamed[q.name] || w.movedNew[q.name] {
			continue
		}
		qn, _ := c.new.ResolvePointer(q.node, q.ptr)
		c.record(s, &Change{Kind: PropertyAdded, Subject: "/" + q.name, New: loc(q.ptr.String(), q.key), ValuePath: "/" + q.name,
			Facts: Facts{Internal: s.internal || str(qn, "x-ms-visibility") == "internal", Required: w.news.required[q.name],
				HasDefault: get(qn, "default") != nil, ReadOnly: boolean(qn, "readOnly"),
				NotificationURL: boolean(qn, "x-ms-notification-url")}})
	}
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
		ch.Facts.EnumAdded = enumValues(ne, typ, nil)
		return found()
	case ne == nil:
		ch.Facts.EnumDropped = true
		return found()
	}
	oldSet, newSet := map[string]bool{}, map[string]bool{}
	var impossible []string
	olds := enumValues(oe, typ, &impossible)
	for _, v := range olds {
		oldSet[v] = true
	}
	var newImpossible []string
	news := enumValues(ne, typ, &newImpossible)
	for _, v := range news {
		newSet[v] = true
	}
	for _, v := range newImpossible {
		newSet[v] = true
	}
	for _, v := range olds {
		if !newSet[v] {
			ch.Facts.EnumRemoved = append(ch.Facts.EnumRemoved, v)
		}
	}
	for _, v := range news {
		if !oldSet[v] {
			ch.Facts.EnumAdded = append(ch.Facts.EnumAdded, v)
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

// enumValues normalises enum literals to typ. Values the type can never
// take go to impossible (when given) instead of the result.
func enumValues(e *connector.Node, typ string, impossible *[]string) []string {
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
		f, err := strconv.ParseFloat(strings.TrimSpace(v.Value()), 64)
		if err != nil {
			return "", false
		}
		return strconv.FormatFloat(f, 'g', -1, 64), true
	}
	if v.Kind() == connector.Null {
		return "null", true
	}
	return strconv.Quote(v.Value()), true
}

// dynamicKeys are the extensions that make the designer call another
// operation for values or schema.
var dynamicKeys = []string{"x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-tree", "x-ms-dynamic-schema", "x-ms-dynamic-properties"}

func (c *comparer) dynamic(s schemaCtx, o, n *connector.Node, op, np *connector.Pointer) []*Change {
	var found []*Change
	changed, schemaOnly := false, true
	var before, after, details []string
	for _, k := range dynamicKeys {
		ov, nv := get(o, k), get(n, k)
		if ov == nil && nv == nil {
			continue
		}
		if !connector.Equivalent(ov, nv, isDocKey) {
			changed = true
			schemaOnly = schemaOnly && (k == "x-ms-dynamic-schema" || k == "x-ms-dynamic-properties")
			if ov != nil {
				before = append(before, k+": "+ov.Compact())
			}
			if nv != nil {
				after = append(after, k+": "+nv.Compact())
			}
			switch {
			case ov == nil:
				details = append(details, k+" added")
			case nv == nil:
				details = append(details, k+" removed")
			default:
				for _, d := range nodeDiff(ov, nv, isDocKey) {
					details = append(details, k+" "+d)
				}
			}
		}
		// A lookup that calls an operation the update removed fails in the
		// designer, even when the extension itself did not change.
		for _, id := range calledOperations(nv) {
			if c.old.Operation(id) != nil {
				if c.new.Operation(id) == nil {
					found = append(found, &Change{Kind: DynamicTargetRemoved, Old: loc(op.String(), o), New: loc(np.String(), n),
						ValuePath: "/" + k, Before: id, Facts: Facts{Internal: s.internal}})
				}
			}
		}
	}
	if changed {
		found = append(found, &Change{Kind: DynamicChanged, Old: loc(op.String(), o), New: loc(np.String(), n),
			Before: strings.Join(before, "; "), After: strings.Join(after, "; "), Details: details,
			Facts: Facts{Internal: s.internal, DynamicSchema: schemaOnly}})
	}
	return found
}

// calledOperations lists the operationIds a dynamic extension calls.
func calledOperations(n *connector.Node) []string {
	var out []string
	var walk func(n *connector.Node, depth int)
	walk = func(n *connector.Node, depth int) {
		if n == nil || depth > 16 {
			return
		}
		switch n.Kind() {
		case connector.Object:
			for i := range n.Len() {
				if k, v := n.Member(i); k.Value() == "operationId" && v.IsScalar() {
					out = append(out, v.Value())
				} else {
					walk(v, depth+1)
				}
			}
		case connector.Array:
			for i := range n.Len() {
				walk(n.Elem(i), depth+1)
			}
		}
	}
	walk(n, 0)
	return out
}

// restructured finds the properties of an object that moved rather than
// went: into a new wrapper property ({a, b} -> {task: {a, b}}), or out of an
// old one ({data: {a, b}} -> {a, b}), two properties or more; or, when the
// new schema declares no property at all ({type: object}), every property
// it no longer declares.
// Each is one change listing what moved where, as a move breaks every
// reference to the moved properties at once. It returns the old and the new
// names it accounted for.
func (c *comparer) restructured(s schemaCtx, olds, news propSet, o, n *connector.Node, op, np *connector.Pointer, add func(*Change)) (movedOld, movedNew map[string]bool) {
	movedOld, movedNew = map[string]bool{}, map[string]bool{}
	var gone, come []prop
	for _, p := range olds.list {
		if _, ok := news.find(p.name); !ok {
			gone = append(gone, p)
		}
	}
	for _, q := range news.list {
		if _, ok := olds.find(q.name); !ok {
			come = append(come, q)
		}
	}
	if len(gone) == 0 {
		return
	}
	facts := func(names []prop) Facts {
		f := Facts{Internal: true, ReadOnly: true}
		for _, p := range names {
			pn, _ := c.old.ResolvePointer(p.node, p.ptr)
			f.Internal = f.Internal && (s.internal || str(pn, "x-ms-visibility") == "internal")
			f.ReadOnly = f.ReadOnly && boolean(pn, "readOnly")
		}
		return f
	}
	if len(news.list) == 0 && len(gone) >= 2 {
		f := facts(gone)
		for _, p := range gone {
			movedOld[p.name] = true
			f.Moved = append(f.Moved, p.name)
		}
		f.Undeclared = true
		add(&Change{Kind: SchemaRestructured, Old: loc(olds.ptr.String(), olds.container), New: loc(np.String(), n),
			Facts: f})
		return
	}
	goneAt, comeAt := positions(gone), positions(come)
	// Into a new wrapper: a new property whose own properties hold
	// properties that went, of the same type.
	for _, w := range come {
		inner := c.flatten(c.new, w.node, w.ptr)
		moved := c.matchInner(gone, goneAt, inner, movedOld, func(p, q prop) bool { return sameType(c.old, p, c.new, q) })
		if len(moved) < 2 { // one property moved is one removal, reported as such
			continue
		}
		f := facts(moved)
		for _, p := range moved {
			movedOld[p.name] = true
			f.Moved = append(f.Moved, p.name+" -> "+w.name+"/"+p.name)
		}
		movedNew[w.name] = true
		add(&Change{Kind: SchemaRestructured, Old: loc(moved[0].ptr.String(), moved[0].key), New: loc(w.ptr.String(), w.key),
			ValuePath: "/" + moved[0].name, Facts: f})
	}
	// Out of an old wrapper: a property that went whose own properties are
	// now properties of the object itself.
	for _, w := range gone {
		if movedOld[w.name] {
			continue
		}
		inner := c.flatten(c.old, w.node, w.ptr)
		moved := c.matchInner(come, comeAt, inner, movedNew, func(q, p prop) bool { return sameType(c.old, p, c.new, q) })
		if len(moved) < 2 {
			continue
		}
		f := facts([]prop{w})
		for _, q := range moved {
			movedNew[q.name] = true
			f.Moved = append(f.Moved, w.name+"/"+q.name+" -> "+q.name)
		}
		movedOld[w.name] = true
		add(&Change{Kind: SchemaRestructured, Old: loc(w.ptr.String(), w.key), New: loc(moved[0].ptr.String(), moved[0].key),
			ValuePath: "/" + w.name, Facts: f})
	}
	return
}

// positions indexes a list of properties by name.
func positions(list []prop) map[string]int {
	at := make(map[string]int, len(list))
	for i, p := range list {
		at[p.name] = i
	}
	return at
}

// matchInner lists, in list's order, the properties of list not taken
// that inner holds too, and same accepts (given the listed property and
// inner's). It loops over the shorter of list and inner: a wrapper is
// looked for among every property added, each against every property gone,
// and both may be 20,000 long.
func (c *comparer) matchInner(list []prop, at map[string]int, inner propSet, taken map[string]bool, same func(listed, in prop) bool) []prop {
	var out []prop
	if len(list) <= len(inner.list) {
		c.step(len(list))
		for _, p := range list {
			if q, ok := inner.find(p.name); ok && !taken[p.name] && same(p, q) {
				out = append(out, p)
			}
		}
		return out
	}
	c.step(len(inner.list))
	var idx []int
	for _, q := range inner.list {
		if i, ok := at[q.name]; ok && !taken[q.name] && same(list[i], q) {
			idx = append(idx, i)
		}
	}
	sort.Ints(idx)
	for _, i := range idx {
		out = append(out, list[i])
	}
	return out
}

// sameType reports whether two properties have the same declared type, so
// that a property found under a new parent is the one that moved.
func sameType(od *connector.Document, p prop, nd *connector.Document, q prop) bool {
	pn, _ := od.ResolvePointer(p.node, p.ptr)
	qn, _ := nd.ResolvePointer(q.node, q.ptr)
	return pn != nil && qn != nil && typeOf(pn) == typeOf(qn)
}

package diff

import (
	"regexp"
	"strconv"
	"strings"
)

// schemaCtx is what a schema walk knows about where it is.
type schemaCtx struct {
	where    Where
	internal bool   // inside an x-ms-visibility: internal parameter or property
	vp       string // Microsoft's value path so far
	label    string // human path so far, such as "body/items/name"
}

func (s schemaCtx) child(name, vpName string, internal bool) schemaCtx {
	s.vp += "/" + vpName
	s.label += "/" + name
	s.internal = s.internal || internal
	return s
}

// schema compares two schemas (or non-body parameters, which carry the same
// keywords) and returns every change found beneath them. Pairs already
// compared are answered from memo, adding the current operation.
func (c *comparer) schema(s schemaCtx, o, n *Node, op, np string) []*Change {
	o, op = c.old.resolve(o, op)
	n, np = c.new.resolve(n, np)
	if o == nil || n == nil || c.identical(o, n) {
		return nil
	}
	key := memoKey{o, n, s.where, s.internal}
	if found, ok := c.memo[key]; ok {
		for _, ch := range found {
			c.touch(ch)
		}
		return found
	}
	if d, ok := c.onStack[key]; ok { // a cycle: the pair is being compared above
		c.low = min(c.low, d)
		return nil
	}
	depth := len(c.onStack)
	if depth > maxDepth {
		return nil
	}
	c.onStack[key] = depth
	savedLow := c.low
	c.low = depth + 1

	found := c.schemaPair(s, o, n, op, np)

	delete(c.onStack, key)
	// A subtree that looped back above this pair is incomplete on its own:
	// its cycle's changes are collected by the ancestor, so it is not memoised.
	if c.low > depth {
		c.memo[key] = found
	}
	c.low = min(savedLow, c.low)
	return found
}

func (c *comparer) schemaPair(s schemaCtx, o, n *Node, op, np string) []*Change {
	var found []*Change
	add := func(ch *Change) {
		ch.Where = s.where
		found = append(found, c.emit(ch))
	}
	ot, nt := typeOf(o), typeOf(n)
	binary := isBinary(o) && isBinary(n) // {type: file} and {type: string, format: binary} are the same body
	if ot != nt && !binary {
		f := Facts{Internal: s.internal, NamedProperties: namedProperties(c.old, o, op)}
		add(&Change{Kind: TypeChanged, Subject: s.label, Old: c.fieldLoc(op, "type", o), New: c.fieldLoc(np, "type", n),
			ValuePath: s.vp, Before: ot, After: nt, Facts: f})
		return found // a different type makes the nested differences noise
	}
	if of, nf := str(o, "format"), str(n, "format"); of != nf && !binary {
		add(&Change{Kind: FormatChanged, Subject: s.label, Old: c.fieldLoc(op, "format", o), New: c.fieldLoc(np, "format", n),
			ValuePath: s.vp, Before: of, After: nf, Facts: Facts{Internal: s.internal}})
	}
	if ch := c.enum(s, o, n, op, np, ot); ch != nil {
		add(ch)
	}
	if s.where.Request() {
		if od, nd := get(o, "default"), get(n, "default"); (od != nil || nd != nil) && !equalNodes(od, nd, nil) {
			add(&Change{Kind: DefaultChanged, Subject: s.label, Old: c.fieldLoc(op, "default", o), New: c.fieldLoc(np, "default", n),
				ValuePath: s.vp, Before: render(od), After: render(nd), Facts: Facts{Internal: s.internal}})
		}
	}
	found = append(found, c.constraints(s, o, n, op, np)...)
	if od, nd := str(o, "discriminator"), str(n, "discriminator"); od != nd {
		add(&Change{Kind: DiscriminatorChanged, Subject: s.label, Old: c.fieldLoc(op, "discriminator", o),
			New: c.fieldLoc(np, "discriminator", n), ValuePath: s.vp, Before: od, After: nd, Facts: Facts{Internal: s.internal}})
	}
	if s.where == InRequestBody && allowsAdditional(o) && !allowsAdditional(n) {
		add(&Change{Kind: AdditionalPropsRemoved, Subject: s.label, Old: c.fieldLoc(op, "additionalProperties", o),
			New: c.fieldLoc(np, "additionalProperties", n), ValuePath: s.vp, Before: render(get(o, "additionalProperties")),
			After: render(get(n, "additionalProperties")), Facts: Facts{Internal: s.internal}})
	}
	if s.where == InParameter {
		if of, nf := strOr(o, "collectionFormat", "csv"), strOr(n, "collectionFormat", "csv"); of != nf && ot == "array" {
			add(&Change{Kind: CollectionFormatChanged, Subject: s.label, Old: c.fieldLoc(op, "collectionFormat", o),
				New: c.fieldLoc(np, "collectionFormat", n), ValuePath: s.vp, Before: of, After: nf, Facts: Facts{Internal: s.internal}})
		}
		if oe, ne := strOr(o, "x-ms-url-encoding", "single"), strOr(n, "x-ms-url-encoding", "single"); oe != ne {
			add(&Change{Kind: URLEncodingChanged, Subject: s.label, Old: c.fieldLoc(op, "x-ms-url-encoding", o),
				New: c.fieldLoc(np, "x-ms-url-encoding", n), ValuePath: s.vp, Before: oe, After: ne, Facts: Facts{Internal: s.internal}})
		}
	}
	for _, ch := range c.dynamic(s, o, n, op, np) {
		add(ch)
	}
	found = append(found, c.properties(s, o, n, op, np)...)
	if oi, ni := get(o, "items"), get(n, "items"); oi != nil && ni != nil {
		found = append(found, c.schema(s.child("items", "items", false), oi, ni, op+"/items", np+"/items")...)
	}
	// The guide leaves additionalProperties of requests unjudged: what a flow
	// sends there is free-form. Outputs under it can still be referenced.
	if oa, na := get(o, "additionalProperties"), get(n, "additionalProperties"); s.where.Output() && oa != nil && na != nil &&
		oa.kind == Object && na.kind == Object {
		found = append(found, c.schema(s.child("additionalProperties", "additionalProperties", false), oa, na,
			op+"/additionalProperties", np+"/additionalProperties")...)
	}
	return found
}

// allowsAdditional reports whether an object schema declares that it takes
// properties beyond its named ones (which the designer offers as free
// key-value pairs).
func allowsAdditional(n *Node) bool {
	ap := get(n, "additionalProperties")
	return ap != nil && !(ap.isScalar() && ap.val == "false")
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
func (c *comparer) constraints(s schemaCtx, o, n *Node, op, np string) []*Change {
	var found []*Change
	for _, b := range bounds {
		ov, nv := get(o, b.key), get(n, b.key)
		if b.flag {
			// An absent flag is false.
			if strings.EqualFold(scalarOrRender(ov), "true") == strings.EqualFold(scalarOrRender(nv), "true") {
				continue
			}
		} else if ov == nil && nv == nil || ov != nil && nv != nil && sameConstraint(b.key, ov.val, nv.val) {
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
			of, err1 := strconv.ParseFloat(ov.val, 64)
			nf, err2 := strconv.ParseFloat(nv.val, 64)
			if err1 != nil || err2 != nil {
				tight = true
			} else {
				tight = nf < of == b.upper
			}
		}
		ch := &Change{Kind: ConstraintChanged, Where: s.where, Subject: s.label, Old: c.fieldLoc(op, b.key, o),
			New: c.fieldLoc(np, b.key, n), ValuePath: s.vp, Before: scalarOrRender(ov), After: scalarOrRender(nv),
			Details: []string{b.key}, Facts: Facts{Internal: s.internal, Tightened: tight}}
		found = append(found, c.emit(ch))
	}
	return found
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
func isBinary(n *Node) bool {
	t := str(n, "type")
	return t == "file" || t == "string" && str(n, "format") == "binary"
}

// typeOf returns a schema's declared type, or the one its keywords imply.
func typeOf(n *Node) string {
	t := get(n, "type")
	if t != nil {
		if t.isScalar() {
			return t.val
		}
		return render(t)
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
	key  *Node
	node *Node // unresolved, as written
	ptr  string
}

type propSet struct {
	list     []prop
	index    map[string]int // position in list by name: find must not scan, objects may have 100,000 properties
	required map[string]bool
	// container locates where the properties are declared.
	container *Node
	ptr       string
}

// flatten gathers the properties and required names of an object schema,
// including those it inherits through allOf.
func flatten(d *Document, s *Node, p string) propSet {
	set := propSet{required: map[string]bool{}, index: map[string]int{}}
	visited := map[*Node]bool{}
	var walk func(s *Node, p string, depth int)
	walk = func(s *Node, p string, depth int) {
		s, p = d.resolve(s, p)
		if s == nil || visited[s] || depth > 32 {
			return
		}
		visited[s] = true
		if props := get(s, "properties"); props != nil {
			if set.container == nil {
				set.container, set.ptr = props, p+"/properties"
			}
			pairs(props, func(k, v *Node) {
				if _, seen := set.index[k.val]; !seen {
					set.index[k.val] = len(set.list)
					set.list = append(set.list, prop{name: k.val, key: k, node: v, ptr: ptr(p+"/properties", k.val)})
				}
			})
		}
		for _, r := range stringList(get(s, "required")) {
			set.required[r] = true
		}
		if all := get(s, "allOf"); all != nil && all.kind == Array {
			for i := range all.kids() {
				walk(&all.kids()[i], ptrIndex(p+"/allOf", i), depth+1)
			}
		}
	}
	walk(s, p, 0)
	if set.container == nil {
		set.container, set.ptr = s, p
	}
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

func (c *comparer) properties(s schemaCtx, o, n *Node, op, np string) []*Change {
	if get(o, "properties") == nil && get(o, "allOf") == nil && get(n, "properties") == nil && get(n, "allOf") == nil {
		return nil
	}
	olds, news := flatten(c.old, o, op), flatten(c.new, n, np)
	renamed := map[string]bool{} // new names reported as the target of a rename
	var byLoose map[string][]prop
	var found []*Change
	add := func(ch *Change) {
		ch.Where = s.where
		found = append(found, c.emit(ch))
	}
	// Properties that moved under a new wrapper (or out of an old one), or
	// that the new schema no longer declares at all, are one change.
	movedOld, movedNew := c.restructured(s, olds, news, o, n, op, np, add)
	for _, p := range olds.list {
		if movedOld[p.name] {
			continue
		}
		pn, _ := c.old.resolve(p.node, p.ptr)
		label := s.label + "/" + p.name
		vp := s.vp + "/" + p.name
		oInternal := s.internal || str(pn, "x-ms-visibility") == "internal"
		q, ok := news.find(p.name)
		if !ok {
			ch := &Change{Kind: PropertyRemoved, Subject: label, Old: loc(p.ptr, p.key), New: loc(news.ptr, news.container),
				ValuePath: vp, Facts: Facts{Internal: oInternal, ReadOnly: boolean(pn, "readOnly"), Required: olds.required[p.name]}}
			// A new sibling whose name differs only in case or punctuation is
			// the same property renamed: still removed for flows, which store
			// the exact name, but reported once, naming the new one.
			if r, ok := renamedTo(p.name, olds, news, &byLoose); ok {
				ch.After, ch.New = r.name, loc(r.ptr, r.key)
				renamed[r.name] = true
			}
			add(ch)
			continue
		}
		qn, _ := c.new.resolve(q.node, q.ptr)
		if or, nr := olds.required[p.name], news.required[q.name]; or != nr {
			add(&Change{Kind: PropertyRequiredChanged, Subject: label, Old: loc(p.ptr, p.key), New: loc(q.ptr, q.key),
				ValuePath: vp, Before: strconv.FormatBool(or), After: strconv.FormatBool(nr),
				Facts: Facts{Internal: oInternal || str(qn, "x-ms-visibility") == "internal", Required: nr,
					HasDefault: get(qn, "default") != nil, ReadOnly: boolean(qn, "readOnly"),
					NotificationURL: boolean(qn, "x-ms-notification-url")}})
		}
		if or, nr := boolean(pn, "readOnly"), boolean(qn, "readOnly"); or != nr {
			add(&Change{Kind: ReadOnlyChanged, Subject: label, Old: c.fieldLoc(p.ptr, "readOnly", pn),
				New: c.fieldLoc(q.ptr, "readOnly", qn), ValuePath: vp, Before: strconv.FormatBool(or), After: strconv.FormatBool(nr),
				Facts: Facts{Internal: oInternal}})
		}
		if ov, nv := str(pn, "x-ms-visibility"), str(qn, "x-ms-visibility"); ov != nv {
			add(&Change{Kind: VisibilityChanged, Subject: label, Old: c.fieldLoc(p.ptr, "x-ms-visibility", pn),
				New: c.fieldLoc(q.ptr, "x-ms-visibility", qn), ValuePath: vp + "/x-ms-visibility", Before: ov, After: nv,
				Facts: Facts{Internal: s.internal, Required: news.required[q.name], HasDefault: get(qn, "default") != nil}})
		}
		if !s.where.Request() || !boolean(pn, "readOnly") {
			child := s.child(p.name, p.name, oInternal)
			found = append(found, c.schema(child, p.node, q.node, p.ptr, q.ptr)...)
		}
	}
	for _, q := range news.list {
		if _, ok := olds.find(q.name); ok || renamed[q.name] || movedNew[q.name] {
			continue
		}
		qn, _ := c.new.resolve(q.node, q.ptr)
		add(&Change{Kind: PropertyAdded, Subject: s.label + "/" + q.name, New: loc(q.ptr, q.key), ValuePath: s.vp + "/" + q.name,
			Facts: Facts{Internal: s.internal || str(qn, "x-ms-visibility") == "internal", Required: news.required[q.name],
				HasDefault: get(qn, "default") != nil, ReadOnly: boolean(qn, "readOnly"),
				NotificationURL: boolean(qn, "x-ms-notification-url")}})
	}
	return found
}

// enum compares enum restrictions after normalising literals to the declared
// type, so that "true" and true, or "1" and 1, are the same value.
func (c *comparer) enum(s schemaCtx, o, n *Node, op, np, typ string) *Change {
	oe, ne := get(o, "enum"), get(n, "enum")
	if oe == nil && ne == nil {
		return nil
	}
	if oe != nil && oe.kind != Array || ne != nil && ne.kind != Array {
		return nil
	}
	if typ == "array" { // an array parameter's enum sits on its items
		return nil
	}
	if oe != nil && ne != nil && sameScalars(oe, ne) {
		return nil // the common case, decided without building sets
	}
	ch := &Change{Kind: EnumChanged, Subject: s.label, Old: c.fieldLoc(op, "enum", o), New: c.fieldLoc(np, "enum", n),
		ValuePath: s.vp, Facts: Facts{Internal: s.internal}}
	// Before and After are rendered only for a change that is reported.
	found := func() *Change {
		ch.Before, ch.After = render(oe), render(ne)
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

// sameScalars reports whether two arrays hold the same scalars, written the
// same way, in the same order.
func sameScalars(a, b *Node) bool {
	ak, bk := a.kids(), b.kids()
	if len(ak) != len(bk) {
		return false
	}
	for i := range ak {
		x, y := &ak[i], &bk[i]
		if !x.isScalar() || x.kind != y.kind || x.val != y.val || x.tag != y.tag || x.quoted != y.quoted {
			return false
		}
	}
	return true
}

// enumValues normalises enum literals to typ. Values the type can never
// take go to impossible (when given) instead of the result.
func enumValues(e *Node, typ string, impossible *[]string) []string {
	var out []string
	seen := map[string]bool{}
	for i := range e.kids() {
		v := &e.kids()[i]
		lit, ok := normalizeLiteral(v, typ)
		if !ok {
			if impossible != nil {
				*impossible = append(*impossible, render(v))
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

func normalizeLiteral(v *Node, typ string) (string, bool) {
	if !v.isScalar() {
		return render(v), true
	}
	switch typ {
	case "boolean":
		switch strings.ToLower(v.val) {
		case "true", "false":
			return strings.ToLower(v.val), true
		}
		return "", false
	case "integer", "number":
		f, err := strconv.ParseFloat(strings.TrimSpace(v.val), 64)
		if err != nil {
			return "", false
		}
		return strconv.FormatFloat(f, 'g', -1, 64), true
	}
	if v.kind == Null {
		return "null", true
	}
	return strconv.Quote(v.val), true
}

// dynamicKeys are the extensions that make the designer call another
// operation for values or schema.
var dynamicKeys = []string{"x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-tree", "x-ms-dynamic-schema", "x-ms-dynamic-properties"}

func (c *comparer) dynamic(s schemaCtx, o, n *Node, op, np string) []*Change {
	var found []*Change
	changed, schemaOnly := false, true
	var before, after, details []string
	for _, k := range dynamicKeys {
		ov, nv := get(o, k), get(n, k)
		if ov == nil && nv == nil {
			continue
		}
		if !equalNodes(ov, nv, isDocKey) {
			changed = true
			schemaOnly = schemaOnly && (k == "x-ms-dynamic-schema" || k == "x-ms-dynamic-properties")
			if ov != nil {
				before = append(before, k+": "+render(ov))
			}
			if nv != nil {
				after = append(after, k+": "+render(nv))
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
			if _, was := c.old.byID[id]; was {
				if _, is := c.new.byID[id]; !is {
					found = append(found, &Change{Kind: DynamicTargetRemoved, Subject: s.label, Old: loc(op, o), New: loc(np, n),
						ValuePath: s.vp + "/" + k, Before: id, Facts: Facts{Internal: s.internal}})
				}
			}
		}
	}
	if changed {
		found = append(found, &Change{Kind: DynamicChanged, Subject: s.label, Old: loc(op, o), New: loc(np, n),
			ValuePath: s.vp, Before: strings.Join(before, "; "), After: strings.Join(after, "; "), Details: details,
			Facts: Facts{Internal: s.internal, DynamicSchema: schemaOnly}})
	}
	return found
}

// calledOperations lists the operationIds a dynamic extension calls.
func calledOperations(n *Node) []string {
	var out []string
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if n == nil || depth > 16 {
			return
		}
		switch n.kind {
		case Object:
			for i := 0; i+1 < len(n.kids()); i += 2 {
				if n.kids()[i].val == "operationId" && n.kids()[i+1].isScalar() {
					out = append(out, n.kids()[i+1].val)
				} else {
					walk(&n.kids()[i+1], depth+1)
				}
			}
		case Array:
			for i := range n.kids() {
				walk(&n.kids()[i], depth+1)
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
func (c *comparer) restructured(s schemaCtx, olds, news propSet, o, n *Node, op, np string, add func(*Change)) (movedOld, movedNew map[string]bool) {
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
			pn, _ := c.old.resolve(p.node, p.ptr)
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
		add(&Change{Kind: SchemaRestructured, Subject: s.label, Old: loc(olds.ptr, olds.container), New: loc(np, n),
			ValuePath: s.vp, Facts: f})
		return
	}
	// Into a new wrapper: a new property whose own properties hold
	// properties that went, of the same type.
	for _, w := range come {
		inner := flatten(c.new, w.node, w.ptr)
		var moved []prop
		for _, p := range gone {
			if movedOld[p.name] {
				continue
			}
			if q, ok := inner.find(p.name); ok && sameType(c.old, p, c.new, q) {
				moved = append(moved, p)
			}
		}
		if len(moved) < 2 { // one property moved is one removal, reported as such
			continue
		}
		f := facts(moved)
		for _, p := range moved {
			movedOld[p.name] = true
			f.Moved = append(f.Moved, p.name+" -> "+w.name+"/"+p.name)
		}
		movedNew[w.name] = true
		add(&Change{Kind: SchemaRestructured, Subject: s.label, Old: loc(moved[0].ptr, moved[0].key), New: loc(w.ptr, w.key),
			ValuePath: s.vp + "/" + moved[0].name, Facts: f})
	}
	// Out of an old wrapper: a property that went whose own properties are
	// now properties of the object itself.
	for _, w := range gone {
		if movedOld[w.name] {
			continue
		}
		inner := flatten(c.old, w.node, w.ptr)
		var moved []prop
		for _, q := range come {
			if movedNew[q.name] {
				continue
			}
			if p, ok := inner.find(q.name); ok && sameType(c.old, p, c.new, q) {
				moved = append(moved, q)
			}
		}
		if len(moved) < 2 {
			continue
		}
		f := facts([]prop{w})
		for _, q := range moved {
			movedNew[q.name] = true
			f.Moved = append(f.Moved, w.name+"/"+q.name+" -> "+q.name)
		}
		movedOld[w.name] = true
		add(&Change{Kind: SchemaRestructured, Subject: s.label, Old: loc(w.ptr, w.key), New: loc(moved[0].ptr, moved[0].key),
			ValuePath: s.vp + "/" + w.name, Facts: f})
	}
	return
}

// sameType reports whether two properties have the same declared type, so
// that a property found under a new parent is the one that moved.
func sameType(od *Document, p prop, nd *Document, q prop) bool {
	pn, _ := od.resolve(p.node, p.ptr)
	qn, _ := nd.resolve(q.node, q.ptr)
	return pn != nil && qn != nil && typeOf(pn) == typeOf(qn)
}

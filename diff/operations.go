package diff

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Operations and routes: operations matched by operationId (or paired by
// route when the id changed), their routes, and the media types they
// accept and return.

var templateName = regexp.MustCompile(`\{[^}]*\}`)

// normalizePath makes paths comparable the way the gateway routes them:
// case-insensitive, template parameter names ignored.
func normalizePath(p string) string {
	return strings.ToLower(templateName.ReplaceAllString(p, "{}"))
}

func basePath(d *connector.Document) string {
	return strings.TrimSuffix(str(d.Root, "basePath"), "/")
}

// hosts reports a change of the host (or x-ms-parameterized-host) every
// route is served from.
func (c *comparer) hosts() {
	or, nr := c.old.Root, c.new.Root
	for _, key := range []string{"host", "x-ms-parameterized-host"} {
		o, n := get(or, key), get(nr, key)
		if (o != nil || n != nil) && !connector.Equivalent(o, n, isDocKey) {
			c.emit(&Change{Kind: HostChanged, Where: InDocument, Subject: key,
				Old: c.locOrParent(or, "/"+key, o), New: c.locOrParent(nr, "/"+key, n),
				ValuePath: key, Before: scalarOrRender(o), After: scalarOrRender(n)})
		}
	}
}

func (c *comparer) schemes() {
	o, n := get(c.old.Root, "schemes"), get(c.new.Root, "schemes")
	os, ns := stringList(o), stringList(n)
	if sameSet(os, ns) {
		return
	}
	has := func(l []string, s string) bool {
		for _, x := range l {
			if strings.EqualFold(x, s) {
				return true
			}
		}
		return false
	}
	ch := &Change{Kind: SchemesChanged, Where: InDocument, Subject: "schemes",
		Old: c.locOrParent(c.old.Root, "/schemes", o), New: c.locOrParent(c.new.Root, "/schemes", n),
		ValuePath: "schemes", Before: strings.Join(os, ","), After: strings.Join(ns, ",")}
	// An absent schemes list means the scheme that served the definition, so
	// only an explicit list can lose https.
	ch.Facts.HTTPSLost = n != nil && has(os, "https") && !has(ns, "https") || len(os) > 0 && n != nil && len(ns) == 0
	c.emit(ch)
}

func (c *comparer) operations() error {
	oldBase, newBase := basePath(c.old), basePath(c.new)
	renamedTo := map[*connector.Operation]bool{}
	// New operations whose operationId is new, by method and effective URL,
	// are the candidates for an operationId rename.
	fresh := map[string][]*connector.Operation{}
	for _, no := range c.new.Operations() {
		if c.old.Operation(no.ID) == nil {
			k := no.Method + " " + normalizePath(newBase+no.Path)
			fresh[k] = append(fresh[k], no)
		}
	}
	for _, oo := range c.old.Operations() {
		c.cur = oo
		if c.check(); c.err != nil {
			return c.err
		}
		if no := c.new.Operation(oo.ID); no != nil {
			c.operation(oo, no, oldBase, newBase)
			continue
		}
		k := oo.Method + " " + normalizePath(oldBase+oo.Path)
		if cands := fresh[k]; len(cands) > 0 {
			no := cands[0]
			fresh[k] = cands[1:]
			renamedTo[no] = true
			c.emit(&Change{Kind: OperationIDChanged, Where: InOperation, Subject: strings.ToUpper(oo.Method) + " " + oo.Path,
				Old: loc(oo.Pointer, oo.Node), New: loc(no.Pointer, no.Node), ValuePath: "operation/" + oo.ID,
				Before: oo.ID, After: no.ID})
			continue
		}
		c.emit(&Change{Kind: OperationRemoved, Where: InOperation, Subject: oo.ID + " (" + strings.ToUpper(oo.Method) + " " + oo.Path + ")",
			Old: loc(oo.Pointer, oo.Node), New: c.locOrParent(c.new.Root, "/paths", get(c.new.Root, "paths")),
			ValuePath: "operation/" + oo.ID})
	}
	c.cur = nil
	if len(c.basePathMoved) > 0 {
		o, n := get(c.old.Root, "basePath"), get(c.new.Root, "basePath")
		ch := c.emit(&Change{Kind: BasePathChanged, Where: InDocument, Subject: "basePath",
			Old: c.locOrParent(c.old.Root, "/basePath", o), New: c.locOrParent(c.new.Root, "/basePath", n),
			ValuePath: "basePath", Before: str(c.old.Root, "basePath"), After: str(c.new.Root, "basePath")})
		ch.Operations = c.basePathMoved
	}
	var added []*connector.Operation
	for _, no := range c.new.Operations() {
		if c.old.Operation(no.ID) != nil || renamedTo[no] {
			continue
		}
		added = append(added, no)
		c.cur = no
		c.emit(&Change{Kind: OperationAdded, Where: InOperation, Subject: no.ID + " (" + strings.ToUpper(no.Method) + " " + no.Path + ")",
			New: loc(no.Pointer, no.Node), ValuePath: "operation/" + no.ID})
	}
	c.cur = nil
	c.annotations(added)
	c.applyAbsorbed()
	c.check()
	return c.err
}

// operation compares an operation with its namesake: its route, then
// what it says of itself, its media types, parameters, responses and
// webhook payload, in that order.
func (c *comparer) operation(oo, no *connector.Operation, oldBase, newBase string) {
	vp := "operation/" + oo.ID
	opLoc, npLoc := loc(oo.Pointer, oo.Node), loc(no.Pointer, no.Node)
	// A route is one thing to a caller: a new method, path or both is one
	// change per operation.
	methodChanged := oo.Method != no.Method
	pathChanged := false
	if normalizePath(oldBase+oo.Path) != normalizePath(newBase+no.Path) {
		if normalizePath(oo.Path) == normalizePath(no.Path) {
			c.basePathMoved = append(c.basePathMoved, opRef(oo)) // reported once, at /basePath
		} else {
			pathChanged = true
		}
	}
	switch {
	case pathChanged && methodChanged:
		c.emit(&Change{Kind: OperationPathChanged, Where: InOperation, Subject: oo.ID, Old: opLoc, New: npLoc,
			ValuePath: vp, Before: strings.ToUpper(oo.Method) + " " + oldBase + oo.Path,
			After: strings.ToUpper(no.Method) + " " + newBase + no.Path, Facts: Facts{MethodChanged: true}})
	case pathChanged:
		c.emit(&Change{Kind: OperationPathChanged, Where: InOperation, Subject: oo.ID, Old: opLoc, New: npLoc,
			ValuePath: vp, Before: oldBase + oo.Path, After: newBase + no.Path})
	case methodChanged:
		c.emit(&Change{Kind: OperationMethodChanged, Where: InOperation, Subject: oo.ID, Old: opLoc, New: npLoc,
			ValuePath: vp, Before: strings.ToUpper(oo.Method), After: strings.ToUpper(no.Method)})
	}
	if oo.Deprecated != no.Deprecated {
		c.emit(&Change{Kind: OperationDeprecatedChanged, Where: InOperation, Subject: oo.ID,
			Old: c.fieldLoc(oo.Pointer, "deprecated", oo.Node), New: c.fieldLoc(no.Pointer, "deprecated", no.Node),
			ValuePath: vp + "/deprecated", Before: strconv.FormatBool(oo.Deprecated), After: strconv.FormatBool(no.Deprecated)})
	}
	c.operationExtensions(oo, no, vp, opLoc, npLoc)
	c.produces(oo, no)
	c.pageable(oo, no, vp)
	c.consumes(oo, no)
	c.parameters(oo, no)
	c.responses(oo, no)
	c.webhook(oo, no)
}

// produces reports a change of the media types an operation returns: its
// effective list, its own or else the document's, when either side
// returns a schema. An operation that loses its own list falls back to the
// document's (FallsBack), which Microsoft's validator reports even where no
// document list is left to fall back to.
func (c *comparer) produces(oo, no *connector.Operation) {
	if !returnsSchema(c.old, oo) && !returnsSchema(c.new, no) {
		return
	}
	o, ol := mediaTypes(c.old, oo, "produces")
	n, nl := mediaTypes(c.new, no, "produces")
	fallsBack := get(oo.Node, "produces") != nil && get(no.Node, "produces") == nil
	if len(o) == 0 || sameSet(o, n) || len(n) == 0 && !fallsBack {
		return // an absent list is filled in by the platform, not narrowed
	}
	ch := &Change{Kind: ProducesChanged, Where: InOperation, Subject: oo.ID, Old: ol, New: nl,
		ValuePath: "operation/" + oo.ID + "/produces", Before: strings.Join(o, ","), After: strings.Join(n, ",")}
	ch.Facts.Disjoint = len(n) > 0 && disjoint(o, n)
	ch.Facts.FallsBack = fallsBack
	c.emit(ch)
}

func returnsSchema(d *connector.Document, o *connector.Operation) bool {
	resps := get(o.Node, "responses")
	for _, code := range successCodes(d, resps, ptr(o.Pointer, "responses")) {
		if r, _ := d.Resolve(get(resps, code), ""); get(r, "schema") != nil {
			return true
		}
	}
	return false
}

// mediaTypes returns an operation's consumes or produces list, falling back
// to the document's, and where it is declared.
func mediaTypes(d *connector.Document, o *connector.Operation, key string) ([]string, *connector.Location) {
	if n := get(o.Node, key); n != nil {
		return stringList(n), loc(ptr(o.Pointer, key), n)
	}
	if n := get(d.Root, key); n != nil {
		return stringList(n), loc("/"+key, n)
	}
	return nil, loc(o.Pointer, o.Node)
}

func disjoint(a, b []string) bool {
	for _, m := range a {
		for _, x := range b {
			if strings.EqualFold(m, x) {
				return false
			}
		}
	}
	return true
}

// consumes reports a change of the media types an operation with a body or
// form accepts (its own list, or the document's).
func (c *comparer) consumes(oo, no *connector.Operation) {
	sendsBody := func(o *connector.Operation) bool {
		for _, p := range o.Params {
			if p.In == "body" || p.In == "formData" {
				return true
			}
		}
		return false
	}
	if !sendsBody(oo) || !sendsBody(no) {
		return
	}
	os, ol := mediaTypes(c.old, oo, "consumes")
	ns, nl := mediaTypes(c.new, no, "consumes")
	if len(os) == 0 || len(ns) == 0 || sameSet(os, ns) {
		return // an absent list is filled in by the platform, not narrowed
	}
	ch := &Change{Kind: ConsumesChanged, Where: InOperation, Subject: oo.ID, Old: ol, New: nl,
		ValuePath: "operation/" + oo.ID + "/consumes", Before: strings.Join(os, ","), After: strings.Join(ns, ",")}
	ch.Facts.Disjoint = disjoint(os, ns)
	c.emit(ch)
}

package diff

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Compare lists every difference between two documents that a caller of the
// connector could notice, in a stable order: document-level changes first,
// then by operation in old-document order. It judges nothing.
//
// Operations are matched by operationId, parameters by (name, in) after
// merging path-item parameters and resolving references, and schemas are
// walked through $ref, allOf, items and additionalProperties knowing whether
// they are sent (request) or received (response, webhook payload). A change
// inside a shared definition is one Change listing every operation it reaches.
func Compare(ctx context.Context, old, new *Document) ([]*Change, error) {
	c := newComparer(ctx, old, new)
	c.document()
	if err := c.operations(); err != nil {
		return nil, err
	}
	resolveLocations(c.changes, &old.text, &new.text)
	return c.changes, nil
}

func newComparer(ctx context.Context, old, new *Document) *comparer {
	c := &comparer{
		ctx:     ctx,
		old:     old,
		new:     new,
		byKey:   map[changeKey]*Change{},
		opsOf:   map[*Change]map[string]bool{},
		pairs:   map[memoKey]*pairEntry{},
		canSkip: old.Format == "json" && new.Format == "json",
		budget:  workBudget(old, new),
	}
	for id := range old.byID {
		if _, ok := new.byID[id]; !ok {
			c.opsRemoved = true
			break
		}
	}
	return c
}

type changeKey struct {
	file         string
	kind         Kind
	where        Where
	oldPtr, newP string
}

// removal lists the kinds whose New location is only the nearest survivor.
var removal = map[Kind]bool{OperationRemoved: true, ParameterRemoved: true, PropertyRemoved: true,
	ResponseRemoved: true, ResponseSchemaRemoved: true, ResponseHeaderRemoved: true, SecurityDefinitionRemoved: true}

type comparer struct {
	ctx      context.Context
	old, new *Document
	changes  []*Change
	byKey    map[changeKey]*Change
	opsOf    map[*Change]map[string]bool
	cur      *operation // the old operation being compared; nil for the document
	file     string     // the connector file being compared, when not the definition

	// The schema walk (walk.go): every pair of schemas compared, so that a
	// definition shared by many operations, or reached by many paths, is
	// compared once and each further operation is only added to what was
	// found; the walk's own stack; Tarjan's stack of pairs not complete.
	pairs      map[memoKey]*pairEntry
	frames     []*frame
	tarjan     []*pairEntry
	nextIndex  int
	touchStack []*reachNode
	touching   *frame // the pair whose changes reachTouch is adding an operation to

	// The work done and allowed, and why the comparison stopped, if it did
	// (limits.go).
	steps, budget int64
	sinceCheck    int
	err           error

	basePathMoved []OperationRef

	// What identical needs to skip subtrees that are the same on both sides.
	canSkip    bool                // both documents are JSON, whose spans are exact
	opsRemoved bool                // an operation of the old document is not in the new one
	unstable   []uint32            // offsets of the old $ref values that do not resolve identically, once computed
	stretches  map[int64][]stretch // old text known equal to new text, by diagonal
}

// emit records c, or finds the equal change already recorded, and adds the
// current operation to it.
func (c *comparer) emit(ch *Change) *Change { return c.emitNew(ch, nil) }

// emitNew is emit, calling complete on a change that is new before it is
// recorded.
func (c *comparer) emitNew(ch *Change, complete func(*Change)) *Change {
	if ch.File == "" {
		ch.File = c.file
	}
	k := changeKey{ch.File, ch.Kind, ch.Where, pointerOf(ch.Old), pointerOf(ch.New)}
	if ch.Old != nil && removal[ch.Kind] {
		// What was removed is identified by its old place alone; its new
		// location only points near where it was, which differs when the
		// same definition was re-wrapped inline in each operation.
		k.newP = ""
	}
	if prev, ok := c.byKey[k]; ok {
		c.touch(prev)
		return prev
	}
	if complete != nil {
		complete(ch)
	}
	c.byKey[k] = ch
	c.opsOf[ch] = map[string]bool{}
	c.changes = append(c.changes, ch)
	c.touch(ch)
	// What the change holds was built for it: its paths grow with the
	// depth it was found at.
	c.step(1 + (len(ch.Subject)+len(ch.ValuePath)+len(pointerOf(ch.Old))+len(pointerOf(ch.New)))/64)
	if len(c.changes) > MaxChanges {
		c.stop(fmt.Sprintf("more than %d changes in one connector, the most a comparison reports (the last: %s)",
			MaxChanges, ch.Kind), ErrTooManyChanges, ch)
	}
	return ch
}

// touch adds the current operation to a change's operations.
func (c *comparer) touch(ch *Change) {
	if c.cur == nil {
		return
	}
	seen := c.opsOf[ch]
	if seen[c.cur.id] {
		return
	}
	seen[c.cur.id] = true
	ch.Operations = append(ch.Operations, c.cur.ref())
}

func pointerOf(l *Location) string {
	if l == nil {
		return ""
	}
	return l.Pointer
}

// ---------------------------------------------------------------- document

func (c *comparer) document() {
	or, nr := c.old.Root, c.new.Root
	for _, key := range []string{"host", "x-ms-parameterized-host"} {
		o, n := get(or, key), get(nr, key)
		if (o != nil || n != nil) && !equalNodes(o, n, isDocKey) {
			c.emit(&Change{Kind: HostChanged, Where: InDocument, Subject: key,
				Old: c.locOrParent(or, "/"+key, o), New: c.locOrParent(nr, "/"+key, n),
				ValuePath: key, Before: scalarOrRender(o), After: scalarOrRender(n)})
		}
	}
	c.schemes()
	if o, n := get(or, "x-ms-capabilities"), get(nr, "x-ms-capabilities"); !equalNodes(o, n, isDocKey) {
		c.emit(&Change{Kind: CapabilitiesChanged, Where: InDocument, Subject: "the connector",
			Old: c.locOrParent(or, "/x-ms-capabilities", o), New: c.locOrParent(nr, "/x-ms-capabilities", n),
			ValuePath: "x-ms-capabilities", Before: render(o), After: render(n), Details: nodeDiff(o, n, isDocKey)})
	}
	renamed := c.securityDefinitions()
	if o, n := get(or, "security"), get(nr, "security"); requirements(o, renamed) != requirements(n, nil) {
		c.emit(&Change{Kind: SecurityRequirementChanged, Where: InDocument, Subject: "security",
			Old: c.locOrParent(or, "/security", o), New: c.locOrParent(nr, "/security", n),
			ValuePath: "security", Before: render(o), After: render(n)})
	}
}

// locOrParent locates n at p, or the document root when n is absent.
func (c *comparer) locOrParent(root *Node, p string, n *Node) *Location {
	if n == nil {
		return loc(p, root)
	}
	return loc(p, n)
}

func isDocKey(k string) bool {
	switch k {
	case "description", "summary", "x-ms-summary", "title", "example", "examples", "x-ms-test-value":
		return true
	}
	return false
}

func scalarOrRender(n *Node) string {
	if n != nil && n.isScalar() {
		return n.val
	}
	return render(n)
}

func stringList(n *Node) []string {
	var out []string
	for i := range elems(n) {
		out = append(out, n.kids()[i].val)
	}
	return out
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

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[strings.ToLower(x)]++
	}
	for _, x := range b {
		m[strings.ToLower(x)]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

// requirements renders a security requirement list order-insensitively,
// naming definitions by their new keys where they were renamed.
func requirements(list *Node, renamed map[string]string) string {
	if list == nil {
		return ""
	}
	var alts []string
	for i := range list.kids() {
		req := &list.kids()[i]
		var names []string
		pairs(req, func(k, v *Node) {
			name := k.val
			if r, ok := renamed[name]; ok {
				name = r
			}
			scopes := stringList(v)
			sort.Strings(scopes)
			names = append(names, name+"["+strings.Join(scopes, " ")+"]")
		})
		sort.Strings(names)
		alts = append(alts, strings.Join(names, "+"))
	}
	sort.Strings(alts)
	return "{" + strings.Join(alts, "|") + "}"
}

// securityDefinitions compares the definitions by key and returns the keys
// renamed with identical content (old -> new).
func (c *comparer) securityDefinitions() map[string]string {
	od, nd := get(c.old.Root, "securityDefinitions"), get(c.new.Root, "securityDefinitions")
	const base = "/securityDefinitions"
	var removed, added []string
	renamed := map[string]string{}
	// Lookups by key, not get's scan: a hostile file may hold thousands.
	oByKey, nByKey := keyIndex(od), keyIndex(nd)
	pairs(od, func(k, o *Node) {
		n := nByKey[k.val]
		if n == nil {
			removed = append(removed, k.val)
			return
		}
		c.securityDefinition(k.val, o, n, ptr(base, k.val))
	})
	pairs(nd, func(k, _ *Node) {
		if oByKey[k.val] == nil {
			added = append(added, k.val)
		}
	})
	// A definition renamed with identical content keeps every connection.
	for i := 0; i < len(removed) && len(removed)*len(added) <= renameBudget; i++ {
		o := oByKey[removed[i]]
		for j := 0; j < len(added); j++ {
			n := nByKey[added[j]]
			if equalNodes(o, n, isDocKey) {
				renamed[removed[i]] = added[j]
				c.emit(&Change{Kind: SecurityDefinitionRenamed, Where: InDocument, Subject: removed[i],
					Old: loc(ptr(base, removed[i]), o), New: loc(ptr(base, added[j]), n),
					ValuePath: "securityDefinitions/" + removed[i], Before: removed[i], After: added[j]})
				removed = append(removed[:i], removed[i+1:]...)
				added = append(added[:j], added[j+1:]...)
				i--
				break
			}
		}
	}
	for _, name := range removed {
		o := oByKey[name]
		c.emit(&Change{Kind: SecurityDefinitionRemoved, Where: InDocument, Subject: name,
			Old: loc(ptr(base, name), o), New: c.locOrParent(c.new.Root, base, nd),
			ValuePath: "securityDefinitions/" + name, Before: str(o, "type")})
	}
	for _, name := range added {
		n := nByKey[name]
		ch := &Change{Kind: SecurityDefinitionAdded, Where: InDocument, Subject: name,
			New: loc(ptr(base, name), n), ValuePath: "securityDefinitions/" + name, After: str(n, "type")}
		ch.Facts.HadNone = od == nil || len(od.kids()) == 0
		c.emit(ch)
	}
	return renamed
}

func (c *comparer) securityDefinition(name string, o, n *Node, p string) {
	vp := "securityDefinitions/" + name
	field := func(kind Kind, key string) {
		ov, nv := get(o, key), get(n, key)
		if scalarOrRender(ov) != scalarOrRender(nv) {
			c.emit(&Change{Kind: kind, Where: InDocument, Subject: name + " " + key,
				Old: c.fieldLoc(p, key, o), New: c.fieldLoc(p, key, n), ValuePath: vp + "/" + key,
				Before: scalarOrRender(ov), After: scalarOrRender(nv)})
		}
	}
	if str(o, "type") != str(n, "type") {
		c.emit(&Change{Kind: SecurityTypeChanged, Where: InDocument, Subject: name,
			Old: loc(p, o), New: loc(p, n), ValuePath: vp, Before: str(o, "type"), After: str(n, "type")})
		return
	}
	switch str(o, "type") {
	case "oauth2":
		field(SecurityFlowChanged, "flow")
		field(SecurityURLChanged, "authorizationUrl")
		field(SecurityURLChanged, "tokenUrl")
		os, ns := keys(get(o, "scopes")), keys(get(n, "scopes"))
		if !sameSet(os, ns) {
			c.emit(&Change{Kind: SecurityScopesChanged, Where: InDocument, Subject: name,
				Old: c.fieldLoc(p, "scopes", o), New: c.fieldLoc(p, "scopes", n), ValuePath: vp + "/scopes",
				Before: strings.Join(os, " "), After: strings.Join(ns, " ")})
		}
	case "apiKey":
		if str(o, "name") != str(n, "name") || str(o, "in") != str(n, "in") {
			c.emit(&Change{Kind: SecurityAPIKeyChanged, Where: InDocument, Subject: name,
				Old: loc(p, o), New: loc(p, n), ValuePath: vp,
				Before: str(o, "in") + " " + str(o, "name"), After: str(n, "in") + " " + str(n, "name")})
		}
	}
}

// fieldLoc locates key inside mapping m found at p, or m itself when absent.
func (c *comparer) fieldLoc(p, key string, m *Node) *Location {
	if v := get(m, key); v != nil {
		return loc(ptr(p, key), v)
	}
	return loc(p, m)
}

func keys(m *Node) []string {
	var out []string
	pairs(m, func(k, _ *Node) { out = append(out, k.val) })
	return out
}

// -------------------------------------------------------------- operations

var templateName = regexp.MustCompile(`\{[^}]*\}`)

// normalizePath makes paths comparable the way the gateway routes them:
// case-insensitive, template parameter names ignored.
func normalizePath(p string) string {
	return strings.ToLower(templateName.ReplaceAllString(p, "{}"))
}

func basePath(d *Document) string {
	return strings.TrimSuffix(str(d.Root, "basePath"), "/")
}

func (c *comparer) operations() error {
	oldBase, newBase := basePath(c.old), basePath(c.new)
	renamedTo := map[*operation]bool{}
	// New operations whose operationId is new, by method and effective URL,
	// are the candidates for an operationId rename.
	fresh := map[string][]*operation{}
	for _, no := range c.new.operations {
		if _, kept := c.old.byID[no.id]; !kept {
			k := no.method + " " + normalizePath(newBase+no.path)
			fresh[k] = append(fresh[k], no)
		}
	}
	for _, oo := range c.old.operations {
		c.cur = oo
		if c.check(); c.err != nil {
			return c.err
		}
		if no, ok := c.new.byID[oo.id]; ok {
			c.operation(oo, no, oldBase, newBase)
			continue
		}
		k := oo.method + " " + normalizePath(oldBase+oo.path)
		if cands := fresh[k]; len(cands) > 0 {
			no := cands[0]
			fresh[k] = cands[1:]
			renamedTo[no] = true
			c.emit(&Change{Kind: OperationIDChanged, Where: InOperation, Subject: strings.ToUpper(oo.method) + " " + oo.path,
				Old: loc(oo.ptr, oo.node), New: loc(no.ptr, no.node), ValuePath: "operation/" + oo.id,
				Before: oo.id, After: no.id})
			continue
		}
		c.emit(&Change{Kind: OperationRemoved, Where: InOperation, Subject: oo.id + " (" + strings.ToUpper(oo.method) + " " + oo.path + ")",
			Old: loc(oo.ptr, oo.node), New: c.locOrParent(c.new.Root, "/paths", get(c.new.Root, "paths")),
			ValuePath: "operation/" + oo.id})
	}
	c.cur = nil
	if len(c.basePathMoved) > 0 {
		o, n := get(c.old.Root, "basePath"), get(c.new.Root, "basePath")
		ch := c.emit(&Change{Kind: BasePathChanged, Where: InDocument, Subject: "basePath",
			Old: c.locOrParent(c.old.Root, "/basePath", o), New: c.locOrParent(c.new.Root, "/basePath", n),
			ValuePath: "basePath", Before: str(c.old.Root, "basePath"), After: str(c.new.Root, "basePath")})
		ch.Operations = c.basePathMoved
	}
	var added []*operation
	for _, no := range c.new.operations {
		if _, kept := c.old.byID[no.id]; kept || renamedTo[no] {
			continue
		}
		added = append(added, no)
		c.cur = no
		c.emit(&Change{Kind: OperationAdded, Where: InOperation, Subject: no.id + " (" + strings.ToUpper(no.method) + " " + no.path + ")",
			New: loc(no.ptr, no.node), ValuePath: "operation/" + no.id})
	}
	c.cur = nil
	c.annotations(added)
	c.check()
	return c.err
}

var versionSuffix = regexp.MustCompile(`^(.*?)(_?[Vv])(\d+)$`)

// annotations checks the update against Microsoft's way of versioning an
// operation: an x-ms-api-annotation family keeps at most two non-deprecated
// operations, revisions are unique within a family, and a versioned
// operation (GetItems_V2) is added beside the one it replaces, not instead.
func (c *comparer) annotations(added []*operation) {
	isAdded := map[*operation]bool{}
	for _, o := range added {
		isAdded[o] = true
	}
	type member struct {
		op       *operation
		revision string
	}
	families := map[string][]member{}
	var names []string
	for _, o := range c.new.operations {
		a := get(o.node, "x-ms-api-annotation")
		f := str(a, "family")
		if f == "" {
			continue
		}
		if _, ok := families[f]; !ok {
			names = append(names, f)
		}
		families[f] = append(families[f], member{o, scalarOrRender(get(a, "revision"))})
	}
	for _, f := range names {
		ms := families[f]
		var current, fresh []string
		revs := map[string][]*operation{}
		for _, m := range ms {
			if !m.op.deprecated {
				current = append(current, m.op.id)
				if isAdded[m.op] {
					fresh = append(fresh, m.op.id)
				}
			}
			if m.revision != "" {
				revs[m.revision] = append(revs[m.revision], m.op)
			}
		}
		first := ms[0].op
		if len(fresh) >= 2 || len(current) > 2 && len(fresh) > 0 {
			c.emitFor(&Change{Kind: FamilyCrowded, Where: InOperation, Subject: f, New: loc(first.ptr, first.node),
				ValuePath: "operation/" + first.id + "/x-ms-api-annotation", After: fmt.Sprint(len(current)),
				Details: []string{"non-deprecated: " + strings.Join(current, ", ")}}, fresh)
		}
		for _, m := range ms {
			same := revs[m.revision]
			if len(same) < 2 || same[0] != m.op {
				continue
			}
			var ids []string
			anyNew := false
			for _, o := range same {
				ids = append(ids, o.id)
				anyNew = anyNew || isAdded[o]
			}
			if anyNew {
				c.emitFor(&Change{Kind: RevisionRepeated, Where: InOperation, Subject: f, New: loc(m.op.ptr, m.op.node),
					ValuePath: "operation/" + m.op.id + "/x-ms-api-annotation", After: m.revision,
					Details: []string{"operations: " + strings.Join(ids, ", ")}}, ids)
			}
		}
	}
	for _, o := range added {
		m := versionSuffix.FindStringSubmatch(o.id)
		if m == nil || m[1] == "" {
			continue
		}
		n, _ := strconv.Atoi(m[3])
		if n < 2 {
			continue
		}
		candidates := []string{m[1]}
		if n > 2 {
			candidates = append(candidates, fmt.Sprintf("%s%s%d", m[1], m[2], n-1))
		}
		for _, id := range candidates {
			_, was := c.old.byID[id]
			_, is := c.new.byID[id]
			if was && !is {
				c.cur = o
				c.emit(&Change{Kind: VersionReplacesOriginal, Where: InOperation, Subject: o.id, New: loc(o.ptr, o.node),
					Old: loc(c.old.byID[id].ptr, c.old.byID[id].node), ValuePath: "operation/" + o.id, Before: id, After: o.id})
				c.cur = nil
				break
			}
		}
	}
}

func (c *comparer) operation(oo, no *operation, oldBase, newBase string) {
	vp := "operation/" + oo.id
	opLoc, npLoc := loc(oo.ptr, oo.node), loc(no.ptr, no.node)
	// A route is one thing to a caller: a new method, path or both is one
	// change per operation.
	methodChanged := oo.method != no.method
	pathChanged := false
	if normalizePath(oldBase+oo.path) != normalizePath(newBase+no.path) {
		if normalizePath(oo.path) == normalizePath(no.path) {
			c.basePathMoved = append(c.basePathMoved, oo.ref()) // reported once, at /basePath
		} else {
			pathChanged = true
		}
	}
	switch {
	case pathChanged && methodChanged:
		c.emit(&Change{Kind: OperationPathChanged, Where: InOperation, Subject: oo.id, Old: opLoc, New: npLoc,
			ValuePath: vp, Before: strings.ToUpper(oo.method) + " " + oldBase + oo.path,
			After: strings.ToUpper(no.method) + " " + newBase + no.path, Facts: Facts{MethodChanged: true}})
	case pathChanged:
		c.emit(&Change{Kind: OperationPathChanged, Where: InOperation, Subject: oo.id, Old: opLoc, New: npLoc,
			ValuePath: vp, Before: oldBase + oo.path, After: newBase + no.path})
	case methodChanged:
		c.emit(&Change{Kind: OperationMethodChanged, Where: InOperation, Subject: oo.id, Old: opLoc, New: npLoc,
			ValuePath: vp, Before: strings.ToUpper(oo.method), After: strings.ToUpper(no.method)})
	}
	if oo.deprecated != no.deprecated {
		c.emit(&Change{Kind: OperationDeprecatedChanged, Where: InOperation, Subject: oo.id,
			Old: c.fieldLoc(oo.ptr, "deprecated", oo.node), New: c.fieldLoc(no.ptr, "deprecated", no.node),
			ValuePath: vp + "/deprecated", Before: strconv.FormatBool(oo.deprecated), After: strconv.FormatBool(no.deprecated)})
	}
	if oo.visibility != no.visibility {
		c.emit(&Change{Kind: OperationVisibilityChanged, Where: InOperation, Subject: oo.id,
			Old: c.fieldLoc(oo.ptr, "x-ms-visibility", oo.node), New: c.fieldLoc(no.ptr, "x-ms-visibility", no.node),
			ValuePath: vp + "/x-ms-visibility", Before: oo.visibility, After: no.visibility})
	}
	if oo.trigger != no.trigger {
		c.emit(&Change{Kind: TriggerChanged, Where: InOperation, Subject: oo.id,
			Old: c.fieldLoc(oo.ptr, "x-ms-trigger", oo.node), New: c.fieldLoc(no.ptr, "x-ms-trigger", no.node),
			ValuePath: vp + "/x-ms-trigger", Before: oo.trigger, After: no.trigger})
	} else if oo.trigger != "" {
		if om, nm := mechanism(c.old, oo), mechanism(c.new, no); om != nm {
			c.emit(&Change{Kind: TriggerMechanismChanged, Where: InOperation, Subject: oo.id, Old: opLoc, New: npLoc,
				ValuePath: vp, Before: om, After: nm})
		}
	}
	if o, n := get(oo.node, "x-ms-trigger-hint"), get(no.node, "x-ms-trigger-hint"); !equalNodes(o, n, nil) {
		c.emit(&Change{Kind: TriggerHintChanged, Where: InOperation, Subject: oo.id,
			Old: c.fieldLoc(oo.ptr, "x-ms-trigger-hint", oo.node), New: c.fieldLoc(no.ptr, "x-ms-trigger-hint", no.node),
			ValuePath: vp + "/x-ms-trigger-hint", Before: scalarOrRender(o), After: scalarOrRender(n)})
	}
	if o, n := get(oo.node, "x-ms-capabilities"), get(no.node, "x-ms-capabilities"); !equalNodes(o, n, isDocKey) {
		c.emit(&Change{Kind: CapabilitiesChanged, Where: InOperation, Subject: oo.id,
			Old: c.fieldLoc(oo.ptr, "x-ms-capabilities", oo.node), New: c.fieldLoc(no.ptr, "x-ms-capabilities", no.node),
			ValuePath: vp + "/x-ms-capabilities", Before: render(o), After: render(n), Details: nodeDiff(o, n, isDocKey)})
	}
	c.produces(oo, no)
	if o, n := get(oo.node, "x-ms-pageable"), get(no.node, "x-ms-pageable"); !equalNodes(o, n, isDocKey) {
		c.emit(&Change{Kind: PageableChanged, Where: InOperation, Subject: oo.id,
			Old: c.fieldLoc(oo.ptr, "x-ms-pageable", oo.node), New: c.fieldLoc(no.ptr, "x-ms-pageable", no.node),
			ValuePath: vp + "/x-ms-pageable", Before: render(o), After: render(n)})
	}
	c.consumes(oo, no)
	c.parameters(oo, no)
	c.responses(oo, no)
	c.webhook(oo, no)
}

// mechanism tells how a trigger fires: a webhook registers a callback (it
// has x-ms-notification-content or a notification URL input), a polling
// trigger is called on a schedule.
func mechanism(d *Document, o *operation) string {
	if n, _ := notification(o, d.operations); n != nil {
		return "webhook"
	}
	for _, p := range o.params {
		if boolean(p.node, "x-ms-notification-url") {
			return "webhook"
		}
		if p.in == "body" {
			for _, pr := range flatten(d, get(p.node, "schema"), rootPtr(p.ptr+"/schema")).list {
				pn, _ := d.resolve(pr.node, "")
				if boolean(pn, "x-ms-notification-url") {
					return "webhook"
				}
			}
		}
	}
	return "polling"
}

// produces reports a change of the media types an operation returns (its
// own list, or the document's) when it returns a schema.
func (c *comparer) produces(oo, no *operation) {
	if !returnsSchema(c.old, oo) || !returnsSchema(c.new, no) {
		return
	}
	o, ol := mediaTypes(c.old, oo, "produces")
	n, nl := mediaTypes(c.new, no, "produces")
	if len(o) == 0 || len(n) == 0 || sameSet(o, n) {
		return
	}
	ch := &Change{Kind: ProducesChanged, Where: InOperation, Subject: oo.id, Old: ol, New: nl,
		ValuePath: "operation/" + oo.id + "/produces", Before: strings.Join(o, ","), After: strings.Join(n, ",")}
	ch.Facts.Disjoint = disjoint(o, n)
	c.emit(ch)
}

func returnsSchema(d *Document, o *operation) bool {
	resps := get(o.node, "responses")
	for _, code := range successCodes(d, resps, ptr(o.ptr, "responses")) {
		if r, _ := d.resolve(get(resps, code), ""); get(r, "schema") != nil {
			return true
		}
	}
	return false
}

// mediaTypes returns an operation's consumes or produces list, falling back
// to the document's, and where it is declared.
func mediaTypes(d *Document, o *operation, key string) ([]string, *Location) {
	if n := get(o.node, key); n != nil {
		return stringList(n), loc(ptr(o.ptr, key), n)
	}
	if n := get(d.Root, key); n != nil {
		return stringList(n), loc("/"+key, n)
	}
	return nil, loc(o.ptr, o.node)
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
func (c *comparer) consumes(oo, no *operation) {
	sendsBody := func(o *operation) bool {
		for _, p := range o.params {
			if p.in == "body" || p.in == "formData" {
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
	ch := &Change{Kind: ConsumesChanged, Where: InOperation, Subject: oo.id, Old: ol, New: nl,
		ValuePath: "operation/" + oo.id + "/consumes", Before: strings.Join(os, ","), After: strings.Join(ns, ",")}
	ch.Facts.Disjoint = disjoint(os, ns)
	c.emit(ch)
}

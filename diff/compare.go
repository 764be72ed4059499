package diff

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
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
func Compare(ctx context.Context, old, new *connector.Document) ([]*Change, error) {
	c := newComparer(ctx, old, new)
	c.document()
	if err := c.operations(); err != nil {
		return nil, err
	}
	resolveLocations(c.changes, old.Position, new.Position)
	return c.changes, nil
}

// resolveLocations fills in the line and column of the locations of
// changes: old ones with the Position method of the old file, new ones with
// the new file's (nil for a file that is absent).
func resolveLocations(changes []*Change, old, new func(off int) (line, col int)) {
	for _, ch := range changes {
		ch.Old.Resolve(old)
		ch.New.Resolve(new)
	}
}

// opRef names operation o as changes list it.
func opRef(o *connector.Operation) OperationRef { return OperationRef{ID: o.ID, Internal: o.Internal} }

func newComparer(ctx context.Context, old, new *connector.Document) *comparer {
	c := &comparer{
		ctx:     ctx,
		old:     old,
		new:     new,
		oldText: old.Source(),
		newText: new.Source(),
		byKey:   map[changeKey]*Change{},
		opsOf:   map[*Change]map[string]bool{},
		pairs:   map[memoKey]*pairEntry{},
		canSkip: old.Format == "json" && new.Format == "json",
		budget:  workBudget(old, new),
	}
	for _, o := range old.OperationList() {
		if new.Operation(o.ID) == nil {
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
	old, new *connector.Document
	changes  []*Change
	byKey    map[changeKey]*Change
	opsOf    map[*Change]map[string]bool
	cur      *connector.Operation // the old operation being compared; nil for the document
	file     string               // the connector file being compared, when not the definition

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
	canSkip    bool   // both documents are JSON, whose spans are exact
	oldText    string // the texts the spans index
	newText    string
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
			MaxChanges, ch.Kind.hyphenated()), ErrTooManyChanges, ch)
	}
	return ch
}

// touch adds the current operation to a change's operations.
func (c *comparer) touch(ch *Change) {
	if c.cur == nil {
		return
	}
	seen := c.opsOf[ch]
	if seen[c.cur.ID] {
		return
	}
	seen[c.cur.ID] = true
	ch.Operations = append(ch.Operations, opRef(c.cur))
}

func pointerOf(l *connector.Location) string {
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
		if (o != nil || n != nil) && !connector.Equivalent(o, n, isDocKey) {
			c.emit(&Change{Kind: HostChanged, Where: InDocument, Subject: key,
				Old: c.locOrParent(or, "/"+key, o), New: c.locOrParent(nr, "/"+key, n),
				ValuePath: key, Before: scalarOrRender(o), After: scalarOrRender(n)})
		}
	}
	c.schemes()
	if o, n := get(or, "x-ms-capabilities"), get(nr, "x-ms-capabilities"); !connector.Equivalent(o, n, isDocKey) {
		c.emit(&Change{Kind: CapabilitiesChanged, Where: InDocument, Subject: "the connector",
			Old: c.locOrParent(or, "/x-ms-capabilities", o), New: c.locOrParent(nr, "/x-ms-capabilities", n),
			ValuePath: "x-ms-capabilities", Before: o.Compact(), After: n.Compact(), Details: nodeDiff(o, n, isDocKey)})
	}
	renamed := c.securityDefinitions()
	if o, n := get(or, "security"), get(nr, "security"); requirements(o, renamed) != requirements(n, nil) {
		c.emit(&Change{Kind: SecurityRequirementChanged, Where: InDocument, Subject: "security",
			Old: c.locOrParent(or, "/security", o), New: c.locOrParent(nr, "/security", n),
			ValuePath: "security", Before: o.Compact(), After: n.Compact()})
	}
}

// locOrParent locates n at p, or the document root when n is absent.
func (c *comparer) locOrParent(root *connector.Node, p string, n *connector.Node) *connector.Location {
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

func scalarOrRender(n *connector.Node) string {
	if n != nil && n.IsScalar() {
		return n.Value()
	}
	return n.Compact()
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
func requirements(list *connector.Node, renamed map[string]string) string {
	if list == nil {
		return ""
	}
	var alts []string
	for i := range list.Len() {
		req := list.Elem(i)
		var names []string
		pairs(req, func(k, v *connector.Node) {
			name := k.Value()
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
	pairs(od, func(k, o *connector.Node) {
		n := nByKey[k.Value()]
		if n == nil {
			removed = append(removed, k.Value())
			return
		}
		c.securityDefinition(k.Value(), o, n, ptr(base, k.Value()))
	})
	pairs(nd, func(k, _ *connector.Node) {
		if oByKey[k.Value()] == nil {
			added = append(added, k.Value())
		}
	})
	// A definition renamed with identical content keeps every connection.
	for i := 0; i < len(removed) && len(removed)*len(added) <= renameBudget; i++ {
		o := oByKey[removed[i]]
		for j := 0; j < len(added); j++ {
			n := nByKey[added[j]]
			if connector.Equivalent(o, n, isDocKey) {
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
		ch.Facts.HadNone = od == nil || od.Len() == 0
		c.emit(ch)
	}
	return renamed
}

func (c *comparer) securityDefinition(name string, o, n *connector.Node, p string) {
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
func (c *comparer) fieldLoc(p, key string, m *connector.Node) *connector.Location {
	if v := get(m, key); v != nil {
		return loc(ptr(p, key), v)
	}
	return loc(p, m)
}

func keys(m *connector.Node) []string {
	var out []string
	pairs(m, func(k, _ *connector.Node) { out = append(out, k.Value()) })
	return out
}

// -------------------------------------------------------------- operations

var templateName = regexp.MustCompile(`\{[^}]*\}`)

// normalizePath makes paths comparable the way the gateway routes them:
// case-insensitive, template parameter names ignored.
func normalizePath(p string) string {
	return strings.ToLower(templateName.ReplaceAllString(p, "{}"))
}

func basePath(d *connector.Document) string {
	return strings.TrimSuffix(str(d.Root, "basePath"), "/")
}

func (c *comparer) operations() error {
	oldBase, newBase := basePath(c.old), basePath(c.new)
	renamedTo := map[*connector.Operation]bool{}
	// New operations whose operationId is new, by method and effective URL,
	// are the candidates for an operationId rename.
	fresh := map[string][]*connector.Operation{}
	for _, no := range c.new.OperationList() {
		if c.old.Operation(no.ID) == nil {
			k := no.Method + " " + normalizePath(newBase+no.Path)
			fresh[k] = append(fresh[k], no)
		}
	}
	for _, oo := range c.old.OperationList() {
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
	for _, no := range c.new.OperationList() {
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
	c.check()
	return c.err
}

var versionSuffix = regexp.MustCompile(`^(.*?)(_?[Vv])(\d+)$`)

// annotations checks the update against Microsoft's way of versioning an
// operation: an x-ms-api-annotation family keeps at most two non-deprecated
// operations, revisions are unique within a family, and a versioned
// operation (GetItems_V2) is added beside the one it replaces, not instead.
func (c *comparer) annotations(added []*connector.Operation) {
	isAdded := map[*connector.Operation]bool{}
	for _, o := range added {
		isAdded[o] = true
	}
	type member struct {
		op       *connector.Operation
		revision string
	}
	families := map[string][]member{}
	var names []string
	for _, o := range c.new.OperationList() {
		a := get(o.Node, "x-ms-api-annotation")
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
		revs := map[string][]*connector.Operation{}
		for _, m := range ms {
			if !m.op.Deprecated {
				current = append(current, m.op.ID)
				if isAdded[m.op] {
					fresh = append(fresh, m.op.ID)
				}
			}
			if m.revision != "" {
				revs[m.revision] = append(revs[m.revision], m.op)
			}
		}
		first := ms[0].op
		if len(fresh) >= 2 || len(current) > 2 && len(fresh) > 0 {
			c.emitFor(&Change{Kind: FamilyCrowded, Where: InOperation, Subject: f, New: loc(first.Pointer, first.Node),
				ValuePath: "operation/" + first.ID + "/x-ms-api-annotation", After: fmt.Sprint(len(current)),
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
				ids = append(ids, o.ID)
				anyNew = anyNew || isAdded[o]
			}
			if anyNew {
				c.emitFor(&Change{Kind: RevisionRepeated, Where: InOperation, Subject: f, New: loc(m.op.Pointer, m.op.Node),
					ValuePath: "operation/" + m.op.ID + "/x-ms-api-annotation", After: m.revision,
					Details: []string{"operations: " + strings.Join(ids, ", ")}}, ids)
			}
		}
	}
	for _, o := range added {
		m := versionSuffix.FindStringSubmatch(o.ID)
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
			was := c.old.Operation(id) != nil
			is := c.new.Operation(id) != nil
			if was && !is {
				c.cur = o
				c.emit(&Change{Kind: VersionReplacesOriginal, Where: InOperation, Subject: o.ID, New: loc(o.Pointer, o.Node),
					Old: loc(c.old.Operation(id).Pointer, c.old.Operation(id).Node), ValuePath: "operation/" + o.ID, Before: id, After: o.ID})
				c.cur = nil
				break
			}
		}
	}
}

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
	if oo.Visibility != no.Visibility {
		c.emit(&Change{Kind: OperationVisibilityChanged, Where: InOperation, Subject: oo.ID,
			Old: c.fieldLoc(oo.Pointer, "x-ms-visibility", oo.Node), New: c.fieldLoc(no.Pointer, "x-ms-visibility", no.Node),
			ValuePath: vp + "/x-ms-visibility", Before: oo.Visibility, After: no.Visibility})
	}
	if oo.Trigger != no.Trigger {
		c.emit(&Change{Kind: TriggerChanged, Where: InOperation, Subject: oo.ID,
			Old: c.fieldLoc(oo.Pointer, "x-ms-trigger", oo.Node), New: c.fieldLoc(no.Pointer, "x-ms-trigger", no.Node),
			ValuePath: vp + "/x-ms-trigger", Before: oo.Trigger, After: no.Trigger})
	} else if oo.Trigger != "" {
		if om, nm := mechanism(c.old, oo), mechanism(c.new, no); om != nm {
			c.emit(&Change{Kind: TriggerMechanismChanged, Where: InOperation, Subject: oo.ID, Old: opLoc, New: npLoc,
				ValuePath: vp, Before: om, After: nm})
		}
	}
	if o, n := get(oo.Node, "x-ms-trigger-hint"), get(no.Node, "x-ms-trigger-hint"); !connector.Equivalent(o, n, nil) {
		c.emit(&Change{Kind: TriggerHintChanged, Where: InOperation, Subject: oo.ID,
			Old: c.fieldLoc(oo.Pointer, "x-ms-trigger-hint", oo.Node), New: c.fieldLoc(no.Pointer, "x-ms-trigger-hint", no.Node),
			ValuePath: vp + "/x-ms-trigger-hint", Before: scalarOrRender(o), After: scalarOrRender(n)})
	}
	if o, n := get(oo.Node, "x-ms-capabilities"), get(no.Node, "x-ms-capabilities"); !connector.Equivalent(o, n, isDocKey) {
		c.emit(&Change{Kind: CapabilitiesChanged, Where: InOperation, Subject: oo.ID,
			Old: c.fieldLoc(oo.Pointer, "x-ms-capabilities", oo.Node), New: c.fieldLoc(no.Pointer, "x-ms-capabilities", no.Node),
			ValuePath: vp + "/x-ms-capabilities", Before: o.Compact(), After: n.Compact(), Details: nodeDiff(o, n, isDocKey)})
	}
	c.produces(oo, no)
	if o, n := get(oo.Node, "x-ms-pageable"), get(no.Node, "x-ms-pageable"); !connector.Equivalent(o, n, isDocKey) {
		c.emit(&Change{Kind: PageableChanged, Where: InOperation, Subject: oo.ID,
			Old: c.fieldLoc(oo.Pointer, "x-ms-pageable", oo.Node), New: c.fieldLoc(no.Pointer, "x-ms-pageable", no.Node),
			ValuePath: vp + "/x-ms-pageable", Before: o.Compact(), After: n.Compact()})
	}
	c.consumes(oo, no)
	c.parameters(oo, no)
	c.responses(oo, no)
	c.webhook(oo, no)
}

// mechanism tells how a trigger fires: a webhook registers a callback (it
// has x-ms-notification-content or a notification URL input), a polling
// trigger is called on a schedule.
func mechanism(d *connector.Document, o *connector.Operation) string {
	if n, _ := notification(o, d.OperationList()); n != nil {
		return "webhook"
	}
	for _, p := range o.Params {
		if boolean(p.Node, "x-ms-notification-url") {
			return "webhook"
		}
		if p.In == "body" {
			for _, pr := range flatten(d, get(p.Node, "schema"), connector.NewPointer(p.Pointer+"/schema")).list {
				pn, _ := d.Resolve(pr.node, "")
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
func (c *comparer) produces(oo, no *connector.Operation) {
	if !returnsSchema(c.old, oo) || !returnsSchema(c.new, no) {
		return
	}
	o, ol := mediaTypes(c.old, oo, "produces")
	n, nl := mediaTypes(c.new, no, "produces")
	if len(o) == 0 || len(n) == 0 || sameSet(o, n) {
		return
	}
	ch := &Change{Kind: ProducesChanged, Where: InOperation, Subject: oo.ID, Old: ol, New: nl,
		ValuePath: "operation/" + oo.ID + "/produces", Before: strings.Join(o, ","), After: strings.Join(n, ",")}
	ch.Facts.Disjoint = disjoint(o, n)
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

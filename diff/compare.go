package diff

import (
	"context"
	"fmt"

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

// CompareConnectors lists the changes between two versions of a whole
// connector: the definition's (as Compare), then apiProperties.json's, then
// script.csx's, each carrying the file it is in.
func CompareConnectors(ctx context.Context, old, new *connector.Folder) ([]*Change, error) {
	c := newComparer(ctx, old.Definition, new.Definition)
	c.file = baseName(old.Definition.Name)
	c.document()
	if err := c.operations(); err != nil {
		return nil, err
	}
	resolveLocations(c.changes, old.Definition.Position, new.Definition.Position)
	c.file = ""
	from := len(c.changes)
	c.compareProperties(old.Properties, new.Properties)
	resolveLocations(c.changes[from:], positionIn(old.Properties), positionIn(new.Properties))
	c.compareScript(old.Script, new.Script)
	if c.check(); c.err != nil {
		return nil, c.err
	}
	return c.changes, nil
}

// ConnectorAdded lists the one change of a connector that appeared: nothing
// existing can break, but the report says what came.
func ConnectorAdded(c *connector.Folder) []*Change {
	d := c.Definition
	return []*Change{{Kind: ConnectorAppeared, Where: InDocument, Subject: d.Title(), File: baseName(d.Name),
		New: &connector.Location{File: baseName(d.Name), Pointer: "", Line: 1, Column: 1}, ValuePath: "connector",
		After: fmt.Sprintf("%d operations", len(d.Operations()))}}
}

// ConnectorRemoved lists the one change of a connector that went: it
// reaches every one of its operations, each of which existing flows and
// apps may call.
func ConnectorRemoved(c *connector.Folder) []*Change {
	d := c.Definition
	ch := &Change{Kind: ConnectorDisappeared, Where: InDocument, Subject: d.Title(), File: baseName(d.Name),
		Old: &connector.Location{File: baseName(d.Name), Pointer: "", Line: 1, Column: 1}, ValuePath: "connector",
		Before: fmt.Sprintf("%d operations", len(d.Operations()))}
	for _, o := range d.Operations() {
		ch.Operations = append(ch.Operations, opRef(o))
	}
	return []*Change{ch}
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
	for _, o := range old.Operations() {
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
	// (budget.go).
	steps, budget int64
	sinceCheck    int
	err           error

	basePathMoved []OperationRef

	// absorbed lists, by kind and pointer, the operations in which a change
	// is part of another one reported there (see absorb.go).
	absorbed map[absorbKey]map[string]bool

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
	ch.Old.In(ch.File)
	ch.New.In(ch.File)
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

// emitFor records a change reaching the named operations (by old id where
// the old document has them).
func (c *comparer) emitFor(ch *Change, ids []string) {
	saved := c.cur
	defer func() { c.cur = saved }()
	if len(ids) == 0 {
		c.cur = nil
		c.emit(ch)
		return
	}
	for _, id := range ids {
		c.cur = c.operationNamed(id)
		c.emit(ch)
	}
}

// operationNamed returns the operation with id in the old document, else in
// the new one, else a stand-in so the id is still listed.
func (c *comparer) operationNamed(id string) *connector.Operation {
	if o := c.old.Operation(id); o != nil {
		return o
	}
	if o := c.new.Operation(id); o != nil {
		return o
	}
	return &connector.Operation{ID: id}
}

// opRef names operation o as changes list it.
func opRef(o *connector.Operation) OperationRef { return OperationRef{ID: o.ID, Internal: o.Internal} }

func pointerOf(l *connector.Location) string {
	if l == nil {
		return ""
	}
	return l.Pointer
}

// document compares what a definition says for all its operations: the
// host and schemes they are served on (operations.go), the connector's
// capabilities (extensions.go) and its security (security.go).
func (c *comparer) document() {
	c.hosts()
	c.schemes()
	c.connectorCapabilities()
	c.security()
}

// locOrParent locates n at p, or the document root when n is absent.
func (c *comparer) locOrParent(root *connector.Node, p string, n *connector.Node) *connector.Location {
	if n == nil {
		return loc(p, root)
	}
	return loc(p, n)
}

// fieldLoc locates key inside mapping m found at p, or m itself when absent.
func (c *comparer) fieldLoc(p, key string, m *connector.Node) *connector.Location {
	if v := get(m, key); v != nil {
		return loc(ptr(p, key), v)
	}
	return loc(p, m)
}

package diff

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Extensions: what Microsoft's x-ms-* keys mean to the designer and the
// runtime, beyond plain Swagger (capabilities, triggers, paging,
// visibility, versioning annotations, dynamic values and schemas).

// connectorCapabilities reports a change of the connector's own
// x-ms-capabilities.
func (c *comparer) connectorCapabilities() {
	or, nr := c.old.Root, c.new.Root
	if o, n := get(or, "x-ms-capabilities"), get(nr, "x-ms-capabilities"); !connector.Equivalent(o, n, isDocKey) {
		c.emit(&Change{Kind: CapabilitiesChanged, Where: InDocument, Subject: "the connector",
			Old: c.locOrParent(or, "/x-ms-capabilities", o), New: c.locOrParent(nr, "/x-ms-capabilities", n),
			ValuePath: "x-ms-capabilities", Before: o.Compact(), After: n.Compact(), Details: nodeDiff(o, n, isDocKey)})
	}
}

// operationExtensions compares what an operation's x-ms-* keys say of it:
// its visibility, whether and how it triggers, and its capabilities. vp is
// its value path, opLoc and npLoc locate it on each side.
func (c *comparer) operationExtensions(oo, no *connector.Operation, vp string, opLoc, npLoc *connector.Location) {
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
}

// pageable reports a change of how an operation pages its results.
func (c *comparer) pageable(oo, no *connector.Operation, vp string) {
	if o, n := get(oo.Node, "x-ms-pageable"), get(no.Node, "x-ms-pageable"); !connector.Equivalent(o, n, isDocKey) {
		c.emit(&Change{Kind: PageableChanged, Where: InOperation, Subject: oo.ID,
			Old: c.fieldLoc(oo.Pointer, "x-ms-pageable", oo.Node), New: c.fieldLoc(no.Pointer, "x-ms-pageable", no.Node),
			ValuePath: vp + "/x-ms-pageable", Before: o.Compact(), After: n.Compact()})
	}
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
	for _, o := range c.new.Operations() {
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

// mechanism tells how a trigger fires: a webhook registers a callback (it
// has x-ms-notification-content or a notification URL input), a polling
// trigger is called on a schedule.
func mechanism(d *connector.Document, o *connector.Operation) string {
	if n, _ := notification(o, d.Operations()); n != nil {
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

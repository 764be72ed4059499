package diff

import (
	"github.com/connectordiff/connectordiff/connector"
)

// One change, one finding: where one edit of an operation shows as several
// differences, the one that says what happened absorbs the others, in that
// operation only (a shared definition's change still reaches the other
// operations it reaches):
//
//   - a request body property that became a header, query or path
//     parameter is one change (PropertyBecameParameter), not a property
//     removed plus a parameter added;
//   - a body that became required together with its only required property
//     is one change, the body's, which names the property.

// absorbKey names a change by kind and by its old pointer (its new one for
// an addition).
type absorbKey struct {
	kind Kind
	ptr  string
}

// absorb records that, in the operation being compared, the change of kind
// at pointer ptr is part of another one.
func (c *comparer) absorb(kind Kind, ptr string) {
	if c.cur == nil {
		return
	}
	if c.absorbed == nil {
		c.absorbed = map[absorbKey]map[string]bool{}
	}
	k := absorbKey{kind, ptr}
	if c.absorbed[k] == nil {
		c.absorbed[k] = map[string]bool{}
	}
	c.absorbed[k][c.cur.ID] = true
}

// applyAbsorbed takes the operations in which a change was absorbed off
// the change, and drops a change left with none.
func (c *comparer) applyAbsorbed() {
	if len(c.absorbed) == 0 {
		return
	}
	out := c.changes[:0]
	for _, ch := range c.changes {
		p := pointerOf(ch.Old)
		if ch.Old == nil {
			p = pointerOf(ch.New)
		}
		ops := c.absorbed[absorbKey{ch.Kind, p}]
		if len(ops) == 0 || len(ch.Operations) == 0 {
			out = append(out, ch)
			continue
		}
		kept := ch.Operations[:0]
		for _, o := range ch.Operations {
			if !ops[o.ID] {
				kept = append(kept, o)
			}
		}
		if ch.Operations = kept; len(kept) > 0 {
			out = append(out, ch)
		}
	}
	clear(c.changes[len(out):])
	c.changes = out
}

// bodyFieldsMovedOut pairs the added header, query and path parameters of
// an operation with the request body properties that went from the top of
// its body under the same name (ignoring case and punctuation) or the same
// x-ms-summary: each pair is one change, the property become a parameter,
// and the parameter is no longer an addition. It returns the parameters so
// paired.
func (c *comparer) bodyFieldsMovedOut(oo, no *connector.Operation, come []*connector.Parameter, vp string) map[*connector.Parameter]bool {
	oldBody, newBody := bodyOf(oo), bodyOf(no)
	if oldBody == nil || newBody == nil || len(come) == 0 {
		return nil
	}
	var candidates int
	for _, q := range come {
		if movable(q) {
			candidates++
		}
	}
	if candidates == 0 {
		return nil
	}
	olds := c.flatten(c.old, get(oldBody.Node, "schema"), connector.NewPointer(oldBody.Pointer+"/schema"))
	news := c.flatten(c.new, get(newBody.Node, "schema"), connector.NewPointer(newBody.Pointer+"/schema"))
	// What the new body still holds, loosely: a property renamed in the body
	// stayed there.
	kept := map[string]bool{}
	for _, q := range news.list {
		kept[looseName(q.name)] = true
	}
	// The properties that went, by loose name and by x-ms-summary and type
	// (what users see, kept when the name changes with the move, on a value
	// of the same type).
	byName, bySummary := map[string]prop{}, map[string]prop{}
	for _, p := range olds.list {
		if _, ok := news.find(p.name); ok || kept[looseName(p.name)] {
			continue
		}
		if _, dup := byName[looseName(p.name)]; !dup {
			byName[looseName(p.name)] = p
		}
		pn, _ := c.old.ResolvePointer(p.node, p.ptr)
		if sum := str(pn, "x-ms-summary"); sum != "" {
			k := sum + "\x00" + str(pn, "type")
			if _, dup := bySummary[k]; !dup {
				bySummary[k] = p
			}
		}
	}
	taken := map[string]bool{}
	paired := map[*connector.Parameter]bool{}
	for _, q := range come {
		if !movable(q) {
			continue
		}
		p, ok := byName[looseName(q.Name)]
		if !ok || taken[p.name] {
			if sum := str(q.Node, "x-ms-summary"); sum != "" {
				p, ok = bySummary[sum+"\x00"+str(q.Node, "type")]
			}
		}
		if !ok || taken[p.name] {
			continue
		}
		taken[p.name] = true
		paired[q] = true
		pn, _ := c.old.ResolvePointer(p.node, p.ptr)
		c.absorb(PropertyRemoved, p.ptr.String())
		c.emit(&Change{Kind: PropertyBecameParameter, Where: InRequestBody, Subject: oldBody.Name + "/" + p.name,
			Old: loc(p.ptr.String(), p.key), New: loc(q.SlotPointer, q.Slot),
			ValuePath: vp + oldBody.Name + "/schema/" + p.name, Before: "body", After: label(q),
			Facts: Facts{Required: isRequired(q), HasDefault: get(q.Node, "default") != nil, NotificationURL: boolean(q.Node, "x-ms-notification-url"),
				Internal: isInternal(oldBody) || str(pn, "x-ms-visibility") == "internal", ReadOnly: boolean(pn, "readOnly")}})
	}
	return paired
}

// movable reports whether a parameter is one a body field can become.
func movable(q *connector.Parameter) bool {
	return q.In == "header" || q.In == "query" || q.In == "path"
}

// onlyRequiredProperty, for a body parameter that became required, finds
// the one property its new schema requires when that property was not
// required before: the body and the property are one change, which names
// it. The property's own change is absorbed in the current operation.
func (c *comparer) onlyRequiredProperty(p, q *connector.Parameter) (detail string) {
	news := c.flatten(c.new, get(q.Node, "schema"), connector.NewPointer(q.Pointer+"/schema"))
	var only *prop
	for i := range news.list {
		if news.required[news.list[i].name] {
			if only != nil {
				return ""
			}
			only = &news.list[i]
		}
	}
	if only == nil {
		return ""
	}
	olds := c.flatten(c.old, get(p.Node, "schema"), connector.NewPointer(p.Pointer+"/schema"))
	if olds.required[only.name] {
		return ""
	}
	if op, ok := olds.find(only.name); ok {
		c.absorb(PropertyRequiredChanged, op.ptr.String())
		return "with its only required property, " + only.name + ", required too"
	}
	c.absorb(PropertyAdded, only.ptr.String())
	return "with its only required property, " + only.name + ", new"
}

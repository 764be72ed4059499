package diff

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

func (c *comparer) parameters(oo, no *connector.Operation) {
	vp := "operation/" + oo.ID + "/parameter/"
	matched := map[*connector.Parameter]bool{}
	pair := func(p, q *connector.Parameter) {
		matched[p], matched[q] = true, true
		c.parameter(oo, p, q, vp+p.Name, false)
	}
	// The body is compared by its schema whatever its name; a new name is
	// still reported, as flows key body fields by it, in one change with a
	// new requiredness. An operation with several bodies (invalid, but
	// seen) has them matched by name like other parameters.
	if oldBody, newBody := bodyOf(oo), bodyOf(no); oldBody != nil && newBody != nil {
		matched[oldBody], matched[newBody] = true, true
		if oldBody.Name != newBody.Name {
			c.renamed(oo, oldBody, newBody, vp)
		}
		c.parameter(oo, oldBody, newBody, vp+oldBody.Name, oldBody.Name != newBody.Name)
	}
	// firstUnmatched pops, from new parameters listed by key in document
	// order, the first not matched yet: a lookup, not a scan, since an
	// operation may list thousands of parameters.
	firstUnmatched := func(by map[string][]*connector.Parameter, key string) *connector.Parameter {
		list := by[key]
		for len(list) > 0 && matched[list[0]] {
			list = list[1:]
		}
		by[key] = list
		if len(list) == 0 {
			return nil
		}
		return list[0]
	}
	byNameIn, byName := map[string][]*connector.Parameter{}, map[string][]*connector.Parameter{}
	for _, q := range no.Params {
		byNameIn[q.Name+"\x00"+q.In] = append(byNameIn[q.Name+"\x00"+q.In], q)
		byName[q.Name] = append(byName[q.Name], q)
	}
	for _, p := range oo.Params {
		if matched[p] {
			continue
		}
		if q := firstUnmatched(byNameIn, p.Name+"\x00"+p.In); q != nil {
			pair(p, q)
		}
	}
	// Same name, new location.
	for _, p := range oo.Params {
		if matched[p] {
			continue
		}
		if q := firstUnmatched(byName, p.Name); q != nil {
			c.emit(&Change{Kind: ParameterLocationChanged, Where: InParameter, Subject: p.Name, Field: p.Name,
				Old: loc(p.SlotPointer, p.Slot), New: loc(q.SlotPointer, q.Slot), ValuePath: vp + p.Name,
				Before: p.In, After: q.In, Facts: Facts{Internal: isInternal(p)}})
			pair(p, q)
		}
	}
	var gone, come []*connector.Parameter
	for _, p := range oo.Params {
		if !matched[p] {
			gone = append(gone, p)
		}
	}
	for _, q := range no.Params {
		if !matched[q] {
			come = append(come, q)
		}
	}
	for q := range c.bodyFieldsMovedOut(oo, no, come, vp) {
		matched[q] = true
	}
	come = slices.DeleteFunc(come, func(q *connector.Parameter) bool { return matched[q] })
	for _, rp := range pairRenames(gone, come) {
		matched[rp[0]], matched[rp[1]] = true, true
		c.renamed(oo, rp[0], rp[1], vp)
	}
	for _, p := range gone {
		if matched[p] {
			continue
		}
		c.emit(&Change{Kind: ParameterRemoved, Where: InParameter, Subject: label(p), Field: p.Name,
			Old: loc(p.SlotPointer, p.Slot), New: c.paramsLoc(no), ValuePath: vp + p.Name,
			Facts: Facts{Internal: isInternal(p), Required: isRequired(p), Body: p.In == "body"}})
	}
	for _, q := range come {
		if matched[q] {
			continue
		}
		f := Facts{Internal: isInternal(q), Required: isRequired(q), HasDefault: get(q.Node, "default") != nil,
			NotificationURL: boolean(q.Node, "x-ms-notification-url"), Body: q.In == "body"}
		if q.In == "body" {
			f.BodyRuntimeBuilt = c.runtimeBuilt(c.new, get(q.Node, "schema"), q.Pointer+"/schema")
		}
		c.emit(&Change{Kind: ParameterAdded, Where: InParameter, Subject: label(q), Field: q.Name,
			New: loc(q.SlotPointer, q.Slot), ValuePath: vp + q.Name, Facts: f})
	}
}

func (c *comparer) paramsLoc(o *connector.Operation) *connector.Location {
	if n := get(o.Node, "parameters"); n != nil {
		return loc(ptr(o.Pointer, "parameters"), n)
	}
	return loc(o.Pointer, o.Node)
}

// renamed reports a parameter under a new name, and, in the same change, a
// new requiredness.
func (c *comparer) renamed(oo *connector.Operation, p, q *connector.Parameter, vp string) {
	ch := &Change{Kind: ParameterRenamed, Where: InParameter, Subject: label(p), Field: p.Name,
		Old: loc(p.SlotPointer, p.Slot), New: loc(q.SlotPointer, q.Slot), ValuePath: vp + p.Name,
		Before: p.Name, After: q.Name,
		Facts: Facts{Internal: isInternal(p), Required: isRequired(q), Body: p.In == "body",
			BecameRequired: !isRequired(p) && isRequired(q)}}
	if isRequired(p) != isRequired(q) {
		ch.Details = []string{fmt.Sprintf("required: %t -> %t", isRequired(p), isRequired(q))}
	}
	c.emit(ch)
}

// pairRenames pairs removed with added parameters of the same location that
// are most likely one parameter under a new name: names equal but for case
// and punctuation, the same x-ms-summary, the same position, type and
// required flag, or the only removed and added pair of that location. Each
// test pairs every removed parameter, in order, with the first added one
// not paired yet that passes it; the added parameters are indexed by what
// each test compares, so that the pairing is linear however many
// parameters an operation replaces (a scan of every pair made an operation
// with 1,000 renamed parameters take a second, and beyond a budget the
// tests were skipped, so that the answer depended on the width).
func pairRenames(gone, come []*connector.Parameter) [][2]*connector.Parameter {
	var out [][2]*connector.Parameter
	used := map[*connector.Parameter]bool{}
	keys := []func(p *connector.Parameter) string{
		func(p *connector.Parameter) string { return looseName(p.Name) },
		func(p *connector.Parameter) string {
			if s := str(p.Node, "x-ms-summary"); s != "" {
				return s
			}
			return "" // no summary pairs nothing
		},
		func(p *connector.Parameter) string {
			return strconv.Itoa(p.Index) + "\x00" + str(p.Node, "type") + "\x00" + strconv.FormatBool(isRequired(p))
		},
	}
	for t, key := range keys {
		// Added parameters by location and key, in document order.
		by := map[[2]string][]*connector.Parameter{}
		for _, q := range come {
			if k := key(q); !used[q] && (k != "" || t == 0) {
				by[[2]string{q.In, k}] = append(by[[2]string{q.In, k}], q)
			}
		}
		for _, p := range gone {
			k := key(p)
			if used[p] || k == "" && t != 0 {
				continue
			}
			list := by[[2]string{p.In, k}]
			for len(list) > 0 && used[list[0]] {
				list = list[1:]
			}
			if len(list) > 0 {
				q := list[0]
				used[p], used[q] = true, true
				out = append(out, [2]*connector.Parameter{p, q})
				list = list[1:]
			}
			by[[2]string{p.In, k}] = list
		}
	}
	// The only removed and the only added parameter of one location.
	byIn := func(list []*connector.Parameter) map[string][]*connector.Parameter {
		m := map[string][]*connector.Parameter{}
		for _, p := range list {
			if !used[p] {
				m[p.In] = append(m[p.In], p)
			}
		}
		return m
	}
	g, a := byIn(gone), byIn(come)
	for in, ps := range g {
		if qs := a[in]; len(ps) == 1 && len(qs) == 1 {
			out = append(out, [2]*connector.Parameter{ps[0], qs[0]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i][0].Index < out[j][0].Index })
	return out
}

func looseName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// parameter compares one parameter with its counterpart; renamed says the
// rename change already reported a new requiredness.
func (c *comparer) parameter(oo *connector.Operation, p, q *connector.Parameter, vp string, renamed bool) {
	internal := isInternal(p)
	f := Facts{Internal: internal, Required: isRequired(q), HasDefault: get(q.Node, "default") != nil,
		NotificationURL: boolean(q.Node, "x-ms-notification-url"), Body: p.In == "body"}
	if isRequired(p) != isRequired(q) && !renamed {
		var details []string
		if p.In == "body" && isRequired(q) {
			f.BodyAlreadySent = c.hasVisibleRequired(c.old, get(p.Node, "schema"), p.Pointer+"/schema")
			f.BodyRuntimeBuilt = c.runtimeBuilt(c.new, get(q.Node, "schema"), q.Pointer+"/schema")
			if d := c.onlyRequiredProperty(p, q); d != "" {
				details = []string{d}
			}
		}
		c.emit(&Change{Kind: ParameterRequiredChanged, Where: InParameter, Subject: label(p), Field: p.Name,
			Old: c.fieldLoc(p.SlotPointer, "required", p.Node), New: c.fieldLoc(q.SlotPointer, "required", q.Node), ValuePath: vp,
			Before: strconv.FormatBool(isRequired(p)), After: strconv.FormatBool(isRequired(q)), Details: details, Facts: f})
	}
	if ov, nv := str(p.Node, "x-ms-visibility"), str(q.Node, "x-ms-visibility"); ov != nv {
		c.emit(&Change{Kind: VisibilityChanged, Where: InParameter, Subject: "parameter " + label(p), Field: p.Name,
			Old: c.fieldLoc(p.Pointer, "x-ms-visibility", p.Node), New: c.fieldLoc(q.Pointer, "x-ms-visibility", q.Node),
			ValuePath: vp + "/x-ms-visibility", Before: ov, After: nv, Facts: f})
	}
	if p.In == "body" {
		c.schema(InRequestBody, internal, p.Name, vp+"/schema", p.Name, get(p.Node, "schema"), get(q.Node, "schema"), p.Pointer+"/schema", q.Pointer+"/schema")
		return
	}
	c.schema(InParameter, internal, "parameter "+label(p), vp, p.Name, p.Node, q.Node, p.Pointer, q.Pointer)
}

// hasVisibleRequired reports whether a body schema requires a property that
// users see, so that every working flow already sends a body.
func (c *comparer) hasVisibleRequired(d *connector.Document, s *connector.Node, p string) bool {
	props := flatten(d, s, connector.NewPointer(p))
	for _, pr := range props.list {
		if props.required[pr.name] && str(pr.node, "x-ms-visibility") != "internal" {
			return true
		}
	}
	return false
}

// runtimeBuilt reports whether every property of a body schema is internal
// with a default, or a notification URL the runtime fills in.
func (c *comparer) runtimeBuilt(d *connector.Document, s *connector.Node, p string) bool {
	props := flatten(d, s, connector.NewPointer(p))
	if len(props.list) == 0 {
		return false
	}
	for _, pr := range props.list {
		internalDefault := str(pr.node, "x-ms-visibility") == "internal" && get(pr.node, "default") != nil
		if !internalDefault && !boolean(pr.node, "x-ms-notification-url") {
			return false
		}
	}
	return true
}

// bodyOf returns the operation's body parameter, or nil when it has none
// or, against Swagger 2.0, several (which are then matched by name).
func bodyOf(o *connector.Operation) *connector.Parameter {
	var b *connector.Parameter
	for _, p := range o.Params {
		if p.In == "body" {
			if b != nil {
				return nil
			}
			b = p
		}
	}
	return b
}

func isInternal(p *connector.Parameter) bool { return str(p.Node, "x-ms-visibility") == "internal" }
func isRequired(p *connector.Parameter) bool { return boolean(p.Node, "required") }
func label(p *connector.Parameter) string    { return fmt.Sprintf("%s (%s)", p.Name, p.In) }

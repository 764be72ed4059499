package diff

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

func (c *comparer) parameters(oo, no *operation) {
	vp := "operation/" + oo.id + "/parameter/"
	matched := map[*parameter]bool{}
	pair := func(p, q *parameter) {
		matched[p], matched[q] = true, true
		c.parameter(oo, p, q, vp+p.name, false)
	}
	// The body is compared by its schema whatever its name; a new name is
	// still reported, as flows key body fields by it, in one change with a
	// new requiredness. An operation with several bodies (invalid, but
	// seen) has them matched by name like other parameters.
	if oldBody, newBody := oo.body(), no.body(); oldBody != nil && newBody != nil {
		matched[oldBody], matched[newBody] = true, true
		if oldBody.name != newBody.name {
			c.renamed(oo, oldBody, newBody, vp)
		}
		c.parameter(oo, oldBody, newBody, vp+oldBody.name, oldBody.name != newBody.name)
	}
	// firstUnmatched pops, from new parameters listed by key in document
	// order, the first not matched yet: a lookup, not a scan, since an
	// operation may list thousands of parameters.
	firstUnmatched := func(by map[string][]*parameter, key string) *parameter {
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
	byNameIn, byName := map[string][]*parameter{}, map[string][]*parameter{}
	for _, q := range no.params {
		byNameIn[q.name+"\x00"+q.in] = append(byNameIn[q.name+"\x00"+q.in], q)
		byName[q.name] = append(byName[q.name], q)
	}
	for _, p := range oo.params {
		if matched[p] {
			continue
		}
		if q := firstUnmatched(byNameIn, p.name+"\x00"+p.in); q != nil {
			pair(p, q)
		}
	}
	// Same name, new location.
	for _, p := range oo.params {
		if matched[p] {
			continue
		}
		if q := firstUnmatched(byName, p.name); q != nil {
			c.emit(&Change{Kind: ParameterLocationChanged, Where: InParameter, Subject: p.name,
				Old: loc(p.slot, p.slotNode), New: loc(q.slot, q.slotNode), ValuePath: vp + p.name,
				Before: p.in, After: q.in, Facts: Facts{Internal: p.internal()}})
			pair(p, q)
		}
	}
	var gone, come []*parameter
	for _, p := range oo.params {
		if !matched[p] {
			gone = append(gone, p)
		}
	}
	for _, q := range no.params {
		if !matched[q] {
			come = append(come, q)
		}
	}
	for _, rp := range pairRenames(gone, come) {
		matched[rp[0]], matched[rp[1]] = true, true
		c.renamed(oo, rp[0], rp[1], vp)
	}
	for _, p := range gone {
		if matched[p] {
			continue
		}
		c.emit(&Change{Kind: ParameterRemoved, Where: InParameter, Subject: p.label(),
			Old: loc(p.slot, p.slotNode), New: c.paramsLoc(no), ValuePath: vp + p.name,
			Facts: Facts{Internal: p.internal(), Required: p.required(), Body: p.in == "body"}})
	}
	for _, q := range come {
		if matched[q] {
			continue
		}
		f := Facts{Internal: q.internal(), Required: q.required(), HasDefault: get(q.node, "default") != nil,
			NotificationURL: boolean(q.node, "x-ms-notification-url"), Body: q.in == "body"}
		if q.in == "body" {
			f.BodyRuntimeBuilt = c.runtimeBuilt(c.new, get(q.node, "schema"), q.ptr+"/schema")
		}
		c.emit(&Change{Kind: ParameterAdded, Where: InParameter, Subject: q.label(),
			New: loc(q.slot, q.slotNode), ValuePath: vp + q.name, Facts: f})
	}
}

func (c *comparer) paramsLoc(o *operation) *Location {
	if n := get(o.node, "parameters"); n != nil {
		return loc(ptr(o.ptr, "parameters"), n)
	}
	return loc(o.ptr, o.node)
}

// renamed reports a parameter under a new name, and, in the same change, a
// new requiredness.
func (c *comparer) renamed(oo *operation, p, q *parameter, vp string) {
	ch := &Change{Kind: ParameterRenamed, Where: InParameter, Subject: p.label(),
		Old: loc(p.slot, p.slotNode), New: loc(q.slot, q.slotNode), ValuePath: vp + p.name,
		Before: p.name, After: q.name,
		Facts: Facts{Internal: p.internal(), Required: q.required(), Body: p.in == "body",
			BecameRequired: !p.required() && q.required()}}
	if p.required() != q.required() {
		ch.Details = []string{fmt.Sprintf("required: %t -> %t", p.required(), q.required())}
	}
	c.emit(ch)
}

// pairRenames pairs removed with added parameters of the same location that
// are most likely one parameter under a new name: names equal but for case
// and punctuation, the same x-ms-summary, the same position, type and
// required flag, or the only removed and added pair of that location.
func pairRenames(gone, come []*parameter) [][2]*parameter {
	var out [][2]*parameter
	used := map[*parameter]bool{}
	tests := []func(p, q *parameter) bool{
		func(p, q *parameter) bool { return looseName(p.name) == looseName(q.name) },
		func(p, q *parameter) bool {
			s := str(p.node, "x-ms-summary")
			return s != "" && s == str(q.node, "x-ms-summary")
		},
		func(p, q *parameter) bool {
			return p.pos == q.pos && str(p.node, "type") == str(q.node, "type") && p.required() == q.required()
		},
	}
	// The pairwise tests cost |gone| x |come|; past renameBudget pairs (an
	// operation replacing over a thousand parameters, or hostile input) only
	// the one-for-one rule below applies, so that the comparison stays linear.
	if len(gone)*len(come) > renameBudget {
		tests = nil
	}
	for _, test := range tests {
		for _, p := range gone {
			if used[p] {
				continue
			}
			for _, q := range come {
				if !used[q] && p.in == q.in && test(p, q) {
					used[p], used[q] = true, true
					out = append(out, [2]*parameter{p, q})
					break
				}
			}
		}
	}
	// The only removed and the only added parameter of one location.
	byIn := func(list []*parameter) map[string][]*parameter {
		m := map[string][]*parameter{}
		for _, p := range list {
			if !used[p] {
				m[p.in] = append(m[p.in], p)
			}
		}
		return m
	}
	g, a := byIn(gone), byIn(come)
	for in, ps := range g {
		if qs := a[in]; len(ps) == 1 && len(qs) == 1 {
			out = append(out, [2]*parameter{ps[0], qs[0]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i][0].pos < out[j][0].pos })
	return out
}

// renameBudget bounds the candidate pairs the rename heuristics of
// pairRenames and securityDefinitions try.
const renameBudget = 1 << 20

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
func (c *comparer) parameter(oo *operation, p, q *parameter, vp string, renamed bool) {
	internal := p.internal()
	f := Facts{Internal: internal, Required: q.required(), HasDefault: get(q.node, "default") != nil,
		NotificationURL: boolean(q.node, "x-ms-notification-url"), Body: p.in == "body"}
	if p.required() != q.required() && !renamed {
		if p.in == "body" && q.required() {
			f.BodyAlreadySent = c.hasVisibleRequired(c.old, get(p.node, "schema"), p.ptr+"/schema")
			f.BodyRuntimeBuilt = c.runtimeBuilt(c.new, get(q.node, "schema"), q.ptr+"/schema")
		}
		c.emit(&Change{Kind: ParameterRequiredChanged, Where: InParameter, Subject: p.label(),
			Old: c.fieldLoc(p.slot, "required", p.node), New: c.fieldLoc(q.slot, "required", q.node), ValuePath: vp,
			Before: strconv.FormatBool(p.required()), After: strconv.FormatBool(q.required()), Facts: f})
	}
	if ov, nv := str(p.node, "x-ms-visibility"), str(q.node, "x-ms-visibility"); ov != nv {
		c.emit(&Change{Kind: VisibilityChanged, Where: InParameter, Subject: "parameter " + p.label(),
			Old: c.fieldLoc(p.ptr, "x-ms-visibility", p.node), New: c.fieldLoc(q.ptr, "x-ms-visibility", q.node),
			ValuePath: vp + "/x-ms-visibility", Before: ov, After: nv, Facts: f})
	}
	if p.in == "body" {
		c.schema(InRequestBody, internal, p.name, vp+"/schema", get(p.node, "schema"), get(q.node, "schema"), p.ptr+"/schema", q.ptr+"/schema")
		return
	}
	c.schema(InParameter, internal, "parameter "+p.label(), vp, p.node, q.node, p.ptr, q.ptr)
}

// hasVisibleRequired reports whether a body schema requires a property that
// users see, so that every working flow already sends a body.
func (c *comparer) hasVisibleRequired(d *Document, s *Node, p string) bool {
	props := flatten(d, s, rootPtr(p))
	for _, pr := range props.list {
		if props.required[pr.name] && str(pr.node, "x-ms-visibility") != "internal" {
			return true
		}
	}
	return false
}

// runtimeBuilt reports whether every property of a body schema is internal
// with a default, or a notification URL the runtime fills in.
func (c *comparer) runtimeBuilt(d *Document, s *Node, p string) bool {
	props := flatten(d, s, rootPtr(p))
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

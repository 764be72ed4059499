package diff

import (
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// The schema walk. A pull request may write schemas whose paths multiply:
// a $ref diamond (each level referring twice to the next) has 2^n paths
// through n levels, and a chain of $ref has no depth the walk may assume.
// So two schemas are compared once per context, whatever the number of paths
// that reach them, and the walk keeps its own stack, not the goroutine's:
//
//   - a pair (old schema, new schema, direction, internal) is compared the
//     first time a walk reaches it; the changes found there and the pairs
//     compared beneath it are kept;
//   - pairs that reach each other (a $ref cycle) form a strongly connected
//     component (Tarjan's algorithm), completed together, so that cycles and
//     diamonds are both remembered;
//   - a completed component becomes a reachNode: its changes, and the nodes
//     of the components beneath it that found any. Reaching a pair again, from
//     another operation or another path, adds the operation to every change
//     its node reaches, each node once per operation.
//
// The work is then proportional to the pairs and the changes, not to the
// paths through them. Each step counts against the comparison's budget (see
// budget.go), and the context is checked as the walk goes.

// memoKey is one pair of schemas in one context.
type memoKey struct {
	o, n     *connector.Node
	where    Where
	internal bool
}

// pairEntry is one pair of schemas, compared or being compared.
type pairEntry struct {
	// own and kids hold, until the pair's component completes, the changes
	// found at the pair itself and the pairs compared beneath it.
	own  []*Change
	kids []*pairEntry
	// Tarjan's numbering: index in the order pairs were reached, low the
	// lowest index reachable from it that is still on the stack.
	index, low int
	onStack    bool
	component  int // index+1 of the component's root, once complete
	// reach is what reaching the pair reaches once complete: nil when
	// nothing was found at or beneath it.
	reach *reachNode
}

// identicalPair stands for every pair whose text is the same on both sides:
// complete, reaching nothing.
var identicalPair = &pairEntry{}

// reachNode is one completed component and what is beneath it.
type reachNode struct {
	changes []*Change
	next    []*reachNode
	// stamp is the last operation added to the node's changes (and to
	// those beneath it): each node is visited once per operation.
	stamp *connector.Operation
	mark  int // the component being completed that listed it last
}

// frame is one pair being compared on the walk's stack, and how far.
type frame struct {
	e      *pairEntry
	s      schemaCtx
	o, n   *connector.Node
	op, np *connector.Pointer
	phase  walkPhase
	props  *propWalk // the properties, while they are compared
}

type walkPhase uint8

const (
	phaseKeywords walkPhase = iota
	phaseProperties
	phaseItems
	phaseAdditional
	phaseDone
)

// schema compares two schemas (or non-body parameters, which carry the same
// keywords) and everything beneath them, adding the current operation to
// every change found there. Pairs compared before are not compared again.
// where and internal are the context, label and vp the paths, field the
// input or output it is (see Change.Field), and op and np the pointers of o
// and n.
func (c *comparer) schema(where Where, internal bool, label, vp, field string, o, n *connector.Node, op, np string) {
	// One allocation for what the walk starts from: operations call this
	// for every parameter and response, most of them unchanged.
	r := &schemaRoot{trail: trail{label: label, vp: vp, field: field}, op: *connector.NewPointer(op), np: *connector.NewPointer(np)}
	base := len(c.frames)
	c.enter(schemaCtx{where: where, internal: internal, trail: &r.trail}, o, n, &r.op, &r.np)
	for len(c.frames) > base {
		if c.err != nil {
			c.frames, c.tarjan = c.frames[:base], c.tarjan[:0]
			return
		}
		c.advance(c.frames[len(c.frames)-1])
	}
}

// schemaRoot is the paths and pointers a walk starts from.
type schemaRoot struct {
	trail  trail
	op, np connector.Pointer
}

// top is the frame being compared, or nil.
func (c *comparer) top() *frame {
	if len(c.frames) == 0 {
		return nil
	}
	return c.frames[len(c.frames)-1]
}

// enter starts comparing a pair beneath the top frame: a pair compared
// before is linked (and its changes reach the current operation), a new one
// is pushed.
func (c *comparer) enter(s schemaCtx, o, n *connector.Node, op, np *connector.Pointer) {
	o, op = c.old.ResolvePointer(o, op)
	n, np = c.new.ResolvePointer(n, np)
	if o == nil || n == nil {
		return
	}
	c.step(1)
	parent := c.top()
	key := memoKey{o, n, s.where, s.internal}
	if e, ok := c.pairs[key]; ok {
		switch {
		case e.onStack: // a cycle back to a pair on the stack
			parent.e.low = min(parent.e.low, e.index)
			parent.e.kids = append(parent.e.kids, e)
		case e.reach != nil:
			c.touching = &frame{o: o, n: n, op: op, np: np}
			c.reachTouch(e.reach)
			c.touching = nil
			if parent != nil {
				parent.e.kids = append(parent.e.kids, e)
			}
		}
		return
	}
	if c.identical(o, n) {
		c.pairs[key] = identicalPair
		return
	}
	e := &pairEntry{index: c.nextIndex, low: c.nextIndex, onStack: true}
	c.nextIndex++
	c.pairs[key] = e
	c.tarjan = append(c.tarjan, e)
	c.frames = append(c.frames, &frame{e: e, s: s, o: o, n: n, op: op, np: np})
}

// advance takes the top frame one step: its keywords, then one property at
// a time, then items and additionalProperties, each entering a pair beneath.
func (c *comparer) advance(f *frame) {
	switch f.phase {
	case phaseKeywords:
		f.phase = phaseProperties
		if !c.keywords(f.s, f.o, f.n, f.op, f.np) {
			f.phase = phaseDone // a different type makes the nested differences noise
			return
		}
		f.props = c.startProperties(f.s, f.o, f.n, f.op, f.np)
	case phaseProperties:
		if f.props != nil && c.nextProperty(f.s, f.props) {
			return
		}
		if f.props != nil {
			c.addedProperties(f.s, f.props)
			f.props = nil
		}
		f.phase = phaseItems
	case phaseItems:
		f.phase = phaseAdditional
		if oi, ni := get(f.o, "items"), get(f.n, "items"); oi != nil && ni != nil {
			c.enter(f.s.child("items", "items", false), oi, ni, f.op.Add("/items"), f.np.Add("/items"))
		}
	case phaseAdditional:
		f.phase = phaseDone
		// The guide leaves additionalProperties of requests unjudged: what a
		// flow sends there is free-form. Outputs under it can still be
		// referenced.
		if oa, na := get(f.o, "additionalProperties"), get(f.n, "additionalProperties"); f.s.where.Output() &&
			oa != nil && na != nil && oa.Kind() == connector.Object && na.Kind() == connector.Object {
			c.enter(f.s.child("additionalProperties", "additionalProperties", false), oa, na,
				f.op.Add("/additionalProperties"), f.np.Add("/additionalProperties"))
		}
	case phaseDone:
		c.leave(f)
	}
}

// leave pops a compared pair, completes its component when it is the root
// of one, and links it to the pair above.
func (c *comparer) leave(f *frame) {
	c.frames = c.frames[:len(c.frames)-1]
	e := f.e
	if e.low == e.index {
		c.complete(e)
	}
	if parent := c.top(); parent != nil {
		parent.e.low = min(parent.e.low, e.low)
		if e.onStack || e.reach != nil {
			parent.e.kids = append(parent.e.kids, e)
		}
	}
}

// complete pops the component rooted at e off Tarjan's stack and makes its
// reachNode. A node that would hold no change and lead to one node only is
// that node, so that a long chain reaching one change costs one visit.
func (c *comparer) complete(e *pairEntry) {
	i := len(c.tarjan) - 1
	for c.tarjan[i] != e {
		i--
	}
	members := c.tarjan[i:]
	c.tarjan = c.tarjan[:i]
	id := e.index + 1
	for _, m := range members {
		m.onStack, m.component = false, id
	}
	c.step(len(members))
	r := &reachNode{stamp: c.cur}
	for _, m := range members {
		r.changes = append(r.changes, m.own...)
		for _, k := range m.kids {
			if k.component != id && k.reach != nil && k.reach.mark != id {
				k.reach.mark = id
				r.next = append(r.next, k.reach)
			}
		}
		c.step(len(m.kids))
	}
	switch {
	case len(r.changes) == 0 && len(r.next) == 0:
		r = nil
	case len(r.changes) == 0 && len(r.next) == 1:
		r = r.next[0]
	}
	for _, m := range members {
		m.reach, m.own, m.kids = r, nil, nil
	}
}

// reachTouch adds the current operation to every change r reaches.
func (c *comparer) reachTouch(r *reachNode) {
	if r.stamp == c.cur {
		return
	}
	r.stamp = c.cur
	stack := append(c.touchStack[:0], r)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c.step(1 + len(x.changes) + len(x.next))
		for _, ch := range x.changes {
			c.touch(ch)
		}
		for _, nx := range x.next {
			if nx.stamp != c.cur {
				nx.stamp = c.cur
				stack = append(stack, nx)
			}
		}
	}
	c.touchStack = stack[:0]
}

// record emits a change found at the pair being compared, in context s.
// The walk gives a change's Subject and ValuePath relative to s's paths
// ("" or "/name"): they are prefixed only when the change is new, as a
// path is as long as the walk is deep and the same change may be found at
// every level of a chain 40,000 links long. The pointers are made whole,
// and counted: a change found again still cost them.
func (c *comparer) record(s schemaCtx, ch *Change) {
	ch.Where = s.where
	c.step((len(pointerOf(ch.Old)) + len(pointerOf(ch.New))) / 64)
	ch = c.emitNew(ch, func(ch *Change) {
		rel := ch.Subject
		ch.Subject = s.label() + rel
		ch.ValuePath = s.vp() + ch.ValuePath
		ch.Field = strings.TrimPrefix(s.field()+rel, "/")
	})
	if f := c.top(); f != nil {
		f.e.own = append(f.e.own, ch)
	}
}

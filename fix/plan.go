package fix

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// Options tune a plan.
type Options struct {
	// Hide is the x-ms-visibility given to operations kept for existing
	// users (restored ones and old revisions): "internal" (the default, as
	// Microsoft's versioning examples do) or "advanced" (which Microsoft's
	// validator does not report as hiding an operation).
	Hide string
	// Certification says that findings are judged as Microsoft's validator
	// judges them: a default does not make a required input safe.
	Certification bool
	// VersionPath is a path prefix, such as "/v2", under which the backend
	// serves the new shape of an operation; when set, an operation whose
	// change needs versioning but whose route did not change keeps its old
	// shape on its route and gets its new shape at VersionPath + path.
	// Only the publisher knows whether the backend serves it, so it is
	// never assumed.
	VersionPath string
}

func (o Options) hide() string {
	if o.Hide == "" {
		return "internal"
	}
	return o.Hide
}

// State is what a sequence of rounds remembers: the definitions copied, the
// operations renamed or moved, and the findings already given a remedy.
type State struct {
	copies map[string]string // pointer in the old document -> pointer of its copy
	// Renames maps each operationId the plans changed, as the new document
	// has it, to the id it has now.
	Renames map[string]string
	// Moves maps each operation the plans moved to another path (by its id
	// in the new document) to that path.
	Moves map[string]string
	// Params maps each body parameter the plans renamed, as "operationId
	// name" of the new document, to its name now.
	Params map[string]string
	// tried maps each finding given a remedy (by itemKey) to what was done.
	tried map[string]string
	// j records the writes to the maps while a planner uses the state, so
	// that its snapshots can undo them (a snapshot per finding, each copying
	// every map, made planning quadratic in the findings).
	j *journal
}

// NewState returns the state of a first round.
func NewState() *State {
	return &State{copies: map[string]string{}, Renames: map[string]string{}, Moves: map[string]string{}, Params: map[string]string{},
		tried: map[string]string{}}
}

func (s *State) clone() *State {
	return &State{copies: maps.Clone(s.copies), Renames: maps.Clone(s.Renames), Moves: maps.Clone(s.Moves), Params: maps.Clone(s.Params),
		tried: maps.Clone(s.tried)}
}

// rename records that the operation now called from is called to.
func (s *State) rename(from, to string) {
	for k, v := range s.Renames {
		if v == from {
			s.j.set(s.Renames, k, to)
			return
		}
	}
	s.j.set(s.Renames, from, to)
}

// renameParam records that body parameter from of operation id (as the new
// document calls it) is called to now.
func (s *State) renameParam(id, from, to string) {
	for k, v := range s.Params {
		if v == from && strings.HasPrefix(k, id+" ") {
			s.j.set(s.Params, k, to)
			return
		}
	}
	s.j.set(s.Params, id+" "+from, to)
}

// Key identifies a finding across rounds: its rule and where it is in the
// old document, which every round compares against (its value path, for an
// addition). A change that stays where it was keeps its key however many of
// its operations an edit takes out of its reach.
func Key(f breaking.Finding) string {
	if f.Old != nil {
		return f.Rule + "\x00" + f.Old.Pointer
	}
	return f.Rule + "\x00\x00" + f.ValuePath
}

// ID tells apart findings that share a key (one old schema compared with
// two new ones, or reached as a response and as a webhook payload):
// Round.Declined is keyed by it.
func ID(f breaking.Finding) string { return itemKey(f) }

func itemKey(f breaking.Finding) string {
	k := Key(f) + "\x00" + f.ValuePath
	if f.New != nil {
		k += "\x00" + f.New.Pointer
	}
	return k
}

// Remedy is the repair of one or more findings.
type Remedy struct {
	// Keys are the findings it repairs (see Key).
	Keys []string
	// Action says what it does, in a line.
	Action string
	// Notes say what the publisher should still check.
	Notes []string
	// Ops are its edits of the current document.
	Ops []Op
}

// Round is the plan of one round: remedies, and the findings declined with
// the reason.
type Round struct {
	Remedies []*Remedy
	// Declined maps the findings no remedy was planned for (by ID) to why.
	Declined map[string]string
	// State is the state after the round, to pass to the next one once its
	// operations are applied.
	State *State
	// shared are operations several remedies need (copied definitions, a
	// path item several restored operations go to).
	shared []Op
}

// Ops returns the round's operations in order, and for each the index of
// the remedy it belongs to (-1 for operations several remedies share).
func (r *Round) Ops() ([]Op, []int) {
	var ops []Op
	var owners []int
	for i, rm := range r.Remedies {
		for _, op := range rm.Ops {
			ops = append(ops, op)
			owners = append(owners, i)
		}
	}
	for _, op := range r.shared {
		ops = append(ops, op)
		owners = append(owners, -1)
	}
	return ops, owners
}

// item is one finding being planned.
type item struct {
	f    breaking.Finding
	key  string // Key
	id   string // itemKey
	ch   *diff.Change
	ops  []string // the operations it reaches, by old id
	out  outcome
	done bool
	rm   *Remedy // the remedy it is part of
}

// outcome is what an in-place plan decided.
type outcome struct {
	ops     []Op
	action  string
	notes   []string
	version string // the change needs versioning, because...
	decline string // no remedy, because...
	restore string // the remedy is to restore this old operation as it was
}

func declined(format string, args ...any) outcome {
	return outcome{decline: fmt.Sprintf(format, args...)}
}
func versioned(why string) outcome { return outcome{version: why} }

type planner struct {
	old, cur *doc
	opts     Options
	st       *State
	sep      string // the connector's versioned-id separator: "V" or "_V"

	same     map[string]int8 // sameRef memo: 1 same, -1 different, 2 being compared
	sections map[string][][2]string
	secOrder []string
	items    map[string]*newItem // path items created, by path
	itemOrd  []string
	arrays   map[string][]string // elements appended to arrays the current document lacks, by pointer of the array
	arrOrder []string
	objects  map[string][][2]string // members of objects the current document lacks, by pointer of the object
	objOrder []string
	added    map[string]string // pointer -> value of members added this round
	dynRefs  []dynRef
	dynDone  bool
	// retargets maps the operationIds the round changes to their new names,
	// for the lookups that call them; replaced lists the operations whose
	// text the round replaces (a moved operation's old place).
	retargets map[string]string
	replaced  []string
	routes    map[string]string // "method normalized-path" -> operationId in the current document
	// j records the writes to added, retargets and the state's maps, for
	// snapshots to undo.
	j *journal
}

type newItem struct {
	head    [][2]string // what the operations share: parameters, x-ms-notification-content
	members [][2]string
}

// itemShared are the members of a path item that its operations share.
var itemShared = []string{"parameters", "x-ms-notification-content"}

// heads returns the texts of the shared members of a path item of d.
func heads(d *doc, item *connector.Node) [][2]string {
	var out [][2]string
	for _, k := range itemShared {
		if v := member(item, k); v != nil {
			out = append(out, [2]string{k, d.text(v)})
		}
	}
	return out
}

type dynRef struct {
	ptr, value string
}

// Plan plans one round: a remedy for each breaking finding of the
// comparison of old with cur that has one, and the reason for each that has
// none. Findings whose keys are in defer are left to a later round (their
// edits overlapped others'). old and cur must be JSON.
func Plan(old, cur *connector.Document, findings []breaking.Finding, opts Options, st *State, deferred map[string]bool) (*Round, error) {
	for _, d := range []*connector.Document{old, cur} {
		if d.Format != "json" {
			return nil, fmt.Errorf("fix edits JSON definitions; %s is %s", d.Name, strings.ToUpper(d.Format))
		}
	}
	pl := &planner{old: newDoc(old), cur: newDoc(cur), opts: opts, st: st.clone(), same: map[string]int8{},
		sections: map[string][][2]string{}, items: map[string]*newItem{}, arrays: map[string][]string{},
		objects: map[string][][2]string{}, added: map[string]string{}, retargets: map[string]string{}, j: &journal{}}
	pl.st.j = pl.j
	pl.sep = pl.convention()
	round := &Round{Declined: map[string]string{}}
	var items []*item
	seen := map[string]bool{}
	for _, f := range findings {
		id := itemKey(f)
		if seen[id] {
			continue
		}
		seen[id] = true
		it := &item{f: f, key: Key(f), id: id, ch: f.Change, ops: f.Operations}
		if len(it.ops) == 0 && f.Operation != "" {
			it.ops = []string{f.Operation}
		}
		items = append(items, it)
	}
	decline := func(it *item, reason string) {
		it.done = true
		round.Declined[it.id] = reason
	}
	assign := func(it *item, rm *Remedy) {
		it.done, it.rm = true, rm
		if !slices.Contains(rm.Keys, it.key) {
			rm.Keys = append(rm.Keys, it.key)
		}
	}

	// 1. What each finding needs.
	restoreOps := map[string]bool{} // old id -> deprecate and hide
	var restoreOrder []string
	restoreItems := map[string][]*item{}
	wantVersion := map[string][]*item{}
	var idItems, inPlaceItems []*item
	for _, it := range items {
		if deferred[it.key] {
			decline(it, "deferred: its edit overlapped another in the same round")
			continue
		}
		if what, ok := pl.st.tried[it.id]; ok {
			decline(it, "still reported after: "+what)
			continue
		}
		kind := remedyKind(it.f)
		if !kind.Mechanical() {
			decline(it, "no mechanical remedy: "+it.f.Remediation)
			continue
		}
		switch kind {
		case breaking.RemedyRestoreOperation:
			x := pl.old.op(it.f.Operation)
			if x == nil {
				decline(it, "the old operation is not found")
				continue
			}
			if _, ok := restoreOps[x.ID]; !ok {
				restoreOrder = append(restoreOrder, x.ID)
			}
			restoreOps[x.ID] = true
			restoreItems[x.ID] = append(restoreItems[x.ID], it)
		case breaking.RemedyRestoreOperationID:
			idItems = append(idItems, it)
		case breaking.RemedyVersionOperation:
			wantVersion[it.f.Operation] = append(wantVersion[it.f.Operation], it)
		default:
			plan, ok := planInPlace[kind]
			if !ok {
				decline(it, "no mechanical remedy: "+it.f.Remediation)
				continue
			}
			snap := pl.save()
			it.out = plan(pl, it)
			pl.load(snap)
			switch {
			case it.out.restore != "":
				if _, ok := restoreOps[it.out.restore]; !ok {
					restoreOrder = append(restoreOrder, it.out.restore)
					restoreOps[it.out.restore] = false
				}
				restoreItems[it.out.restore] = append(restoreItems[it.out.restore], it)
			case it.out.version != "":
				for _, id := range it.ops {
					wantVersion[id] = append(wantVersion[id], it)
				}
			case it.out.decline != "":
				decline(it, it.out.decline)
			default:
				inPlaceItems = append(inPlaceItems, it)
			}
		}
	}

	// 2. Operations to version: each that some finding wanting it can be
	// wholly covered by (every operation it reaches can be versioned). The
	// names of the new revisions and the operationIds restored are known
	// before any text is written, so that every moved text and every lookup
	// calls the operations by the names they have after the round.
	modes, why := map[string]string{}, map[string]string{}
	for id := range wantVersion {
		modes[id], why[id] = pl.versionMode(id)
	}
	blockedBy := func(it *item) string {
		for _, other := range it.ops {
			if modes[other] == "" {
				return other
			}
		}
		return ""
	}
	for _, it := range idItems {
		if it.ch != nil && pl.cur.op(it.ch.After) != nil && pl.cur.op(it.ch.Before) == nil {
			pl.j.set(pl.retargets, it.ch.After, it.ch.Before)
		}
	}
	versionedOps := map[string]bool{}
	var versions []*Remedy
	for attempt := 0; ; attempt++ {
		chosen := map[string]bool{}
		for _, x := range pl.old.ops {
			for _, it := range wantVersion[x.ID] {
				if !it.done && blockedBy(it) == "" {
					chosen[x.ID] = true
				}
			}
		}
		names := map[string]string{}
		for _, x := range pl.old.ops {
			if chosen[x.ID] {
				_, _, _, names[x.ID] = pl.family(x, names)
			}
		}
		snap := pl.save()
		for from, to := range names {
			pl.j.set(pl.retargets, from, to)
		}
		versions, versionedOps = nil, map[string]bool{}
		failed := false
		for _, x := range pl.old.ops {
			if !chosen[x.ID] {
				continue
			}
			rm, reason := pl.version(x, pl.cur.op(x.ID), modes[x.ID], names)
			if reason != "" {
				modes[x.ID], why[x.ID] = "", reason
				failed = true
				break
			}
			versionedOps[x.ID] = true
			versions = append(versions, rm)
		}
		if !failed {
			break
		}
		pl.load(snap) // plan the versions again without the one that failed
	}
	for _, x := range pl.old.ops {
		for _, it := range wantVersion[x.ID] {
			if it.done {
				continue
			}
			blocked := blockedBy(it)
			if blocked == "" {
				continue
			}
			reason := why[blocked]
			if len(it.ops) > 1 {
				reason = fmt.Sprintf("it reaches %s too, which cannot be versioned: %s", blocked, reason)
			}
			if it.out.version != "" {
				reason = it.out.version + "; " + reason
			}
			decline(it, reason)
		}
	}
	round.Remedies = append(round.Remedies, versions...)

	// 3. Remedies, in a fixed order: versions and restorations by old
	// document order, then operationIds, then in-place edits.
	// Attach each finding to the remedy of its first versioned operation.
	remedyOf := map[string]*Remedy{}
	for _, rm := range round.Remedies {
		remedyOf[rm.Keys[0]] = rm
	}
	for _, x := range pl.old.ops {
		for _, it := range wantVersion[x.ID] {
			if it.done || !allIn(it.ops, versionedOps) {
				continue
			}
			rm := remedyOf[versionKey(it.ops[0])]
			if rm == nil {
				rm = remedyOf[versionKey(x.ID)]
			}
			assign(it, rm)
		}
	}
	for _, it := range inPlaceItems {
		if !it.done && allIn(it.ops, versionedOps) {
			assign(it, remedyOf[versionKey(it.ops[0])]) // the old revision restored covers it
		}
	}
	for _, rm := range round.Remedies {
		rm.Keys = rm.Keys[1:] // drop the operation's own marker
	}
	idRestored := map[string]*Remedy{}
	for _, it := range idItems {
		snap := pl.save()
		rm, reason := pl.restoreID(it)
		if reason != "" {
			pl.load(snap)
			decline(it, reason)
			continue
		}
		rm.Keys = nil
		assign(it, rm)
		idRestored[it.ch.Before] = rm
		round.Remedies = append(round.Remedies, rm)
	}
	for _, id := range restoreOrder {
		x := pl.old.op(id)
		its := restoreItems[id]
		if rm := idRestored[id]; rm != nil { // a lookup whose operation gets its id back
			for _, it := range its {
				assign(it, rm)
			}
			continue
		}
		snap := pl.save()
		rm, reason := pl.restoreOperation(x, restoreOps[id])
		if reason != "" {
			pl.load(snap)
			for _, it := range its {
				decline(it, reason)
			}
			continue
		}
		for _, it := range its {
			assign(it, rm)
		}
		round.Remedies = append(round.Remedies, rm)
	}
	for _, it := range inPlaceItems {
		if it.done {
			continue
		}
		snap := pl.save()
		out := planInPlace[remedyKind(it.f)](pl, it)
		if out.decline != "" || out.version != "" || out.restore != "" || len(out.ops) == 0 && out.action == "" {
			pl.load(snap)
			reason := out.decline
			if reason == "" {
				reason = "no edit could be planned"
			}
			decline(it, reason)
			continue
		}
		rm := &Remedy{Action: out.action, Notes: out.notes, Ops: out.ops}
		assign(it, rm)
		round.Remedies = append(round.Remedies, rm)
	}
	round.shared = pl.flush()
	for _, it := range items {
		if it.rm != nil {
			pl.st.tried[it.id] = it.rm.Action
		}
	}
	pl.st.j = nil // the journal ends with the planner
	round.State = pl.st
	return round, nil
}

func allIn(ids []string, set map[string]bool) bool {
	for _, id := range ids {
		if !set[id] {
			return false
		}
	}
	return len(ids) > 0
}

// versionKey marks a version remedy by its operation until findings are
// attached.
func versionKey(id string) string { return "\x00version\x00" + id }

// flush returns the operations several remedies share: copied
// definitions, new path items, arrays created.
func (pl *planner) flush() []Op {
	var ops []Op
	for _, sec := range pl.secOrder {
		members := pl.sections[sec]
		if len(members) == 0 {
			continue
		}
		if c := pl.cur.at("/" + escape(sec)); c != nil && c.Kind() == connector.Object {
			for _, m := range members {
				ops = append(ops, Op{Op: "add", Path: ptr("/"+escape(sec), m[0]), Value: m[1]})
			}
			continue
		}
		ops = append(ops, Op{Op: "add", Path: "/" + escape(sec), Value: obj(members...)})
	}
	for _, p := range pl.itemOrd {
		it := pl.items[p]
		members := append(append([][2]string(nil), it.head...), it.members...)
		ops = append(ops, Op{Op: "add", Path: ptr("/paths", p), Value: obj(members...)})
	}
	for _, p := range pl.arrOrder {
		ops = append(ops, Op{Op: "add", Path: p, Value: arr(pl.arrays[p]...)})
	}
	for _, p := range pl.objOrder {
		ops = append(ops, Op{Op: "add", Path: p, Value: obj(pl.objects[p]...)})
	}
	return append(ops, pl.retarget("")...)
}

// ------------------------------------------------------------ helpers for plans

// curOp returns the current operation a finding's first operation is
// compared with.
func (pl *planner) curOp(it *item) *connector.Operation {
	if len(it.ops) == 0 {
		return nil
	}
	return pl.cur.op(it.ops[0])
}

// addMember plans adding key to the current object at p, once per round.
func (pl *planner) addMember(p, key, val string) (Op, bool) {
	k := ptr(p, key)
	if prev, ok := pl.added[k]; ok {
		return Op{}, prev == val
	}
	pl.j.set(pl.added, k, val)
	return Op{Op: "add", Path: k, Value: val}, true
}

// appendTo plans appending val to the array at key of the current object at
// p, creating the array when there is none.
func (pl *planner) appendTo(p, key, val string) []Op {
	ap := ptr(p, key)
	if a := pl.cur.at(ap); a != nil && a.Kind() == connector.Array {
		return []Op{{Op: "add", Path: ap + "/-", Value: val}}
	}
	if _, ok := pl.arrays[ap]; !ok {
		pl.arrOrder = append(pl.arrOrder, ap)
	}
	pl.arrays[ap] = append(pl.arrays[ap], val)
	return nil
}

// addTo plans adding key to the object at member name of the current object
// at p, creating that object when there is none.
func (pl *planner) addTo(p, name, key, val string) ([]Op, bool) {
	op := ptr(p, name)
	if o := pl.cur.at(op); o != nil && o.Kind() == connector.Object {
		if member(o, key) != nil {
			return nil, false
		}
		add, ok := pl.addMember(op, key, val)
		if !ok {
			return nil, false
		}
		if add.Op == "" {
			return nil, true
		}
		return []Op{add}, true
	}
	if _, ok := pl.objects[op]; !ok {
		pl.objOrder = append(pl.objOrder, op)
	}
	for _, m := range pl.objects[op] {
		if m[0] == key {
			return nil, m[1] == val
		}
	}
	pl.objects[op] = append(pl.objects[op], [2]string{key, val})
	return nil, true
}

// set plans replacing the value at p of the current document, once per
// round.
func (pl *planner) set(p, val string) (Op, bool) {
	if prev, ok := pl.added[p]; ok {
		return Op{}, prev == val
	}
	pl.j.set(pl.added, p, val)
	return Op{Op: "add", Path: p, Value: val}, true
}

// labelName splits a parameter label, "name (in)".
func labelName(label string) (name, in string) {
	i := strings.LastIndex(label, " (")
	if i < 0 || !strings.HasSuffix(label, ")") {
		return label, ""
	}
	return label[:i], label[i+2 : len(label)-1]
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

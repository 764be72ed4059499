package fix

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
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
		r, ok := remedies[it.f.Rule]
		if !ok || r.how == human || r.how == notBreaking {
			decline(it, "no mechanical remedy: "+it.f.Remediation)
			continue
		}
		switch r.how {
		case restoreOperation:
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
		case restoreID:
			idItems = append(idItems, it)
		case versionOperation:
			wantVersion[it.f.Operation] = append(wantVersion[it.f.Operation], it)
		case inPlace:
			snap := pl.save()
			it.out = r.plan(pl, it)
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
		out := remedies[it.f.Rule].plan(pl, it)
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

// ---------------------------------------------------------------- copying

// transplant returns the text of the old document's node at p, with extra
// (operations on the old document inside p) applied and every local $ref in
// it pointing at an equal node of the current document, copying the old
// definition where the current one differs or is missing.
func (pl *planner) transplant(p string, extra []Op) (string, error) {
	n := pl.old.at(p)
	if n == nil {
		return "", fmt.Errorf("the old definition has nothing at %s", p)
	}
	ops := append([]Op(nil), extra...)
	var err error
	walk(n, p, func(m *connector.Node, mp string) bool {
		if err != nil {
			return false
		}
		r := m.Get("$ref")
		if r == nil || r.Kind() != connector.String {
			return true
		}
		var to string
		to, err = pl.mapRef(r.Value())
		if err == nil && to != r.Value() {
			ops = append(ops, Op{Op: "replace", Path: ptr(mp, "$ref"), Value: quote(to)})
		}
		return true
	})
	if err != nil {
		return "", err
	}
	text, err := pl.old.textWith(p, ops)
	return dedupe(text), err
}

// walk calls fn for every object under n (n included) with its pointer, in
// document order; fn returns false to skip an object's children.
func walk(n *connector.Node, p string, fn func(*connector.Node, string) bool) {
	switch n.Kind() {
	case connector.Object:
		if !fn(n, p) {
			return
		}
		for i := 0; i < n.Len(); i++ {
			k, v := n.Member(i)
			walk(v, ptr(p, k.Value()), fn)
		}
	case connector.Array:
		for i := 0; i < n.Len(); i++ {
			walk(n.Elem(i), p+"/"+strconv.Itoa(i), fn)
		}
	}
}

// pointerOf is the JSON pointer of a path of keys from the root.
func pointerOf(keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteByte('/')
		b.WriteString(escape(k))
	}
	return b.String()
}

// sections are the parts of a definition that references point into and
// fix copies from.
var sections = map[string]bool{"definitions": true, "parameters": true, "responses": true}

// mapRef returns the reference that names, in the current document, what
// ref names in the old one.
func (pl *planner) mapRef(ref string) (string, error) {
	if !strings.HasPrefix(ref, "#/") {
		return ref, nil // not followed by the comparison either
	}
	p := ref[1:]
	if c, ok := pl.st.copies[p]; ok {
		return "#" + c, nil
	}
	if pl.sameRef(p) {
		return ref, nil
	}
	toks := tokens(p)
	if len(toks) != 2 || !sections[toks[0]] {
		return "", fmt.Errorf("it refers to %s, which changed and is not a definition fix can copy", ref)
	}
	if pl.old.at(p) == nil {
		return ref, nil // unresolved in the old document: compared as absent on both sides
	}
	name := pl.freeName(toks[0], toks[1])
	to := "/" + escape(toks[0]) + "/" + escape(name)
	pl.j.set(pl.st.copies, p, to)
	text, err := pl.transplant(p, nil)
	if err != nil {
		pl.j.del(pl.st.copies, p)
		return "", err
	}
	if _, ok := pl.sections[toks[0]]; !ok {
		pl.secOrder = append(pl.secOrder, toks[0])
	}
	pl.sections[toks[0]] = append(pl.sections[toks[0]], [2]string{name, text})
	return "#" + to, nil
}

// freeName returns a name for a copy of an old definition: its own when the
// current document has none by that name, else the name with the old
// revision's suffix (Task -> TaskV1), made unique.
func (pl *planner) freeName(section, name string) string {
	free := func(n string) bool {
		if pl.cur.at("/"+escape(section)+"/"+escape(n)) != nil {
			return false
		}
		for _, m := range pl.sections[section] {
			if m[0] == n {
				return false
			}
		}
		return true
	}
	if free(name) {
		return name
	}
	base := name + pl.sep + "1"
	for i := 1; ; i++ {
		n := base
		if i > 1 {
			n = fmt.Sprintf("%s_%d", base, i)
		}
		if free(n) {
			return n
		}
	}
}

// sameRef reports whether the node at pointer p is the same in the old and
// the current document, references included.
func (pl *planner) sameRef(p string) bool {
	switch pl.same[p] {
	case 1, 2:
		return true // being compared: a cycle is the same unless something else differs
	case -1:
		return false
	}
	pl.same[p] = 2
	ok := pl.sameNode(pl.old.at(p), pl.cur.at(p))
	if ok {
		pl.same[p] = 1
	} else {
		pl.same[p] = -1
	}
	return ok
}

// sameNode compares a node of the old document with one of the current
// document by value, following the local references in both.
func (pl *planner) sameNode(a, b *connector.Node) bool {
	return connector.EqualAcross(a, b, func(ref string) bool {
		return !strings.HasPrefix(ref, "#/") || pl.sameRef(ref[1:])
	})
}

// ------------------------------------------------------------- operations

var versionSuffix = regexp.MustCompile(`^(.+?)(_?[Vv])(\d+)$`)

// convention returns the separator the connector puts before a version
// number in operationIds: "_V" when most of its versioned ids use it (as
// GetWorkspaces_V2), else "V" (GetItemsV2).
func (pl *planner) convention() string {
	under, plain := 0, 0
	for _, d := range []*doc{pl.old, pl.cur} {
		for _, o := range d.ops {
			m := versionSuffix.FindStringSubmatch(o.ID)
			if m == nil {
				continue
			}
			if n, _ := strconv.Atoi(m[3]); n < 2 {
				continue
			}
			if strings.HasPrefix(m[2], "_") {
				under++
			} else {
				plain++
			}
		}
	}
	if under > plain {
		return "_V"
	}
	return "V"
}

func (pl *planner) taken(id string) bool {
	if pl.old.op(id) != nil || pl.cur.op(id) != nil {
		return true
	}
	for _, v := range pl.st.Renames {
		if v == id {
			return true
		}
	}
	return false
}

// family returns the x-ms-api-annotation family of old operation x, its
// revision, and the revision and id of the next version, which none of the
// names given to other operations in the round (names) takes.
func (pl *planner) family(x *connector.Operation, names map[string]string) (fam string, oldRev, newRev int, newID string) {
	ann := member(x.Node, "x-ms-api-annotation")
	fam = str(ann, "family")
	oldRev, _ = strconv.Atoi(str(ann, "revision"))
	base, sep, n := x.ID, pl.sep, 1
	if m := versionSuffix.FindStringSubmatch(x.ID); m != nil {
		if v, _ := strconv.Atoi(m[3]); v >= 2 {
			base, sep, n = m[1], m[2], v
		}
	}
	if fam == "" {
		fam = base
	}
	if oldRev < 1 {
		oldRev = n
	}
	top := oldRev
	for _, d := range []*doc{pl.old, pl.cur} {
		for _, o := range d.ops {
			a := member(o.Node, "x-ms-api-annotation")
			if str(a, "family") == fam {
				r, _ := strconv.Atoi(str(a, "revision"))
				top = max(top, r)
			}
		}
	}
	for newRev = top + 1; ; newRev++ {
		newID = base + sep + strconv.Itoa(newRev)
		clash := false
		for id, n := range names {
			clash = clash || n == newID && id != x.ID
		}
		if !pl.taken(newID) && !clash {
			return
		}
	}
}

// versionMode says how operation id can be versioned: "route" when the
// current operation has a route of its own and the old route is free,
// "prefix" when --version-path gives the new shape one; "" and why not.
func (pl *planner) versionMode(id string) (string, string) {
	x, y := pl.old.op(id), pl.cur.op(id)
	switch {
	case x == nil || y == nil:
		return "", "the operation is not found on both sides"
	case !x.HasID || !y.HasID:
		return "", "the operation has no operationId of its own to version"
	}
	if y.Method != x.Method || normalizePath(y.Path) != normalizePath(x.Path) {
		if other := pl.routeHolder(x.Method, x.Path); other != "" && other != y.ID {
			return "", fmt.Sprintf("its old route %s %s now belongs to %s", strings.ToUpper(x.Method), x.Path, other)
		}
		return "route", ""
	}
	if pl.opts.VersionPath == "" {
		return "", "its new shape needs an operation of its own, and its route holds one operation: version it under a path the " +
			"backend serves (connectordiff fix --version-path /v2 when it serves the new shape at /v2/...), or keep the old shape"
	}
	np := versionedPath(pl.opts.VersionPath, y.Path)
	if other := pl.routeHolder(y.Method, np); other != "" {
		return "", fmt.Sprintf("%s %s already belongs to %s", strings.ToUpper(y.Method), np, other)
	}
	return "prefix", ""
}

func versionedPath(prefix, path string) string {
	prefix = "/" + strings.Trim(prefix, "/")
	return prefix + path
}

var templateName = regexp.MustCompile(`\{[^}]*\}`)

// normalizePath makes paths comparable the way the gateway routes them.
func normalizePath(p string) string {
	return strings.ToLower(templateName.ReplaceAllString(p, "{}"))
}

// routeHolder returns the id of the current operation on method and path
// (compared as the gateway routes them), or "".
func (pl *planner) routeHolder(method, path string) string {
	if pl.routes == nil {
		pl.routes = map[string]string{}
		for _, o := range pl.cur.ops {
			k := o.Method + " " + normalizePath(o.Path)
			if _, ok := pl.routes[k]; !ok {
				pl.routes[k] = o.ID
			}
		}
	}
	return pl.routes[method+" "+normalizePath(path)]
}

// routeClash returns a current path key that routes like path without
// being it, or "".
func (pl *planner) routeClash(path string) string {
	paths := pl.cur.at("/paths")
	np := normalizePath(path)
	for i := 0; paths != nil && i < paths.Len(); i++ {
		k, _ := paths.Member(i)
		if k.Value() != path && normalizePath(k.Value()) == np {
			return k.Value()
		}
	}
	return ""
}

func route(o *connector.Operation) string { return strings.ToUpper(o.Method) + " " + o.Path }

// keepOps returns the operations (on the old document) that mark old
// operation x as kept for existing users: deprecated, hidden, and, for a
// version, annotated as revision rev of family fam.
func (pl *planner) keepOps(x *connector.Operation, deprecate bool, fam string, rev int) []Op {
	var ops []Op
	if deprecate {
		if !boolean(x.Node, "deprecated") {
			ops = append(ops, Op{Op: "add", Path: ptr(x.Pointer, "deprecated"), Value: "true"})
		}
		if v := str(x.Node, "x-ms-visibility"); v != "internal" && v != pl.opts.hide() {
			ops = append(ops, Op{Op: "add", Path: ptr(x.Pointer, "x-ms-visibility"), Value: quote(pl.opts.hide())})
		}
	}
	if fam != "" {
		ops = append(ops, annotate(x.Node, x.Pointer, fam, rev)...)
	}
	return ops
}

// annotate returns the operations that give operation n (at p) the
// x-ms-api-annotation family fam and revision rev, keeping the rest of an
// annotation it has.
func annotate(n *connector.Node, p, fam string, rev int) []Op {
	a := member(n, "x-ms-api-annotation")
	ap := ptr(p, "x-ms-api-annotation")
	if a == nil || a.Kind() != connector.Object {
		return []Op{{Op: "add", Path: ap, Value: obj([2]string{"family", quote(fam)}, [2]string{"revision", strconv.Itoa(rev)})}}
	}
	var ops []Op
	if str(a, "family") != fam {
		ops = append(ops, Op{Op: "add", Path: ptr(ap, "family"), Value: quote(fam)})
	}
	if r := member(a, "revision"); r == nil || r.Value() != strconv.Itoa(rev) {
		ops = append(ops, Op{Op: "add", Path: ptr(ap, "revision"), Value: strconv.Itoa(rev)})
	}
	return ops
}

// placeOld returns the operations that put old operation x, with extra
// (operations on the old document) applied, back on its old route of the
// current document. replace says the route holds the operation being moved
// away, whose place the old one takes.
func (pl *planner) placeOld(x *connector.Operation, extra []Op, replace bool) ([]Op, string) {
	itemPtr := ptr("/paths", x.Path)
	item := pl.cur.at(itemPtr)
	if item == nil {
		if clash := pl.routeClash(x.Path); clash != "" {
			return nil, fmt.Sprintf("its old path %s is now written %s", x.Path, clash)
		}
		text, err := pl.transplant(x.Pointer, extra)
		if err != nil {
			return nil, "the old operation cannot be copied: " + err.Error()
		}
		ni := pl.items[x.Path]
		if ni == nil {
			ni = &newItem{}
			for _, k := range itemShared {
				if member(x.PathItem, k) == nil {
					continue
				}
				text, err := pl.transplant(ptr(x.PathPointer, k), nil)
				if err != nil {
					return nil, "the old path item's " + k + " cannot be copied: " + err.Error()
				}
				ni.head = append(ni.head, [2]string{k, text})
			}
			pl.items[x.Path] = ni
			pl.itemOrd = append(pl.itemOrd, x.Path)
		}
		ni.members = append(ni.members, [2]string{x.Method, text})
		return nil, ""
	}
	if item.Get("$ref") != nil {
		return nil, "its old path item is a $ref in the new definition"
	}
	if member(item, x.Method) != nil && !replace {
		return nil, fmt.Sprintf("its old route %s now belongs to %s", route(x), pl.routeHolder(x.Method, x.Path))
	}
	more, reason := pl.reconcile(x, item, itemPtr)
	if reason != "" {
		return nil, reason
	}
	// A webhook payload the old path item gave the operation goes on the
	// operation itself, where it wins, when the current path item's differs.
	if oc := member(x.PathItem, "x-ms-notification-content"); oc != nil && member(x.Node, "x-ms-notification-content") == nil &&
		!pl.sameNode(oc, member(item, "x-ms-notification-content")) {
		text, err := pl.transplant(ptr(x.PathPointer, "x-ms-notification-content"), nil)
		if err != nil {
			return nil, "the old webhook content cannot be copied: " + err.Error()
		}
		more = append(more, Op{Op: "add", Path: ptr(x.Pointer, "x-ms-notification-content"), Value: text})
	}
	text, err := pl.transplant(x.Pointer, append(extra, more...))
	if err != nil {
		return nil, "the old operation cannot be copied: " + err.Error()
	}
	return []Op{{Op: "add", Path: ptr(itemPtr, x.Method), Value: text}}, ""
}

// reconcile returns the operations (on the old document) that keep old
// operation x's parameters when it goes into a current path item whose
// shared parameters differ from its old path item's: the old shared
// parameters become the operation's own.
func (pl *planner) reconcile(x *connector.Operation, item *connector.Node, itemPtr string) ([]Op, string) {
	curShared := pl.cur.d.PathParams(item, itemPtr)
	var texts []string
	for _, cs := range curShared {
		p := x.Param(cs.Name, cs.In)
		if p == nil {
			return nil, fmt.Sprintf("the path item's parameter %s (%s) would be added to it", cs.Name, cs.In)
		}
		if !p.Shared || pl.sameNode(p.Node, cs.Node) {
			continue
		}
		t, err := pl.transplant(p.SlotPointer, nil)
		if err != nil {
			return nil, "its parameters cannot be copied: " + err.Error()
		}
		texts = append(texts, t)
	}
	for _, p := range x.Params {
		if !p.Shared {
			continue
		}
		found := false
		for _, cs := range curShared {
			found = found || cs.Name == p.Name && cs.In == p.In
		}
		if found {
			continue
		}
		t, err := pl.transplant(p.SlotPointer, nil)
		if err != nil {
			return nil, "its parameters cannot be copied: " + err.Error()
		}
		texts = append(texts, t)
	}
	if len(texts) == 0 {
		return nil, ""
	}
	pp := ptr(x.Pointer, "parameters")
	if own := member(x.Node, "parameters"); own != nil && own.Kind() == connector.Array {
		var ops []Op
		for _, t := range texts {
			ops = append(ops, Op{Op: "add", Path: pp + "/-", Value: t})
		}
		return ops, ""
	}
	return []Op{{Op: "add", Path: pp, Value: arr(texts...)}}, ""
}

// restoreOperation puts back old operation x, deprecated and hidden when
// deprecate is set (as it was, for a lookup operation).
func (pl *planner) restoreOperation(x *connector.Operation, deprecate bool) (*Remedy, string) {
	ops, reason := pl.placeOld(x, pl.keepOps(x, deprecate, "", 0), false)
	if reason != "" {
		return nil, reason
	}
	action := fmt.Sprintf("restored operation %s (%s) from the old definition", x.ID, route(x))
	if deprecate {
		action += ", deprecated and x-ms-visibility: " + pl.opts.hide()
	} else {
		action += " for the lookups that call it"
	}
	return &Remedy{Action: action + pl.copiesNote(), Ops: ops}, ""
}

// copiesNote names the definitions copied so far in the round.
func (pl *planner) copiesNote() string {
	var names []string
	for _, sec := range pl.secOrder {
		for _, m := range pl.sections[sec] {
			names = append(names, m[0])
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "; old definitions kept as " + strings.Join(names, ", ")
}

// version keeps old operation x on its old route as the old revision of its
// family and makes current operation y its next revision.
func (pl *planner) version(x, y *connector.Operation, mode string, names map[string]string) (*Remedy, string) {
	fam, oldRev, newRev, newID := pl.family(x, names)
	keep := pl.keepOps(x, true, fam, oldRev)
	yops := []Op{{Op: "replace", Path: ptr(y.Pointer, "operationId"), Value: quote(newID)}}
	yops = append(yops, annotate(y.Node, y.Pointer, fam, newRev)...)
	var ops []Op
	where := route(y)
	switch mode {
	case "route":
		place, reason := pl.placeOld(x, keep, false)
		if reason != "" {
			return nil, reason
		}
		ops = append(append(ops, place...), yops...)
	case "prefix":
		np := versionedPath(pl.opts.VersionPath, y.Path)
		where = strings.ToUpper(y.Method) + " " + np
		inner := append(yops, pl.retarget(y.Pointer)...)
		text, err := pl.cur.textWith(y.Pointer, inner)
		if err != nil {
			return nil, "the new operation cannot be moved: " + err.Error()
		}
		if it := pl.cur.at(ptr("/paths", np)); it != nil {
			if !pl.sameShared(y.PathItem, it) {
				return nil, fmt.Sprintf("%s shares other parameters or webhook content than %s", np, y.Path)
			}
			ops = append(ops, Op{Op: "add", Path: ptr(ptr("/paths", np), y.Method), Value: text})
		} else {
			if clash := pl.routeClash(np); clash != "" {
				return nil, fmt.Sprintf("%s is already written %s", np, clash)
			}
			ni := pl.items[np]
			if ni == nil {
				ni = &newItem{head: heads(pl.cur, y.PathItem)}
				pl.items[np] = ni
				pl.itemOrd = append(pl.itemOrd, np)
			}
			ni.members = append(ni.members, [2]string{y.Method, text})
		}
		place, reason := pl.placeOld(x, keep, true)
		if reason != "" {
			return nil, reason
		}
		ops = append(ops, place...)
		pl.replaced = append(pl.replaced, y.Pointer)
		pl.j.set(pl.st.Moves, pl.newID(y.ID), np)
	}
	pl.st.rename(y.ID, newID)
	action := fmt.Sprintf("versioned %s: the old operation is back on %s as revision %d of family %s, deprecated and "+
		"x-ms-visibility: %s; the new shape is %s (revision %d) on %s", x.ID, route(x), oldRev, fam, pl.opts.hide(), newID, newRev, where)
	notes := []string{fmt.Sprintf("script.csx, scriptOperations and policy templates that name %s reach the old revision now; "+
		"name %s there too if it needs them", x.ID, newID)}
	return &Remedy{Keys: []string{versionKey(x.ID)}, Action: action + pl.copiesNote(), Notes: notes, Ops: ops}, ""
}

// newID returns the id the new document gave the operation now called id.
func (pl *planner) newID(id string) string {
	for k, v := range pl.st.Renames {
		if v == id {
			return k
		}
	}
	return id
}

// sameShared reports whether two current path items share the same
// parameters and webhook content.
func (pl *planner) sameShared(a, b *connector.Node) bool {
	for _, k := range itemShared {
		if !connector.Equal(member(a, k), member(b, k)) {
			return false
		}
	}
	return true
}

// restoreID puts the old operationId back on a renamed operation.
func (pl *planner) restoreID(it *item) (*Remedy, string) {
	if it.ch == nil {
		return nil, "the finding carries no change"
	}
	oldID, newID := it.ch.Before, it.ch.After
	y := pl.cur.op(newID)
	if y == nil || !y.HasID {
		return nil, "the renamed operation is not found"
	}
	if pl.cur.op(oldID) != nil {
		return nil, fmt.Sprintf("another operation is called %s now", oldID)
	}
	ops := []Op{{Op: "replace", Path: ptr(y.Pointer, "operationId"), Value: quote(oldID)}}
	pl.st.rename(newID, oldID)
	return &Remedy{Keys: []string{it.key}, Action: fmt.Sprintf("restored operationId %s (the update renamed it %s)", oldID, newID),
		Notes: []string{fmt.Sprintf("%s is gone again; to offer it under that name too, add it on a route of its own", newID)},
		Ops:   ops}, ""
}

// retarget returns the operations that make the x-ms-dynamic-* lookups of
// the current document call the operations the round renames
// (pl.retargets) by their new names: those inside the node at within when
// it is set, else those outside the nodes the round replaces.
func (pl *planner) retarget(within string) []Op {
	if !pl.dynDone {
		pl.dynDone = true
		// The pointer of each object is built only at an x-ms-dynamic-*
		// member, from the keys on the way down: building one for every
		// object of a large definition, each round, was most of a fix's
		// garbage.
		var keys []string
		var visit func(n *connector.Node)
		visit = func(n *connector.Node) {
			switch n.Kind() {
			case connector.Object:
				for i := 0; i < n.Len(); i++ {
					k, v := n.Member(i)
					if strings.HasPrefix(k.Value(), "x-ms-dynamic-") {
						walk(v, ptr(pointerOf(keys), k.Value()), func(m *connector.Node, mp string) bool {
							if id := m.Get("operationId"); id != nil && id.Kind() == connector.String {
								pl.dynRefs = append(pl.dynRefs, dynRef{ptr: ptr(mp, "operationId"), value: id.Value()})
							}
							return true
						})
					}
				}
				for i := 0; i < n.Len(); i++ {
					k, v := n.Member(i)
					keys = append(keys, k.Value())
					visit(v)
					keys = keys[:len(keys)-1]
				}
			case connector.Array:
				for i := 0; i < n.Len(); i++ {
					keys = append(keys, strconv.Itoa(i))
					visit(n.Elem(i))
					keys = keys[:len(keys)-1]
				}
			}
		}
		visit(pl.cur.d.Root)
	}
	var ops []Op
	for _, r := range pl.dynRefs {
		to, ok := pl.retargets[r.value]
		if !ok || to == r.value {
			continue
		}
		if within != "" && !strings.HasPrefix(r.ptr, within+"/") {
			continue
		}
		if within == "" && slices.ContainsFunc(pl.replaced, func(p string) bool { return strings.HasPrefix(r.ptr, p+"/") }) {
			continue
		}
		ops = append(ops, Op{Op: "replace", Path: r.ptr, Value: quote(to)})
	}
	return ops
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

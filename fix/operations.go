package fix

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Operations: an old operation restored on its route, or versioned beside
// the current one (x-ms-api-annotation families and revisions), and the
// references that must follow it.

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

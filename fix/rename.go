package fix

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Renamed returns the operations that apply to document d only the renames
// and moves a sequence of plans made (st.Renames, st.Moves and st.Params,
// keyed by d's operationIds): operationIds and the lookups that call them,
// paths, body parameter names. Comparing d so renamed with the fixed
// document shows what the fix did beyond renaming: it must remove nothing.
func Renamed(d *connector.Document, st *State) ([]Op, error) {
	renames, moves := maps.Clone(st.Renames), st.Moves
	if d.Format != "json" {
		return nil, fmt.Errorf("fix edits JSON definitions; %s is %s", d.Name, d.Format)
	}
	x := newDoc(d)
	pl := &planner{cur: x, retargets: map[string]string{}}
	for from, to := range renames {
		pl.retargets[from] = to
	}
	for id := range moves {
		if o := x.op(id); o != nil {
			pl.replaced = append(pl.replaced, o.Pointer)
		}
	}
	var ops []Op
	items := map[string]*newItem{}
	var order []string
	params := map[string][]Op{} // body parameter renames by operation
	movedOut := map[string][]*connector.Operation{}
	seen := map[string]bool{}
	for _, k := range sortedKeys(st.Params) {
		id, name, _ := strings.Cut(k, " ")
		o := x.op(id)
		if o == nil {
			continue
		}
		if p := o.Param(name, "body"); p != nil && !seen[p.Pointer] {
			seen[p.Pointer] = true
			params[id] = append(params[id], Op{Op: "replace", Path: ptr(p.Pointer, "name"), Value: quote(st.Params[k])})
		}
		if _, ok := renames[id]; !ok {
			renames[id] = id
		}
	}
	for _, id := range sortedKeys(renames) {
		to := renames[id]
		o := x.op(id)
		if o == nil || !o.HasID {
			continue
		}
		var mine []Op
		if to != id {
			mine = append(mine, Op{Op: "replace", Path: ptr(o.Pointer, "operationId"), Value: quote(to)})
		}
		mine = append(mine, params[id]...)
		np, moved := moves[id]
		if !moved {
			ops = append(ops, mine...)
			continue
		}
		mine = append(mine, pl.retarget(o.Pointer)...)
		text, err := x.textWith(o.Pointer, mine)
		if err != nil {
			return nil, err
		}
		ops = append(ops, Op{Op: "remove", Path: o.Pointer})
		movedOut[o.PathPointer] = append(movedOut[o.PathPointer], o)
		if x.at(ptr("/paths", np)) != nil {
			ops = append(ops, Op{Op: "add", Path: ptr(ptr("/paths", np), o.Method), Value: text})
			continue
		}
		ni := items[np]
		if ni == nil {
			ni = &newItem{head: heads(x, o.PathItem)}
			items[np] = ni
			order = append(order, np)
		}
		ni.members = append(ni.members, [2]string{o.Method, text})
	}
	ops = append(ops, pl.retarget("")...)
	// A path item's webhook content belongs to its trigger; when the only
	// trigger moved away, the operations left would take it for theirs.
	for _, itemPtr := range sortedKeys(movedOut) {
		gone := movedOut[itemPtr]
		item := x.at(itemPtr)
		if member(item, "x-ms-notification-content") == nil {
			continue
		}
		movedTrigger, left, leftTriggers := false, 0, 0
		for _, o := range gone {
			movedTrigger = movedTrigger || str(o.Node, "x-ms-trigger") != ""
		}
		for _, o := range x.ops {
			if o.PathPointer != itemPtr || slices.Contains(gone, o) {
				continue
			}
			left++
			if str(o.Node, "x-ms-trigger") != "" {
				leftTriggers++
			}
		}
		if movedTrigger && left > 0 && leftTriggers == 0 {
			ops = append(ops, Op{Op: "remove", Path: ptr(itemPtr, "x-ms-notification-content")})
		}
	}
	sort.Strings(order)
	for _, p := range order {
		it := items[p]
		members := append(append([][2]string(nil), it.head...), it.members...)
		ops = append(ops, Op{Op: "add", Path: ptr("/paths", p), Value: obj(members...)})
	}
	return ops, nil
}

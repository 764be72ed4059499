package fix

import (
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff/diff"
)

// Renamed returns the operations that apply to document d only the renames
// and moves a sequence of plans made (st.Renames, st.Moves and st.Params,
// keyed by d's operationIds): operationIds and the lookups that call them,
// paths, body parameter names. Comparing d so renamed with the fixed
// document shows what the fix did beyond renaming: it must remove nothing.
func Renamed(d *diff.Document, st *State) ([]Op, error) {
	renames, moves := maps.Clone(st.Renames), st.Moves
	if d.Format != "json" {
		return nil, fmt.Errorf("fix edits JSON definitions; %s is %s", d.Name, d.Format)
	}
	x := newDoc(d)
	pl := &planner{cur: x}
	var ops []Op
	items := map[string]*newItem{}
	var order []string
	params := map[string][]Op{} // body parameter renames by operation
	seen := map[string]bool{}
	for _, k := range sortedKeys(st.Params) {
		id, name, _ := strings.Cut(k, " ")
		o := x.byID[id]
		if o == nil {
			continue
		}
		if p := o.param(name, "body"); p != nil && !seen[p.ptr] {
			seen[p.ptr] = true
			params[id] = append(params[id], Op{Op: "replace", Path: ptr(p.ptr, "name"), Value: quote(st.Params[k])})
		}
		if _, ok := renames[id]; !ok {
			renames[id] = id
		}
	}
	for _, id := range sortedKeys(renames) {
		to := renames[id]
		o := x.byID[id]
		if o == nil || !o.hasID {
			continue
		}
		var mine []Op
		if to != id {
			mine = append(mine, Op{Op: "replace", Path: ptr(o.ptr, "operationId"), Value: quote(to)})
		}
		mine = append(mine, params[id]...)
		np, moved := moves[id]
		if to == id {
			to = "" // no lookup to retarget
		}
		if !moved {
			ops = append(ops, mine...)
			if to != "" {
				ops = append(ops, pl.retarget(id, to, "", "")...)
			}
			continue
		}
		mine = append(mine, pl.retarget(id, to, o.ptr, "")...)
		text, err := x.textWith(o.ptr, mine)
		if err != nil {
			return nil, err
		}
		ops = append(ops, Op{Op: "remove", Path: o.ptr})
		ops = append(ops, pl.retarget(id, to, "", o.ptr)...)
		if x.at(ptr("/paths", np)) != nil {
			ops = append(ops, Op{Op: "add", Path: ptr(ptr("/paths", np), o.method), Value: text})
			continue
		}
		ni := items[np]
		if ni == nil {
			ni = &newItem{head: heads(x, o.item)}
			items[np] = ni
			order = append(order, np)
		}
		ni.members = append(ni.members, [2]string{o.method, text})
	}
	sort.Strings(order)
	for _, p := range order {
		it := items[p]
		members := append(append([][2]string(nil), it.head...), it.members...)
		ops = append(ops, Op{Op: "add", Path: ptr("/paths", p), Value: obj(members...)})
	}
	return ops, nil
}

package fix

import (
	"fmt"
	"sort"

	"github.com/connectordiff/connectordiff/diff"
)

// Renamed returns the operations that apply to document d only the
// renames and moves a sequence of plans made (State.Renames and
// State.Moves, keyed by d's operationIds): operationIds, the lookups that
// call them, and paths. Comparing d so renamed with the fixed document shows
// what the fix did beyond renaming: it must remove nothing.
func Renamed(d *diff.Document, renames, moves map[string]string) ([]Op, error) {
	if d.Format != "json" {
		return nil, fmt.Errorf("fix edits JSON definitions; %s is %s", d.Name, d.Format)
	}
	x := newDoc(d)
	pl := &planner{cur: x}
	var ops []Op
	items := map[string]*newItem{}
	var order []string
	for _, id := range sortedKeys(renames) {
		to := renames[id]
		o := x.byID[id]
		if o == nil || !o.hasID {
			continue
		}
		mine := []Op{{Op: "replace", Path: ptr(o.ptr, "operationId"), Value: quote(to)}}
		np, moved := moves[id]
		if !moved {
			ops = append(append(ops, mine...), pl.retarget(id, to, "", "")...)
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
			ni = &newItem{}
			if sp := member(o.item, "parameters"); sp != nil {
				ni.params = x.text(sp)
			}
			items[np] = ni
			order = append(order, np)
		}
		ni.members = append(ni.members, [2]string{o.method, text})
	}
	sort.Strings(order)
	for _, p := range order {
		it := items[p]
		var members [][2]string
		if it.params != "" {
			members = append(members, [2]string{"parameters", it.params})
		}
		ops = append(ops, Op{Op: "add", Path: ptr("/paths", p), Value: obj(append(members, it.members...)...)})
	}
	return ops, nil
}

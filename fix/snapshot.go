package fix

// snapshot is what a remedy may change in the planner before it knows
// whether it succeeds.
type snapshot struct {
	writes   int // the journal's mark
	sections map[string][][2]string
	secOrder []string
	items    map[string]*newItem
	itemOrd  []string
	arrays   map[string][]string
	arrOrder []string
	objects  map[string][][2]string
	objOrder []string
	replaced []string
}

func (pl *planner) save() snapshot {
	items := map[string]*newItem{}
	for k, v := range pl.items {
		c := *v
		c.members = append([][2]string(nil), v.members...)
		items[k] = &c
	}
	arrays := map[string][]string{}
	for k, v := range pl.arrays {
		arrays[k] = append([]string(nil), v...)
	}
	sections := map[string][][2]string{}
	for k, v := range pl.sections {
		sections[k] = append([][2]string(nil), v...)
	}
	objects := map[string][][2]string{}
	for k, v := range pl.objects {
		objects[k] = append([][2]string(nil), v...)
	}
	return snapshot{writes: pl.j.mark(), sections: sections, secOrder: append([]string(nil), pl.secOrder...), items: items,
		itemOrd: append([]string(nil), pl.itemOrd...), arrays: arrays, arrOrder: append([]string(nil), pl.arrOrder...),
		objects: objects, objOrder: append([]string(nil), pl.objOrder...), replaced: append([]string(nil), pl.replaced...)}
}

// load restores a snapshot: the maps by undoing the writes made since.
func (pl *planner) load(s snapshot) {
	pl.j.undo(s.writes)
	pl.sections, pl.secOrder, pl.items, pl.itemOrd = s.sections, s.secOrder, s.items, s.itemOrd
	pl.arrays, pl.arrOrder, pl.objects, pl.objOrder = s.arrays, s.arrOrder, s.objects, s.objOrder
	pl.replaced = s.replaced
}

// journal records writes to maps, so that they can be undone back to a
// mark. A nil journal records nothing.
type journal struct{ writes []write }

type write struct {
	m        map[string]string
	key, old string
	had      bool
}

func (j *journal) set(m map[string]string, key, val string) {
	if j != nil {
		old, had := m[key]
		j.writes = append(j.writes, write{m, key, old, had})
	}
	m[key] = val
}

func (j *journal) del(m map[string]string, key string) {
	old, had := m[key]
	if !had {
		return
	}
	if j != nil {
		j.writes = append(j.writes, write{m, key, old, had})
	}
	delete(m, key)
}

func (j *journal) mark() int { return len(j.writes) }

// undo undoes the writes after mark, the last first.
func (j *journal) undo(mark int) {
	for i := len(j.writes) - 1; i >= mark; i-- {
		w := j.writes[i]
		if w.had {
			w.m[w.key] = w.old
		} else {
			delete(w.m, w.key)
		}
	}
	j.writes = j.writes[:mark]
}

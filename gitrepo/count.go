package gitrepo

import (
	"fmt"
	"strings"
)

// ChangeSize is how large a change between two trees is.
type ChangeSize struct {
	// Folders counts the folders holding a file, accepted by the match
	// function, that was added, removed, changed or changed type.
	Folders int
	// Entries counts the tree entries git diff compares to list the change:
	// every entry of every pair of trees that differ, at every path.
	Entries int
}

// MeasureChange measures the change between trees a and b under paths
// (from the root, with slashes; none or "." means everywhere), and gives up
// past maxFolders folders or maxEntries entries, returning one more than
// the limit it passed. It lets a caller refuse a change too large to
// compare before git lists it.
//
// Subtrees with the same id on both sides are skipped, as git diff skips
// them, and each pair of differing subtrees is read and measured once,
// however many paths name it: a commit of a dozen objects can name one
// subtree at a hundred thousand paths, which git diff walks one by one
// (seconds and megabytes per hundred thousand, before it prints anything),
// while this reads each object once.
func MeasureChange(a, b *Tree, paths []string, match func(name string) bool, maxFolders, maxEntries int) (ChangeSize, error) {
	m := &measurer{r: a, match: match, limit: ChangeSize{maxFolders, maxEntries}, memo: map[[2]string]ChangeSize{}}
	rootA, err := a.rootTree()
	if err != nil {
		return ChangeSize{}, err
	}
	rootB, err := b.rootTree()
	if err != nil {
		return ChangeSize{}, err
	}
	var total ChangeSize
	for _, p := range outermost(paths) {
		ea, err := m.at(rootA, p)
		if err != nil {
			return ChangeSize{}, err
		}
		eb, err := m.at(rootB, p)
		if err != nil {
			return ChangeSize{}, err
		}
		size, err := m.entries(ea, eb)
		if err != nil {
			return ChangeSize{}, err
		}
		if total = m.add(total, size); m.over(total) {
			break
		}
	}
	return total, nil
}

// outermost drops the paths that repeat or lie under another one, which
// would be counted twice; none means the root.
func outermost(paths []string) []string {
	var out []string
	for i, p := range paths {
		if p == "" || p == "." {
			return []string{"."}
		}
		keep := true
		for j, q := range paths {
			if strings.HasPrefix(p, q+"/") || q == p && j < i {
				keep = false
			}
		}
		if keep {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return []string{"."}
	}
	return out
}

// measurer memoises the size of each pair of differing trees.
type measurer struct {
	r     *Tree // reads objects for both sides: they share one database
	match func(string) bool
	limit ChangeSize
	memo  map[[2]string]ChangeSize
}

// add sums two sizes, each part saturating one past its limit.
func (m *measurer) add(x, y ChangeSize) ChangeSize {
	return ChangeSize{min(x.Folders+y.Folders, m.limit.Folders+1), min(x.Entries+y.Entries, m.limit.Entries+1)}
}

func (m *measurer) over(s ChangeSize) bool {
	return s.Folders > m.limit.Folders || s.Entries > m.limit.Entries
}

// rootTree is the entry of the tree's root.
func (t *Tree) rootTree() (entry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.start(); err != nil {
		return entry{}, err
	}
	id, typ, _, err := t.batch.read(t.commit + "^{tree}")
	if err != nil {
		return entry{}, err
	}
	if typ != "tree" {
		return entry{}, fmt.Errorf("%s is not a tree", t.commit)
	}
	return entry{name: ".", typ: "tree", oid: id, mode: 0o40000}, nil
}

// readTree reads the entries of the tree object oid.
func (t *Tree) readTree(oid string) ([]entry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.start(); err != nil {
		return nil, err
	}
	id, typ, data, err := t.batch.read(oid)
	if err != nil {
		return nil, err
	}
	if typ != "tree" {
		return nil, fmt.Errorf("object %s is a %s, not a tree", oid, typ)
	}
	es, err := parseTree(data, len(id)/2)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", id, err)
	}
	return es, nil
}

// at finds the entry at p below root; the zero entry when there is none.
func (m *measurer) at(root entry, p string) (entry, error) {
	if p == "." {
		return root, nil
	}
	e := root
	for _, name := range strings.Split(p, "/") {
		if e.typ != "tree" {
			return entry{}, nil
		}
		es, err := m.r.readTree(e.oid)
		if err != nil {
			return entry{}, err
		}
		next := entry{}
		for _, x := range es {
			if x.name == name {
				next = x
			}
		}
		if next.typ == "" {
			return entry{}, nil
		}
		e = next
	}
	return e, nil
}

// entries measures the change at one path: x and y are its entries on
// either side (zero where missing). A file named by the paths given is its
// folder's only candidate.
func (m *measurer) entries(x, y entry) (ChangeSize, error) {
	if x.typ == "tree" || y.typ == "tree" {
		return m.trees(treeID(x), treeID(y))
	}
	if fileDiffers(x, y) {
		name := x.name
		if name == "" {
			name = y.name
		}
		return ChangeSize{Folders: btoi(m.match(name)), Entries: 1}, nil
	}
	return ChangeSize{}, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func treeID(e entry) string {
	if e.typ == "tree" {
		return e.oid
	}
	return ""
}

// fileDiffers: the non-tree entries x and y (zero where missing) differ.
func fileDiffers(x, y entry) bool {
	fx, fy := x.typ != "" && x.typ != "tree", y.typ != "" && y.typ != "tree"
	return fx != fy || fx && (x.oid != y.oid || x.mode != y.mode)
}

// trees measures the change in and under two trees ("" for none).
func (m *measurer) trees(a, b string) (ChangeSize, error) {
	if a == b {
		return ChangeSize{}, nil
	}
	key := [2]string{a, b}
	if s, ok := m.memo[key]; ok {
		return s, nil
	}
	var ea, eb []entry
	var err error
	if a != "" {
		if ea, err = m.r.readTree(a); err != nil {
			return ChangeSize{}, err
		}
	}
	if b != "" {
		if eb, err = m.r.readTree(b); err != nil {
			return ChangeSize{}, err
		}
	}
	byName := make(map[string][2]entry, max(len(ea), len(eb)))
	for _, e := range ea {
		v := byName[e.name]
		v[0] = e
		byName[e.name] = v
	}
	for _, e := range eb {
		v := byName[e.name]
		v[1] = e
		byName[e.name] = v
	}
	size := ChangeSize{Entries: len(byName)}
	here := false // a matching file of this folder changed
	for name, v := range byName {
		if m.over(size) {
			break
		}
		x, y := v[0], v[1]
		if x.typ == "tree" || y.typ == "tree" {
			sub, err := m.trees(treeID(x), treeID(y))
			if err != nil {
				return ChangeSize{}, err
			}
			size = m.add(size, sub)
		}
		if !here && m.match(name) && fileDiffers(x, y) {
			here = true
			size = m.add(size, ChangeSize{Folders: 1})
		}
	}
	size = m.add(size, ChangeSize{}) // saturate
	m.memo[key] = size
	return size, nil
}

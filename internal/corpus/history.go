package corpus

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// HistoryEnvVar names a folder that TestHistoryRepo builds the corpus
// history into and leaves there, and that history's benchmark reuses, to
// measure `connectordiff history` on it by hand (/usr/bin/time -v
// connectordiff history -C DIR ...).
const HistoryEnvVar = "CONNECTORDIFF_HISTORY_REPO"

// HistoryStats describes a repository HistoryRepo built.
type HistoryStats struct {
	// Commits counts the first-parent commits of main, Merges those of them
	// that merge a branch.
	Commits, Merges int
	// Connectors counts the connectors that ever existed (a moved one
	// once), Updates the commits that changed one that existed before
	// (each connector a commit changed counts), Removals those removed.
	Connectors, Updates, Removals int
}

// HistoryRepo builds, in the empty folder dir, a git repository shaped like
// the public history of microsoft/PowerPlatformConnectors from the corpus
// (about 1,600 first-parent commits, 1,000 connectors, 1,000 updates), with
// git fast-import, in seconds:
//
//   - each connector with corpus pairs is added at its first pair's old
//     version and updated to each pair's versions in date order (the old
//     one first, when it is not the version before), then to its snapshot
//     version; a third of those updates come through a merged branch;
//   - the other snapshot connectors are added, 450 of them in one first
//     import and the rest one commit each; of those, 40 start in
//     connectors/ and move to their folder later, 40 deprecate an operation
//     and remove it weeks later, and 20 are removed;
//   - 185 forks (independent-publisher-connectors/<name> Fork) replay the
//     versions of as many connectors with pairs, and commits that touch no
//     connector fill the line up to about 1,600 commits.
//
// Commit dates follow the corpus's; authors and subjects are plain. It
// skips tb without a corpus or without git.
func HistoryRepo(tb testing.TB, dir string) HistoryStats {
	tb.Helper()
	root := Dir(tb)
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed")
	}
	p, err := planHistory(root)
	if err != nil {
		tb.Fatalf("corpus history: %v", err)
	}
	stats, err := p.write(dir)
	if err != nil {
		tb.Fatalf("corpus history: %v", err)
	}
	return stats
}

// file is one file of a connector version: read from disk, or held.
type file struct {
	name, path string
	data       []byte
}

// event is one commit of the plan: a change to connector folders, or to
// nothing but the README.
type event struct {
	at      time.Time
	subject string
	merge   bool // through a branch merged into main
	changes []change
}

// change sets a folder's files (files, or none to remove the folder), or
// moves it (to).
type change struct {
	folder, to string
	files      []file
	remove     bool
}

type plan struct{ events []event }

func (p *plan) add(at time.Time, subject string, merge bool, changes ...change) {
	p.events = append(p.events, event{at: at.UTC(), subject: subject, merge: merge, changes: changes})
}

// pairMeta is what the plan reads of a pair's meta.json.
type pairMeta struct {
	Folder       string    `json:"folder"`
	OldDate      time.Time `json:"old_date"`
	NewDate      time.Time `json:"new_date"`
	Subject      string    `json:"subject"`
	VersionIndex int       `json:"version_index"`
	Dir          string    `json:"dir"`
}

type snapshotEntry struct {
	Folder string `json:"folder"`
	Dir    string `json:"dir"`
}

// versionFiles lists the connector files of a folder on disk.
func versionFiles(dir string) []file {
	var out []file
	for _, n := range []string{SwaggerFile, "apiProperties.json", "script.csx"} {
		if p := filepath.Join(dir, n); isFile(p) {
			out = append(out, file{name: n, path: p})
		}
	}
	return out
}

func planHistory(root string) (*plan, error) {
	var pairsIndex struct{ Pairs []pairMeta }
	var snap struct {
		Files        []snapshotEntry `json:"files"`
		InvalidFiles []snapshotEntry `json:"invalid_files"`
	}
	if err := readJSON(filepath.Join(root, "pairs", "index.json"), &pairsIndex); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(root, "snapshot", "index.json"), &snap); err != nil {
		return nil, err
	}
	snapshot := map[string]string{} // folder -> its files' folder on disk
	var folders []string
	for _, e := range append(snap.Files, snap.InvalidFiles...) {
		snapshot[e.Folder] = filepath.Join(root, "snapshot", e.Dir)
		folders = append(folders, e.Folder)
	}
	sort.Strings(folders)
	byFolder := map[string][]pairMeta{}
	for _, m := range pairsIndex.Pairs {
		byFolder[m.Folder] = append(byFolder[m.Folder], m)
	}
	var pairFolders []string
	for f, ms := range byFolder {
		sort.Slice(ms, func(i, j int) bool { return ms[i].VersionIndex < ms[j].VersionIndex })
		pairFolders = append(pairFolders, f)
	}
	sort.Strings(pairFolders)

	p := &plan{}
	start := time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2024, 10, 24, 0, 0, 0, 0, time.UTC)
	// spread is a date of its own for each name, between start and end.
	spread := func(name string) time.Time {
		h := fnv.New64a()
		h.Write([]byte(name))
		return start.Add(time.Duration(h.Sum64() % uint64(end.Sub(start))))
	}
	pairDir := func(m pairMeta, side string) string { return filepath.Join(root, "pairs", m.Dir, side) }

	// Connectors with pairs: their versions in order, then the snapshot's.
	for i, f := range pairFolders {
		ms := byFolder[f]
		p.add(ms[0].OldDate, "Add "+filepath.Base(f), false, change{folder: f, files: versionFiles(pairDir(ms[0], "old"))})
		for k, m := range ms {
			if k > 0 {
				p.add(m.OldDate.Add(time.Minute), "Sync "+filepath.Base(f), false, change{folder: f, files: versionFiles(pairDir(m, "old"))})
			}
			p.add(m.NewDate, m.Subject, (i+k)%3 == 0, change{folder: f, files: versionFiles(pairDir(m, "new"))})
		}
		if d, ok := snapshot[f]; ok {
			p.add(end.Add(time.Duration(i)*time.Minute), "Update "+filepath.Base(f)+" to the latest", false, change{folder: f, files: versionFiles(d)})
		} else {
			p.add(end.Add(time.Duration(i)*time.Minute), "Remove "+filepath.Base(f), false, change{folder: f, remove: true})
		}
	}
	// Forks replay the versions of the first 185.
	for i, f := range pairFolders[:min(185, len(pairFolders))] {
		ms := byFolder[f]
		fork := "independent-publisher-connectors/" + filepath.Base(f) + " Fork"
		p.add(ms[0].OldDate.Add(time.Hour), "Add "+filepath.Base(fork), false, change{folder: fork, files: versionFiles(pairDir(ms[0], "old"))})
		for k, m := range ms {
			if k > 0 {
				p.add(m.OldDate.Add(time.Hour+time.Minute), "Fork: sync", false, change{folder: fork, files: versionFiles(pairDir(m, "old"))})
			}
			p.add(m.NewDate.Add(time.Hour), "Fork: "+m.Subject, (i+k)%4 == 0, change{folder: fork, files: versionFiles(pairDir(m, "new"))})
		}
	}
	// The other snapshot connectors.
	var bulk []change
	n := 0
	for _, f := range folders {
		if _, ok := byFolder[f]; ok {
			continue
		}
		files := versionFiles(snapshot[f])
		at := spread(f)
		n++
		switch {
		case n%14 == 1:
			old := "connectors/" + filepath.Base(f)
			p.add(at, "Add "+filepath.Base(f), false, change{folder: old, files: files})
			p.add(at.Add(60*24*time.Hour), "Move "+filepath.Base(f)+" to its folder", false, change{folder: old, to: f})
		case n%14 == 3 && deprecationCycle(p, f, files, at, n):
		case n%28 == 5:
			p.add(at, "Add "+filepath.Base(f), false, change{folder: f, files: files})
			p.add(at.Add(200*24*time.Hour), "Remove "+filepath.Base(f), false, change{folder: f, remove: true})
		case len(bulk) < 450:
			bulk = append(bulk, change{folder: f, files: files})
		default:
			p.add(at, "Add "+filepath.Base(f), false, change{folder: f, files: files})
		}
	}
	p.add(start.Add(-24*time.Hour), "Initial import", false, bulk...)
	sort.SliceStable(p.events, func(i, j int) bool { return p.events[i].at.Before(p.events[j].at) })
	// Commits that touch no connector fill the line.
	for i := 0; len(p.events) < 1640; i++ {
		at := spread(fmt.Sprintf("readme %d", i))
		k := sort.Search(len(p.events), func(j int) bool { return p.events[j].at.After(at) })
		p.events = append(p.events[:k], append([]event{{at: at, subject: fmt.Sprintf("Docs %d", i)}}, p.events[k:]...)...)
	}
	return p, nil
}

var operationID = regexp.MustCompile(`"operationId"\s*:\s*"([^"\\]+)"`)

// deprecationCycle plans a connector whose first operation is deprecated a
// month after it was added and removed 10 to 90 days later; false when its
// definition does not lend itself to it.
func deprecationCycle(p *plan, folder string, files []file, at time.Time, n int) bool {
	if len(files) == 0 || files[0].name != SwaggerFile {
		return false
	}
	data, err := os.ReadFile(files[0].path)
	if err != nil {
		return false
	}
	m := operationID.FindSubmatchIndex(data)
	if m == nil {
		return false
	}
	op := string(data[m[2]:m[3]])
	deprecated := append(append(append([]byte{}, data[:m[0]]...), `"deprecated": true, `...), data[m[0]:]...)
	var doc map[string]any
	if json.Unmarshal(data, &doc) != nil {
		return false
	}
	paths, _ := doc["paths"].(map[string]any)
	found := false
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for method, o := range ops {
			if x, _ := o.(map[string]any); x != nil && x["operationId"] == op {
				delete(ops, method)
				found = true
			}
		}
	}
	removed, err := json.MarshalIndent(doc, "", "  ")
	if !found || err != nil || !json.Valid(deprecated) {
		return false
	}
	with := func(def []byte) []file { return append([]file{{name: SwaggerFile, data: def}}, files[1:]...) }
	p.add(at, "Add "+filepath.Base(folder), false, change{folder: folder, files: files})
	dep := at.Add(30 * 24 * time.Hour)
	p.add(dep, "Deprecate "+op, false, change{folder: folder, files: with(deprecated)})
	p.add(dep.Add(time.Duration(10+n%80)*24*time.Hour), "Remove "+op, false, change{folder: folder, files: with(removed)})
	return true
}

func readJSON(name string, v any) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// write runs the plan through git fast-import into a new repository at dir.
func (p *plan) write(dir string) (HistoryStats, error) {
	var stats HistoryStats
	if out, err := exec.Command("git", "init", "-q", "-b", "main", dir).CombinedOutput(); err != nil {
		return stats, fmt.Errorf("git init: %v: %s", err, out)
	}
	cmd := exec.Command("git", "fast-import", "--quiet", "--done")
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return stats, err
	}
	var errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &errOut, &errOut
	if err := cmd.Start(); err != nil {
		return stats, err
	}
	w := bufio.NewWriterSize(stdin, 1<<20)
	mark := 0
	blobs := map[[32]byte]int{}
	blob := func(f file) (int, error) {
		data := f.data
		if data == nil {
			var err error
			if data, err = os.ReadFile(f.path); err != nil {
				return 0, err
			}
		}
		sum := sha256.Sum256(data)
		if m, ok := blobs[sum]; ok {
			return m, nil
		}
		mark++
		blobs[sum] = mark
		fmt.Fprintf(w, "blob\nmark :%d\ndata %d\n", mark, len(data))
		w.Write(data)
		w.WriteString("\n")
		return mark, nil
	}
	tree := map[string]map[string]int{} // folder -> file name -> blob mark
	ever := map[string]bool{}           // folders that held a connector (a moved one by its last folder)
	last := 0                           // the mark of main's last commit
	readme := 0
	at := time.Time{}
	for i, e := range p.events {
		if !e.at.After(at) {
			e.at = at.Add(time.Second) // dates along main never go back
		}
		at = e.at
		var ops []string
		touched := false
		for _, c := range e.changes {
			cur := tree[c.folder]
			switch {
			case c.to != "":
				for name, m := range cur {
					ops = append(ops, fmt.Sprintf("D %s/%s", c.folder, name), fmt.Sprintf("M 100644 :%d %s/%s", m, c.to, name))
				}
				tree[c.to], ever[c.to] = cur, true
				delete(tree, c.folder)
				delete(ever, c.folder)
				stats.Updates++
			case c.remove:
				if cur == nil {
					continue
				}
				for name := range cur {
					ops = append(ops, fmt.Sprintf("D %s/%s", c.folder, name))
				}
				delete(tree, c.folder)
				stats.Removals++
			default:
				next := map[string]int{}
				changed := len(cur) == 0
				for _, f := range c.files {
					m, err := blob(f)
					if err != nil {
						return stats, err
					}
					next[f.name] = m
					if cur[f.name] != m {
						changed = true
						ops = append(ops, fmt.Sprintf("M 100644 :%d %s/%s", m, c.folder, f.name))
					}
				}
				for name := range cur {
					if _, ok := next[name]; !ok {
						changed = true
						ops = append(ops, fmt.Sprintf("D %s/%s", c.folder, name))
					}
				}
				if !changed {
					continue
				}
				switch {
				case cur != nil:
					stats.Updates++
				case !ever[c.folder]:
					stats.Connectors++
				}
				tree[c.folder], ever[c.folder] = next, true
			}
			touched = true
		}
		if !touched && len(e.changes) > 0 {
			continue // nothing changed: no commit
		}
		if len(e.changes) == 0 {
			readme++
			m, err := blob(file{data: []byte(fmt.Sprintf("# Connectors\n\nRevision %d\n", readme))})
			if err != nil {
				return stats, err
			}
			ops = append(ops, fmt.Sprintf("M 100644 :%d README.md", m))
		}
		sort.Strings(ops) // a move's deletions and additions in any order
		author := fmt.Sprintf("Publisher %d <p%d@example.com> %d +0000", i%23, i%23, e.at.Unix())
		commit := func(ref string, from, merge int) {
			mark++
			fmt.Fprintf(w, "commit %s\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n%s\n", ref, mark, author, author, len(e.subject), e.subject)
			if from > 0 {
				fmt.Fprintf(w, "from :%d\n", from)
			}
			if merge > 0 {
				fmt.Fprintf(w, "merge :%d\n", merge)
			}
			for _, op := range ops {
				w.WriteString(op + "\n")
			}
			w.WriteString("\n")
		}
		if e.merge && last > 0 {
			commit(fmt.Sprintf("refs/heads/pr-%d", i), last, 0)
			side := mark
			e.subject = fmt.Sprintf("Merge pull request #%d", i)
			commit("refs/heads/main", last, side)
			stats.Merges++
		} else {
			commit("refs/heads/main", last, 0)
		}
		last = mark
		stats.Commits++
	}
	w.WriteString("done\n")
	if err := w.Flush(); err != nil {
		return stats, err
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		return stats, fmt.Errorf("git fast-import: %v: %s", err, errOut.String())
	}
	if out, err := exec.Command("git", "-C", dir, "reset", "-q", "--hard", "main").CombinedOutput(); err != nil {
		return stats, fmt.Errorf("git reset: %v: %s", err, out)
	}
	return stats, nil
}

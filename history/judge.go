package history

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/gitrepo"
	"github.com/connectordiff/connectordiff/report"
)

// judgeAll judges the connectors of idx in parallel and hands them to emit
// in order. A worker starts a connector only while fewer than aheadPerWorker
// per worker are judged or wait to be emitted, so the versions held at once
// are a few dozen connectors', however long the history: a connector that
// waits holds its versions' findings, its documents already let go. The
// window is that wide so that a connector of many large versions (a
// second or more) does not leave the other workers idle.
func judgeAll(ctx context.Context, repo *gitrepo.Repo, idx *index, pol *policies, opts *Options, emit func(*Connector) error) error {
	n := len(idx.connectors)
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	workers := min(opts.Workers, n)
	type slot struct {
		done chan struct{}
		c    *Connector
		err  error
	}
	slots := make([]slot, n)
	for i := range slots {
		slots[i].done = make(chan struct{})
	}
	ahead := make(chan struct{}, aheadPerWorker*workers)
	jobs := make(chan int)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		for i := range n {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			obj, err := repo.Objects(ctx)
			if err == nil {
				defer obj.Close()
			}
			j := &judge{ctx: ctx, obj: obj, idx: idx, pol: pol, opts: opts}
			for i := range jobs {
				judgeStarted(i)
				if err != nil {
					slots[i].err = err
				} else {
					slots[i].c, slots[i].err = j.connector(i)
				}
				close(slots[i].done)
			}
		}()
	}
	for i := range n {
		select {
		case <-slots[i].done:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		if slots[i].err != nil {
			return slots[i].err
		}
		if err := emit(slots[i].c); err != nil {
			return err
		}
		slots[i].c = nil
		<-ahead
		if opts.Progress != nil {
			opts.Progress(StageConnectors, i+1, n)
		}
	}
	return nil
}

// aheadPerWorker: see judgeAll.
const aheadPerWorker = 32

// judgeStarted is called as a worker starts connector i (a test counts).
var judgeStarted = func(i int) {}

// judge judges connectors one at a time, reading through its own object
// readers.
type judge struct {
	ctx  context.Context
	obj  *gitrepo.Objects
	idx  *index
	pol  *policies
	opts *Options
}

// loaded is a version read, kept to judge the next one against.
type loaded struct {
	commit string
	folder *connector.Folder
	side   breaking.Side
}

// load reads the connector of commit whose folder's tree is tree.
func (j *judge) load(commit, tree, folder string) (*loaded, error) {
	t := j.obj.Tree(tree)
	defer t.Close()
	f, err := connector.LoadFolderFS(t, ".", folder, j.opts.Load)
	if err != nil {
		return nil, err
	}
	return &loaded{commit: commit, folder: f, side: breaking.FolderSide(f, folder)}, nil
}

// connector judges every version of connector i against the last version
// before it that could be read.
func (j *judge) connector(i int) (*Connector, error) {
	tr := j.idx.connectors[i]
	today := j.obj.Tree(j.pol.until)
	policy, profile, err := j.pol.forFolder(today, tr.folder)
	today.Close()
	if err != nil {
		return nil, err
	}
	c := &Connector{Index: i, Folder: tr.folder, Profile: profile}
	dep := &deprecations{since: map[string]Event{}}
	var last *loaded
	for k, r := range tr.refs {
		meta := j.idx.commits[r.commit]
		v := Version{Commit: meta.id, Date: meta.date, Author: meta.author, Subject: meta.subject, Folder: r.new}
		ev := Event{Commit: meta.id, Date: meta.date}
		if r.old != "" && r.new != "" && r.old != r.new {
			v.OldFolder = r.old
		}
		if k == 0 && r.old != "" { // there before the history's start
			if last, err = j.load(meta.parent, r.oldTree, r.old); err != nil {
				v.Folder = r.old
				v.Verdict, v.Error = Error, fmt.Sprintf("the version before, in %s: %v", short(meta.parent), err)
				c.Versions = append(c.Versions, v)
				continue
			}
			// Operations deprecated then count from the history's start.
			start := Event{Commit: meta.parent, Date: meta.date}
			if pc, err := j.obj.Commit(meta.parent); err == nil && pc.Time.Before(meta.date) {
				start.Date = pc.Time
			}
			dep.seen(last.folder.Definition, start, nil)
		}
		if r.new == "" {
			v.Folder, v.Verdict = r.old, Removed
			if last != nil {
				res, _ := policy.Removed(last.side, breaking.Record{})
				v.fill(last, res)
				dep.removedAll(ev)
			}
			last = nil
			c.Versions = append(c.Versions, v)
			continue
		}
		cur, err := j.load(meta.id, r.newTree, r.new)
		if err != nil {
			v.Verdict, v.Error = Error, err.Error()
			c.Versions = append(c.Versions, v)
			continue // the next version is judged against the last one read
		}
		v.Title, v.InfoVersion = cur.side.Info.Title, cur.side.Info.Version
		if last == nil {
			res, _ := policy.Added(cur.side, breaking.Record{})
			v.Verdict = Added
			v.fill(nil, res)
			dep.seen(cur.folder.Definition, ev, nil)
		} else {
			changes, err := diff.CompareConnectors(j.ctx, last.folder, cur.folder)
			if err != nil {
				if j.ctx.Err() != nil {
					return nil, context.Cause(j.ctx)
				}
				v.Verdict, v.Error, v.Previous = Error, err.Error(), last.commit
			} else {
				res, _ := policy.Changed(changes, last.side, cur.side, breaking.Record{})
				v.Verdict = Safe
				if res.Summary.Breaks() {
					v.Verdict = Breaking
				}
				v.fill(last, res)
				dep.seen(cur.folder.Definition, ev, removedOperations(changes))
			}
		}
		last = cur
		c.Versions = append(c.Versions, v)
	}
	if last != nil {
		c.Title = last.side.Info.Title
	}
	c.Deprecations = dep.list()
	return c, nil
}

// fill sets what a judged version shows: the version it was judged
// against, its counts, and its findings with their sentences written (the
// documents they were found in are let go).
func (v *Version) fill(prev *loaded, res breaking.ConnectorResult) {
	if prev != nil {
		v.Previous = prev.commit
		if v.Verdict == Removed {
			v.Title, v.InfoVersion = prev.side.Info.Title, prev.side.Info.Version
		}
	}
	v.Counts, v.Certification = res.Summary.Counts, res.Summary.Certification
	v.Findings = make([]Finding, 0, len(res.Findings))
	for _, f := range res.Findings {
		v.Findings = append(v.Findings, Finding{Rule: f.Rule, Level: f.Level, Message: report.Message(f), Operation: f.Operation,
			Operations: f.Operations, File: f.File, Old: f.Old, New: f.New, Hosts: f.Hosts, Certification: f.Certification})
	}
}

// removedOperations lists the operations changes remove, by their old id.
func removedOperations(changes []*diff.Change) []string {
	var out []string
	for _, c := range changes {
		if op := c.Operation(); c.Kind == diff.OperationRemoved && op != "" {
			out = append(out, op)
		}
	}
	return out
}

// deprecations follows one connector's operations from their deprecation
// to their removal.
type deprecations struct {
	since map[string]Event // operations deprecated in every version since
	out   []Deprecation
}

// seen notes a version read: the operations it removed (whether or not
// they were deprecated first), and those it marks deprecated; an operation
// no longer deprecated, or gone, starts over.
func (d *deprecations) seen(doc *connector.Document, ev Event, removed []string) {
	for _, op := range removed {
		e := ev
		out := Deprecation{Operation: op, Removed: &e}
		if s, ok := d.since[op]; ok {
			out.Deprecated = &s
		}
		d.out = append(d.out, out)
	}
	present := map[string]bool{}
	for _, op := range doc.OperationIDs() {
		present[op] = true
		if !doc.Deprecated(op) {
			delete(d.since, op)
		} else if _, ok := d.since[op]; !ok {
			d.since[op] = ev
		}
	}
	for op := range d.since {
		if !present[op] {
			delete(d.since, op)
		}
	}
}

// removedAll notes the removal of the whole connector: each operation
// deprecated up to then was removed with it.
func (d *deprecations) removedAll(ev Event) {
	for op, s := range d.since {
		s, e := s, ev
		d.out = append(d.out, Deprecation{Operation: op, Deprecated: &s, Removed: &e})
	}
	clear(d.since)
}

// list returns every deprecation and removal, those still deprecated at
// the end included, by date and operation.
func (d *deprecations) list() []Deprecation {
	out := d.out
	for op, s := range d.since {
		s := s
		out = append(out, Deprecation{Operation: op, Deprecated: &s})
	}
	at := func(x Deprecation) Event {
		if x.Deprecated != nil {
			return *x.Deprecated
		}
		return *x.Removed
	}
	sort.SliceStable(out, func(a, b int) bool {
		ea, eb := at(out[a]), at(out[b])
		if !ea.Date.Equal(eb.Date) {
			return ea.Date.Before(eb.Date)
		}
		return out[a].Operation < out[b].Operation
	})
	return out
}

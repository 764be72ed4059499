package breaking

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/connectordiff/connectordiff/connector"
)

// Record is what a repository knows about a connector's update beyond its
// two versions, which a policy weighs in the same pass as the changes: when
// the history shows each removed operation deprecated, and the changes
// reviewers accepted. The zero Record knows nothing, as for a pair.
type Record struct {
	// Now is when the update is judged: deprecation windows end and
	// acceptances expire against it (the machine's clock, never a commit's
	// date, which its author sets).
	Now time.Time
	// Deprecated maps operations of the old version, by id, to when the
	// history shows them deprecated since; an operation the history does
	// not show deprecated is absent.
	Deprecated map[string]time.Time
	// Window is the deprecation window, in days: removing an operation
	// deprecated at least that long before Now is
	// deprecated-operation-removed rather than operation-removed. Zero or
	// less: no window.
	Window int
	// Accept lists the accepted changes that apply to the connector, in
	// order: a finding is accepted by the first that matches it and has not
	// expired.
	Accept []Acceptance
	// Folder and Title name the connector, as an acceptance's Connector
	// matches it: its folder from the repository's root, and its title (in
	// a repository, as the base has them: a change that moves or retitles a
	// connector does not pick up what was accepted for another).
	Folder, Title string
	// HeadFolder and HeadTitle name the connector as the head has it, where
	// that differs: an acceptance the change itself adds, listed for review,
	// may name it so.
	HeadFolder, HeadTitle string
	// IDFolder names the connector in its findings' ids: its folder in the
	// base (a moved connector's old folder, so that a move keeps every id),
	// or the head's for a connector the change adds. Empty for a pair.
	IDFolder string
	// Unpublished, when not empty, says where a policy declares the
	// connector not published yet (published: false, as FILE:LINE:COLUMN):
	// no flow or app can use it, so its breaks are warnings, saying why.
	Unpublished string
	// PreviewAsWarnings, when not empty, says where a policy lowers the
	// breaks of operations in preview (x-ms-api-annotation status Preview,
	// on the operation or the connector) to warnings, saying why.
	PreviewAsWarnings string
}

// Acceptance is a deliberate breaking change a reviewer accepted: the
// findings it matches are shown as accepted and do not fail the gate. Every
// field given must match; Reason is required.
type Acceptance struct {
	// ID is the id of the finding accepted (see Finding.ID), or of the part
	// of it that other acceptances left; an acceptance by id names no
	// operation, value path or pointer.
	ID string `json:"id,omitempty"`
	// Rule is the rule id of the finding (required but for an acceptance
	// by id).
	Rule string `json:"rule"`
	// Connector is the connector's folder from the repository's root (a
	// path.Match pattern, such as certified-connectors/*), or its title.
	Connector string `json:"connector,omitempty"`
	// Operation is one of the operations the finding reaches.
	Operation string `json:"operation,omitempty"`
	// ValuePath or Pointer (old or new) locate the finding.
	ValuePath string `json:"valuePath,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	// Reason says why the break is acceptable.
	Reason string `json:"reason"`
	// Expires is the last day the acceptance holds (none: no end).
	Expires *time.Time `json:"expires,omitempty"`
	// At locates the entry in its policy file.
	At connector.Location `json:"-"`
	// File names the policy file.
	File string `json:"-"`
	// InChange is set when the change under review adds the acceptance (it
	// is not in the base's version of its file): its reviewer should read
	// it.
	InChange bool `json:"-"`
}

// Matches reports whether the acceptance covers f, a finding of the
// connector in folder titled title.
func (a Acceptance) Matches(f Finding, folder, title string) bool {
	return a.matches(&f, folder, title)
}

func (a *Acceptance) matches(f *Finding, folder, title string) bool {
	if a.Rule != "" && a.Rule != f.Rule || a.ID != "" && a.ID != f.ID {
		return false
	}
	if a.Connector != "" {
		ok, _ := path.Match(a.Connector, folder)
		if !ok && a.Connector != title && a.Connector != folder {
			return false
		}
	}
	if a.Operation != "" && !slices.Contains(f.Operations, a.Operation) {
		return false
	}
	if a.ValuePath != "" && a.ValuePath != f.ValuePath {
		return false
	}
	if a.Pointer != "" && (f.Old == nil || f.Old.Pointer != a.Pointer) && (f.New == nil || f.New.Pointer != a.Pointer) {
		return false
	}
	return true
}

// Digest identifies the acceptance by what it says (what it accepts, why
// and until when), wherever it stands in its file.
func (a Acceptance) Digest() string {
	expires := ""
	if a.Expires != nil {
		expires = a.Expires.Format("2006-01-02")
	}
	return hashID("acceptance", a.ID, a.Rule, a.Connector, a.Operation, a.ValuePath, a.Pointer, a.Reason, expires)
}

// Expired reports whether the acceptance ended before day now.
func (a Acceptance) Expired(now time.Time) bool {
	return a.Expires != nil && now.After(a.Expires.Add(24*time.Hour))
}

// String names the acceptance as sentences do: file:line:column: rule
// (id, connector, operation, value path, pointer).
func (a Acceptance) String() string {
	s := fmt.Sprintf("%s:%d:%d: %s", a.File, a.At.Line, a.At.Column, a.Rule)
	if a.Rule == "" {
		s = fmt.Sprintf("%s:%d:%d: id %s", a.File, a.At.Line, a.At.Column, a.ID)
	}
	var scope []string
	id := a.ID
	if a.Rule == "" {
		id = ""
	}
	for _, v := range []string{id, a.Connector, a.Operation, a.ValuePath, a.Pointer} {
		if v != "" {
			scope = append(scope, v)
		}
	}
	if len(scope) > 0 {
		s += " (" + strings.Join(scope, ", ") + ")"
	}
	return s
}

// accept marks the findings reviewers accepted, and counts, for each of
// rec.Accept, the findings it matched (an expired one's too, which count
// again) in matched. An acceptance speaks for each operation it names: a
// finding that reaches several operations, some accepted and some not (one
// change of a definition that OpA and OpB share, accepted for OpA), is split
// into a part that is not accepted, first, and a part per acceptance, each
// with its own operations and id. Acceptances by rule, connector, operation,
// value path or pointer apply first, each operation taking the first that
// matches and has not expired; an acceptance by id then takes what is left
// of the finding whose id it names, or the part left whose id it names.
func (rec *Record) accept(fs []Finding, matched []int) []Finding {
	if len(rec.Accept) == 0 {
		return fs
	}
	lapsed := make([]bool, len(rec.Accept))
	for i, a := range rec.Accept {
		lapsed[i] = a.Expired(rec.Now)
	}
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		for _, p := range rec.acceptOne(f, matched, lapsed) {
			if p.Accepted == nil && len(p.Parts) > 0 {
				out = append(out, rec.acceptParts(p, matched, lapsed)...)
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// acceptParts is accept for g, a schema cut back that no acceptance covers
// whole: in each of its operations it is accepted when each of its
// properties is, as they were before they were grouped (one property
// accepted does not accept the others, which the part marks); operations
// where some property is not accepted are split off first, as acceptOne
// does. An acceptance that matched the whole (an expired one) is not
// counted again for its parts.
func (rec *Record) acceptParts(g Finding, matched []int, lapsed []bool) []Finding {
	ops := g.Operations
	if len(ops) == 0 {
		ops = []string{""}
	}
	hit := make([]bool, len(rec.Accept))
	parts := slices.Clone(g.Parts)  // other pieces of the finding share them
	whole := make([]bool, len(ops)) // every property accepted in the operation
	var by *Accepted
	for k, op := range ops {
		whole[k] = true
		for j, part := range parts {
			q := part
			if op != "" && slices.Contains(part.Operations, op) {
				q = part.only([]string{op})
			}
			owner := -1
			for i := range rec.Accept {
				a := &rec.Accept[i]
				if !rec.covers(a, &q) {
					continue
				}
				hit[i] = true
				if !lapsed[i] {
					owner = i
					break
				}
			}
			if owner < 0 {
				whole[k] = false
				continue
			}
			if parts[j].Accepted == nil {
				parts[j].Accepted = rec.Accept[owner].accepted()
			}
			if by == nil {
				by = rec.Accept[owner].accepted()
			}
		}
	}
	for i, h := range hit {
		if h && !rec.covers(&rec.Accept[i], &g) {
			matched[i]++
		}
	}
	g.Parts = parts
	var yes, no []string
	for k, op := range ops {
		if whole[k] {
			yes = append(yes, op)
		} else {
			no = append(no, op)
		}
	}
	switch {
	case len(no) == 0:
		g.Accepted = by
		return []Finding{g}
	case len(yes) == 0 || ops[0] == "":
		return []Finding{g}
	}
	fails, accepted := g.only(no), g.only(yes)
	fails.ID, accepted.ID = partID(rec.IDFolder, g.ID, &g, &fails), partID(rec.IDFolder, g.ID, &g, &accepted)
	accepted.Accepted = by
	return []Finding{fails, accepted}
}

// acceptOne is accept for one finding: the finding, or its parts.
func (rec *Record) acceptOne(f Finding, matched []int, lapsed []bool) []Finding {
	if !slices.ContainsFunc(rec.Accept, func(a Acceptance) bool { return a.Rule == "" || a.Rule == f.Rule }) {
		return []Finding{f} // no acceptance of its rule: nothing to look at per operation
	}
	ops := f.Operations
	if len(ops) == 0 {
		ops = []string{""} // a finding that reaches no operation is matched whole
	}
	owner := make([]int, len(ops)) // the acceptance of each operation, or -1
	hit := make([]bool, len(rec.Accept))
	for k, op := range ops {
		owner[k] = -1
		part := f
		if op != "" && len(ops) > 1 {
			part = f.only([]string{op})
		}
		for i := range rec.Accept {
			a := &rec.Accept[i]
			if a.ID != "" || !rec.covers(a, &part) {
				continue
			}
			hit[i] = true
			if !lapsed[i] {
				owner[k] = i
				break
			}
		}
	}
	var rest []string
	for k, op := range ops {
		if owner[k] < 0 {
			rest = append(rest, op)
		}
	}
	if len(rest) > 0 {
		left := f
		if len(rest) < len(ops) {
			left = f.only(rest)
			left.ID = partID(rec.IDFolder, f.ID, &f, &left)
		}
		for i := range rec.Accept {
			a := &rec.Accept[i]
			if a.ID == "" || !rec.covers(a, &f) && !rec.covers(a, &left) {
				continue
			}
			hit[i] = true
			if !lapsed[i] {
				for k := range ops {
					if owner[k] < 0 {
						owner[k] = i
					}
				}
				break
			}
		}
	}
	for i, h := range hit {
		if h {
			matched[i]++
		}
	}
	// One owner for every operation: the finding stays whole.
	if !slices.ContainsFunc(owner, func(o int) bool { return o != owner[0] }) {
		if owner[0] >= 0 {
			f.Accepted = rec.Accept[owner[0]].accepted()
		}
		return []Finding{f}
	}
	// The part no acceptance covers first, then a part per acceptance, in
	// the order of their first operations.
	var order []int
	parts := map[int][]string{}
	for k, o := range owner {
		if _, ok := parts[o]; !ok {
			order = append(order, o)
		}
		parts[o] = append(parts[o], ops[k])
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case a < 0 && b >= 0:
			return -1
		case b < 0 && a >= 0:
			return 1
		}
		return 0
	})
	out := make([]Finding, 0, len(order))
	for _, o := range order {
		p := f.only(parts[o])
		p.ID = partID(rec.IDFolder, f.ID, &f, &p)
		if o >= 0 {
			p.Accepted = rec.Accept[o].accepted()
		}
		out = append(out, p)
	}
	return out
}

// only is the part of f that reaches ops, a subset of its operations: its
// first operation and value path name the first of them, and a count of
// operations counts them.
func (f Finding) only(ops []string) Finding {
	p := f
	p.Operations = ops
	if f.Operation != "" {
		p.Operation = ops[0]
		p.ValuePath = retarget(f.ValuePath, f.Operation, ops[0])
	}
	if f.Count == len(f.Operations) {
		p.Count = len(ops)
	}
	return p
}

// accepted is the mark of a finding the acceptance accepts.
func (a *Acceptance) accepted() *Accepted {
	acc := &Accepted{Reason: a.Reason, By: fmt.Sprintf("%s:%d:%d", a.File, a.At.Line, a.At.Column), InChange: a.InChange}
	if a.Expires != nil {
		acc.Expires = a.Expires.Format("2006-01-02")
	}
	return acc
}

// AcceptanceFindings are the policy's findings about accepted changes, once
// every connector they apply to was judged: an acceptance that expired and
// matched findings (which count again), and one that matched nothing.
// matched counts, for each of accept, the findings it matched over every
// connector (see Judge).
func (p *Policy) AcceptanceFindings(accept []Acceptance, matched []int, now time.Time) []Finding {
	var out []Finding
	for i, a := range accept {
		parts := Finding{Subject: a.String(), ValuePath: "accept", File: a.File,
			New: &connector.Location{File: a.File, Line: a.At.Line, Column: a.At.Column}}
		switch {
		case matched[i] > 0 && a.Expired(now):
			parts.Topic, parts.Args, parts.Count = TopicAcceptanceExpired, []string{a.Expires.Format("2006-01-02")}, matched[i]
		case matched[i] == 0:
			parts.Topic = TopicAcceptanceStale
		default:
			continue
		}
		parts.ID = PolicyFindingID(parts, a.Digest())
		if f, ok := p.Finding(parts); ok {
			out = append(out, f)
		}
	}
	return out
}

// covers reports whether acceptance a covers f, naming the connector as the
// base has it or, for an acceptance the change adds, as the head has it.
// A schema cut back (a finding with Parts) is covered whole: by its rule,
// operation or value path, or a pointer to its schema, never by a pointer to
// one of its properties.
func (rec *Record) covers(a *Acceptance, f *Finding) bool {
	match := a.matches
	if len(f.Parts) > 0 {
		match = a.matchesGroup
	}
	return match(f, rec.Folder, rec.Title) ||
		a.InChange && (rec.HeadFolder != "" || rec.HeadTitle != "") && match(f, rec.HeadFolder, rec.HeadTitle)
}

// matchesGroup reports whether the acceptance covers the whole of f, a
// schema cut back: a pointer must name the schema (old side) or the one
// place all its parts share on the new side, never a single property.
func (a *Acceptance) matchesGroup(f *Finding, folder, title string) bool {
	whole := *f
	whole.Old, whole.New = nil, nil
	if a.Pointer == "" {
		return a.matches(&whole, folder, title)
	}
	if schema, ok := groupSchemaPointer(f); ok && a.Pointer == schema {
		whole.Old = &connector.Location{Pointer: schema}
	} else if shared := sharedNewPointer(f.Parts); shared != "" && a.Pointer == shared {
		whole.New = &connector.Location{Pointer: shared}
	} else {
		return false
	}
	return a.matches(&whole, folder, title)
}

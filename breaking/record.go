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
	// matches it: its folder from the repository's root, and its title.
	Folder, Title string
}

// Acceptance is a deliberate breaking change a reviewer accepted: the
// findings it matches are shown as accepted and do not fail the gate. Every
// field given must match; Reason is required.
type Acceptance struct {
	// Rule is the rule id of the finding.
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
	if a.Rule != f.Rule {
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

// Expired reports whether the acceptance ended before day now.
func (a Acceptance) Expired(now time.Time) bool {
	return a.Expires != nil && now.After(a.Expires.Add(24*time.Hour))
}

// String names the acceptance as sentences do: file:line:column: rule
// (connector, operation, value path, pointer).
func (a Acceptance) String() string {
	s := fmt.Sprintf("%s:%d:%d: %s", a.File, a.At.Line, a.At.Column, a.Rule)
	var scope []string
	for _, v := range []string{a.Connector, a.Operation, a.ValuePath, a.Pointer} {
		if v != "" {
			scope = append(scope, v)
		}
	}
	if len(scope) > 0 {
		s += " (" + strings.Join(scope, ", ") + ")"
	}
	return s
}

// accept marks each finding with the first of rec's acceptances that
// matches it and has not expired, and counts, for each acceptance, the
// findings it matched (an expired one's too, which count again).
func (rec *Record) accept(fs []Finding) []int {
	if len(rec.Accept) == 0 {
		return nil
	}
	matched := make([]int, len(rec.Accept))
	lapsed := make([]bool, len(rec.Accept))
	for i, a := range rec.Accept {
		lapsed[i] = a.Expired(rec.Now)
	}
	for fi := range fs {
		f := &fs[fi]
		if len(f.Parts) == 0 {
			rec.acceptFirst(f, matched, lapsed, func(_ int, a *Acceptance) bool { return a.matches(f, rec.Folder, rec.Title) })
			continue
		}
		// A schema cut back is accepted as a whole (its schema's pointer,
		// its value path), or property by property as its parts were
		// before they were grouped: it counts no more once each is.
		wholeHit := make([]bool, len(rec.Accept))
		if rec.acceptFirst(f, matched, lapsed, func(i int, a *Acceptance) bool {
			wholeHit[i] = a.matchesGroup(f, rec.Folder, rec.Title)
			return wholeHit[i]
		}) {
			continue
		}
		// An expired acceptance that matched the whole counted it once.
		all := true
		for pi := range f.Parts {
			p := &f.Parts[pi]
			all = rec.acceptFirst(p, matched, lapsed, func(i int, a *Acceptance) bool {
				return !wholeHit[i] && a.matches(p, rec.Folder, rec.Title)
			}) && all
		}
		if all {
			f.Accepted = f.Parts[0].Accepted
		}
	}
	return matched
}

// acceptFirst marks f with the first of rec's acceptances that match it
// and have not expired, counting each that matches up to that one, and
// reports whether one did.
func (rec *Record) acceptFirst(f *Finding, matched []int, lapsed []bool, match func(i int, a *Acceptance) bool) bool {
	for i := range rec.Accept {
		a := &rec.Accept[i]
		if !match(i, a) {
			continue
		}
		matched[i]++
		if lapsed[i] {
			continue
		}
		f.Accepted = &Accepted{Reason: a.Reason, By: fmt.Sprintf("%s:%d:%d", a.File, a.At.Line, a.At.Column), InChange: a.InChange}
		if a.Expires != nil {
			f.Accepted.Expires = a.Expires.Format("2006-01-02")
		}
		return true
	}
	return false
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

// AcceptanceFindings are the policy's findings about accepted changes, once
// every connector they apply to was judged: an acceptance that expired and
// matched findings (which count again), and one that matched nothing.
// matched counts, for each of accept, the findings it matched over every
// connector (see Judge).
func (p *Policy) AcceptanceFindings(accept []Acceptance, matched []int, now time.Time) []Finding {
	var out []Finding
	for i, a := range accept {
		parts := Finding{Subject: a.String(), ValuePath: "accept", File: a.File,
			New: &connector.Location{Line: a.At.Line, Column: a.At.Column}}
		switch {
		case matched[i] > 0 && a.Expired(now):
			parts.Topic, parts.Args, parts.Count = TopicAcceptanceExpired, []string{a.Expires.Format("2006-01-02")}, matched[i]
			if f, ok := p.Finding(parts); ok {
				out = append(out, f)
			}
		case matched[i] == 0:
			parts.Topic = TopicAcceptanceStale
			if f, ok := p.Finding(parts); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

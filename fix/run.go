package fix

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/message"
)

// Config says how Run judges the update and what it fixes.
type Config struct {
	// Profile and Levels judge each comparison of the rounds (see
	// breaking.NewProfilePolicy): empty, users with the default levels.
	Profile breaking.Profile
	Levels  map[string]breaking.Level
	// Only restricts the fix to the findings of these rules (nil: every
	// rule); the other breaking findings are listed as skipped.
	Only map[string]bool
	// Options are the planner's. Run sets Certification from the profile,
	// and an empty Hide to internal, or to advanced under the certification
	// profile.
	Options Options
	// Load is how each fixed version is loaded again; its size limit grows
	// to the fix's own output.
	Load connector.LoadOptions
}

// Result is what Run did to an update: the breaking findings it fixed,
// those it left to a human and why, the fixed definition, and the checks
// that prove it.
type Result struct {
	Old string `json:"old"`
	New string `json:"new"`
	// Fixed lists the breaking findings of comparing the old with the new
	// definition that comparing the old with the fixed one no longer
	// reports, each with what was done, and those an edit made comparable
	// (Surfaced) that a later edit fixed.
	Fixed []FixedFinding `json:"fixed"`
	// Unfixed lists the breaking findings of comparing the old with the
	// fixed definition, each with why fix left it. Surfaced ones were not
	// among the first findings: an edit made them comparable (an operation
	// whose old id came back is compared with its old self).
	Unfixed []UnfixedFinding `json:"unfixed"`
	// Skipped lists breaking findings of rules Config.Only left out.
	Skipped []UnfixedFinding `json:"skipped,omitempty"`
	// Notes say what the fixed definition's reader should know (repairs
	// carried into it) and what each remedy leaves to check.
	Notes []string `json:"notes,omitempty"`
	// Renames maps the operationIds fix changed, as the new definition has
	// them, to their ids in the fixed one; Moves maps those it moved to
	// another path (Options.VersionPath) to that path.
	Renames map[string]string `json:"renames,omitempty"`
	Moves   map[string]string `json:"moves,omitempty"`
	// Rounds is how many rounds of compare, plan and edit it took.
	Rounds int `json:"rounds"`
	// Output is the fixed definition: the new one's bytes where nothing was
	// edited, and only the edited regions changed.
	Output []byte `json:"-"`
	// Patch is the edits as a JSON Patch (RFC 6902) of the new definition,
	// to apply in order.
	Patch []Op `json:"-"`
	// Check is the proof: comparisons of the fixed definition with both
	// sides.
	Check Check `json:"check"`
	// Connector is what the fix means for the connector's other files,
	// when whole connector folders were fixed (see RunConnector).
	Connector *ConnectorFix `json:"connector,omitempty"`
}

// FixedFinding is a breaking finding that Run repaired.
type FixedFinding struct {
	Rule        string   `json:"rule"`
	OperationID string   `json:"operationId"`
	Operations  []string `json:"operations"`
	// Message is the finding's sentence, as the reports write it.
	Message   string              `json:"message"`
	ValuePath string              `json:"valuePath"`
	Old       *connector.Location `json:"old"`
	// Remedy says what was done.
	Remedy string   `json:"remedy"`
	Notes  []string `json:"notes,omitempty"`
	// Surfaced says the finding was not among the first: an earlier edit
	// made it comparable (an operation whose old id came back is compared
	// with its old self).
	Surfaced bool `json:"surfaced,omitempty"`
}

// UnfixedFinding is a breaking finding that Run left to a human.
type UnfixedFinding struct {
	Rule        string              `json:"rule"`
	OperationID string              `json:"operationId"`
	Reason      string              `json:"reason"`
	Operations  []string            `json:"operations"`
	Message     string              `json:"message"`
	ValuePath   string              `json:"valuePath"`
	Old         *connector.Location `json:"old"`
	Remediation string              `json:"remediation"`
	Surfaced    bool                `json:"surfaced,omitempty"`
}

// Check holds the comparisons that prove a fix.
type Check struct {
	// Breaking counts the breaking findings of comparing the old with the
	// fixed definition: the unfixed ones, and no other.
	Breaking int `json:"breaking"`
	// Removed lists the findings of comparing the new definition (with
	// fix's renames and moves applied) with the fixed one that remove or
	// break something the new definition had. It is empty: fix only adds,
	// and renames what it reports.
	Removed []breaking.Finding `json:"removed"`
	// Retried lists the findings a remedy was applied for that the
	// comparison still reported (then listed as unfixed).
	Retried []string `json:"retried,omitempty"`
}

// Changed reports whether Run edited the new definition.
func (r *Result) Changed() bool { return len(r.Patch) > 0 }

// maxRounds bounds the rounds of compare, plan and edit: a round fixes what
// the comparison shows, and an edit may make more comparable (an operation
// whose id came back is compared with its old self).
const maxRounds = 6

// Run edits the new definition so that the update stops breaking what
// existing flows and apps use, the way Microsoft asks publishers to: each
// breaking finding with a mechanical remedy is repaired (an operation, id,
// route, input or output kept; an operation whose shape changed versioned
// with x-ms-api-annotation), and each without one is listed with the reason.
// Both definitions must be JSON. It works in rounds (compare, plan, edit,
// compare again), since an edit can make more comparable. The result
// carries the fixed definition (only the edited regions differ from new), a
// JSON Patch of the edits, and the proof: comparing old with it shows only
// the unfixed findings, and comparing new (renames applied) with it removes
// nothing. raw is new's bytes as given when the loader had to repair them
// (nil otherwise): the output when nothing needs fixing, which is else
// new's text as loaded. An error means fix cannot edit the definitions
// (YAML, operations it has nowhere to put), ctx ended, or an internal check
// failed, or a rule id or profile of cfg is unknown.
func Run(ctx context.Context, od, nd *connector.Document, raw []byte, cfg Config) (*Result, error) {
	cert := cfg.Profile == breaking.ProfileCertification
	fopts := cfg.Options
	fopts.Certification = cert
	if fopts.Hide == "" {
		fopts.Hide = "internal"
		if cert {
			fopts.Hide = "advanced"
		}
	}
	return run(ctx, cfg, fopts, od, nd, raw)
}

// compare judges the update from old to new with the policy.
func compare(ctx context.Context, policy *breaking.Policy, old, new *connector.Document) (*breaking.Result, error) {
	c, err := policy.Compare(ctx, breaking.DefinitionSide(old, nil), breaking.DefinitionSide(new, nil))
	if err != nil {
		return nil, err
	}
	c.Findings = breaking.Ungrouped(c.Findings) // fix repairs one property at a time
	return breaking.Pair(c), nil
}

// fixFinding is a finding being followed through the rounds.
type fixFinding struct {
	f       breaking.Finding
	remedy  string
	notes   []string
	reason  string
	initial bool
}

func run(ctx context.Context, cfg Config, fopts Options, od, nd *connector.Document, raw []byte) (*Result, error) {
	for _, d := range []struct {
		doc  *connector.Document
		side string
	}{{nd, "the new definition"}, {od, "the old definition, whose parts it copies,"}} {
		if d.doc.Format != "json" {
			return nil, fmt.Errorf("fix edits JSON definitions, and %s (%s) is YAML: convert it to JSON first", d.side, d.doc.Name)
		}
	}
	policy, err := breaking.NewProfilePolicy(cfg.Profile, cfg.Levels)
	if err != nil {
		return nil, err
	}
	res, err := compare(ctx, policy, od, nd)
	if err != nil {
		return nil, err
	}
	out := &Result{Old: od.Name, New: nd.Name, Fixed: []FixedFinding{}, Unfixed: []UnfixedFinding{}}
	tracked := map[string]*fixFinding{}
	var order []string
	selected := func(r *breaking.Result) []breaking.Finding {
		var sel []breaking.Finding
		for _, f := range r.Breaking() {
			if cfg.Only != nil && !cfg.Only[f.Rule] {
				continue
			}
			sel = append(sel, f)
		}
		return sel
	}
	for _, f := range res.Breaking() {
		if cfg.Only != nil && !cfg.Only[f.Rule] {
			out.Skipped = append(out.Skipped, unfixed(f, "not selected (--only)", false))
		}
	}
	for _, f := range selected(res) {
		k := Key(f)
		if _, ok := tracked[k]; !ok {
			tracked[k] = &fixFinding{f: f, initial: true}
			order = append(order, k)
		}
	}
	if len(selected(res)) > 0 {
		if err := checkFixable(nd); err != nil {
			return nil, err
		}
	}
	reasons := map[string]string{} // by ID
	st := NewState()
	// During the rounds the new definition is kept as text, and loaded
	// again for the last check: what the rounds hold is the old definition
	// and the current version.
	newName, newText, newRepaired, newNotes := nd.Name, nd.Source(), nd.Repaired(), nd.Notes
	cur := nd
	nd = nil
	for round := 0; round < maxRounds; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sel := selected(res)
		if len(sel) == 0 {
			break
		}
		for _, f := range sel {
			k := Key(f)
			if t, ok := tracked[k]; ok {
				t.f = detached(f, cur.Source())
				continue
			}
			tracked[k] = &fixFinding{f: detached(f, cur.Source())}
			order = append(order, k)
		}
		plan, ops, text, err := planAndApply(od, cur, sel, fopts, st)
		if err != nil {
			return nil, err
		}
		plan.Detach(cur.Source())
		DetachOps(ops, cur.Source())
		for id, why := range plan.Declined {
			reasons[id] = why
		}
		for _, f := range sel {
			if why, ok := plan.Declined[ID(f)]; ok {
				tracked[Key(f)].reason = why
			}
		}
		if len(ops) == 0 {
			break
		}
		for _, rm := range plan.Remedies {
			for _, k := range rm.Keys {
				if t := tracked[k]; t != nil {
					t.remedy, t.notes = rm.Action, rm.Notes
				}
			}
		}
		// This round's version and its comparison are done with: let them
		// go before the next version loads, so that a fix holds three
		// versions at most (old, new and the current one), not five.
		curDups := dups(cur)
		cur, res, sel = nil, nil, nil
		next, err := connector.LoadText(newName, text, reloadOptions(cfg.Load, text))
		if err != nil {
			return nil, fmt.Errorf("internal error: the fixed definition does not load (round %d): %w", round+1, err)
		}
		if dups(next) > curDups {
			return nil, fmt.Errorf("internal error: the fixed definition has duplicate keys the new one has not (round %d)", round+1)
		}
		out.Patch = append(out.Patch, ops...)
		out.Rounds++
		st = plan.State
		cur = next
		if res, err = compare(ctx, policy, od, cur); err != nil {
			return nil, err
		}
	}

	// What the last comparison still reports is unfixed; what it no longer
	// reports, fixed.
	remaining := map[string]bool{}
	for _, f := range selected(res) {
		k := Key(f)
		remaining[k] = true
		t := tracked[k]
		if t == nil {
			out.Unfixed = append(out.Unfixed, unfixed(f, fmt.Sprintf("found after the last of %d rounds", out.Rounds), true))
			continue
		}
		reason := reasons[ID(f)]
		if reason == "" {
			reason = t.reason
		}
		if reason == "" {
			reason = fmt.Sprintf("still reported after %d rounds", out.Rounds)
		}
		if t.remedy != "" {
			out.Check.Retried = append(out.Check.Retried, f.Rule+": "+t.remedy)
		}
		out.Unfixed = append(out.Unfixed, unfixed(f, reason, !t.initial))
	}
	for _, k := range order {
		t := tracked[k]
		if remaining[k] {
			continue
		}
		remedy := t.remedy
		if remedy == "" {
			remedy = "resolved by the other edits"
		}
		out.Fixed = append(out.Fixed, FixedFinding{Rule: t.f.Rule, OperationID: t.f.Operation, Operations: t.f.Operations,
			Message: message.Of(t.f), ValuePath: t.f.ValuePath, Old: t.f.Old, Remedy: remedy, Notes: t.notes, Surfaced: !t.initial})
	}
	out.Check.Breaking = len(res.Breaking())
	res, od = nil, nil // what follows compares new with the fixed version only
	out.Check.Removed = []breaking.Finding{}
	if len(st.Renames) > 0 {
		out.Renames = st.Renames
	}
	if len(st.Moves) > 0 {
		out.Moves = st.Moves
	}
	if !out.Changed() {
		out.Output = raw
		if raw == nil {
			out.Output = []byte(newText)
		}
		return out, nil
	}
	if newRepaired {
		var repairs []string
		for _, n := range newNotes {
			repairs = append(repairs, n.String())
		}
		out.Notes = append(out.Notes, "the new definition needed lenient repairs, and the fixed one is written from the repaired "+
			"text, so they are in it too: "+strings.Join(repairs, "; "))
	}
	removed, err := removedFromNew(ctx, newName, newText, cur, st, policy)
	if err != nil {
		return nil, err
	}
	out.Output = []byte(cur.Source())
	out.Check.Removed = append(out.Check.Removed, removed...)
	if len(removed) > 0 {
		var lines []string
		for _, f := range removed {
			lines = append(lines, f.Rule+": "+message.Of(f))
		}
		return out, fmt.Errorf("internal error: the fix takes away part of the new definition: %s", strings.Join(lines, "; "))
	}
	return out, nil
}

// planAndApply plans a round and applies it, leaving to the next round the
// remedies whose edits overlap others'.
func planAndApply(od, cur *connector.Document, sel []breaking.Finding, fopts Options, st *State) (*Round, []Op, string, error) {
	deferred := map[string]bool{}
	for attempt := 0; ; attempt++ {
		plan, err := Plan(od, cur, sel, fopts, st, deferred)
		if err != nil {
			return nil, nil, "", err
		}
		ops, owners := plan.Ops()
		if len(ops) == 0 {
			return plan, nil, "", nil
		}
		text, err := Apply(cur, ops)
		var ce *ConflictError
		if errors.As(err, &ce) && attempt < 20 {
			owner := owners[ce.B]
			if owner < 0 {
				owner = owners[ce.A]
			}
			if owner < 0 {
				return nil, nil, "", fmt.Errorf("internal error: shared edits overlap: %w", err)
			}
			for _, k := range plan.Remedies[owner].Keys {
				deferred[k] = true
			}
			continue
		}
		if errors.As(err, &ce) {
			return nil, nil, "", fmt.Errorf("internal error: the planned edits overlap: %s %s and %s %s", ops[ce.A].Op, ops[ce.A].Path,
				ops[ce.B].Op, ops[ce.B].Path)
		}
		if err != nil {
			return nil, nil, "", fmt.Errorf("internal error: the planned edits do not apply: %w", err)
		}
		return plan, ops, text, nil
	}
}

func dups(d *connector.Document) int {
	n := 0
	for _, note := range d.Notes {
		if strings.Contains(note.Message, "duplicate key") {
			n++
		}
	}
	return n
}

// removedFromNew compares the new definition (its name and text), with
// fix's renames and moves applied, with the fixed one, and returns what the
// fix took away.
func removedFromNew(ctx context.Context, name, text string, fixed *connector.Document, st *State, policy *breaking.Policy) ([]breaking.Finding, error) {
	base, err := connector.LoadText(name, text, connector.LoadOptions{MaxBytes: int64(len(text)) + 1})
	if err != nil {
		return nil, fmt.Errorf("internal error: the new definition does not load again: %w", err)
	}
	if len(st.Renames) > 0 || len(st.Moves) > 0 || len(st.Params) > 0 {
		ops, err := Renamed(base, st)
		if err != nil {
			return nil, err
		}
		if len(ops) > 0 {
			renamed, err := Apply(base, ops)
			if err != nil {
				return nil, fmt.Errorf("internal error: renaming the new definition: %w", err)
			}
			base = nil
			if base, err = connector.LoadText(name, renamed, connector.LoadOptions{MaxBytes: int64(len(renamed)) + 1}); err != nil {
				return nil, fmt.Errorf("internal error: the renamed new definition does not load: %w", err)
			}
		}
	}
	res, err := compare(ctx, policy, base, fixed)
	if err != nil {
		return nil, err
	}
	var out []breaking.Finding
	for _, f := range res.Findings() {
		if f.Level >= breaking.Breaking || ruleOf(f).TakesAway {
			out = append(out, f)
		}
	}
	return out, nil
}

func unfixed(f breaking.Finding, reason string, surfaced bool) UnfixedFinding {
	return UnfixedFinding{Rule: f.Rule, OperationID: f.Operation, Reason: reason, Operations: f.Operations, Message: message.Of(f),
		ValuePath: f.ValuePath, Old: f.Old, Remediation: f.Remediation, Surfaced: surfaced}
}

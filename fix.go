package connectordiff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/fix"
	"github.com/connectordiff/connectordiff/logsafe"
)

// FixOption configures Fix: every Option of Compare (WithProfile,
// WithLevel, WithMaxBytes, WithNames) is one, and so are FixOnly, FixHide
// and FixVersionPath.
type FixOption interface{ applyFix(*fixConfig) error }

func (o Option) applyFix(c *fixConfig) error { return o(&c.config) }

type fixOption func(*fixConfig) error

func (o fixOption) applyFix(c *fixConfig) error { return o(c) }

type fixConfig struct {
	config
	only        map[string]bool
	hide        string
	versionPath string
}

// FixOnly restricts Fix to the findings of the given rules; the other
// breaking findings are listed as skipped.
func FixOnly(rules ...string) FixOption {
	return fixOption(func(c *fixConfig) error {
		for _, id := range rules {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			if _, ok := breaking.Lookup(id); !ok {
				return fmt.Errorf("unknown rule id %s (see `connectordiff rules`)", id)
			}
			if c.only == nil {
				c.only = map[string]bool{}
			}
			c.only[id] = true
		}
		return nil
	})
}

// FixHide sets the x-ms-visibility of the operations Fix keeps for existing
// users (restored operations, old revisions): "internal", as Microsoft's
// versioning examples do, or "advanced", which Microsoft's validator does
// not report as hiding an operation. By default it is internal, and
// advanced under the certification profile.
func FixHide(visibility string) FixOption {
	return fixOption(func(c *fixConfig) error {
		switch visibility {
		case "internal", "advanced":
			c.hide = visibility
			return nil
		}
		return fmt.Errorf("hide: want internal or advanced, got %q", visibility)
	})
}

// FixVersionPath declares that the backend serves the new shape of the
// connector's operations under a path prefix, such as "/v2": an operation
// whose change needs versioning but whose route did not change then keeps
// its old shape on its route and gets its new shape at prefix + path. Fix
// never assumes it, since only the publisher knows what the backend serves.
func FixVersionPath(prefix string) FixOption {
	return fixOption(func(c *fixConfig) error {
		p := strings.Trim(prefix, "/")
		if p == "" || strings.ContainsAny(p, "{}?#") {
			return fmt.Errorf("version path: want a path prefix such as /v2, got %q", prefix)
		}
		c.versionPath = "/" + p
		return nil
	})
}

// FixResult is what Fix did to an update: the breaking findings it fixed,
// those it left to a human and why, the fixed definition, and the checks
// that prove it.
type FixResult struct {
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
	// Skipped lists breaking findings of rules FixOnly left out.
	Skipped []UnfixedFinding `json:"skipped,omitempty"`
	// Notes say what the fixed definition's reader should know (repairs
	// carried into it) and what each remedy leaves to check.
	Notes []string `json:"notes,omitempty"`
	// Renames maps the operationIds fix changed, as the new definition has
	// them, to their ids in the fixed one; Moves maps those it moved to
	// another path (FixVersionPath) to that path.
	Renames map[string]string `json:"renames,omitempty"`
	Moves   map[string]string `json:"moves,omitempty"`
	// Rounds is how many rounds of compare, plan and edit it took.
	Rounds int `json:"rounds"`
	// Output is the fixed definition: the new one's bytes where nothing was
	// edited, and only the edited regions changed.
	Output []byte `json:"-"`
	// Patch is the edits as a JSON Patch (RFC 6902) of the new definition,
	// to apply in order.
	Patch []fix.Op `json:"-"`
	// Check is the proof: comparisons of the fixed definition with both
	// sides.
	Check FixCheck `json:"check"`
}

// FixedFinding is a breaking finding that Fix repaired.
type FixedFinding struct {
	Rule        string         `json:"rule"`
	OperationID string         `json:"operationId"`
	Operations  []string       `json:"operations"`
	Message     string         `json:"message"`
	ValuePath   string         `json:"valuePath"`
	Old         *diff.Location `json:"old"`
	// Remedy says what was done.
	Remedy string   `json:"remedy"`
	Notes  []string `json:"notes,omitempty"`
	// Surfaced says the finding was not among the first: an earlier edit
	// made it comparable (an operation whose old id came back is compared
	// with its old self).
	Surfaced bool `json:"surfaced,omitempty"`
}

// UnfixedFinding is a breaking finding that Fix left to a human.
type UnfixedFinding struct {
	Rule        string         `json:"rule"`
	OperationID string         `json:"operationId"`
	Reason      string         `json:"reason"`
	Operations  []string       `json:"operations"`
	Message     string         `json:"message"`
	ValuePath   string         `json:"valuePath"`
	Old         *diff.Location `json:"old"`
	Remediation string         `json:"remediation"`
	Surfaced    bool           `json:"surfaced,omitempty"`
}

// FixCheck holds the comparisons that prove a fix.
type FixCheck struct {
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

// Changed reports whether Fix edited the new definition.
func (r *FixResult) Changed() bool { return len(r.Patch) > 0 }

// maxRounds bounds the rounds of compare, plan and edit: a round fixes what
// the comparison shows, and an edit may make more comparable (an operation
// whose id came back is compared with its old self).
const maxRounds = 6

// removals are the rules whose findings, from the new to the fixed
// definition, would mean that fix took away part of the new shape.
var removals = map[string]bool{
	"operation-removed": true, "operation-id-changed": true, "operation-path-changed": true, "operation-method-changed": true,
	"parameter-removed": true, "parameter-renamed": true, "parameter-location-changed": true, "request-body-property-removed": true,
	"request-restructured": true, "response-removed": true, "response-schema-removed": true, "response-property-removed": true,
	"response-restructured": true, "response-header-removed": true, "dynamic-values-target-removed": true,
	"parameter-type-changed": true, "request-body-type-changed": true, "response-property-type-changed": true,
}

// Fix edits the new definition so that the update stops breaking what
// existing flows and apps use, the way Microsoft asks publishers to: each
// breaking finding with a mechanical remedy is repaired (an operation, id,
// route, input or output kept; an operation whose shape changed versioned
// with x-ms-api-annotation), and each without one is listed with the reason.
// Both definitions must be JSON. The result carries the fixed definition
// (only the edited regions differ from new), a JSON Patch of the edits, and
// the proof: comparing old with it shows only the unfixed findings, and
// comparing new (renames applied) with it removes nothing. An error means an
// input could not be read, or an internal check failed.
func Fix(ctx context.Context, old, new []byte, opts ...FixOption) (*FixResult, error) {
	cfg, err := newFixConfig(opts)
	if err != nil {
		return nil, err
	}
	od, err := diff.Load(cfg.oldName, old, cfg.load)
	if err != nil {
		return nil, err
	}
	nd, err := diff.Load(cfg.newName, new, cfg.load)
	if err != nil {
		return nil, err
	}
	// The output of a fix that changes nothing is new as given: its loaded
	// text is the same bytes unless the loader repaired them, so only then
	// is new kept (a definition of 60 MB is a tenth of what a fix holds).
	if !nd.Repaired() {
		new = nil
	}
	return fixDocuments(ctx, cfg, od, nd, new)
}

// FixDocuments is Fix for definitions already loaded with diff.Load. When
// nothing needs fixing, the output is new's text as loaded (repaired, if the
// loader had to).
func FixDocuments(ctx context.Context, old, new *diff.Document, opts ...FixOption) (*FixResult, error) {
	cfg, err := newFixConfig(opts)
	if err != nil {
		return nil, err
	}
	return fixDocuments(ctx, cfg, old, new, nil)
}

func newFixConfig(opts []FixOption) (*fixConfig, error) {
	base, err := newConfig(nil)
	if err != nil {
		return nil, err
	}
	c := &fixConfig{config: *base}
	for _, o := range opts {
		if err := o.applyFix(c); err != nil {
			return nil, err
		}
	}
	if c.hide == "" {
		c.hide = "internal"
		if c.profile == breaking.ProfileCertification {
			c.hide = "advanced"
		}
	}
	return c, nil
}

// compareOptions are the options of the comparisons a fix runs.
func (c *fixConfig) compareOptions() []Option {
	opts := []Option{WithProfile(c.profile)}
	for id, l := range c.levels {
		opts = append(opts, WithLevel(id, l))
	}
	return opts
}

// fixFinding is a finding being followed through the rounds.
type fixFinding struct {
	f       breaking.Finding
	remedy  string
	notes   []string
	reason  string
	initial bool
}

func fixDocuments(ctx context.Context, cfg *fixConfig, od, nd *diff.Document, raw []byte) (*FixResult, error) {
	for _, d := range []struct {
		doc  *diff.Document
		side string
	}{{nd, "the new definition"}, {od, "the old definition, whose parts it copies,"}} {
		if d.doc.Format != "json" {
			return nil, fmt.Errorf("fix edits JSON definitions, and %s (%s) is YAML: convert it to JSON first", d.side, d.doc.Name)
		}
	}
	copts := cfg.compareOptions()
	res, err := CompareDocuments(ctx, od, nd, copts...)
	if err != nil {
		return nil, err
	}
	out := &FixResult{Old: od.Name, New: nd.Name, Fixed: []FixedFinding{}, Unfixed: []UnfixedFinding{}}
	tracked := map[string]*fixFinding{}
	var order []string
	selected := func(r *Result) []breaking.Finding {
		var sel []breaking.Finding
		for _, f := range r.Breaking() {
			if cfg.only != nil && !cfg.only[f.Rule] {
				continue
			}
			sel = append(sel, f)
		}
		return sel
	}
	for _, f := range res.Breaking() {
		if cfg.only != nil && !cfg.only[f.Rule] {
			out.Skipped = append(out.Skipped, unfixed(f, "not selected (--only)", false))
		}
	}
	for _, f := range selected(res) {
		k := fix.Key(f)
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
	reasons := map[string]string{} // by fix.ID
	fopts := fix.Options{Hide: cfg.hide, Certification: cfg.profile == breaking.ProfileCertification, VersionPath: cfg.versionPath}
	st := fix.NewState()
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
			k := fix.Key(f)
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
		fix.DetachOps(ops, cur.Source())
		for id, why := range plan.Declined {
			reasons[id] = why
		}
		for _, f := range sel {
			if why, ok := plan.Declined[fix.ID(f)]; ok {
				tracked[fix.Key(f)].reason = why
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
		next, err := diff.LoadText(newName, text, reloadOptions(cfg.load, text))
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
		if res, err = CompareDocuments(ctx, od, cur, copts...); err != nil {
			return nil, err
		}
	}

	// What the last comparison still reports is unfixed; what it no longer
	// reports, fixed.
	remaining := map[string]bool{}
	for _, f := range selected(res) {
		k := fix.Key(f)
		remaining[k] = true
		t := tracked[k]
		if t == nil {
			out.Unfixed = append(out.Unfixed, unfixed(f, fmt.Sprintf("found after the last of %d rounds", out.Rounds), true))
			continue
		}
		reason := reasons[fix.ID(f)]
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
			Message: t.f.Message, ValuePath: t.f.ValuePath, Old: t.f.Old, Remedy: remedy, Notes: t.notes, Surfaced: !t.initial})
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
	removed, err := removedFromNew(ctx, newName, newText, cur, st, copts)
	if err != nil {
		return nil, err
	}
	out.Output = []byte(cur.Source())
	out.Check.Removed = append(out.Check.Removed, removed...)
	if len(removed) > 0 {
		var lines []string
		for _, f := range removed {
			lines = append(lines, f.Rule+": "+f.Message)
		}
		return out, fmt.Errorf("internal error: the fix takes away part of the new definition: %s", strings.Join(lines, "; "))
	}
	return out, nil
}

// planAndApply plans a round and applies it, leaving to the next round the
// remedies whose edits overlap others'.
func planAndApply(od, cur *diff.Document, sel []breaking.Finding, fopts fix.Options, st *fix.State) (*fix.Round, []fix.Op, string, error) {
	deferred := map[string]bool{}
	for attempt := 0; ; attempt++ {
		plan, err := fix.Plan(od, cur, sel, fopts, st, deferred)
		if err != nil {
			return nil, nil, "", err
		}
		ops, owners := plan.Ops()
		if len(ops) == 0 {
			return plan, nil, "", nil
		}
		text, err := fix.Apply(cur, ops)
		var ce *fix.ConflictError
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

func dups(d *diff.Document) int {
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
func removedFromNew(ctx context.Context, name, text string, fixed *diff.Document, st *fix.State, copts []Option) ([]breaking.Finding, error) {
	base, err := diff.LoadText(name, text, diff.LoadOptions{MaxBytes: int64(len(text)) + 1})
	if err != nil {
		return nil, fmt.Errorf("internal error: the new definition does not load again: %w", err)
	}
	if len(st.Renames) > 0 || len(st.Moves) > 0 || len(st.Params) > 0 {
		ops, err := fix.Renamed(base, st)
		if err != nil {
			return nil, err
		}
		if len(ops) > 0 {
			renamed, err := fix.Apply(base, ops)
			if err != nil {
				return nil, fmt.Errorf("internal error: renaming the new definition: %w", err)
			}
			base = nil
			if base, err = diff.LoadText(name, renamed, diff.LoadOptions{MaxBytes: int64(len(renamed)) + 1}); err != nil {
				return nil, fmt.Errorf("internal error: the renamed new definition does not load: %w", err)
			}
		}
	}
	res, err := CompareDocuments(ctx, base, fixed, copts...)
	if err != nil {
		return nil, err
	}
	var out []breaking.Finding
	for _, f := range res.Findings {
		if f.Level >= breaking.Breaking || removals[f.Rule] {
			out = append(out, f)
		}
	}
	return out, nil
}

func unfixed(f breaking.Finding, reason string, surfaced bool) UnfixedFinding {
	return UnfixedFinding{Rule: f.Rule, OperationID: f.Operation, Reason: reason, Operations: f.Operations, Message: f.Message,
		ValuePath: f.ValuePath, Old: f.Old, Remediation: f.Remediation, Surfaced: surfaced}
}

// WriteSummary writes what Fix did and what it left to a human, with the
// reasons, as text. The operationIds, names and paths it quotes come from
// the documents and are escaped (see logsafe.Line).
func (r *FixResult) WriteSummary(w io.Writer) error {
	var b strings.Builder
	total := len(r.Fixed) + len(r.Unfixed)
	fixed := len(r.Fixed)
	switch {
	case total == 0 && len(r.Skipped) == 0:
		fmt.Fprintf(&b, "connectordiff fix: nothing to fix: the update breaks nothing\n")
	default:
		fmt.Fprintf(&b, "connectordiff fix: %d of %d breaking findings fixed", fixed, total)
		if len(r.Unfixed) > 0 {
			fmt.Fprintf(&b, ", %d left to you", len(r.Unfixed))
		}
		if len(r.Skipped) > 0 {
			fmt.Fprintf(&b, ", %d skipped (--only)", len(r.Skipped))
		}
		fmt.Fprintf(&b, "\n")
	}
	w1, w2 := 4, 4
	for _, f := range r.Fixed {
		w1, w2 = max(w1, utf8.RuneCountInString(logsafe.Line(f.Rule))), max(w2, utf8.RuneCountInString(logsafe.Line(f.OperationID)))
	}
	for _, f := range r.Unfixed {
		w1, w2 = max(w1, utf8.RuneCountInString(logsafe.Line(f.Rule))), max(w2, utf8.RuneCountInString(logsafe.Line(f.OperationID)))
	}
	row := func(rule, op, text string) {
		fmt.Fprintf(&b, "  %s  %s  %s\n", padRight(logsafe.Line(rule), w1), padRight(logsafe.Line(op), w2), logsafe.Line(text))
	}
	if len(r.Fixed) > 0 {
		fmt.Fprintf(&b, "\nFixed:\n")
		for _, f := range r.Fixed {
			remedy := f.Remedy
			if f.Surfaced {
				remedy = "(found once an earlier edit made it comparable) " + remedy
			}
			row(f.Rule, orDash(f.OperationID), remedy)
			for _, n := range f.Notes {
				row("", "", "  check: "+n)
			}
		}
	}
	if len(r.Unfixed) > 0 {
		fmt.Fprintf(&b, "\nLeft to you:\n")
		for _, f := range r.Unfixed {
			row(f.Rule, orDash(f.OperationID), f.Message)
			why := f.Reason
			if f.Surfaced {
				why = "(found once an earlier edit made it comparable) " + why
			}
			row("", "", "  why: "+why)
		}
	}
	if len(r.Renames) > 0 {
		var list []string
		for _, k := range sortedKeys(r.Renames) {
			s := k + " -> " + r.Renames[k]
			if p, ok := r.Moves[k]; ok {
				s += " (at " + p + ")"
			}
			list = append(list, s)
		}
		fmt.Fprintf(&b, "\nOperations renamed: %s\n", logsafe.Line(strings.Join(list, ", ")))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nNote: %s\n", logsafe.Line(n))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// padRight fills s with spaces to width runes.
func padRight(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package breaking

import (
	"slices"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Circumstances a policy file states that lower breaks to warnings: a
// connector not published yet, which no flow or app can use, and
// operations in preview, which Microsoft lets change. Nothing is lowered
// silently: each finding lowered says why, and where the policy says so.

// previewStatus is what a document says about preview: the connector's
// status (info's x-ms-api-annotation) and each operation's own, which
// wins over the connector's where it gives one.
type previewStatus struct {
	connector bool
	ops       map[string]bool
	all       bool // every operation is in preview, by its own status or the connector's
}

// previewOf reads the preview status of d; nil when nothing in d is in
// preview.
func previewOf(d *connector.Document) *previewStatus {
	if d == nil || d.Root == nil {
		return nil
	}
	annotation := func(n *connector.Node) (status string, ok bool) {
		s := n.Get("x-ms-api-annotation").Get("status")
		if s == nil || !s.IsScalar() {
			return "", false
		}
		return strings.TrimSpace(s.Value()), true
	}
	pv := &previewStatus{ops: map[string]bool{}}
	if s, ok := annotation(d.Root.Get("info")); ok {
		pv.connector = strings.EqualFold(s, "preview")
	}
	any := pv.connector
	for _, o := range d.Operations() {
		if s, ok := annotation(o.Node); ok {
			pv.ops[o.ID] = strings.EqualFold(s, "preview")
			any = any || pv.ops[o.ID]
		}
	}
	if !any {
		return nil
	}
	pv.all = true
	for _, o := range d.Operations() {
		pv.all = pv.all && pv.of(o.ID)
	}
	return pv
}

// wholly reports whether a finding about the connector as a whole, which
// reaches ops (none: every operation), is about preview operations only:
// a connector in preview may hold operations its own status says are in
// production, and their users are not to lose a break's warning.
func (pv *previewStatus) wholly(ops []string) bool {
	if len(ops) == 0 {
		return pv.all
	}
	for _, op := range ops {
		if !pv.of(op) {
			return false
		}
	}
	return true
}

// of reports whether operation op is in preview ("" asks for the
// connector).
func (pv *previewStatus) of(op string) bool {
	if s, ok := pv.ops[op]; ok && op != "" {
		return s
	}
	return pv.connector
}

// mark sets Preview on the findings about preview operations only (and on
// those about the whole connector when every operation they reach is in
// preview). When
// split is set (a policy lowers preview breaks), a breaking finding that
// reaches preview and other operations is split in two, the part about the
// others first, so that only the preview part can be lowered.
func (pv *previewStatus) mark(fs []Finding, split bool) []Finding {
	if pv == nil {
		return fs
	}
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		if f.Operation == "" { // about the connector as a whole
			f.Preview = pv.wholly(f.Operations)
			out = append(out, f)
			continue
		}
		var preview, other []string
		for _, op := range f.Operations {
			if pv.of(op) {
				preview = append(preview, op)
			} else {
				other = append(other, op)
			}
		}
		switch {
		case len(other) == 0:
			f.Preview = true
			out = append(out, f)
		case len(preview) == 0 || !split || f.Level < Breaking:
			out = append(out, f)
		default:
			rest, p := f.only(other), f.only(preview)
			p.Preview = true
			out = append(out, rest, p)
		}
	}
	return out
}

// lower makes the breaks the record's policy lowers warnings, saying why:
// every break of a connector not published yet, and the breaks of preview
// operations when the policy asks for it.
func (rec *Record) lower(fs []Finding) []Finding {
	if rec.Unpublished == "" && rec.PreviewAsWarnings == "" {
		return fs
	}
	for i := range fs {
		f := &fs[i]
		if f.Level < Breaking {
			continue
		}
		var why string
		switch {
		case rec.Unpublished != "":
			why = "the connector is not published yet, so no flow or app uses it: published: false, " + rec.Unpublished
		case f.Preview && rec.PreviewAsWarnings != "" && f.Operation == "":
			why = "every operation it reaches is in preview (x-ms-api-annotation status Preview): previewAsWarnings, " + rec.PreviewAsWarnings
		case f.Preview && rec.PreviewAsWarnings != "":
			why = "the operation is in preview (x-ms-api-annotation status Preview): previewAsWarnings, " + rec.PreviewAsWarnings
		default:
			continue
		}
		f.Level = Warning
		f.Reasons = append(slices.Clip(f.Reasons), why)
	}
	return fs
}

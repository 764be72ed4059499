package breaking

import (
	"context"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// Side is one loaded side of an update: a lone definition, or a whole
// connector folder.
type Side struct {
	Info      DocumentInfo
	Connector *connector.Folder
}

// DefinitionSide is a lone definition as a side, named as d is. raw is the
// bytes it was loaded from, kept to quote when the loader had to repair
// them (nil: d's own text).
func DefinitionSide(d *connector.Document, raw []byte) Side {
	return Side{Info: info(d.Name, d, []connector.File{connector.SourceFile(baseName(d.Name), d, raw)}), Connector: &connector.Folder{Definition: d}}
}

// FolderSide is a whole connector folder as a side, named name.
func FolderSide(c *connector.Folder, name string) Side {
	s := Side{Info: info(name, c.Definition, c.Files), Connector: c}
	s.Info.Folder = true
	if c.Properties != nil {
		s.Info.Notes = append(append([]connector.Note{}, s.Info.Notes...), c.Properties.Notes...)
	}
	return s
}

func info(name string, d *connector.Document, files []connector.File) DocumentInfo {
	ids := d.OperationIDs()
	summaries := map[string]string{}
	for _, o := range d.Operations() {
		if s := o.Node.Get("summary"); s != nil && strings.TrimSpace(s.Value()) != "" {
			summaries[o.ID] = strings.TrimSpace(s.Value())
		}
	}
	return DocumentInfo{File: name, Title: d.Title(), Version: d.Version(), Operations: len(ids), Notes: d.Notes,
		OperationIDs: ids, Summaries: summaries, Sources: files}
}

// VersionsOf is what the version rules look at in an update from old to
// new.
func VersionsOf(old, new Side) Versions {
	v := Versions{Old: old.Info.Version, New: new.Info.Version,
		OldAt: old.Connector.Definition.VersionAt(), NewAt: new.Connector.Definition.VersionAt()}
	if old.Info.Folder {
		v.File = baseName(old.Connector.Definition.Name)
	}
	return v
}

// Compare compares two sides with package diff (whole connectors when the
// old side is a folder, the definitions otherwise) and judges the update,
// as Changed does, with nothing on record.
func (p *Policy) Compare(ctx context.Context, old, new Side) (ConnectorResult, error) {
	var changes []*diff.Change
	var err error
	if old.Info.Folder {
		changes, err = diff.CompareConnectors(ctx, old.Connector, new.Connector)
	} else {
		changes, err = diff.Compare(ctx, old.Connector.Definition, new.Connector.Definition)
	}
	if err != nil {
		return ConnectorResult{}, err
	}
	c, _ := p.Changed(changes, old, new, Record{})
	return c, nil
}

// Changed judges the changes package diff found between two sides (see
// Judge): the result's status is changed; a repository comparison names
// its folders. matched counts the findings each of rec.Accept matched.
func (p *Policy) Changed(changes []*diff.Change, old, new Side, rec Record) (_ ConnectorResult, matched []int) {
	c := ConnectorResult{Status: StatusChanged, Profile: p.profile, Old: old.Info, New: new.Info, Unpublished: rec.Unpublished}
	c.Findings, matched = p.judge(changes, VersionsOf(old, new), rec, previewOf(old.Connector.Definition))
	c.Summary = SummaryOf(c.Findings)
	return c, matched
}

// Added judges a connector that appeared: nothing existing can break, but
// the report says what came.
func (p *Policy) Added(new Side, rec Record) (_ ConnectorResult, matched []int) {
	c := ConnectorResult{Status: StatusAdded, Profile: p.profile, New: new.Info, Unpublished: rec.Unpublished}
	c.Findings, matched = p.judge(diff.ConnectorAdded(new.Connector), Versions{}, rec, previewOf(new.Connector.Definition))
	c.Summary = SummaryOf(c.Findings)
	return c, matched
}

// Removed judges a connector that went, which breaks every flow and app
// that uses one of its operations.
func (p *Policy) Removed(old Side, rec Record) (_ ConnectorResult, matched []int) {
	c := ConnectorResult{Status: StatusRemoved, Profile: p.profile, Old: old.Info, Unpublished: rec.Unpublished}
	c.Findings, matched = p.judge(diff.ConnectorRemoved(old.Connector), Versions{}, rec, previewOf(old.Connector.Definition))
	c.Summary = SummaryOf(c.Findings)
	return c, matched
}

// Judge judges the changes of an update in one pass, with what rec holds:
// each change by its rule (see Classify); the removal of an operation that
// rec shows deprecated for at least its window, which is
// deprecated-operation-removed instead (and one deprecated for less says
// so); each finding's id (see Finding.ID); the breaks of a connector rec
// says is not published yet, which are warnings; the marks of the changes
// reviewers accepted, which count no more, a finding split where an
// acceptance speaks for some of its operations only; and then the rules
// that weigh the update as a whole over what is left (a breaking update
// must raise info.version, version-not-bumped, and no update may lower it,
// version-decreased; updates without a breaking finding that no one
// accepted are never asked for a new version). matched counts, for each of
// rec.Accept, the findings it matched, an expired one's included.
func (p *Policy) Judge(changes []*diff.Change, v Versions, rec Record) (findings []Finding, matched []int) {
	return p.judge(changes, v, rec, nil)
}

// judge is Judge, with what the old document says about preview
// operations (nil: nothing is in preview).
func (p *Policy) judge(changes []*diff.Change, v Versions, rec Record, pv *previewStatus) (findings []Finding, matched []int) {
	findings = p.deprecations(p.Classify(changes), rec)
	findings = pv.mark(findings, rec.PreviewAsWarnings != "")
	for i := range findings {
		findings[i].ID = changeID(rec.IDFolder, &findings[i])
	}
	DistinctIDs(findings)
	if len(rec.Accept) > 0 {
		matched = make([]int, len(rec.Accept))
	}
	findings = rec.accept(rec.lower(findings), matched)
	versions := p.versionFindings(findings, v)
	for i := range versions {
		versions[i].ID = changeID(rec.IDFolder, &versions[i])
	}
	findings = append(findings, rec.accept(rec.lower(versions), matched)...)
	DistinctIDs(findings)
	return findings, matched
}

// deprecations judges the removals of operations the record shows
// deprecated: past the window, each is deprecated-operation-removed (gone,
// when the policy turns that rule off); within it, it stays
// operation-removed and says since when.
func (p *Policy) deprecations(fs []Finding, rec Record) []Finding {
	if rec.Window <= 0 || len(rec.Deprecated) == 0 {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		since, ok := rec.Deprecated[f.Operation]
		if !ok || f.Rule != OperationRemoved || f.Operation == "" {
			out = append(out, f)
			continue
		}
		d := &Deprecation{Since: since, Days: int(rec.Now.Sub(since).Hours() / 24), Window: rec.Window}
		if !d.Elapsed() {
			f.Deprecated = d
			out = append(out, f)
			continue
		}
		// The removal says what it said, and since when: the rule, level,
		// hosts and remediation are the deprecated removal's.
		parts := Finding{Kind: f.Kind, Subject: f.Subject, Where: f.Where, Facts: f.Facts, Count: f.Count, Reasons: f.Reasons,
			Merged: f.Merged, Deprecated: d, ValuePath: f.ValuePath, File: f.File, Old: f.Old, New: f.New,
			Operation: f.Operation, Operations: f.Operations, Change: f.Change, Before: since.Format("2006-01-02")}
		if nf, ok := p.judged(DeprecatedOperationRemoved, parts); ok {
			out = append(out, nf)
		}
	}
	return out
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

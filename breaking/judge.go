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
	return DocumentInfo{File: name, Title: d.Title(), Version: d.Version(), Operations: len(ids), Notes: d.Notes,
		OperationIDs: ids, Sources: files}
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
// old side is a folder, the definitions otherwise) and judges the update:
// every change, then the version rules. The result's status is changed;
// a repository comparison names its folders.
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
	c := ConnectorResult{Status: StatusChanged, Profile: p.profile, Old: old.Info, New: new.Info,
		Findings: p.Judge(changes, VersionsOf(old, new))}
	c.Summary = SummaryOf(c.Findings)
	return c, nil
}

// Added judges a connector that appeared: nothing existing can break, but
// the report says what came.
func (p *Policy) Added(new Side) ConnectorResult {
	c := ConnectorResult{Status: StatusAdded, Profile: p.profile, New: new.Info,
		Findings: p.Classify(diff.ConnectorAdded(new.Connector))}
	c.Summary = SummaryOf(c.Findings)
	return c
}

// Removed judges a connector that went, which breaks every flow and app
// that uses one of its operations.
func (p *Policy) Removed(old Side) ConnectorResult {
	c := ConnectorResult{Status: StatusRemoved, Profile: p.profile, Old: old.Info,
		Findings: p.Classify(diff.ConnectorRemoved(old.Connector))}
	c.Summary = SummaryOf(c.Findings)
	return c
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

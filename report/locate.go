package report

import (
	"fmt"
	"path/filepath"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// Site is the one place a single-location format (SARIF, annotations, test
// failures) reports a finding at.
type Site struct {
	// File is the document's name as the result gives it.
	File string
	// Line and Column are 1-based; zero when unknown.
	Line, Column int
	// Old is true when the site is in the old document.
	Old bool
}

// removals are the kinds of change whose subject exists only in the old
// document; the new document holds at most a nearby survivor.
var removals = map[diff.Kind]bool{
	diff.OperationRemoved: true, diff.ParameterRemoved: true, diff.PropertyRemoved: true,
	diff.ResponseRemoved: true, diff.ResponseSchemaRemoved: true, diff.ResponseHeaderRemoved: true,
	diff.SecurityDefinitionRemoved: true,
}

// Locate returns where to report f, a finding of connector c: in the new
// document, or in the old one for a removal (what was removed is only there)
// or when the new side is unknown.
func Locate(c *breaking.ConnectorResult, f breaking.Finding) Site {
	return locate(connectorSection(c), f)
}

func locate(r *section, f breaking.Finding) Site {
	useOld := f.New == nil
	if f.Change != nil {
		useOld = useOld || removals[f.Change.Kind]
	} else {
		// Findings built by hand carry no Change; their rule says which side
		// they are about.
		r, _ := breaking.Lookup(f.Rule)
		useOld = useOld || r.OldSide
	}
	if f.Old == nil {
		useOld = false
	}
	primary, other := f.New, f.Old
	if useOld {
		primary, other = f.Old, f.New
	}
	// A side without a line is no place to point at; the other may be.
	if (primary == nil || primary.Line == 0) && other != nil && other.Line > 0 {
		primary, useOld = other, !useOld
	}
	s := Site{File: sideFile(r.new, fileOf(primary, f)), Old: useOld}
	if useOld {
		s.File = sideFile(r.old, fileOf(primary, f))
	}
	if primary != nil {
		s.Line, s.Column = primary.Line, primary.Column
	}
	return s
}

// ReviewSite is where a CI annotation or a code-scanning result points: in
// the new document whenever the finding has a position there (for a
// removal, the nearest survivor), because a reviewer sees the new files, and
// a line of the old version means nothing in them when both have the same
// path, as in a pull request. Findings only the old document locates stay
// there.
func ReviewSite(c *breaking.ConnectorResult, f breaking.Finding) Site {
	return reviewSite(connectorSection(c), f)
}

func reviewSite(r *section, f breaking.Finding) Site {
	if f.New != nil && f.New.Line > 0 {
		return Site{File: sideFile(r.new, fileOf(f.New, f)), Line: f.New.Line, Column: f.New.Column}
	}
	return locate(r, f)
}

// fileOf names the file loc is in, as the comparison names it: the
// location's own, else the finding's (a location built by hand may not
// say it).
func fileOf(loc *connector.Location, f breaking.Finding) string {
	if loc != nil && loc.File != "" {
		return loc.File
	}
	return f.File
}

// sideFile names the file of one side that file (as the comparison names
// it, see fileOf) is: the side's own file, or, when folders were compared,
// the file inside the folder (the definition, apiProperties.json or
// script.csx), in that side's own case.
func sideFile(side breaking.DocumentInfo, file string) string {
	if side.File == "" {
		return file // a finding about a file of its own, such as a policy file
	}
	if file == "" {
		return side.File
	}
	name := file
	if src, ok := side.Source(file); ok && src.Name != "" {
		name = src.Name
	}
	if !side.Folder && filepath.Ext(side.File) != "" { // a lone definition: its siblings
		return filepath.Join(filepath.Dir(side.File), name)
	}
	return filepath.Join(side.File, name)
}

// where is a finding's position in both documents, "old → new"
// (line:column, "-" for a side without one), led by the file's name when
// the finding is not in the definition.
func where(r *section, f breaking.Finding) string {
	o, n := "-", "-"
	if f.Old != nil && f.Old.Line > 0 {
		o = fmt.Sprintf("%d:%d", f.Old.Line, f.Old.Column)
	}
	if f.New != nil && f.New.Line > 0 {
		n = fmt.Sprintf("%d:%d", f.New.Line, f.New.Column)
	}
	s := o + " → " + n
	if !isDefinition(r, f) {
		s = f.File + " " + s
	}
	return s
}

// Line is a finding on one line, compiler style, for logs and test
// failures: "file:line:column: rule: message [operations]", with the
// document's text escaped (see logsafe.Line) so that it stays one line and
// commands nothing. f is a finding of connector c.
func Line(c *breaking.ConnectorResult, f breaking.Finding) string {
	s := Locate(c, f)
	pos := s.File
	if s.Line > 0 {
		pos += fmt.Sprintf(":%d:%d", s.Line, s.Column)
	}
	out := fmt.Sprintf("%s: %s: %s", pos, f.Rule, Message(f))
	if len(f.Operations) > 0 {
		out += " [" + listOps(f.Operations, 5) + "]"
	}
	return inert(out)
}

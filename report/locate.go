package report

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

// Site is the one place a single-location format (SARIF, annotations, test
// failures) reports a finding at.
type Site struct {
	// File is the document's name as the Result gives it.
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

// Locate returns where to report f: in the new document, or in the old one
// for a removal (what was removed is only there) or when the new side is
// unknown.
func Locate(r *connectordiff.Result, f breaking.Finding) Site {
	useOld := f.New == nil
	if f.Change != nil {
		useOld = useOld || removals[f.Change.Kind]
	} else {
		// Findings built by hand carry no Change; the rule ids of removals
		// say so.
		useOld = useOld || (strings.HasSuffix(f.Rule, "-removed") && f.Rule != "dynamic-values-target-removed")
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
	s := Site{File: sideFile(r.New.File, f), Old: useOld}
	if useOld {
		s.File = sideFile(r.Old.File, f)
	}
	if primary != nil {
		s.Line, s.Column = primary.Line, primary.Column
	}
	return s
}

// sideFile names the file of one side that f is in: the side's own file,
// or, when folders were compared and f is in another file of the connector
// (apiProperties.json, script.csx), that file beside the definition.
func sideFile(side string, f breaking.Finding) string {
	if f.File == "" || side == "" {
		return side
	}
	if filepath.Ext(side) != "" { // the definition itself: its siblings
		return filepath.Join(filepath.Dir(side), f.File)
	}
	return filepath.Join(side, f.File)
}

// Line is a finding on one line, compiler style, for logs and test
// failures: "file:line:column: rule: message [operations]", with the
// document's text escaped so that it stays one line.
func Line(r *connectordiff.Result, f breaking.Finding) string {
	s := Locate(r, f)
	pos := s.File
	if s.Line > 0 {
		pos += fmt.Sprintf(":%d:%d", s.Line, s.Column)
	}
	out := fmt.Sprintf("%s: %s: %s", pos, f.Rule, f.Message)
	if len(f.Operations) > 0 {
		out += " [" + listOps(f.Operations, 5) + "]"
	}
	return visible(out)
}

package report

import (
	"encoding/json"
	"io"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

// SchemaVersion is the version of the JSON report's shape. It changes only
// when a field is removed or changes meaning; new fields may appear.
const SchemaVersion = 1

type jsonReport struct {
	SchemaVersion int                        `json:"schemaVersion"`
	Tool          jsonTool                   `json:"tool"`
	Profile       breaking.Profile           `json:"profile"`
	Old           connectordiff.DocumentInfo `json:"old"`
	New           connectordiff.DocumentInfo `json:"new"`
	Summary       connectordiff.Summary      `json:"summary"`
	Findings      []jsonFinding              `json:"findings"`
}

// jsonTool names the program that wrote the report.
type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// jsonFinding fixes the field order of a finding and prints operationId as
// null for document-level findings.
type jsonFinding struct {
	Rule        string         `json:"rule"`
	Level       breaking.Level `json:"level"`
	Message     string         `json:"message"`
	Operation   *string        `json:"operationId"`
	Operations  []string       `json:"operations"`
	ValuePath   string         `json:"valuePath"`
	Old         *diff.Location `json:"old"`
	New         *diff.Location `json:"new"`
	Before      string         `json:"before"`
	After       string         `json:"after"`
	Remediation string         `json:"remediation"`
	File        string         `json:"file,omitempty"`
	Details     []string       `json:"details,omitempty"`
	Removed     []string       `json:"removed,omitempty"`
	Added       []string       `json:"added,omitempty"`
	// Hosts is never null: [] for a finding that breaks no host.
	Hosts            []breaking.Host `json:"hosts"`
	Certification    breaking.Level  `json:"certification"`
	ValidatorMessage string          `json:"validatorMessage,omitempty"`
}

// JSON writes the machine-readable report: stable field order, every
// finding whatever opts.MinLevel says, in the comparison's order,
// byte-identical for the same input; it reads opts.ToolVersion and
// opts.Compact (one line) only.
func JSON(w io.Writer, r *connectordiff.Result, opts Options) error {
	rep := jsonReport{SchemaVersion: SchemaVersion, Tool: jsonTool{Name: "connectordiff", Version: opts.toolVersion()},
		Profile: r.Profile, Old: r.Old, New: r.New, Summary: r.Summary,
		Findings: make([]jsonFinding, len(r.Findings))}
	// Empty lists print as [] so consumers need not test for null.
	rep.Old.Notes, rep.New.Notes = nonNilNotes(rep.Old.Notes), nonNilNotes(rep.New.Notes)
	for i, f := range r.Findings {
		jf := jsonFinding{Rule: f.Rule, Level: f.Level, Message: f.Message, Operations: f.Operations,
			ValuePath: f.ValuePath, Old: f.Old, New: f.New, Before: f.Before, After: f.After, Remediation: f.Remediation, File: f.File,
			Details: f.Details, Removed: f.Removed, Added: f.Added, Hosts: f.Hosts, Certification: f.Certification,
			ValidatorMessage: f.ValidatorMessage}
		if jf.Hosts == nil {
			jf.Hosts = []breaking.Host{}
		}
		if f.Operation != "" {
			jf.Operation = &f.Operation
		}
		if jf.Operations == nil {
			jf.Operations = []string{}
		}
		rep.Findings[i] = jf
	}
	enc := json.NewEncoder(w)
	if !opts.Compact {
		enc.SetIndent("", "  ")
	}
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

func nonNilNotes(n []diff.Note) []diff.Note {
	if n == nil {
		return []diff.Note{}
	}
	return n
}

package report

import (
	"encoding/json"
	"io"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/escape"
)

// SchemaVersion is the version of the JSON report's shape for a pair. It
// changes only when a field is removed or changes meaning; new fields may
// appear.
const SchemaVersion = 1

type jsonReport struct {
	SchemaVersion int                   `json:"schemaVersion"`
	Tool          jsonTool              `json:"tool"`
	Profile       breaking.Profile      `json:"profile"`
	Old           breaking.DocumentInfo `json:"old"`
	New           breaking.DocumentInfo `json:"new"`
	Summary       jsonSummary           `json:"summary"`
	Findings      []jsonFinding         `json:"findings"`
}

// jsonSummary is a comparison's counts, as the reports of schema versions 1
// and 2 give them for each connector.
type jsonSummary struct {
	breaking.Counts
	Certification breaking.Counts `json:"certification"`
	Accepted      int             `json:"accepted,omitempty"`
}

func jsonSummaryOf(s breaking.Summary) jsonSummary {
	return jsonSummary{Counts: s.Counts, Certification: s.Certification, Accepted: s.Accepted}
}

// jsonRepoSummary is a repository comparison's counts: connectors by
// status, then findings.
type jsonRepoSummary struct {
	Added   int `json:"added"`
	Changed int `json:"changed"`
	Removed int `json:"removed"`
	Renamed int `json:"renamed"`
	// Error counts the connectors that could not be compared.
	Error int `json:"error,omitempty"`
	breaking.Counts
	Certification    breaking.Counts `json:"certification"`
	Accepted         int             `json:"accepted"`
	AcceptedInChange int             `json:"acceptedInChange"`
}

// jsonTool names the program that wrote the report.
type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// jsonFinding fixes the field order of a finding and prints operationId as
// null for document-level findings.
type jsonFinding struct {
	ID          string              `json:"id"`
	Rule        string              `json:"rule"`
	Level       breaking.Level      `json:"level"`
	Message     string              `json:"message"`
	Operation   *string             `json:"operationId"`
	Operations  []string            `json:"operations"`
	ValuePath   string              `json:"valuePath"`
	Old         *connector.Location `json:"old"`
	New         *connector.Location `json:"new"`
	Before      string              `json:"before"`
	After       string              `json:"after"`
	Remediation string              `json:"remediation"`
	File        string              `json:"file,omitempty"`
	Details     []string            `json:"details,omitempty"`
	Removed     []string            `json:"removed,omitempty"`
	Added       []string            `json:"added,omitempty"`
	// Hosts is never null: [] for a finding that breaks no host.
	Hosts            []breaking.Host    `json:"hosts"`
	Certification    breaking.Level     `json:"certification"`
	ValidatorMessage string             `json:"validatorMessage,omitempty"`
	Preview          bool               `json:"preview,omitempty"`
	Accepted         *breaking.Accepted `json:"accepted,omitempty"`
	// AcceptCommand accepts a repository's break on record (see
	// AcceptCommand); absent where nothing is to accept.
	AcceptCommand string `json:"acceptCommand,omitempty"`
}

// JSON writes the machine-readable report: stable field order, every
// finding whatever opts.MinLevel says, in the comparison's order,
// byte-identical for the same input; it reads opts.ToolVersion and
// opts.Compact (one line) only. A pair's report is of schemaVersion 1; a
// repository's, of RepoSchemaVersion, gives the revisions, the summary, the
// policy's own findings, and per connector its folder (from the
// repository's root, the new one for a move), status, verdict, documents,
// summary and findings, in the order of the folders.
func JSON(w io.Writer, r *breaking.Result, opts Options) error {
	if !r.IsPair() {
		return repoJSON(w, r, opts)
	}
	c := &r.Connectors[0]
	rep := jsonReport{SchemaVersion: SchemaVersion, Tool: jsonTool{Name: "connectordiff", Version: opts.toolVersion()},
		Profile: r.Profile, Old: c.Old, New: c.New, Summary: jsonSummaryOf(r.Summary), Findings: jsonFindings(connectorSection(c), c.Findings)}
	// Empty lists print as [] so consumers need not test for null.
	rep.Old.Notes, rep.New.Notes = nonNilNotes(rep.Old.Notes), nonNilNotes(rep.New.Notes)
	return encodeJSON(w, rep, opts)
}

// encodeJSON writes v as JSON whose strings hold the documents' text
// exactly and whose lines no CI system reads as a command (see escape.JSON).
func encodeJSON(w io.Writer, v any, opts Options) error {
	enc := json.NewEncoder(escape.JSONWriter(w))
	if !opts.Compact {
		enc.SetIndent("", "  ")
	}
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// jsonFindings fixes the shape of findings, those of s: never null lists,
// operationId null for connector-wide findings.
func jsonFindings(s *section, fs []breaking.Finding) []jsonFinding {
	out := make([]jsonFinding, len(fs))
	for i, f := range fs {
		jf := jsonFinding{ID: f.ID, Rule: f.Rule, Level: f.Level, Message: Message(f), Operations: f.Operations, Preview: f.Preview,
			ValuePath: f.ValuePath, Old: f.Old, New: f.New, Before: f.Before, After: f.After, Remediation: f.Remediation, File: f.File,
			Details: f.Details, Removed: f.Removed, Added: f.Added, Hosts: f.Hosts, Certification: f.Certification,
			ValidatorMessage: f.ValidatorMessage, Accepted: f.Accepted}
		if jf.Hosts == nil {
			jf.Hosts = []breaking.Host{}
		}
		if f.Operation != "" {
			jf.Operation = &f.Operation
		}
		if jf.Operations == nil {
			jf.Operations = []string{}
		}
		if acceptable(s, f) {
			jf.AcceptCommand = s.accept([]string{f.ID})
		}
		out[i] = jf
	}
	return out
}

// RepoSchemaVersion is the version of the JSON report of a repository
// comparison, whose connectors each hold what a single comparison's report
// holds.
const RepoSchemaVersion = 2

type jsonRepoReport struct {
	SchemaVersion int                   `json:"schemaVersion"`
	Tool          jsonTool              `json:"tool"`
	Profile       breaking.Profile      `json:"profile"`
	Base          string                `json:"base"`
	BaseCommit    string                `json:"baseCommit"`
	Head          string                `json:"head"`
	HeadCommit    string                `json:"headCommit"`
	Verdict       string                `json:"verdict"`
	Summary       jsonRepoSummary       `json:"summary"`
	Policies      []string              `json:"policies"`
	PolicyFrom    breaking.PolicySource `json:"policyFrom"`
	Findings      []jsonFinding         `json:"findings"`
	Connectors    []jsonConnector       `json:"connectors"`
}

type jsonConnector struct {
	Folder    string                 `json:"folder"`
	OldFolder string                 `json:"oldFolder,omitempty"`
	Status    breaking.Status        `json:"status"`
	Verdict   string                 `json:"verdict"`
	Old       *breaking.DocumentInfo `json:"old"`
	New       *breaking.DocumentInfo `json:"new"`
	Summary   jsonSummary            `json:"summary"`
	Findings  []jsonFinding          `json:"findings"`

	// Unpublished says where a policy declares the connector not
	// published yet: its breaks are warnings.
	Unpublished string `json:"unpublished,omitempty"`
	// Error is why a connector with status error could not be compared.
	Error string `json:"error,omitempty"`
}

// repoVerdictOf is a repository's verdict: "breaking", "safe", or
// "incomplete" when nothing judged breaks but some connector could not be
// compared.
func repoVerdictOf(rr *breaking.Result) string {
	if !rr.Summary.Breaks() && len(rr.Unread()) > 0 {
		return "incomplete"
	}
	return verdictOf(rr.Summary.Breaks())
}

// verdictOf is "breaking" or "safe", as the JSON reports say.
func verdictOf(breaks bool) string {
	if breaks {
		return "breaking"
	}
	return "safe"
}

func repoJSON(w io.Writer, rr *breaking.Result, opts Options) error {
	var rg breaking.Range
	if rr.Range != nil {
		rg = *rr.Range
	}
	s := rr.Summary
	rep := jsonRepoReport{SchemaVersion: RepoSchemaVersion, Tool: jsonTool{Name: "connectordiff", Version: opts.toolVersion()},
		Profile: rr.Profile, Base: rg.Base, BaseCommit: rg.BaseCommit, Head: rg.Head, HeadCommit: rg.HeadCommit,
		Verdict: repoVerdictOf(rr), Policies: rr.Policies, PolicyFrom: rr.PolicyFrom,
		Summary: jsonRepoSummary{Added: rr.CountStatus(breaking.StatusAdded), Changed: rr.CountStatus(breaking.StatusChanged),
			Removed: rr.CountStatus(breaking.StatusRemoved), Renamed: rr.CountStatus(breaking.StatusRenamed),
			Error: rr.CountStatus(breaking.StatusError), Counts: s.Counts,
			Certification: s.Certification, Accepted: s.Accepted, AcceptedInChange: s.AcceptedInChange},
		Findings: jsonFindings(policySection(rr), rr.PolicyFindings), Connectors: make([]jsonConnector, len(rr.Connectors))}
	if rep.Policies == nil {
		rep.Policies = []string{}
	}
	for i, c := range rr.Connectors {
		jc := jsonConnector{Folder: c.Folder, OldFolder: c.OldFolder, Status: c.Status, Unpublished: c.Unpublished,
			Verdict: verdictOf(c.Summary.Breaks()), Summary: jsonSummaryOf(c.Summary), Findings: jsonFindings(repoSection(rr, &rr.Connectors[i], opts), c.Findings)}
		if c.Status == breaking.StatusError {
			// Neither side was judged: no document is described.
			jc.Verdict, jc.Error = "error", c.Error
			rep.Connectors[i] = jc
			continue
		}
		if c.Status != breaking.StatusAdded {
			old := c.Old
			old.Notes = nonNilNotes(old.Notes)
			jc.Old = &old
		}
		if c.Status != breaking.StatusRemoved {
			new := c.New
			new.Notes = nonNilNotes(new.Notes)
			jc.New = &new
		}
		rep.Connectors[i] = jc
	}
	return encodeJSON(w, rep, opts)
}

func nonNilNotes(n []connector.Note) []connector.Note {
	if n == nil {
		return []connector.Note{}
	}
	return n
}

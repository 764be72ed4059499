package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/buildinfo"
	"github.com/connectordiff/connectordiff/internal/escape"
	"github.com/connectordiff/connectordiff/report"
)

// SchemaVersion is the version of the JSON history's shape. It changes
// only when a field is removed or changes meaning; new fields may appear.
const SchemaVersion = 1

// The JSON history is one object, written as it comes:
//
//	{"schemaVersion", "tool", "range", "profile", "policies",
//	 "connectors": [{"folder", "title", "profile", "versions": [{"commit",
//	   "date", "author", "subject", "verdict", "counts", "findings", ...}],
//	   "deprecations": [...]}],
//	 "summary": {...}}
//
// with each connector's versions oldest first. Text keeps the documents'
// and commits' own characters (JSON escapes decode to them); a CI command
// in them is neutralised in JSON's own escapes (escape.JSON).
type jsonWriter struct {
	w       io.Writer
	opts    report.Options
	written int // connectors written
	err     error
}

func newJSON(w io.Writer, opts report.Options) *jsonWriter { return &jsonWriter{w: w, opts: opts} }

type jsonRange struct {
	Since       string `json:"since,omitempty"`
	SinceCommit string `json:"sinceCommit,omitempty"`
	Until       string `json:"until"`
	UntilCommit string `json:"untilCommit"`
}

type jsonConnector struct {
	Folder       string            `json:"folder"`
	Title        string            `json:"title"`
	Profile      breaking.Profile  `json:"profile"`
	Versions     []jsonVersion     `json:"versions"`
	Deprecations []jsonDeprecation `json:"deprecations"`
}

type jsonVersion struct {
	Commit        string          `json:"commit"`
	Date          time.Time       `json:"date"`
	Author        string          `json:"author"`
	Subject       string          `json:"subject"`
	Verdict       Verdict         `json:"verdict"`
	Folder        string          `json:"folder"`
	OldFolder     string          `json:"oldFolder,omitempty"`
	Previous      string          `json:"previous,omitempty"`
	Title         string          `json:"title,omitempty"`
	Version       string          `json:"version,omitempty"`
	Counts        breaking.Counts `json:"counts"`
	Certification breaking.Counts `json:"certification"`
	Findings      []Finding       `json:"findings"`
	Error         string          `json:"error,omitempty"`
}

type jsonDeprecation struct {
	Operation  string `json:"operation"`
	Deprecated *Event `json:"deprecated"`
	Removed    *Event `json:"removed"`
	// Days is null when either end is missing.
	Days *int `json:"days"`
}

type jsonSummary struct {
	Commits         int            `json:"commits"`
	Connectors      int            `json:"connectors"`
	Versions        int            `json:"versions"`
	BreakingUpdates int            `json:"breakingUpdates"`
	Policies        []string       `json:"policies"`
	ByBreaking      []jsonTallyRow `json:"byBreaking"`
}

type jsonTallyRow struct {
	Folder          string `json:"folder"`
	Versions        int    `json:"versions"`
	BreakingUpdates int    `json:"breakingUpdates"`
}

// MarshalJSON writes an event as {"commit", "date"}.
func (e Event) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Commit string    `json:"commit"`
		Date   time.Time `json:"date"`
	}{e.Commit, e.Date})
}

// put writes encoded JSON, escaped, indented by prefix.
func (j *jsonWriter) put(prefix string, v any) {
	if j.err != nil {
		return
	}
	data, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		j.err = err
		return
	}
	j.raw(prefix)
	_, j.err = j.w.Write(escape.JSON(data))
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = io.WriteString(j.w, s)
	}
}

func (j *jsonWriter) Begin(h *Header) error {
	version := j.opts.ToolVersion
	if version == "" {
		version = buildinfo.Version()
	}
	until := h.Until
	if until == "" {
		until = "HEAD"
	}
	var head bytes.Buffer
	fields := []struct {
		key string
		v   any
	}{
		{"schemaVersion", SchemaVersion},
		{"tool", map[string]string{"name": "connectordiff", "version": version}},
		{"range", jsonRange{h.Since, h.SinceCommit, until, h.UntilCommit}},
		{"profile", h.Profile},
	}
	head.WriteString("{\n")
	for _, f := range fields {
		data, err := json.Marshal(f.v)
		if err != nil {
			return err
		}
		fmt.Fprintf(&head, "  %q: %s,\n", f.key, data)
	}
	head.WriteString(`  "connectors": [`)
	_, err := j.w.Write(escape.JSON(head.Bytes()))
	return err
}

func (j *jsonWriter) Connector(c *Connector) error {
	jc := jsonConnector{Folder: c.Folder, Title: c.Title, Profile: c.Profile, Versions: make([]jsonVersion, len(c.Versions)),
		Deprecations: make([]jsonDeprecation, len(c.Deprecations))}
	for i, v := range c.Versions {
		jc.Versions[i] = jsonVersion{Commit: v.Commit, Date: v.Date, Author: v.Author, Subject: v.Subject, Verdict: v.Verdict,
			Folder: v.Folder, OldFolder: v.OldFolder, Previous: v.Previous, Title: v.Title, Version: v.InfoVersion,
			Counts: v.Counts, Certification: v.Certification, Findings: v.Findings, Error: v.Error}
		if jc.Versions[i].Findings == nil {
			jc.Versions[i].Findings = []Finding{}
		}
	}
	for i, d := range c.Deprecations {
		jc.Deprecations[i] = jsonDeprecation{Operation: d.Operation, Deprecated: d.Deprecated, Removed: d.Removed}
		if days, ok := d.Days(); ok {
			jc.Deprecations[i].Days = &days
		}
	}
	if j.written > 0 {
		j.raw(",")
	}
	j.raw("\n")
	j.put("    ", jc)
	j.written++
	return j.err
}

func (j *jsonWriter) End(s *Summary) error {
	sum := jsonSummary{Commits: s.Commits, Connectors: s.Connectors, Versions: s.Versions, BreakingUpdates: s.BreakingUpdates,
		Policies: s.Policies, ByBreaking: []jsonTallyRow{}}
	if sum.Policies == nil {
		sum.Policies = []string{}
	}
	for _, t := range byBreaking(s.Tallies) {
		sum.ByBreaking = append(sum.ByBreaking, jsonTallyRow{t.Folder, t.Versions, t.Breaking})
	}
	if j.written > 0 {
		j.raw("\n  ")
	}
	j.raw("],\n  \"summary\": ")
	data, err := json.MarshalIndent(sum, "  ", "  ")
	if err != nil {
		return err
	}
	if j.err == nil {
		_, j.err = j.w.Write(escape.JSON(data))
	}
	j.raw("\n}\n")
	return j.err
}

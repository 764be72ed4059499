package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
)

// ToolURI is the tool's home, as SARIF's informationUri.
const ToolURI = "https://github.com/connectordiff/connectordiff"

// sarifSchema is the SARIF 2.1.0 schema the log declares.
const sarifSchema = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json"

// fingerprintKey names connectordiff's partial fingerprint, which is the
// finding's id (breaking.Finding.ID): code scanning matches results across
// runs by it, as an acceptance does. Version 1 hashed the rule, the value
// path and the sentence, so a new wording or one more place the same change
// reached made a new alert; the version changes only when what is hashed
// does.
const fingerprintKey = "connectordiffFinding/v2"

var sarifLevel = map[breaking.Level]string{breaking.Breaking: "error", breaking.Warning: "warning", breaking.Info: "note"}

// The SARIF 2.1.0 objects the log uses, with only the properties it fills.
// connectordiff once built them with a SARIF library, which filled every
// object with placeholders (-1 indexes, empty lists) that had to be pruned
// again, and whose JSON-schema and HTTP dependencies cost every run of the
// command about 7 ms of start-up; the log's shape is checked against the
// OASIS schema in the tests instead.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool     `json:"tool"`
		ColumnKind string        `json:"columnKind"`
		Results    []sarifResult `json:"results"` // [] when nothing was found; absent would mean the run failed
		// Invocations is there only when a connector could not be
		// compared: the run did not complete, and says why.
		Invocations []sarifInvocation `json:"invocations,omitempty"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules,omitempty"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		ShortDescription     sarifMessage       `json:"shortDescription"`
		FullDescription      sarifMessage       `json:"fullDescription"`
		Help                 sarifMessage       `json:"help"`
		HelpURI              string             `json:"helpUri"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifMessage struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           int                `json:"ruleIndex"`
		Level               string             `json:"level"`
		Message             sarifMessage       `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
		Properties          sarifProperties    `json:"properties"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Status        string `json:"status"`
		Justification string `json:"justification"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
		Message          *sarifMessage `json:"message,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           *sarifRegion  `json:"region,omitempty"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifProperties struct {
		ID               string          `json:"id,omitempty"`
		ValuePath        string          `json:"valuePath"`
		Operations       []string        `json:"operations,omitempty"`
		Hosts            []breaking.Host `json:"hosts,omitempty"`
		Certification    string          `json:"certification"`
		ValidatorMessage string          `json:"validatorMessage,omitempty"`
		Preview          bool            `json:"preview,omitempty"`
		AcceptCommand    string          `json:"acceptCommand,omitempty"`
	}
)

// SARIF writes a SARIF 2.1.0 log for code scanning: one run whose driver
// (with connectordiff's version) lists the rules the findings use (with help
// text and a helpUri into the rule catalog), and one result per finding at
// opts.MinLevel or above, located in the new document, or in the old one for
// removals (see Locate), with the other side as a related location. Columns
// count characters (columnKind unicodeCodePoints). A repository's log holds
// the findings of every connector, and the policy's own findings (which
// name their file); findings a reviewer accepted carry an external
// suppression with the reason, so code scanning shows them as dismissed.
func SARIF(w io.Writer, r *breaking.Result, opts Options) error {
	results := sections(r, opts)
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: "connectordiff", Version: opts.toolVersion(), InformationURI: ToolURI}},
		ColumnKind: "unicodeCodePoints",
		Results:    []sarifResult{},
	}
	used := map[string]bool{}
	for _, r := range results {
		for _, f := range r.findings {
			if f.Level >= opts.minLevel() {
				used[f.Rule] = true
			}
		}
	}
	// Rules in the table's order, so ruleIndex is stable.
	index := map[string]int{}
	for _, rule := range breaking.Rules() {
		if !used[rule.ID] {
			continue
		}
		help := rule.Doc + "\n\nHow to avoid it: " + rule.Remediation
		index[rule.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: rule.ID,
			ShortDescription: sarifMessage{Text: rule.Summary}, FullDescription: sarifMessage{Text: rule.Doc},
			Help: sarifMessage{Text: help, Markdown: help}, HelpURI: opts.ruleLink(rule.ID),
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel[rule.Level]}})
	}
	for _, r := range results {
		for _, f := range r.findings {
			if f.Level < opts.minLevel() {
				continue
			}
			site, msg := reviewSite(r, f), Message(f)
			res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel[f.Level],
				Message:             sarifMessage{Text: sarifText(msg)},
				Locations:           []sarifLocation{sarifPlace(site.File, site.Line, site.Column, "")},
				PartialFingerprints: map[string]string{fingerprintKey: fingerprint(f)},
				Properties: sarifProperties{ID: f.ID, ValuePath: f.ValuePath, Operations: f.Operations, Hosts: f.Hosts,
					Certification: f.Certification.String(), ValidatorMessage: f.ValidatorMessage, Preview: f.Preview}}
			if acceptable(r, f) {
				res.Properties.AcceptCommand = r.accept([]string{f.ID})
			}
			if other := otherSide(r, f, site); other != nil {
				res.RelatedLocations = []sarifLocation{*other}
			}
			if f.Accepted != nil {
				res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted",
					Justification: visible(f.Accepted.Reason + " (" + f.Accepted.By + ")")}}
			}
			run.Results = append(run.Results, res)
		}
	}
	if unread := r.Unread(); len(unread) > 0 {
		inv := sarifInvocation{}
		for _, c := range unread {
			n := sarifNotification{Level: "error", Message: sarifMessage{Text: sarifText(c.Folder + ": " + unreadText(c))}}
			if at := c.ErrorAt; at != nil {
				n.Locations = []sarifLocation{sarifPlace(at.File, at.Line, at.Column, "")}
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
		}
		run.Invocations = []sarifInvocation{inv}
	}
	return encodeJSON(w, sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}, Options{})
}

// otherSide locates f in the document ReviewSite did not choose, if it can
// and that document is another file: a line of the old version of the same
// path would point at the wrong line of the new one.
func otherSide(r *section, f breaking.Finding, site Site) *sarifLocation {
	loc, file, msg := f.Old, sideFile(r.old, fileOf(f.Old, f)), "before the change, in the old document"
	if site.Old {
		loc, file, msg = f.New, sideFile(r.new, fileOf(f.New, f)), "nearest counterpart in the new document"
	}
	if loc == nil || loc.Line == 0 || file == site.File {
		return nil
	}
	l := sarifPlace(file, loc.Line, loc.Column, msg)
	return &l
}

func sarifPlace(file string, line, col int, msg string) sarifLocation {
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(file)}}}
	if line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: line, StartColumn: max(col, 0)}
	}
	if msg != "" {
		loc.Message = &sarifMessage{Text: msg}
	}
	return loc
}

// sarifURI turns a file name into a URI reference: relative names stay
// relative (to the checkout, as code scanning expects), absolute ones become
// file URIs.
func sarifURI(file string) string {
	p := filepath.ToSlash(file)
	if filepath.IsAbs(file) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive letter
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

// sarifText escapes a plain-text SARIF message, where [text](target) is an
// embedded link: brackets from the document must stay literal (§3.11.6).
var sarifEscaper = strings.NewReplacer(`\[`, `\\\[`, `\]`, `\\\]`, "[", `\[`, "]", `\]`)

func sarifText(s string) string { return sarifEscaper.Replace(visible(s)) }

// fingerprint identifies a finding independently of line numbers, so code
// scanning keeps tracking it when lines above it move: its id, or for a
// finding built by hand without one, a hash of its rule, value path and
// sentence.
func fingerprint(f breaking.Finding) string {
	if f.ID != "" {
		return f.ID
	}
	h := sha256.Sum256([]byte(f.Rule + "\x00" + f.ValuePath + "\x00" + Message(f)))
	return hex.EncodeToString(h[:8])
}

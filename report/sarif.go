package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
)

// ToolURI is the tool's home, as SARIF's informationUri.
const ToolURI = "https://github.com/connectordiff/connectordiff"

// fingerprintKey names connectordiff's partial fingerprint. The version
// changes only if what is hashed changes, since code scanning matches
// results across runs by it.
const fingerprintKey = "connectordiffFinding/v1"

var sarifLevel = map[breaking.Level]string{breaking.Breaking: sarif.LevelError, breaking.Warning: sarif.LevelWarning,
	breaking.Info: sarif.LevelNote}

// SARIF writes a SARIF 2.1.0 log for code scanning: one run whose driver
// lists the rules the findings use (with help text and a helpUri into the
// rule catalog), and one result per finding at opts.MinLevel or above,
// located in the new document, or in the old one for removals (see Locate),
// with the other side as a related location.
func SARIF(w io.Writer, r *connectordiff.Result, opts Options) error {
	run := sarif.NewRunWithInformationURI("connectordiff", ToolURI)
	run.Tool.Driver.WithVersion(opts.toolVersion())
	var findings []breaking.Finding
	used := map[string]bool{}
	for _, f := range r.Findings {
		if f.Level >= opts.minLevel() {
			findings = append(findings, f)
			used[f.Rule] = true
		}
	}
	// Rules in the table's order, so ruleIndex is stable.
	for _, rule := range breaking.Rules() {
		if !used[rule.ID] {
			continue
		}
		help := rule.Doc + "\n\nHow to avoid it: " + rule.Remediation
		run.AddRule(rule.ID).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(rule.Summary)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(rule.Doc)).
			WithHelp(sarif.NewMultiformatMessageString().WithText(help).WithMarkdown(help)).
			WithHelpURI(opts.ruleLink(rule.ID)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel[rule.Level]))
	}
	for _, f := range findings {
		res := run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel[f.Level]).
			WithMessage(sarif.NewTextMessage(sarifText(f.Message))).
			WithPartialFingerprints(map[string]string{fingerprintKey: fingerprint(f)})
		site := Locate(r, f)
		res.AddLocation(sarifLocation(site.File, site.Line, site.Column, ""))
		if other := otherSide(r, f, site); other != nil {
			res.AddRelatedLocation(other)
		}
		props := sarif.NewPropertyBag().Add("valuePath", f.ValuePath).Add("certification", f.Certification.String())
		if len(f.Hosts) > 0 {
			props.Add("hosts", f.Hosts)
		}
		if f.ValidatorMessage != "" {
			props.Add("validatorMessage", f.ValidatorMessage)
		}
		if len(f.Operations) > 0 {
			props.Add("operations", f.Operations)
		}
		res.WithProperties(props)
	}
	log := sarif.NewReport()
	log.AddRun(run)
	var raw bytes.Buffer
	if err := log.Write(&raw); err != nil {
		return err
	}
	return writePruned(w, raw.Bytes())
}

// writePruned writes the SARIF log without the placeholders go-sarif fills
// every object with (-1 for an absent index or offset, empty arrays and
// objects), which viewers would otherwise show as data. The keys come out
// sorted, so the output stays deterministic.
func writePruned(w io.Writer, raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(prune(v))
}

// prune drops -1 numbers and empty arrays and objects from a decoded JSON
// value, returning nil when nothing is left of it.
func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "results" {
				// An empty list says the run found nothing; an absent one,
				// that it did not finish (SARIF §3.14.23).
				if p := prune(e); p != nil {
					x[k] = p
				} else {
					x[k] = []any{}
				}
				continue
			}
			if p := prune(e); p == nil {
				delete(x, k)
			} else {
				x[k] = p
			}
		}
		if len(x) == 0 {
			return nil
		}
	case []any:
		out := x[:0]
		for _, e := range x {
			if p := prune(e); p != nil {
				out = append(out, p)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case json.Number:
		if x == "-1" {
			return nil
		}
	}
	return v
}

// otherSide locates f in the document Locate did not choose, if it can.
func otherSide(r *connectordiff.Result, f breaking.Finding, site Site) *sarif.Location {
	loc, file, msg := f.Old, sideFile(r.Old, f), "before the change, in the old document"
	if site.Old {
		loc, file, msg = f.New, sideFile(r.New, f), "nearest counterpart in the new document"
	}
	if loc == nil || loc.Line == 0 {
		return nil
	}
	return sarifLocation(file, loc.Line, loc.Column, msg)
}

func sarifLocation(file string, line, col int, msg string) *sarif.Location {
	phys := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(sarifURI(file)))
	if line > 0 {
		region := sarif.NewRegion().WithStartLine(line)
		if col > 0 {
			region.WithStartColumn(col)
		}
		phys.WithRegion(region)
	}
	loc := sarif.NewLocationWithPhysicalLocation(phys)
	if msg != "" {
		loc.WithMessage(sarif.NewTextMessage(msg))
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
// scanning keeps tracking it when lines above it move.
func fingerprint(f breaking.Finding) string {
	h := sha256.Sum256([]byte(f.Rule + "\x00" + f.ValuePath + "\x00" + f.Message))
	return hex.EncodeToString(h[:8])
}

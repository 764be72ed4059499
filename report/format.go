package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
)

// Format names a renderer.
type Format string

// The formats Render knows.
const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
	FormatSARIF    Format = "sarif"
	FormatJUnit    Format = "junit"
	FormatGitHub   Format = "github"
	FormatAzure    Format = "azure"
	FormatHTML     Format = "html"
)

var formats = []Format{FormatText, FormatJSON, FormatMarkdown, FormatSARIF, FormatJUnit, FormatGitHub, FormatAzure, FormatHTML}

// Formats lists the formats Render knows, in a fixed order.
func Formats() []Format { return append([]Format(nil), formats...) }

// ParseFormat reads a format name, ignoring case ("md" is markdown).
func ParseFormat(s string) (Format, error) {
	name := Format(strings.ToLower(strings.TrimSpace(s)))
	if name == "md" {
		return FormatMarkdown, nil
	}
	for _, f := range formats {
		if f == name {
			return f, nil
		}
	}
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q (want %s)", s, strings.Join(names, ", "))
}

// DefaultMaxChars is the size cap of the Markdown report: GitHub refuses a
// pull-request comment over 65,536 characters, and a little room is left for
// a bot's own header.
const DefaultMaxChars = 65000

// DefaultRulesDoc is where the Markdown report links rule ids: the rule
// catalog, relative to the repository root.
const DefaultRulesDoc = "docs/rules.md"

// RulesDocURL is the rule catalog on the web, for SARIF helpUri, which must
// be absolute for code-scanning viewers.
const RulesDocURL = "https://github.com/connectordiff/connectordiff/blob/main/docs/rules.md"

// Options tune every renderer; each reads the fields it needs.
type Options struct {
	// MinLevel is the least serious level listed (every format but JSON,
	// which always lists everything). Zero means warning.
	MinLevel breaking.Level
	// FailOn is the level from which a JUnit test case fails. Zero means
	// breaking.
	FailOn breaking.Level
	// Color adds ANSI colours to the text report. Callers decide: colour only
	// on a terminal, never when NO_COLOR is set.
	Color bool
	// OldSource and NewSource are the bytes of the two documents. The HTML
	// report quotes the lines around each finding from them, and the JUnit
	// report lists the operations without findings from them; both work
	// without, showing less.
	OldSource, NewSource []byte
	// RulesDoc is the link target of rule ids in the Markdown report; each
	// link adds #<rule-id>. Empty means DefaultRulesDoc.
	RulesDoc string
	// MaxChars caps the Markdown report. Zero means DefaultMaxChars.
	MaxChars int
}

func (o Options) minLevel() breaking.Level {
	if o.MinLevel == breaking.Off {
		return breaking.Warning
	}
	return o.MinLevel
}

func (o Options) failOn() breaking.Level {
	if o.FailOn == breaking.Off {
		return breaking.Breaking
	}
	return o.FailOn
}

// Render writes r in format f.
func Render(w io.Writer, f Format, r *connectordiff.Result, opts Options) error {
	switch f {
	case FormatText:
		return Text(w, r, TextOptions{MinLevel: opts.MinLevel, Color: opts.Color})
	case FormatJSON:
		return JSON(w, r)
	case FormatMarkdown:
		return Markdown(w, r, opts)
	case FormatSARIF:
		return SARIF(w, r, opts)
	case FormatJUnit:
		return JUnit(w, r, opts)
	case FormatGitHub:
		return GitHub(w, r, opts)
	case FormatAzure:
		return Azure(w, r, opts)
	case FormatHTML:
		return HTML(w, r, opts)
	}
	_, err := ParseFormat(string(f))
	return err
}

// group is the findings whose first operation is op ("" for the document).
type group struct {
	op       string
	findings []breaking.Finding
}

// groupFindings groups the findings at min or above by their first
// operation, groups in order of first appearance, the most serious first
// within a group and otherwise in the comparison's order.
func groupFindings(r *connectordiff.Result, min breaking.Level) []group {
	var out []group
	index := map[string]int{}
	for _, f := range r.Findings {
		if f.Level < min {
			continue
		}
		i, ok := index[f.Operation]
		if !ok {
			i = len(out)
			index[f.Operation] = i
			out = append(out, group{op: f.Operation})
		}
		out[i].findings = append(out[i].findings, f)
	}
	for _, g := range out {
		sort.SliceStable(g.findings, func(i, j int) bool { return g.findings[i].Level > g.findings[j].Level })
	}
	return out
}

// groupTitle names a group as the reports show it.
func groupTitle(op string) string {
	if op == "" {
		return "(document)"
	}
	return op
}

// verdictWord is the one-word verdict and its sentence.
func verdictWord(r *connectordiff.Result) (word, sentence string) {
	if r.Summary.Breaking > 0 {
		return "BREAKING", "existing flows or apps will break"
	}
	return "SAFE", "no breaking changes"
}

// listOps joins at most show operation names, saying how many were left out.
func listOps(ops []string, show int) string {
	if len(ops) > show {
		return fmt.Sprintf("%s and %d more", strings.Join(ops[:show], ", "), len(ops)-show)
	}
	return strings.Join(ops, ", ")
}

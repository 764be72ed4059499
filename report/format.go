package report

import (
	"fmt"
	"io"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/buildinfo"
)

// Format names a renderer.
type Format string

// The formats Render knows.
const (
	FormatText      Format = "text"
	FormatJSON      Format = "json"
	FormatMarkdown  Format = "markdown"
	FormatSARIF     Format = "sarif"
	FormatJUnit     Format = "junit"
	FormatGitHub    Format = "github"
	FormatAzure     Format = "azure"
	FormatHTML      Format = "html"
	FormatChangelog Format = "changelog"
)

var formats = []Format{FormatText, FormatJSON, FormatMarkdown, FormatSARIF, FormatJUnit, FormatGitHub, FormatAzure, FormatHTML,
	FormatChangelog}

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

// Options tune every renderer; each reads the fields it needs. The zero
// value of every field means its documented default.
type Options struct {
	// MinLevel is the least serious level listed (every format but JSON,
	// which always lists everything). Zero means warning.
	MinLevel breaking.Level
	// FailOn is the level from which a JUnit test case fails. Zero means
	// breaking; breaking.Never fails none.
	FailOn breaking.Level
	// Color adds ANSI colours to the text report. Callers decide: colour only
	// on a terminal, never when NO_COLOR is set.
	Color bool
	// Explain adds, in the text report, how to avoid each finding on a line
	// of its own.
	Explain bool
	// RulesURL is the rule catalog that findings link to (Markdown, SARIF,
	// HTML), each link adding #<rule-id>. Empty means the catalog of the
	// running version (connectordiff.RulesURL).
	RulesURL string
	// MaxChars caps the Markdown report. Zero means DefaultMaxChars.
	MaxChars int
	// ToolVersion is the version the JSON and SARIF reports give for
	// connectordiff. Empty means the running version (connectordiff.Version).
	ToolVersion string
	// Compact writes the JSON report on one line (JSON Lines), as the
	// command's batch mode does.
	Compact bool
	// AcceptArgs are the arguments of `connectordiff accept` that find a
	// repository comparison's change again, which its reports print before
	// the reason and the ids of each break no one accepted: the gate's
	// --base and whatever else it was given that changes which findings
	// there are. Nil: --base (and --staged) as the result names them.
	AcceptArgs []string
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

func (o Options) rulesURL() string {
	if o.RulesURL == "" {
		return buildinfo.RulesURL()
	}
	return o.RulesURL
}

// ruleLink is the address of a rule's section of the catalog; the id is
// escaped, as a finding built by hand may carry any text.
func (o Options) ruleLink(id string) string { return o.rulesURL() + "#" + url.PathEscape(id) }

func (o Options) toolVersion() string {
	if o.ToolVersion == "" {
		return buildinfo.Version()
	}
	return o.ToolVersion
}

// Render writes r in format f: a pair's report, or a repository's, which
// renders every connector the change touched, led by a summary of them, with
// file paths from the repository's root, and the policy's own findings.
func Render(w io.Writer, f Format, r *breaking.Result, opts Options) error {
	switch f {
	case FormatText:
		return Text(w, r, opts)
	case FormatJSON:
		return JSON(w, r, opts)
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
	case FormatChangelog:
		return Changelog(w, r, opts)
	}
	_, err := ParseFormat(string(f))
	return err
}

// group is the findings of one operation, or the document-level findings of
// one file of the connector.
type group struct {
	// op is the operation ("" for a document-level group).
	op string
	// file names a document-level group's file when it is not the
	// definition (apiProperties.json, script.csx).
	file     string
	worst    breaking.Level
	findings []shownFinding
}

// shownFinding is a finding as a grouped report shows it, with its
// sentence: what it says (Message) and, for the same change in several
// places shown once, in how many; ids are the ids of the findings it
// stands for, its own first.
type shownFinding struct {
	breaking.Finding
	text string
	ids  []string
}

// title names a group as the reports show it.
func (g group) title() string {
	switch {
	case g.op != "":
		return g.op
	case g.file != "":
		return g.file
	}
	return "Connector-wide"
}

// groupFindings groups the findings at min or above: one group per
// operation (by the first operation a finding reaches) and one per file for
// document-level findings. Groups with a breaking finding no one accepted
// come first, then those with warnings, then info, then those whose
// findings were all accepted: what still fails comes first. Among equals,
// document-level groups first, then the operations in the comparison's
// order. Within a group the most serious findings come first, the accepted
// ones last.
func groupFindings(s *section, min breaking.Level) []group {
	var out []group
	index := map[string]int{}
	for _, f := range sameChangeOnce(s.findings, min) {
		g := group{op: f.Operation}
		if g.op == "" && !isDefinition(s, f.Finding) {
			g.file = f.File
		}
		key := g.op + "\x00" + strings.ToLower(g.file)
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, g)
		}
		out[i].findings = append(out[i].findings, f)
		out[i].worst = max(out[i].worst, standing(f.Finding))
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.worst != b.worst {
			return a.worst > b.worst
		}
		return a.op == "" && b.op != ""
	})
	for _, g := range out {
		sort.SliceStable(g.findings, func(i, j int) bool { return standing(g.findings[i].Finding) > standing(g.findings[j].Finding) })
	}
	return out
}

// standing is how far up a finding is shown: by its level, and below every
// level when a reviewer accepted it.
func standing(f breaking.Finding) breaking.Level {
	if f.Accepted != nil {
		return breaking.Off
	}
	return f.Level
}

// sameChangeOnce returns the findings at min or above, with findings that
// say the same thing in different places (a schema copied inline into
// several operations, changed the same way in each) shown once: the first,
// reaching every operation they reach together, saying in how many places.
// JSON and SARIF keep each place.
func sameChangeOnce(fs []breaking.Finding, min breaking.Level) []shownFinding {
	var out []shownFinding
	at := map[string]int{}
	copies := map[int]int{}
	for _, f := range fs {
		if f.Level < min {
			continue
		}
		text := Message(f)
		// An accepted copy is not the same as one that still fails.
		accepted := ""
		if f.Accepted != nil {
			accepted = f.Accepted.By
		}
		k := f.Rule + "\x00" + f.Level.String() + "\x00" + f.File + "\x00" + text + "\x00" + accepted
		i, ok := at[k]
		if !ok || f.Operation == "" {
			at[k] = len(out)
			out = append(out, shownFinding{Finding: f, text: text, ids: []string{f.ID}})
			continue
		}
		g := &out[i]
		g.ids = append(g.ids, f.ID)
		if copies[i] == 0 {
			g.Operations = append([]string(nil), g.Operations...)
		}
		copies[i]++
		for _, op := range f.Operations {
			if !slices.Contains(g.Operations, op) {
				g.Operations = append(g.Operations, op)
			}
		}
	}
	for i, n := range copies {
		out[i].text = inPlaces(out[i].text, n+1, len(out[i].Operations))
	}
	return out
}

// inPlaces is the sentence of a change shown once for the places it is in,
// counted as the lists of operations beside it count: by operation, and by
// place too when one place reaches several operations (a definition shared
// by two of them) or one operation holds several places.
func inPlaces(sentence string, places, operations int) string {
	if places == operations {
		return fmt.Sprintf("%s (the same change in %d operations)", sentence, operations)
	}
	return fmt.Sprintf("%s (the same change in %d places, reaching %d operations)", sentence, places, operations)
}

// changeCounts counts, by level, the changes the grouped reports show (the
// same change in several places once) among the findings not accepted,
// which Summary counts one per place.
func changeCounts(secs ...*section) breaking.Counts {
	var c breaking.Counts
	for _, s := range secs {
		for _, f := range sameChangeOnce(s.findings, breaking.Info) {
			if f.Accepted != nil {
				continue
			}
			switch f.Level {
			case breaking.Breaking:
				c.Breaking++
			case breaking.Warning:
				c.Warning++
			case breaking.Info:
				c.Info++
			}
		}
	}
	return c
}

// countsInChanges is "63 breaking in 2 changes, 1 warning, 2 info": the
// findings of each level, and the changes they are where a report shows
// fewer lines than findings, so that a count matches what is listed.
func countsInChanges(c, changes breaking.Counts) string {
	in := func(n, shown int) string {
		if shown >= n || shown == 0 {
			return ""
		}
		return " in " + plural(shown, "change")
	}
	return fmt.Sprintf("%d breaking%s, %s%s, %d info%s", c.Breaking, in(c.Breaking, changes.Breaking),
		plural(c.Warning, "warning"), in(c.Warning, changes.Warning), c.Info, in(c.Info, changes.Info))
}

// isDefinition reports whether f is in the connector's definition (rather
// than apiProperties.json or script.csx).
func isDefinition(s *section, f breaking.Finding) bool {
	if f.File == "" || strings.EqualFold(f.File, connector.DefinitionFile) {
		return true
	}
	def, ok := s.old.Source("")
	return ok && strings.EqualFold(def.Name, f.File)
}

// verdictWord is the one-word verdict and its sentence, in the words of
// the profile.
func verdictWord(profile breaking.Profile, breaks bool) (word, sentence string) {
	switch profile {
	case breaking.ProfilePowerAutomate:
		if breaks {
			return "BREAKING", "existing Power Automate flows will break"
		}
		return "SAFE", "no breaking changes for Power Automate"
	case breaking.ProfilePowerApps:
		if breaks {
			return "BREAKING", "existing Power Apps will break"
		}
		return "SAFE", "no breaking changes for Power Apps"
	case breaking.ProfileLogicApps:
		if breaks {
			return "BREAKING", "existing Logic Apps will break"
		}
		return "SAFE", "no breaking changes for Logic Apps"
	case breaking.ProfileCertification:
		if breaks {
			return "BREAKING", "Microsoft's breaking-change validator would report errors"
		}
		return "SAFE", "Microsoft's breaking-change validator would report no errors"
	}
	if breaks {
		return "BREAKING", "existing flows or apps will break"
	}
	return "SAFE", "no breaking changes"
}

// levelLabel is a finding's level as the human formats show it: a breaking
// finding that breaks only some hosts names them, "BREAKING (Logic Apps)".
func levelLabel(s *section, f breaking.Finding) string {
	if f.Accepted != nil {
		return "ACCEPTED"
	}
	label := strings.ToUpper(f.Level.String())
	var notes []string
	if note := hostsNote(s, f); note != "" {
		notes = append(notes, note)
	}
	if f.Preview {
		notes = append(notes, "preview")
	}
	if len(notes) > 0 {
		label += " (" + strings.Join(notes, "; ") + ")"
	}
	return label
}

// hostsNote names the hosts a breaking finding breaks when they are not all
// of them, under the profiles that speak for every host.
func hostsNote(s *section, f breaking.Finding) string {
	if f.Level != breaking.Breaking || len(f.Hosts) == 0 || len(f.Hosts) == len(breaking.Hosts()) ||
		s.profile != breaking.ProfileUsers && s.profile != "" {
		return ""
	}
	names := make([]string, len(f.Hosts))
	for i, h := range f.Hosts {
		names[i] = h.Title()
	}
	return strings.Join(names, ", ")
}

// certificationLine says what the validator would report, when it differs
// from the profile's own verdict, or "" (under the certification profile, or
// when it adds nothing).
func certificationLine(r *breaking.Result) string {
	c := r.Summary.Certification
	if r.Profile == breaking.ProfileCertification || c.Breaking == r.Summary.Breaking && c.Warning == r.Summary.Warning {
		return ""
	}
	return fmt.Sprintf("Certification: Microsoft's breaking-change validator would report %s and %s (--profile certification lists them)",
		plural(c.Breaking, "error"), plural(c.Warning, "warning"))
}

// listOps joins at most show operation names, saying how many were left out.
func listOps(ops []string, show int) string {
	if len(ops) > show {
		return fmt.Sprintf("%s and %d more", strings.Join(ops[:show], ", "), len(ops)-show)
	}
	return strings.Join(ops, ", ")
}

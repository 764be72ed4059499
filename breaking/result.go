package breaking

import (
	"fmt"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Result is a judged comparison: a list of connector results with the
// status of each, and for a repository comparison the revisions compared,
// the policy files applied and the policy's own findings. A comparison of
// two definitions or two connector folders (a pair) is a result with one
// connector and no revision range.
type Result struct {
	// Profile is the audience the verdict is for.
	Profile Profile `json:"profile"`
	// Range is the revisions a repository comparison compared; nil for a
	// pair.
	Range *Range `json:"range,omitempty"`
	// Connectors are the connectors compared: for a repository, every one
	// the change touched, in the order of their folders.
	Connectors []ConnectorResult `json:"connectors"`
	// PolicyFindings are about the policy itself: accepted changes that
	// expired or matched nothing, and changes to policy files.
	PolicyFindings []Finding `json:"policyFindings,omitempty"`
	// Policies names the policy files applied; those read from the base
	// revision are named COMMIT:PATH.
	Policies []string `json:"policies,omitempty"`
	// PolicyFrom is the revision whose policy files were applied.
	PolicyFrom PolicySource `json:"policyFrom,omitempty"`
	// Summary counts the findings of every connector and the policy's own.
	Summary Summary `json:"summary"`
}

// Range is the revisions a repository comparison compared.
type Range struct {
	// Base is the base revision as given, and BaseCommit the commit the
	// change is compared with: the merge base of base and head.
	Base       string `json:"base"`
	BaseCommit string `json:"baseCommit"`
	// Head is the head revision as given ("" for the work tree, "(staged)"
	// for the staged files), and HeadCommit its commit ("" when not one).
	Head       string `json:"head"`
	HeadCommit string `json:"headCommit,omitempty"`
}

// Status says what a change did to a connector.
type Status string

// The statuses of a connector.
const (
	StatusChanged Status = "changed"
	StatusAdded   Status = "added"
	StatusRemoved Status = "removed"
	StatusRenamed Status = "renamed"
	// StatusError: the connector could not be read or compared (a file
	// that does not parse, a comparison over its budget); its result holds
	// the error, and no findings. The other connectors are judged all the
	// same.
	StatusError Status = "error"
)

// ConnectorResult is the judged comparison of one connector.
type ConnectorResult struct {
	// Folder is the connector's folder from the repository's root, with
	// slashes: the new folder for a rename, the old one for a removal.
	// Empty for a pair, whose sides name their files.
	Folder string `json:"folder,omitempty"`
	// OldFolder is the folder in the base when the connector moved.
	OldFolder string `json:"oldFolder,omitempty"`
	Status    Status `json:"status"`
	// Profile is the audience the findings' levels are for (a connector
	// folder's policy file may choose its own).
	Profile Profile `json:"profile"`
	// Unpublished, when not empty, says where a policy declares the
	// connector not published yet (published: false, FILE:LINE:COLUMN): its
	// breaks are warnings, each saying why.
	Unpublished string `json:"unpublished,omitempty"`
	// Old and New describe the two sides; for an added or removed
	// connector, the side that does not exist is empty.
	Old      DocumentInfo `json:"old"`
	New      DocumentInfo `json:"new"`
	Summary  Summary      `json:"summary"`
	Findings []Finding    `json:"findings"`
	// Error is why the connector could not be compared, when Status is
	// StatusError: a located message (file:line:column: cause), as the
	// command prints it.
	Error string `json:"error,omitempty"`
	// ErrorAt locates Error in a file of the new version (the files a
	// reviewer sees); nil when the error is in the old version or has no
	// place.
	ErrorAt *connector.Location `json:"-"`
	// Err is the error itself, for errors.Is and errors.As.
	Err error `json:"-"`
}

// DocumentInfo describes one side of a comparison.
type DocumentInfo struct {
	// File is the definition's name, or the connector folder's when whole
	// connectors were compared.
	File       string           `json:"file"`
	Title      string           `json:"title"`
	Version    string           `json:"version"`
	Operations int              `json:"operations"`
	Notes      []connector.Note `json:"notes"`
	// Folder is true when File is a connector folder.
	Folder bool `json:"-"`
	// OperationIDs lists the operations in document order, for reports that
	// list operations without findings too.
	OperationIDs []string `json:"-"`
	// Summaries holds, by id, the summary of each operation that has one:
	// the action's name as users see it in the designer.
	Summaries map[string]string `json:"-"`
	// Sources holds each file compared as it was read, the definition first,
	// so that reports quote them without reading anything again.
	Sources []connector.File `json:"-"`
}

// Source returns the file a finding is in, by the name Finding.File gives
// ("" for the definition; matched without regard to case, as folders are),
// with its bytes; ok is false when the side has no such file or its bytes
// are not at hand.
func (d DocumentInfo) Source(file string) (f connector.File, ok bool) {
	if len(d.Sources) == 0 {
		return connector.File{}, false
	}
	if file == "" || strings.EqualFold(file, connector.DefinitionFile) {
		return d.Sources[0], true
	}
	for _, s := range d.Sources {
		if strings.EqualFold(s.Name, file) {
			return s, true
		}
	}
	return connector.File{}, false
}

// Counts counts findings by level.
type Counts struct {
	Breaking int `json:"breaking"`
	Warning  int `json:"warning"`
	Info     int `json:"info"`
}

// add counts one finding at level l.
func (c *Counts) add(l Level) {
	switch l {
	case Breaking:
		c.Breaking++
	case Warning:
		c.Warning++
	case Info:
		c.Info++
	}
}

// plus is the sum of two counts.
func (c Counts) plus(o Counts) Counts {
	return Counts{Breaking: c.Breaking + o.Breaking, Warning: c.Warning + o.Warning, Info: c.Info + o.Info}
}

// Summary counts findings by the level of their profile, and by the level
// Microsoft's breaking-change validator gives them (its errors count as
// breaking), so that one run answers both whom an update breaks and whether
// certification accepts it. Findings accepted on record are counted apart.
type Summary struct {
	Counts
	Certification Counts `json:"certification"`
	// Accepted counts the findings a reviewer accepted on record; they are
	// not in the other counts.
	Accepted int `json:"accepted,omitempty"`
	// AcceptedInChange counts the accepted findings whose acceptance the
	// change itself adds: a reviewer should read those.
	AcceptedInChange int `json:"acceptedInChange,omitempty"`
}

// SummaryOf counts findings.
func SummaryOf(findings []Finding) Summary {
	var s Summary
	for _, f := range findings {
		if f.Accepted != nil {
			s.Accepted++
			if f.Accepted.InChange {
				s.AcceptedInChange++
			}
			continue
		}
		s.add(f.Level)
		s.Certification.add(f.Certification)
	}
	return s
}

// plus is the sum of two summaries.
func (s Summary) plus(o Summary) Summary {
	return Summary{Counts: s.Counts.plus(o.Counts), Certification: s.Certification.plus(o.Certification),
		Accepted: s.Accepted + o.Accepted, AcceptedInChange: s.AcceptedInChange + o.AcceptedInChange}
}

// String is the counts as the reports word them: "6 breaking, 3 warnings,
// 3 info".
func (c Counts) String() string {
	warnings := fmt.Sprintf("%d warnings", c.Warning)
	if c.Warning == 1 {
		warnings = "1 warning"
	}
	return fmt.Sprintf("%d breaking, %s, %d info", c.Breaking, warnings, c.Info)
}

// String is the summary in words: the counts by the profile's levels, by
// certification's, and the accepted findings when there are any, as in
// "6 breaking, 3 warnings, 3 info; certification: 2 breaking, 1 warning,
// 0 info; 2 accepted (1 by this change)".
func (s Summary) String() string {
	out := s.Counts.String() + "; certification: " + s.Certification.String()
	if s.Accepted > 0 {
		out += fmt.Sprintf("; %d accepted", s.Accepted)
		if s.AcceptedInChange > 0 {
			out += fmt.Sprintf(" (%d by this change)", s.AcceptedInChange)
		}
	}
	return out
}

// Breaks is the verdict: some finding not accepted on record is breaking.
func (s Summary) Breaks() bool { return s.Breaking > 0 }

// Pair is the result of comparing two definitions or connector folders
// outside a repository: the one connector c, counted.
func Pair(c ConnectorResult) *Result {
	r := &Result{Profile: c.Profile, Connectors: []ConnectorResult{c}}
	r.Count()
	return r
}

// IsPair reports whether r compares two definitions or connector folders
// (one connector, no revision range, no policy), rather than a repository.
func (r *Result) IsPair() bool {
	return r.Range == nil && len(r.Connectors) == 1 && len(r.PolicyFindings) == 0 && len(r.Policies) == 0
}

// Count fills in the summaries, of each connector and of the whole, from
// the findings: after the findings change, Count again.
func (r *Result) Count() {
	r.Summary = SummaryOf(r.PolicyFindings)
	for i := range r.Connectors {
		c := &r.Connectors[i]
		c.Summary = SummaryOf(c.Findings)
		r.Summary = r.Summary.plus(c.Summary)
	}
}

// Unread lists the connectors that could not be compared (StatusError).
func (r *Result) Unread() []*ConnectorResult {
	var out []*ConnectorResult
	for i := range r.Connectors {
		if r.Connectors[i].Status == StatusError {
			out = append(out, &r.Connectors[i])
		}
	}
	return out
}

// CountStatus counts the connectors of a status.
func (r *Result) CountStatus(s Status) int {
	n := 0
	for _, c := range r.Connectors {
		if c.Status == s {
			n++
		}
	}
	return n
}

// Findings lists every finding: each connector's, in order, then the
// policy's own.
func (r *Result) Findings() []Finding {
	if len(r.Connectors) == 1 && len(r.PolicyFindings) == 0 {
		return r.Connectors[0].Findings
	}
	var out []Finding
	for _, c := range r.Connectors {
		out = append(out, c.Findings...)
	}
	return append(out, r.PolicyFindings...)
}

// Max returns the most serious level among the findings not accepted on
// record, or Off when there are none.
func (r *Result) Max() Level {
	m := maxLevel(r.PolicyFindings)
	for i := range r.Connectors {
		m = max(m, r.Connectors[i].Max())
	}
	return m
}

// Fails reports whether a gate failing at threshold fails this result: some
// finding not accepted on record is at threshold or above. The zero
// threshold (Off) is the default, Breaking, as everywhere a threshold is
// given (report.Options.FailOn, the command's --fail-on and the Action's
// fail-on when empty): a gate whose threshold was left unset still stops a
// breaking change. Never fails nothing; ParseThreshold reads "off" as
// Never.
func (r *Result) Fails(threshold Level) bool {
	if threshold <= Off {
		threshold = Breaking
	}
	return threshold <= Breaking && r.Max() >= threshold
}

// AtLeast returns the findings at level min or above, in the report's order.
func (r *Result) AtLeast(min Level) []Finding { return atLeast(r.Findings(), min) }

// Breaking returns the breaking findings.
func (r *Result) Breaking() []Finding { return r.AtLeast(Breaking) }

// Max returns the most serious level among the connector's findings not
// accepted on record, or Off when there are none.
func (c *ConnectorResult) Max() Level { return maxLevel(c.Findings) }

// AtLeast returns the connector's findings at level min or above.
func (c *ConnectorResult) AtLeast(min Level) []Finding { return atLeast(c.Findings, min) }

// Breaking returns the connector's breaking findings.
func (c *ConnectorResult) Breaking() []Finding { return c.AtLeast(Breaking) }

func maxLevel(fs []Finding) Level {
	m := Off
	for _, f := range fs {
		if f.Level > m && f.Accepted == nil {
			m = f.Level
		}
	}
	return m
}

func atLeast(fs []Finding, min Level) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Level >= min {
			out = append(out, f)
		}
	}
	return out
}

// PolicySource names the revision whose policy files a repository
// comparison applies.
type PolicySource string

const (
	// PolicyFromHead applies the policy files of the change itself: a
	// policy change is reviewed with the pull request that makes it.
	PolicyFromHead PolicySource = "head"
	// PolicyFromBase applies the policy files of the merge base: a pull
	// request cannot accept its own breaks or turn rules off; its policy
	// changes are listed, not applied.
	PolicyFromBase PolicySource = "base"
)

// ParsePolicySource reads "head" or "base".
func ParsePolicySource(s string) (PolicySource, error) {
	switch src := PolicySource(strings.TrimSpace(s)); src {
	case PolicyFromHead, PolicyFromBase:
		return src, nil
	}
	return "", fmt.Errorf("policy source %q: want head or base", s)
}

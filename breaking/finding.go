package breaking

import (
	"time"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// Finding is a change judged by a rule, or a finding of the policy itself
// (a version not raised, an accepted change that expired, a policy file
// changed). What it says is kept in parts (the kind of change or the topic,
// the subject, the values before and after, the reasons for its level), and
// report.Message writes them as one sentence when the finding is shown:
// nothing writes a finding's sentence before then.
type Finding struct {
	// ID names what the change is, whatever the files' layout, across
	// pushes and folder moves (see docs/finding-ids.md); no two findings of
	// a result share one.
	ID    string `json:"id"`
	Rule  string `json:"rule"`
	Level Level  `json:"level"`
	// Kind is the kind of change the finding judges; zero for a finding
	// about something else than a change of the documents, whose Topic says
	// what.
	Kind diff.Kind `json:"-"`
	// Topic is what a finding that judges no change of the documents is
	// about: the version, an accepted change, a policy file.
	Topic Topic `json:"-"`
	// Subject names what changed, as diff.Change.Subject does (an
	// operation, a parameter, a property, a status code...), or what the
	// finding is about (an accepted change, a policy file or setting).
	Subject string `json:"subject,omitempty"`
	// Operation is the first operation the finding reaches, by its old id;
	// empty for document-level findings.
	Operation string `json:"operationId"`
	// Operations lists every operation the finding reaches.
	Operations  []string            `json:"operations"`
	ValuePath   string              `json:"valuePath"`
	Old         *connector.Location `json:"old"`
	New         *connector.Location `json:"new"`
	Before      string              `json:"before"`
	After       string              `json:"after"`
	Remediation string              `json:"remediation"`
	// Details names what changed inside a compound value (a dynamic lookup,
	// OAuth settings, a policy template).
	Details []string `json:"details,omitempty"`
	// Removed and Added are the complete lists of values an enum lost and
	// gained (sentences shorten them).
	Removed []string `json:"removed,omitempty"`
	Added   []string `json:"added,omitempty"`
	// File names the connector file the finding is in when a folder was
	// compared (apiProperties.json, script.csx...); empty otherwise.
	File string `json:"file,omitempty"`
	// Where and Facts are the judged change's (see diff.Change), kept for
	// the words of its sentence: an input or an output, required or
	// optional, the enum values as the document declares them.
	Where diff.Where `json:"-"`
	Facts diff.Facts `json:"-"`
	// Count is how many: for a change, the operations it reaches (a
	// basePath change moves each one's URL); for an accepted change, the
	// findings it covers.
	Count int `json:"-"`
	// Args are the values a topic's sentence names besides its subject, in
	// the order its Topic documents.
	Args []string `json:"-"`
	// Reasons say why the finding's level is below its rule's (an internal
	// operation, a default the designer fills in), in the order they
	// applied.
	Reasons []string `json:"reasons,omitempty"`
	// Parts lists, for a schema cut back or rewritten (one finding per
	// schema and operation), the findings about each property it stands
	// for; Details then names them (see Ungrouped).
	Parts []Finding `json:"-"`
	// Merged lists the findings merged into this one, in order: one edit of
	// a definition that a request and a response share, judged by one rule
	// for both directions, is one finding that says both.
	Merged []Finding `json:"-"`
	// Deprecated is, for the removal of an operation the history shows
	// deprecated, since when and against which window; nil otherwise.
	Deprecated *Deprecation `json:"-"`
	// NotApplied is set on a finding about a change to a policy file that
	// is listed but not applied: the policy is read from the base revision.
	NotApplied bool `json:"-"`
	// Hosts lists the hosts the change breaks, whatever the profile: a path
	// change breaks Logic Apps only. Empty for a change that breaks no host.
	Hosts []Host `json:"hosts"`
	// Certification is the level Microsoft's breaking-change validator gives
	// the change (breaking for its errors), whatever the profile, and
	// ValidatorMessage its wording where known.
	Certification    Level  `json:"certification"`
	ValidatorMessage string `json:"validatorMessage,omitempty"`
	// Preview is set when the finding is about operations in preview
	// (x-ms-api-annotation status Preview, on the connector or on every
	// operation it reaches): context for its reader, which lowers its level
	// only where a policy says so (see Record.PreviewAsWarnings).
	Preview bool `json:"preview,omitempty"`
	// Accepted is set when a reviewer accepted the change on record (in a
	// policy file): the finding is shown, but fails no gate.
	Accepted *Accepted `json:"accepted,omitempty"`
	// Change is the difference the finding judges.
	Change *diff.Change `json:"-"`
}

// Accepted records who accepted a finding and why.
type Accepted struct {
	Reason string `json:"reason"`
	// Expires is the last day the acceptance holds, as YYYY-MM-DD, or "".
	Expires string `json:"expires,omitempty"`
	// By locates the acceptance: policy file, line and column.
	By string `json:"by"`
	// InChange is set when the change under review adds the acceptance
	// itself: its reviewer should read it.
	InChange bool `json:"inChange,omitempty"`
}

// Topic is what a finding that judges no change of the documents is about.
// Each is judged by one rule (see Policy.Finding) and says which parts of
// the finding its sentence names.
type Topic uint8

// The topics of findings.
const (
	// TopicNone: the finding judges a change (its Kind), or was built by
	// hand and says its Subject.
	TopicNone Topic = iota
	// TopicVersionDecreased: info.version went down from Before to After.
	TopicVersionDecreased
	// TopicVersionNotBumped: info.version is still After although the
	// update breaks users.
	TopicVersionNotBumped
	// TopicAcceptanceExpired: the accepted change Subject expired on
	// Args[0]; the Count findings it covered count again.
	TopicAcceptanceExpired
	// TopicAcceptanceStale: the accepted change Subject matched no finding.
	TopicAcceptanceStale
	// TopicAcceptanceAdded: the change adds the accepted change Subject,
	// which accepts Count findings (zero: none said).
	TopicAcceptanceAdded
	// TopicPolicyFileRemoved: the change removes the policy file Subject.
	TopicPolicyFileRemoved
	// TopicPolicySettingChanged: the change sets the setting Subject
	// (profile, policyFrom, deprecationDays) to Args[0], from Args[1] (""
	// when not set).
	TopicPolicySettingChanged
	// TopicPolicyLevelChanged: the change sets the level of rule Subject to
	// Args[0], from Args[1] ("" when the profile's).
	TopicPolicyLevelChanged
	// TopicPolicyFileUnreadable: the policy file Subject in the change does
	// not parse, for the reason Args[0].
	TopicPolicyFileUnreadable
)

// Deprecation is what the history says about an operation an update
// removes: since when it was deprecated, how many days that is before the
// removal, and the window it is judged against (see Record).
type Deprecation struct {
	Since  time.Time
	Days   int
	Window int
}

// Elapsed reports whether the operation was deprecated for at least the
// window before its removal.
func (d *Deprecation) Elapsed() bool { return d.Days >= d.Window }

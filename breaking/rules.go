package breaking

import (
	"slices"
	"strings"
	"unicode"

	"github.com/connectordiff/connectordiff/diff"
)

// Rule is one policy decision: which changes it covers, how serious they are
// by default, and what to tell the publisher. Rule ids are stable API: tools,
// suppressions and level overrides refer to them.
type Rule struct {
	// ID is the rule's stable kebab-case identifier.
	ID string
	// Level is the default level of a change the rule covers: the worst
	// over the hosts (the users profile).
	Level Level
	// Hosts is the level on each host. In the table, a rule whose level is
	// the same everywhere leaves it zero and gives Level.
	Hosts PerHost
	// HostNotes says, for each host whose level differs from the others',
	// what that host stores and why it is (or is not) broken.
	HostNotes map[Host]string
	// Certification is the level Microsoft's breaking-change validator gives
	// the change (an error is breaking): stricter than users in places, and
	// the same as users where public pull requests show nothing else. Zero
	// in the table means Level.
	Certification Level
	// ValidatorMessage is the validator's wording for such a change, where
	// public pull requests quote it.
	ValidatorMessage string
	// Summary is one line for listings.
	Summary string
	// Doc says what existing flows and apps store that the change breaks, or
	// why it is harmless.
	Doc string
	// Remediation says how to make the update without breaking users.
	Remediation string
	// Remedy is what connectordiff fix does for the rule's breaking
	// findings. The table leaves it zero for a rule that never breaks users.
	Remedy Remedy
	// TakesAway says that a finding of the rule means the new side lacks
	// part of the old one's shape: an operation, its id or route, an input,
	// an output, a response, a lookup's target, a type. Comparing an edit's
	// input with its output, such a finding means the edit removed
	// something (fix proves that it only adds).
	TakesAway bool
	// OldSide says that what a finding of the rule is about is only in the
	// old document (it was removed there), so a review points at the old
	// side. It decides for findings made without a change of the documents
	// (Policy.Finding); a finding with its change is located by the
	// change's kind.
	OldSide bool
	// ReleaseNotes word the rule's findings in release notes (see
	// Rule.ReleaseNote); none leaves them out.
	ReleaseNotes []ReleaseNote

	// match reports whether the rule covers a change.
	match func(c *diff.Change) bool
	// ceiling, when set, lowers the level for circumstances that make the
	// change less harmful, and says why. It applies on every host.
	ceiling func(c *diff.Change) (Level, string)
	// certCeiling, when set, replaces ceiling for the certification
	// profile: the validator does not weigh every circumstance users do.
	certCeiling func(c *diff.Change) (Level, string)
	// validatorSeesInternal: the validator reports the change on operations
	// that are x-ms-visibility: internal too, which users never see. The
	// validator does not look at x-ms-visibility at all (DOMAIN.md, "where
	// the validator is stricter": #3117, #2615, #1090), so such a rule's
	// certCeiling lowers nothing for an internal parameter or property
	// either.
	validatorSeesInternal bool
	// validatorFor, when set, picks the validator's wording for a change
	// among several (ValidatorMessage is the usual one).
	validatorFor func(c *diff.Change) string
}

// validatorMessage is the validator's wording for c, or "".
func (r *Rule) validatorMessage(c *diff.Change) string {
	if r.validatorFor != nil {
		return r.validatorFor(c)
	}
	return r.ValidatorMessage
}

// The validator's wordings that several rules share (PowerPlatformConnectors
// pull requests; see docs/hosts.md).
const (
	validatorRequiredField    = "The required input field has been added. Existing flows will not send this new field."
	validatorRequiredParam    = "The required parameter has been added."
	validatorRequiredDefault  = "The required input field has been added with default value." // #1890, #2338
	validatorMadeRequired     = "The input field has been changed from optional to required."
	validatorInputType        = "The type has been changed for the input field. Existing flows will continue to send the field with the old type."
	validatorOutputType       = "The type has been changed for the output field. Existing flows may be broken if they are using this field and actual payload has been changed."
	validatorOutputFormat     = "The type format has been changed for the output field."
	validatorEnumRemoved      = "An enum value has been removed from the input field. Existing flows may have this value chosen and will continue to send it."
	validatorEnumAdded        = "The list of enum values has been added to the input field. Existing flows may use values outside of this list."
	validatorOutputDeleted    = "The output field has been deleted. Existing flows may be broken if they are using this field and actual payload has been changed."
	validatorLocationChanged  = "The location has been changed for the parameter. Existing flows will continue to send the parameter in the old location."
	validatorOperationDeleted = "The operation has been deleted. This change breaks existing flows."
)

// requiredCertCeiling: the validator reports a new or newly required input
// even when it is internal with a default (#2338); only a notification URL,
// which the runtime fills in, is left to users' judgement (no public pull
// request shows it).
func requiredCertCeiling(c *diff.Change) (Level, string) {
	if c.Facts.NotificationURL {
		return Info, "it is a notification URL the runtime fills in"
	}
	return Breaking, ""
}

// trailingSlashCeiling judges a route change that only adds or removes a
// trailing slash: the same route to most backends, on every host.
func trailingSlashCeiling(c *diff.Change) (Level, string) {
	if c.Before != c.After && strings.TrimSuffix(c.Before, "/") == strings.TrimSuffix(c.After, "/") {
		return Warning, "only a trailing slash changed"
	}
	return Breaking, ""
}

// powerFxType is the Power Fx type of a string of the given format, as the
// Power Fx connector library maps it (OpenApiExtensions.GetConnectorType).
func powerFxType(format string) string {
	switch format {
	case "date":
		return "Date"
	case "date-time", "date-no-tz":
		return "DateTime"
	case "byte", "binary":
		return "Blob"
	}
	return "Text"
}

// noCeiling is a certCeiling for changes the validator reports whatever
// their circumstances.
func noCeiling(*diff.Change) (Level, string) { return Breaking, "" }

// readOnlyCertCeiling is the certCeiling of a request property removed or
// moved: the validator judges internal properties like visible ones, and a
// readOnly property, which callers never sent, is left to users' judgement
// (no public pull request shows it).
func readOnlyCertCeiling(c *diff.Change) (Level, string) {
	if c.Facts.ReadOnly {
		return Info, "it was readOnly, so callers never sent it"
	}
	return Breaking, ""
}

// inputTypeCertCeiling judges the type change of an input for the
// validator: "The type has been changed for the input field", typed to
// untyped included (#3546, #480: an object input made untyped), on internal
// inputs too. integer to number and untyped to typed have no public
// verdict, so they keep the users' level.
func inputTypeCertCeiling(c *diff.Change) (Level, string) {
	switch {
	case c.Before == "integer" && c.After == "number":
		return Warning, "integer to number widens what is accepted"
	case c.Before == "":
		return Warning, "the value was untyped before"
	}
	return Breaking, ""
}

func kind(k diff.Kind) func(*diff.Change) bool {
	return func(c *diff.Change) bool { return c.Kind == k }
}

func internalCeiling(l Level) func(c *diff.Change) (Level, string) {
	return func(c *diff.Change) (Level, string) {
		if c.Facts.Internal {
			return l, "it is x-ms-visibility: internal, so no user sets it"
		}
		return Breaking, ""
	}
}

// internalConstraints explains why the constraints of an internal input do
// not matter: when such a field later becomes visible, they never bound a user.
const internalConstraints = "it is internal: its old constraints never bound a user"

// encodingFormats change how a value is written on the wire; the others only
// describe its content.
var encodingFormats = map[string]bool{"byte": true, "binary": true, "date": true, "date-time": true,
	"int32": true, "int64": true, "float": true, "double": true}

var wideningFormats = map[[2]string]bool{{"int32", "int64"}: true, {"float", "double"}: true, {"date", "date-time"}: true}

// inputTypeCeiling judges a type change of something callers send.
func inputTypeCeiling(c *diff.Change) (Level, string) {
	switch {
	case c.Facts.Internal:
		return Info, internalConstraints
	case c.Before == "integer" && c.After == "number":
		return Warning, "integer to number widens what is accepted"
	case c.Before == "":
		return Warning, "the value was untyped before"
	case c.After == "":
		return Info, "the value is untyped now and accepts anything"
	}
	return Breaking, ""
}

// inputFormatCeiling judges a format change of something callers send.
func inputFormatCeiling(c *diff.Change) (Level, string) {
	switch {
	case c.Facts.Internal:
		return Info, internalConstraints
	case c.After == "":
		return Warning, "the format was removed, which loosens the input"
	case wideningFormats[[2]string{c.Before, c.After}]:
		return Warning, c.Before + " to " + c.After + " widens what is accepted"
	case !encodingFormats[c.Before] && !encodingFormats[c.After]:
		return Warning, "a descriptive format changes validation, not the encoding"
	}
	return Breaking, ""
}

// requiredCeiling judges an input that became required or was added required.
func requiredCeiling(c *diff.Change) (Level, string) {
	f := c.Facts
	switch {
	case f.NotificationURL:
		return Info, "it is a notification URL the runtime fills in"
	case f.ReadOnly:
		return Info, "it is readOnly"
	case f.Internal && f.HasDefault:
		return Info, "it is internal with a default, which the runtime sends"
	case f.HasDefault:
		return Warning, "it has a default, which the designer fills in"
	case f.Body && f.BodyRuntimeBuilt:
		return Warning, "every body property is internal with a default or a notification URL"
	case f.Body && f.BodyAlreadySent:
		return Warning, "the body already had a required property, so working flows send a body"
	}
	return Breaking, ""
}

func request(c *diff.Change) bool { return c.Where.Request() }
func output(c *diff.Change) bool  { return c.Where.Output() }

// never matches no single change: the rule judges the update as a whole.
func never(*diff.Change) bool { return false }

// rules is the policy table, by area. Order matters only where two rules
// could match the same change: the first wins. The last rule catches
// anything new.
var rules = slices.Concat(operationRules, parameterRules, responseRules, documentRules, []Rule{
	{
		ID: OtherChange, Level: Info, Summary: "A change no other rule covers.",
		Doc:         "Visibility promotions, un-deprecation and similar changes do not affect saved flows.",
		Remediation: "None needed.",
		match:       func(*diff.Change) bool { return true },
	},
})

// missing lists the items of before that after lacks, ignoring case. The
// lists are rendered as Before and After: comma-separated (schemes) or
// space-separated (scopes).
func missing(before, after string) []string {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	}
	have := map[string]bool{}
	for _, s := range split(after) {
		have[strings.ToLower(s)] = true
	}
	var out []string
	for _, s := range split(before) {
		if !have[strings.ToLower(s)] {
			out = append(out, s)
		}
	}
	return out
}

// byID indexes the table by rule id.
var byID map[string]int

// init completes the table: a rule without per-host levels has its Level
// on every host, one with them has the worst as its Level, a rule
// without a certification level has its Level there too, and a rule
// without a remedy says there is nothing to repair.
func init() {
	byID = make(map[string]int, len(rules))
	for i := range rules {
		r := &rules[i]
		byID[r.ID] = i
		if r.Hosts == (PerHost{}) {
			r.Hosts = every(r.Level)
		} else {
			r.Level = r.Hosts.Worst()
		}
		if r.Certification == Off {
			r.Certification = r.Level
		}
		if r.Remedy == (Remedy{}) {
			r.Remedy.Doc = neverBreaksDoc
		}
	}
}

// Rules returns the rule table in its fixed order.
func Rules() []Rule {
	out := make([]Rule, len(rules))
	copy(out, rules)
	return out
}

// Lookup returns the rule with the given id.
func Lookup(id string) (Rule, bool) {
	if i, ok := byID[id]; ok {
		return rules[i], true
	}
	return Rule{}, false
}

package breaking

import "github.com/connectordiff/connectordiff/diff"

// Section is where release notes list a finding.
type Section int

// The sections, in the order release notes list them. The zero value leaves
// a finding out: it concerns the publisher (versioning lint, labels,
// branding), not the connector's users.
const (
	SectionNone Section = iota
	SectionAdded
	SectionChanged
	SectionDeprecated
	SectionRemoved
)

// ReleaseNote is how release notes word a finding of a rule: its section and
// a phrase, in the words a connector's users read (actions, inputs,
// outputs). The renderer fills in the phrase's placeholders from the
// finding, quoted or escaped as its format needs:
//
//	{field}                          the changed input or output, by the path users know it by
//	                                 (diff.Change.Field); for a whole body or output, "input {field}"
//	                                 and "output {field}" read "the request body", "the action's output"
//	{subject}, {subject-text}        the change's subject, as a name or as prose
//	{header}                         the name of a removed response header
//	{before}, {after}                the old and new value, as names
//	{before-or-none}, {after-or-none} the same, "(none)" when empty
//	{before-text}, {after-text}      the old and new value, as prose
//	{before-type}, {after-type}      the old and new type in words ("a string", "untyped")
//	{removed-values}, {added-values} the enum values removed or added
//	{detail-names}, {details}        what changed inside a compound value: its names, or as prose
//	{moved}                          the properties a restructured schema moved (old -> new), or no longer declares
//	{parts}                          the fields of a schema cut back, with their new names or types
//	{message}                        the finding's message
type ReleaseNote struct {
	Section Section
	Phrase  string
	// when, if set, picks the findings the note is for.
	when func(f *Finding) bool
}

// ReleaseNote is how release notes word f, a finding of the rule: the first
// of the rule's notes for it, or the zero note (SectionNone) when the rule
// is left out of release notes.
func (r *Rule) ReleaseNote(f *Finding) ReleaseNote {
	for _, n := range r.ReleaseNotes {
		if n.when == nil || n.when(f) {
			return n
		}
	}
	return ReleaseNote{}
}

// messageNote is the release note of a change whose message says it best.
var messageNote = []ReleaseNote{changed("{message}.")}

// inputTypeNotes and outputTypeNotes are the release notes of a change of
// a field's type or format.
var (
	inputTypeNotes = []ReleaseNote{
		changed("inputs changed: {parts}.").onlyIf(grouped),
		changed("format of input {field} is now {after-or-none} (was {before-or-none}).").onlyIf(formatChange),
		changed("input {field} is now {after-type} (was {before-type})."),
	}
	outputTypeNotes = []ReleaseNote{
		changed("outputs changed: {parts}.").onlyIf(grouped),
		changed("format of output {field} is now {after-or-none} (was {before-or-none}).").onlyIf(formatChange),
		changed("output {field} is now {after-type} (was {before-type})."),
	}
)

func added(phrase string) ReleaseNote   { return ReleaseNote{Section: SectionAdded, Phrase: phrase} }
func changed(phrase string) ReleaseNote { return ReleaseNote{Section: SectionChanged, Phrase: phrase} }
func deprecated(phrase string) ReleaseNote {
	return ReleaseNote{Section: SectionDeprecated, Phrase: phrase}
}
func removed(phrase string) ReleaseNote { return ReleaseNote{Section: SectionRemoved, Phrase: phrase} }

// onlyIf restricts the note to the findings when picks; a rule's later
// notes word the others.
func (n ReleaseNote) onlyIf(when func(f *Finding) bool) ReleaseNote {
	n.when = when
	return n
}

// grouped: the finding stands for several properties of one schema (see
// Finding.Parts), which its Details name.
func grouped(f *Finding) bool { return len(f.Parts) > 0 }

// renamed: the removed property is the one now named After.
func renamed(f *Finding) bool { return f.Change != nil && f.Change.After != "" }

// formatChange: the change is of a format, not a type.
func formatChange(f *Finding) bool { return f.Change != nil && f.Change.Kind == diff.FormatChanged }

// propertyAdded: the property is new, rather than newly required.
func propertyAdded(f *Finding) bool { return f.Change != nil && f.Change.Kind == diff.PropertyAdded }

// noValuesRemoved: the enum lost no value (it was put on a free input).
func noValuesRemoved(f *Finding) bool { return len(f.Removed) == 0 }

// undeclared: a restructured schema no longer declares its properties.
func undeclared(f *Finding) bool { return f.Facts.Undeclared }

// noValuesAdded: the enum gained no value (it was dropped).
func noValuesAdded(f *Finding) bool { return len(f.Added) == 0 }

// Package breaking is the policy half of connectordiff: a table of rules,
// each a value with a stable kebab-case id (an exported constant), a default
// level, a doc paragraph saying what existing flows and apps store that the
// change breaks, and a remediation, and everything else known about it: the
// remedy connectordiff fix applies, how release notes word it, which side a
// review points at. A Policy classifies the changes package diff found into
// Findings; per-rule levels can be overridden per Policy, never globally.
//
// A rule may lower its level in circumstances that make a change harmless
// (an internal parameter, a default the designer fills in, a widening), and
// a change confined to operations that are x-ms-visibility: internal is at
// most a warning. A Finding says why in its parts, as it says everything:
// report.Message writes the sentence. Properties one schema lost or
// changed alike are one Finding per schema and operation, whose Parts are
// the findings about each property; Ungrouped gives those back to a tool
// that works property by property (connectordiff fix).
//
// What a repository knows beyond the two versions (when the history shows
// a removed operation deprecated, the deprecation window, the clock, the
// changes reviewers accepted, whether the connector is published yet and
// whether preview breaks are warnings) is a Record, which Policy.Judge
// weighs in the same pass as the changes. Each finding gets an ID that
// names what the change is, never where it is written (docs/finding-ids.md),
// which acceptances may name; an acceptance speaks for the operations it
// names, splitting a finding that reaches others too.
//
// The results live here too: a Result is one shape for a pair and a
// repository (a list of ConnectorResults with a status; a pair is one
// connector and no revision range), with its Summary, Max, Fails and
// verdict. Policy.Compare judges two loaded sides (Side) into a
// ConnectorResult, for the facade, the gate and fix alike.
package breaking

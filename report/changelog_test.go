package report

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

// Every placeholder a rule's release notes use is one the changelog fills
// in.
func TestReleaseNotePlaceholdersAreKnown(t *testing.T) {
	placeholder := regexp.MustCompile(`\{([^{}]*)\}`)
	for _, r := range breaking.Rules() {
		for _, n := range r.ReleaseNotes {
			assert.NotEqual(t, breaking.SectionNone, n.Section, r.ID)
			for _, m := range placeholder.FindAllStringSubmatch(n.Phrase, -1) {
				assert.Contains(t, placeholders, m[1], "%s: unknown placeholder in %q", r.ID, n.Phrase)
			}
		}
	}
}

// A value filled into a phrase is quoted and never read as a placeholder.
func TestFillPhraseReadsThePhraseOnly(t *testing.T) {
	f := breaking.Finding{Change: &diff.Change{Subject: "parameter top (query)", Field: "top", Before: "{field}", After: "a`b"}}
	assert.Equal(t, "input `top` renamed to `a'b` (was `{field}`); {unknown} stays.",
		fillPhrase("input {field} renamed to {after} (was {before}); {unknown} stays.", f, ""))
	assert.Equal(t, "{after} now.", fillPhrase("{message}.", f, "{after} now"))
	assert.Equal(t, "unclosed {field", fillPhrase("unclosed {field", f, ""))
}

// The changelog words a finding as its rule's notes say, and leaves out a
// rule without notes.
func TestChangelogEntryFollowsTheRule(t *testing.T) {
	added := breaking.Finding{Rule: breaking.RequestBodyRequiredAdded,
		Change: &diff.Change{Kind: diff.PropertyAdded, Subject: "body/projectId", Field: "body/projectId"}}
	sec, text := changelogEntry(added, "")
	assert.Equal(t, breaking.SectionAdded, sec)
	assert.Equal(t, "required input `body/projectId`.", text)

	became := added
	became.Change = &diff.Change{Kind: diff.PropertyRequiredChanged, Subject: "body/projectId", Field: "body/projectId", Before: "false", After: "true"}
	sec, text = changelogEntry(became, "")
	assert.Equal(t, breaking.SectionChanged, sec)
	assert.Equal(t, "input `body/projectId` is now required.", text)

	sec, _ = changelogEntry(breaking.Finding{Rule: breaking.BrandingChanged, Change: &diff.Change{Kind: diff.BrandingChanged}}, "")
	assert.Equal(t, breaking.SectionNone, sec)
	sec, _ = changelogEntry(breaking.Finding{Rule: breaking.VersionNotBumped, Topic: breaking.TopicVersionNotBumped}, "info.version is still 1.0")
	assert.Equal(t, breaking.SectionNone, sec, "versioning lint is the publisher's, not release notes")
}

// The field a phrase names is the change's own (Change.Field), never read
// back from its label; a whole output or body is named as such.
func TestFieldComesFromTheChange(t *testing.T) {
	f := breaking.Finding{Rule: breaking.ResponsePropertyTypeChanged, Change: &diff.Change{Kind: diff.TypeChanged,
		Where: diff.InResponse, Subject: "response 200", Before: "object", After: "array"}}
	_, text := changelogEntry(f, "")
	assert.Equal(t, "the action's output is now an array (was an object).", text)
	f.Change.Subject, f.Change.Field = "response 200/items (x)", "items (x)"
	_, text = changelogEntry(f, "")
	assert.Equal(t, "output `items (x)` is now an array (was an object).", text, "a name with parentheses is kept whole")
	header := breaking.Finding{Rule: breaking.ResponseHeaderRemoved, Change: &diff.Change{Kind: diff.ResponseHeaderRemoved,
		Where: diff.InResponse, Subject: "response 200 header X-Rate header Y", Field: "X-Rate header Y"}}
	_, text = changelogEntry(header, "")
	assert.Equal(t, "output header `X-Rate header Y`.", text)
}

// Release notes hold no JSON: a default that is an object or a list is
// named, not written out.
func TestChangelogNamesStructuredValues(t *testing.T) {
	f := breaking.Finding{Rule: breaking.ParameterDefaultChanged, Change: &diff.Change{Kind: diff.DefaultChanged, Where: diff.InParameter,
		Subject: "body", Field: "body", Before: `{"name": "My note"}`, After: ""}}
	_, text := changelogEntry(f, "")
	assert.Equal(t, "default of input `body` is now `(none)` (was an object).", text)
	f.Change.Before, f.Change.After = "1.0", `["a"]`
	_, text = changelogEntry(f, "")
	assert.Equal(t, "default of input `body` is now a list (was `1.0`).", text)
}

// A rule that breaks users has release notes: a change that breaks flows
// is never left out of them. Only the policy's own findings about the
// update as a whole (the version, an expired acceptance) are the
// publisher's.
func TestBreakingRulesHaveReleaseNotes(t *testing.T) {
	publisherOnly := map[string]bool{breaking.VersionDecreased: true, breaking.AcceptanceExpired: true}
	for _, r := range breaking.Rules() {
		if r.Level == breaking.Breaking && !publisherOnly[r.ID] {
			assert.NotEmpty(t, r.ReleaseNotes, "%s breaks users but has no release notes", r.ID)
		}
	}
}

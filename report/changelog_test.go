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
	f := breaking.Finding{Change: &diff.Change{Subject: "parameter top (query)", Before: "{field}", After: "a`b"}}
	assert.Equal(t, "input `top` renamed to `a'b` (was `{field}`); {unknown} stays.",
		fillPhrase("input {field} renamed to {after} (was {before}); {unknown} stays.", f, ""))
	assert.Equal(t, "{after} now.", fillPhrase("{message}.", f, "{after} now"))
	assert.Equal(t, "unclosed {field", fillPhrase("unclosed {field", f, ""))
}

// The changelog words a finding as its rule's notes say, and leaves out a
// rule without notes.
func TestChangelogEntryFollowsTheRule(t *testing.T) {
	added := breaking.Finding{Rule: breaking.RequestBodyRequiredAdded,
		Change: &diff.Change{Kind: diff.PropertyAdded, Subject: "body/projectId"}}
	sec, text := changelogEntry(added, "")
	assert.Equal(t, breaking.SectionAdded, sec)
	assert.Equal(t, "required input `body/projectId`.", text)

	became := added
	became.Change = &diff.Change{Kind: diff.PropertyRequiredChanged, Subject: "body/projectId", Before: "false", After: "true"}
	sec, text = changelogEntry(became, "")
	assert.Equal(t, breaking.SectionChanged, sec)
	assert.Equal(t, "input `body/projectId` is now required.", text)

	sec, _ = changelogEntry(breaking.Finding{Rule: breaking.BrandingChanged, Change: &diff.Change{Kind: diff.BrandingChanged}}, "")
	assert.Equal(t, breaking.SectionNone, sec)
	sec, text = changelogEntry(breaking.Finding{Rule: breaking.VersionNotBumped}, "info.version is still 1.0")
	assert.Equal(t, breaking.SectionChanged, sec, "a finding without a change shows its message")
	assert.Equal(t, "info.version is still 1.0", text)
}

package message

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

// Every kind of change has its own sentence: none falls through to the
// generic one.
func TestEveryKindIsSaid(t *testing.T) {
	n := 0
	for k := diff.Kind(1); k.String() != fmt.Sprintf("Kind(%d)", k); k++ {
		f := breaking.Finding{Kind: k, Subject: "subject", Before: "a", After: "b", Details: []string{"detail"}}
		assert.False(t, strings.HasPrefix(Of(f), k.String()), "%s: %s", k, Of(f))
		n++
	}
	assert.Greater(t, n, 50, "the kinds were walked")
}

// A finding's sentence is its change's, then its reasons, then what was
// merged into it (once each unless it says the same), then the history.
func TestSentenceOrder(t *testing.T) {
	removal := breaking.Finding{Kind: diff.OperationRemoved, Subject: "GetItem (GET /items)",
		Reasons: []string{"the operation is internal, so no flow uses it directly"}}
	assert.Equal(t, "operation GetItem (GET /items) removed (the operation is internal, so no flow uses it directly)", Of(removal))

	since := time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC)
	short := removal
	short.Deprecated = &breaking.Deprecation{Since: since, Days: 5, Window: 30}
	assert.Equal(t, "operation GetItem (GET /items) removed (the operation is internal, so no flow uses it directly)"+
		" (deprecated since 2026-09-02, 5 days before the removal: less than the 30-day window)", Of(short))
	long := removal
	long.Deprecated = &breaking.Deprecation{Since: since, Days: 41, Window: 30}
	assert.Equal(t, "operation GetItem (GET /items) removed (the operation is internal, so no flow uses it directly)"+
		", deprecated since 2026-09-02 (41 days before the removal)", Of(long))

	a := breaking.Finding{Kind: diff.DiscriminatorChanged, Subject: "request body", Before: "kind", After: "type"}
	b := a
	b.Subject = "response 200"
	merged := a
	merged.Merged = []breaking.Finding{a, b, a}
	assert.Equal(t, "discriminator of request body: kind -> type; discriminator of response 200: kind -> type"+
		"; discriminator of request body: kind -> type", Of(merged), "as merged: a repeat of the first alone is said once")
}

// The policy's own findings are said from their topic's parts.
func TestTopics(t *testing.T) {
	for _, c := range []struct {
		f    breaking.Finding
		want string
	}{
		{breaking.Finding{Topic: breaking.TopicVersionDecreased, Before: "1.2", After: "1.1"}, "info.version went down: 1.2 -> 1.1"},
		{breaking.Finding{Topic: breaking.TopicVersionNotBumped, After: "1.0"}, "info.version is still 1.0 although the update breaks users"},
		{breaking.Finding{Topic: breaking.TopicAcceptanceExpired, Subject: "p.yaml:3:5: operation-removed", Args: []string{"2026-01-31"}, Count: 2},
			"the accepted change p.yaml:3:5: operation-removed expired on 2026-01-31; the 2 findings it covered count again"},
		{breaking.Finding{Topic: breaking.TopicAcceptanceStale, Subject: "p.yaml:3:5: x"}, "the accepted change p.yaml:3:5: x matched no finding"},
		{breaking.Finding{Topic: breaking.TopicAcceptanceAdded, Subject: "p.yaml:3:5: x", Count: 1},
			"the accepted change p.yaml:3:5: x is added in this change and accepts 1 finding: review it"},
		{breaking.Finding{Topic: breaking.TopicAcceptanceAdded, Subject: "p.yaml:3:5: x", NotApplied: true},
			"the accepted change p.yaml:3:5: x is added in this change; not applied: the policy is read from the base revision"},
		{breaking.Finding{Topic: breaking.TopicPolicyFileRemoved, Subject: "c/.connectordiff.yaml"}, "the policy file c/.connectordiff.yaml is removed in this change"},
		{breaking.Finding{Topic: breaking.TopicPolicySettingChanged, Subject: "profile", Args: []string{"certification", ""}},
			"profile certification in this change (before: not set)"},
		{breaking.Finding{Topic: breaking.TopicPolicyLevelChanged, Subject: "operation-removed", Args: []string{"off", ""}},
			"level of operation-removed off in this change (before: the profile's)"},
		{breaking.Finding{Topic: breaking.TopicPolicyFileUnreadable, Subject: "p.yaml", Args: []string{"p.yaml:1:1: invalid YAML"}, NotApplied: true},
			"the policy file p.yaml in this change does not parse (p.yaml:1:1: invalid YAML); not applied: the policy is read from the base revision"},
		{breaking.Finding{Subject: "said by hand"}, "said by hand"},
	} {
		assert.Equal(t, c.want, Of(c.f))
	}
}

// A name that starts or ends with white space is quoted, so that a rename
// that only drops a stray space does not read as a no-op (encodian
// d0ee210b71..d707a4cd8e); names without such space are not.
func TestNamesWithStraySpaceAreQuoted(t *testing.T) {
	for _, c := range []struct {
		f    breaking.Finding
		want string
	}{
		{breaking.Finding{Kind: diff.PropertyRemoved, Where: diff.InRequestBody, Subject: "operation/pdfPrivilegesAllowModifyAnnotations ",
			After: "pdfPrivilegesAllowModifyAnnotations"},
			`property operation/"pdfPrivilegesAllowModifyAnnotations " renamed to pdfPrivilegesAllowModifyAnnotations`},
		{breaking.Finding{Kind: diff.PropertyRemoved, Where: diff.InResponse, Subject: "response 200/ a/b\t", After: ""},
			`property response 200/" a"/"b\t" removed`},
		{breaking.Finding{Kind: diff.ParameterRemoved, Where: diff.InParameter, Subject: "q  (query)"}, `parameter "q " (query) removed`},
		{breaking.Finding{Kind: diff.ParameterRenamed, Where: diff.InParameter, Subject: "q  (query)", Before: "q ", After: "q"},
			`parameter "q " renamed to q`},
		{breaking.Finding{Kind: diff.ConnectionParameterRenamed, Where: diff.InDocument, Subject: "api_key", Before: "apiKey", After: "api_key "},
			`connection parameter apiKey renamed to "api_key "`},
		// Near misses: inner spaces, and subjects that are not names.
		{breaking.Finding{Kind: diff.PropertyRemoved, Where: diff.InResponse, Subject: "response 200/first name"}, "property response 200/first name removed"},
		{breaking.Finding{Kind: diff.OperationRemoved, Where: diff.InOperation, Subject: "Get (GET /x/ y)"}, "operation Get (GET /x/ y) removed"},
	} {
		assert.Equal(t, c.want, Of(c.f))
	}
}

// A schema cut back is said once, with the properties it lost or retyped
// by name below the schema, the first ten of them.
func TestCutBackSentence(t *testing.T) {
	g := breaking.Finding{Kind: diff.PropertyRemoved, Where: diff.InRequestBody, Subject: "body/x"}
	for i := range 12 {
		p := breaking.Finding{Kind: diff.PropertyRemoved, Where: diff.InRequestBody, Subject: fmt.Sprintf("body/x/p%d", i)}
		if i == 1 {
			p.After = "q1"
		}
		if i == 2 {
			p.Subject = "body/x/p2 "
		}
		g.Parts = append(g.Parts, p)
	}
	assert.Equal(t, `12 properties removed from body/x: p0, p1 (renamed to q1), "p2 ", p3, p4, p5, p6, p7, p8, p9 and 2 more`, Of(g))

	typed := breaking.Finding{Kind: diff.TypeChanged, Where: diff.InResponse, Subject: "response 200", Parts: []breaking.Finding{
		{Kind: diff.TypeChanged, Subject: "response 200/a", Before: "string", After: "integer"},
		{Kind: diff.TypeChanged, Subject: "response 200/b", Before: "", After: "object"}}}
	assert.Equal(t, "type of 2 properties of response 200 changed: a string -> integer, b (none) -> object", Of(typed))
}

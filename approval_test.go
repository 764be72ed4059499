package connectordiff_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/gittest"
	"github.com/connectordiff/connectordiff/report"
)

// Approvals that last (issue 19): a finding's id holds across pushes and
// folder moves, an acceptance may name it, and a policy can say a connector
// is not published yet, or that preview operations may change.

// idsOf lists the ids of folder's findings, sorted.
func idsOf(rr *breaking.Result, folder string) []string {
	var out []string
	for _, c := range rr.Connectors {
		if c.Folder == folder {
			for _, f := range c.Findings {
				out = append(out, f.ID)
			}
		}
	}
	sort.Strings(out)
	return out
}

// assertDistinctIDs checks that no two findings of a result share an id.
func assertDistinctIDs(t *testing.T, rr *breaking.Result) {
	t.Helper()
	seen := map[string]string{}
	for _, f := range rr.Findings() {
		require.True(t, breaking.ValidID(f.ID), "%s: id %q", f.Rule, f.ID)
		if other, ok := seen[f.ID]; ok {
			t.Errorf("%s and %s share the id %s", other, f.Rule, f.ID)
		}
		seen[f.ID] = f.Rule
	}
}

// A later push that changes another connector and moves this one's folder
// (a move git detects) leaves every id of its findings as it was.
func TestFindingIDsSurvivePushesAndMoves(t *testing.T) {
	r := policyRepo(t, "")
	first := compareFeature(t, r)
	ids := idsOf(first, "connectors/b")
	require.NotEmpty(t, ids)
	assertDistinctIDs(t, first)

	def := mustRead(t, "testdata/connector/old/apiDefinition.swagger.json")
	r.Write("connectors/a/apiDefinition.swagger.json", strings.Replace(def, `"title": "Contoso Tasks"`, `"title": "Contoso Tasks (a, again)"`, 1))
	r.Git(time.Time{}, "mv", "connectors/b", "connectors/b-renamed")
	r.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "another push: a changes again, b moves")
	later := compareFeature(t, r)
	var moved *breaking.ConnectorResult
	for i := range later.Connectors {
		if later.Connectors[i].Folder == "connectors/b-renamed" {
			moved = &later.Connectors[i]
		}
	}
	require.NotNil(t, moved, "git sees the move")
	require.Equal(t, breaking.StatusRenamed, moved.Status)
	assert.Equal(t, ids, idsOf(later, "connectors/b-renamed"), "the same changes keep their ids")
	assertDistinctIDs(t, later)
}

// An acceptance by id accepts the finding it names; one past its date
// accepts nothing and fails the gate; one that names no finding is stale.
func TestAcceptanceByIDInAPolicyFile(t *testing.T) {
	r := policyRepo(t, "")
	clean := compareFeature(t, r)
	var target breaking.Finding
	for _, f := range clean.Connectors[1].Findings {
		if f.Rule == breaking.ResponsePropertyRemoved {
			target = f
		}
	}
	require.NotEmpty(t, target.ID)
	r.Write(".connectordiff.yaml", "accept:\n"+
		"  - id: "+target.ID+"\n    reason: the assignee was never filled in\n"+
		"  - id: 0123456789abcdef\n    reason: nothing has this id\n")
	r.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "accept by id")
	rr := compareFeature(t, r)
	var accepted []string
	for _, f := range rr.Connectors[1].Findings {
		if f.Accepted != nil {
			accepted = append(accepted, f.ID)
		}
	}
	assert.Equal(t, []string{target.ID}, accepted)
	assert.Equal(t, unaccepted(clean, "connectors/b")-1, unaccepted(rr, "connectors/b"))
	assert.Contains(t, policyRules(rr), "acceptance-stale: the accepted change .connectordiff.yaml:4:5: id 0123456789abcdef matched no finding")

	r.Write(".connectordiff.yaml", "accept:\n  - id: "+target.ID+"\n    reason: until the end of June\n    expires: 2026-06-30\n")
	r.Commit(time.Date(2026, 9, 4, 0, 0, 0, 0, time.UTC), "an acceptance by id that expired")
	rr = compareFeature(t, r, connectordiff.Now(func() time.Time { return time.Date(2026, 9, 4, 0, 0, 0, 0, time.UTC) }))
	assert.Zero(t, rr.Summary.Accepted)
	assert.Equal(t, []string{"acceptance-expired: the accepted change .connectordiff.yaml:2:5: id " + target.ID +
		" expired on 2026-06-30; the 1 findings it covered count again"}, policyRules(rr))
	assert.True(t, rr.Fails(breaking.Breaking))
}

// published: false, for a connector named by a pattern in the root policy
// or in the connector's own file: its breaks are warnings saying why, in
// every profile, and the headline says so. Added by the pull request, it
// is listed for review, and under --policy-from base not applied.
func TestUnpublishedConnector(t *testing.T) {
	for _, tc := range []struct{ name, root, own, at string }{
		{"root pattern", "connectors:\n  - connector: connectors/b*\n    published: false\n", "", ".connectordiff.yaml:3:16"},
		{"own file", "", "published: false\n", "connectors/b/.connectordiff.yaml:1:12"},
		{"own file over the root", "published: true\n", "published: false\n", "connectors/b/.connectordiff.yaml:1:12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := policyRepo(t, tc.root)
			if tc.own != "" {
				r.Git(time.Time{}, "checkout", "-q", "main")
				r.Write("connectors/b/.connectordiff.yaml", tc.own)
				r.Commit(time.Date(2026, 9, 1, 1, 0, 0, 0, time.UTC), "b is not published")
				r.Git(time.Time{}, "checkout", "-q", "feature")
				r.Git(time.Time{}, "merge", "-q", "main")
			}
			for _, profile := range []breaking.Profile{breaking.ProfileUsers, breaking.ProfileCertification} {
				rr := compareFeature(t, r, connectordiff.WithProfile(profile))
				assert.False(t, rr.Fails(breaking.Breaking), "%s: an unpublished connector breaks no one", profile)
				b := rr.Connectors[1]
				require.Equal(t, "connectors/b", b.Folder)
				assert.Equal(t, tc.at, b.Unpublished)
				assert.Positive(t, b.Summary.Warning)
				for _, f := range b.Findings {
					if f.Level == breaking.Warning && strings.Contains(report.Message(f), "published: false") {
						assert.Contains(t, report.Message(f), "the connector is not published yet, so no flow or app uses it: published: false, "+tc.at)
					}
				}
				var text strings.Builder
				require.NoError(t, report.Text(&text, rr, report.Options{}))
				assert.Contains(t, text.String(), "connectors/b is not published yet (published: false, "+tc.at+"): its breaks are listed as warnings")
				var md strings.Builder
				require.NoError(t, report.Markdown(&md, rr, report.Options{}))
				assert.Contains(t, md.String(), "ℹ️ connectors/b is not published yet", "the comment's headline says so")
			}
		})
	}

	t.Run("added by the pull request", func(t *testing.T) {
		r := policyRepo(t, "")
		r.Write("connectors/b/.connectordiff.yaml", "published: false\n")
		r.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "b was never published, says the pull request")
		head := compareFeature(t, r)
		assert.False(t, head.Fails(breaking.Breaking))
		assert.Contains(t, policyRules(head), "policy-changed: published false in this change (before: not set)")

		base := compareFeature(t, r, connectordiff.PolicyFrom(breaking.PolicyFromBase))
		assert.True(t, base.Fails(breaking.Breaking), "under base, the pull request cannot declare its own connector unpublished")
		assert.Empty(t, base.Connectors[1].Unpublished)
		assert.Contains(t, policyRules(base),
			"policy-changed: published false in this change (before: not set); not applied: the policy is read from the base revision")
	})
}

// previewAsWarnings lowers the breaks of operations in preview, saying
// why; without it they stay breaks, marked as preview.
func TestPreviewOperations(t *testing.T) {
	preview := func(doc string) string {
		return strings.Replace(doc, `"operationId": "ListTasks",`, `"operationId": "ListTasks", "x-ms-api-annotation": {"status": "Preview"},`, 1)
	}
	build := func(policy string) *breaking.Result {
		r := gittest.New(t)
		r.CopyFolder("testdata/connector/old", "connectors/b")
		r.Write("connectors/b/apiDefinition.swagger.json", preview(mustRead(t, "testdata/connector/old/apiDefinition.swagger.json")))
		if policy != "" {
			r.Write(".connectordiff.yaml", policy)
		}
		r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "ListTasks is in preview")
		r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
		r.CopyFolder("testdata/connector/new", "connectors/b")
		r.Write("connectors/b/apiDefinition.swagger.json", preview(mustRead(t, "testdata/connector/new/apiDefinition.swagger.json")))
		r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "update, ListTasks still in preview")
		return compareFeature(t, r)
	}
	listTasks := func(rr *breaking.Result) []breaking.Finding {
		var out []breaking.Finding
		for _, f := range rr.Connectors[0].Findings {
			if f.Operation == "ListTasks" {
				out = append(out, f)
			}
		}
		return out
	}
	require.Contains(t, mustRead(t, "testdata/connector/old/apiDefinition.swagger.json"), `"operationId": "ListTasks",`)

	plain := build("")
	fs := listTasks(plain)
	require.NotEmpty(t, fs)
	for _, f := range fs {
		// A change that reaches CreateTask too is not about preview only.
		assert.Equal(t, len(f.Operations) == 1, f.Preview, "%s %v: shown as preview", f.Rule, f.Operations)
	}
	assert.Contains(t, levels(fs), breaking.Breaking, "without the option a preview break is a break")

	lowered := build("previewAsWarnings: true\n")
	for _, f := range listTasks(lowered) {
		assert.NotEqual(t, breaking.Breaking, f.Level, f.Rule)
		if f.Rule == breaking.ParameterEnumNarrowed || f.Rule == breaking.ResponsePropertyRemoved {
			assert.True(t, f.Preview, "%s: the part about ListTasks is split off", f.Rule)
			assert.Contains(t, report.Message(f), "the operation is in preview (x-ms-api-annotation status Preview): previewAsWarnings, .connectordiff.yaml:1:20")
		}
	}
	assert.True(t, lowered.Fails(breaking.Breaking), "the other operations still break")
}

func levels(fs []breaking.Finding) []breaking.Level {
	var out []breaking.Level
	for _, f := range fs {
		out = append(out, f.Level)
	}
	return out
}

package connectordiff_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/internal/gittest"
	"github.com/connectordiff/connectordiff/report"
)

// lifecycle is a small connector whose operation Old is deprecated, then
// removed.
func lifecycle(deprecated, removed bool) string {
	old := `, "/old": {"get": {"operationId": "Old", "responses": {"200": {"description": "ok"}}}}`
	if deprecated {
		old = `, "/old": {"get": {"operationId": "Old", "deprecated": true, "responses": {"200": {"description": "ok"}}}}`
	}
	if removed {
		old = ""
	}
	return `{"swagger": "2.0", "info": {"title": "Lifecycle", "version": "1"}, "paths": {` +
		`"/keep": {"get": {"operationId": "Keep", "responses": {"200": {"description": "ok"}}}}` + old + `}}` + "\n"
}

// TestCompareRevisions builds a repository from corpus pairs: three
// connectors changed, one moved, one deleted, one added, and one whose
// operation was deprecated then removed 41 days later; a policy file accepts
// one break, accepts another until a date that has passed, and accepts
// something that does not happen. It checks the whole report, that each
// connector's comparison equals comparing its two folders directly, and the
// exit status.
func TestCompareRevisions(t *testing.T) {
	var pairs []corpus.Pair
	for _, p := range corpus.Pairs(t) {
		if !p.Invalid && len(pairs) < 3 {
			if _, err := os.Stat(filepath.Join(p.Dir, "old", "apiProperties.json")); err == nil {
				pairs = append(pairs, p)
			}
		}
	}
	require.Len(t, pairs, 3)
	r := gittest.New(t)
	day0 := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	for i, p := range pairs {
		r.CopyFolder(filepath.Join(p.Dir, "old"), fmt.Sprintf("certified-connectors/c%d", i))
	}
	r.CopyFolder("testdata/connector/old", "independent-publisher-connectors/Moving")
	r.Write("custom-connectors/Gone/apiDefinition.swagger.json", `{"swagger": "2.0", "info": {"title": "Gone", "version": "1"}, `+
		`"paths": {"/gone": {"get": {"operationId": "ListGone", "responses": {"200": {"description": "ok"}}}, `+
		`"post": {"operationId": "AddGone", "responses": {"200": {"description": "ok"}}}}}}`+"\n")
	r.Write("custom-connectors/Lifecycle/apiDefinition.swagger.json", lifecycle(false, false))
	r.Write("README.md", "not a connector\n")
	r.Commit(day0, "connectors")
	r.Write("custom-connectors/Lifecycle/apiDefinition.swagger.json", lifecycle(true, false))
	r.Commit(day0.AddDate(0, 0, 1), "deprecate Old")
	r.Write("README.md", "still not a connector\n")
	r.Commit(day0.AddDate(0, 0, 2), "docs")

	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	for i, p := range pairs {
		r.CopyFolder(filepath.Join(p.Dir, "new"), fmt.Sprintf("certified-connectors/c%d", i))
	}
	r.Git(time.Time{}, "mv", "independent-publisher-connectors/Moving", "independent-publisher-connectors/Moved")
	r.CopyFolder("testdata/connector/new", "independent-publisher-connectors/Moved")
	r.Git(time.Time{}, "rm", "-q", "-r", "custom-connectors/Gone")
	r.Write("custom-connectors/Fresh/apiDefinition.swagger.json", `{"swagger": "2.0", "info": {"title": "Fresh", "version": "1"}, `+
		`"paths": {"/fresh": {"get": {"operationId": "Fresh", "responses": {"200": {"description": "ok"}}}}}}`+"\n")
	r.Write("custom-connectors/Lifecycle/apiDefinition.swagger.json", lifecycle(true, true))
	r.Write(".connectordiff.yaml", `# reviewed breaks
accept:
  - rule: connection-parameter-values-removed
    connector: independent-publisher-connectors/*
    reason: the region values were never used
  - rule: connection-parameter-required-added
    connector: independent-publisher-connectors/Moved
    reason: every tenant was migrated
    expires: 2026-10-01
  - rule: trigger-changed
    operation: NoSuchTrigger
    reason: a trigger that never changed
`)
	r.Commit(day0.AddDate(0, 0, 42), "update")

	ctx := context.Background()
	// The gate judges as of the clock: here, the day of the update.
	at := connectordiff.Now(func() time.Time { return day0.AddDate(0, 0, 42) })
	rr, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", "feature", at)
	require.NoError(t, err)

	status := map[string]string{}
	for _, c := range rr.Connectors {
		status[c.Folder] = string(c.Status)
	}
	assert.Equal(t, map[string]string{
		"certified-connectors/c0": "changed", "certified-connectors/c1": "changed", "certified-connectors/c2": "changed",
		"independent-publisher-connectors/Moved": "renamed", "custom-connectors/Gone": "removed",
		"custom-connectors/Fresh": "added", "custom-connectors/Lifecycle": "changed",
	}, status)
	var folders []string
	for _, c := range rr.Connectors {
		folders = append(folders, c.Folder)
	}
	assert.IsIncreasing(t, folders, "connectors come in the order of their folders")
	assert.Equal(t, []string{".connectordiff.yaml"}, rr.Policies)
	assert.Equal(t, rr.Range.BaseCommit, r.Git(time.Time{}, "rev-parse", "main"), "the merge base")

	byFolder := map[string]breaking.ConnectorResult{}
	for _, c := range rr.Connectors {
		byFolder[c.Folder] = c
	}
	rules := func(folder string) map[string]breaking.Level {
		out := map[string]breaking.Level{}
		for _, f := range byFolder[folder].Findings {
			if f.Accepted == nil {
				out[f.Rule] = max(out[f.Rule], f.Level)
			}
		}
		return out
	}

	// Each changed connector is what comparing its two folders says.
	for i, p := range pairs {
		direct, err := connectordiff.CompareDirs(ctx, filepath.Join(p.Dir, "old"), filepath.Join(p.Dir, "new"))
		require.NoError(t, err)
		got := byFolder[fmt.Sprintf("certified-connectors/c%d", i)]
		assert.Equal(t, messages(direct), messages(breaking.Pair(got)), p.Name)
	}

	moved := byFolder["independent-publisher-connectors/Moved"]
	assert.Equal(t, "independent-publisher-connectors/Moving", moved.OldFolder)
	assert.Equal(t, "independent-publisher-connectors/Moving", moved.Old.File)
	assert.Equal(t, breaking.Breaking, rules("independent-publisher-connectors/Moved")["parameter-enum-narrowed"])

	gone := byFolder["custom-connectors/Gone"]
	require.Len(t, gone.Findings, 1)
	assert.Equal(t, "connector-removed", gone.Findings[0].Rule)
	assert.Equal(t, breaking.Breaking, gone.Findings[0].Level)
	assert.Equal(t, []string{"ListGone", "AddGone"}, gone.Findings[0].Operations,
		"a removed connector breaks every operation")
	fresh := byFolder["custom-connectors/Fresh"]
	require.Len(t, fresh.Findings, 1)
	assert.Equal(t, "connector-added", fresh.Findings[0].Rule)
	assert.Equal(t, breaking.Info, fresh.Findings[0].Level)

	// Deprecated on day 1, removed on day 42: 41 days, over the 30-day window.
	life := byFolder["custom-connectors/Lifecycle"].Findings
	require.Len(t, life, 1)
	assert.Equal(t, "deprecated-operation-removed", life[0].Rule)
	assert.Equal(t, breaking.Warning, life[0].Level)
	assert.Contains(t, report.Message(life[0]), "deprecated since 2026-09-02 (41 days before the removal)")
	assert.Equal(t, breaking.Breaking, life[0].Certification, "the validator still reports the deletion")

	// Acceptances: one holds, one expired, one matched nothing.
	var accepted []string
	for _, c := range rr.Connectors {
		for _, f := range c.Findings {
			if f.Accepted != nil {
				accepted = append(accepted, c.Folder+" "+f.Rule+" by "+f.Accepted.By)
			}
		}
	}
	assert.Equal(t, []string{"independent-publisher-connectors/Moved connection-parameter-values-removed by .connectordiff.yaml:3:5"}, accepted)
	assert.Equal(t, 1, rr.Summary.Accepted)
	assert.Equal(t, breaking.Breaking, rules("independent-publisher-connectors/Moved")["connection-parameter-required-added"],
		"an expired acceptance covers nothing")
	var policyRules []string
	for _, f := range rr.PolicyFindings {
		policyRules = append(policyRules, f.Rule+" "+f.Level.String()+" "+fmt.Sprint(f.New.Line))
	}
	assert.Equal(t, []string{"acceptance-added warning 3", "acceptance-expired breaking 6", "acceptance-stale warning 10"}, policyRules,
		"the acceptance this change adds is listed for review; expired and stale ones have their own findings")
	assert.Equal(t, 1, rr.Summary.AcceptedInChange)
	assert.True(t, rr.Fails(breaking.Breaking))

	// A longer window: the removal breaks, and says why.
	strict, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", "feature", at, connectordiff.DeprecationDays(60))
	require.NoError(t, err)
	for _, c := range strict.Connectors {
		if c.Folder == "custom-connectors/Lifecycle" {
			require.Len(t, c.Findings, 2)
			assert.Equal(t, "operation-removed", c.Findings[0].Rule)
			assert.Contains(t, report.Message(c.Findings[0]), "less than the 60-day window")
			assert.Equal(t, "version-not-bumped", c.Findings[1].Rule,
				"a breaking update asks for a new version, though the window alone made it breaking")
		}
	}

	// A path limits the search.
	only, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", "feature", connectordiff.Paths("custom-connectors"))
	require.NoError(t, err)
	assert.Len(t, only.Connectors, 3)
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(data)
}

// messages lists a result's findings as level, rule and message.
func messages(r *breaking.Result) []string {
	var out []string
	for _, f := range r.Findings() {
		out = append(out, f.Level.String()+" "+f.Rule+": "+report.Message(f))
	}
	return out
}

// The work tree, uncommitted changes and untracked connectors included, and
// the staged files, as a pre-commit hook sees them.
func TestCompareRevisionsWorkTreeAndStaged(t *testing.T) {
	r := gittest.New(t)
	r.CopyFolder("testdata/connector/old", "connectors/contoso")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.CopyFolder("testdata/connector/new", "connectors/contoso") // modified, not staged
	r.CopyFolder("testdata/connector/new", "connectors/untracked")
	ctx := context.Background()

	rr, err := connectordiff.CompareRevisions(ctx, r.Dir, "HEAD", "")
	require.NoError(t, err)
	require.Len(t, rr.Connectors, 2)
	assert.Equal(t, breaking.StatusChanged, rr.Connectors[0].Status)
	assert.Equal(t, breaking.StatusAdded, rr.Connectors[1].Status)
	assert.True(t, rr.Fails(breaking.Breaking))

	staged, err := connectordiff.CompareRevisions(ctx, r.Dir, "HEAD", "", connectordiff.Staged())
	require.NoError(t, err)
	assert.Empty(t, staged.Connectors, "nothing is staged yet")
	assert.Equal(t, "(staged)", staged.Range.Head)
	r.Git(time.Time{}, "add", "connectors/contoso/apiProperties.json")
	staged, err = connectordiff.CompareRevisions(ctx, r.Dir, "HEAD", "", connectordiff.Staged())
	require.NoError(t, err)
	require.Len(t, staged.Connectors, 1)
	var ruleIDs []string
	for _, f := range staged.Connectors[0].Findings {
		ruleIDs = append(ruleIDs, f.Rule)
	}
	assert.Contains(t, ruleIDs, "connection-parameter-required-added", "the staged apiProperties.json")
	assert.NotContains(t, ruleIDs, "parameter-enum-narrowed", "the definition is not staged")
}

// A bad policy file is an error naming its file, line and column.
func TestCompareRevisionsBadPolicy(t *testing.T) {
	r := gittest.New(t)
	r.CopyFolder("testdata/connector/old", "connectors/contoso")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.CopyFolder("testdata/connector/new", "connectors/contoso")
	r.Write(".connectordiff.yaml", "accept:\n  - rule: operation-removed\n    reasn: typo\n")
	_, err := connectordiff.CompareRevisions(context.Background(), r.Dir, "HEAD", "")
	require.Error(t, err)
	assert.Equal(t, `.connectordiff.yaml:3:5: unknown key "reasn" in an accepted change (want id, rule, connector, operation, valuePath, pointer, reason, expires)`, err.Error())
}

// The deprecation window: the option given wins over the root policy's
// deprecationDays, which wins over the default of 30 days; zero turns
// windows off. Deprecated on day 1, removed on day 21 (20 days).
func TestDeprecationWindowPrecedence(t *testing.T) {
	r := gittest.New(t)
	r.Write("c/apiDefinition.swagger.json", lifecycle(true, false))
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "deprecate Old")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.Write("c/apiDefinition.swagger.json", lifecycle(true, true))
	r.Write(".connectordiff.yaml", "deprecationDays: 14\n")
	r.Commit(time.Date(2026, 9, 21, 0, 0, 0, 0, time.UTC), "remove Old")
	ctx := context.Background()
	rule := func(ropts ...connectordiff.Option) string {
		t.Helper()
		ropts = append(ropts, connectordiff.Now(func() time.Time { return time.Date(2026, 9, 21, 0, 0, 0, 0, time.UTC) }))
		rr, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", "feature", ropts...)
		require.NoError(t, err)
		require.Len(t, rr.Connectors, 1)
		return rr.Connectors[0].Findings[0].Rule
	}
	assert.Equal(t, "deprecated-operation-removed", rule(), "the policy's 14 days")
	assert.Equal(t, "operation-removed", rule(connectordiff.DeprecationDays(30)), "the option's 30 days")
	assert.Equal(t, "operation-removed", rule(connectordiff.DeprecationDays(0)), "no window")
	r.Write(".connectordiff.yaml", "profile: users\n")
	r.Commit(time.Date(2026, 9, 21, 0, 0, 0, 0, time.UTC), "no window in the policy")
	assert.Equal(t, "operation-removed", rule(), "the default 30 days")
}

package breaking_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
)

func finding(rule string, l breaking.Level, accepted *breaking.Accepted) breaking.Finding {
	return breaking.Finding{Rule: rule, Level: l, Certification: l, Accepted: accepted}
}

// A repository result: two connectors and a policy finding, one breaking
// finding accepted in the change itself.
func repoResult() *breaking.Result {
	r := &breaking.Result{Range: &breaking.Range{Base: "main"}, Profile: breaking.ProfileUsers,
		Connectors: []breaking.ConnectorResult{
			{Folder: "a", Status: breaking.StatusChanged, Findings: []breaking.Finding{
				finding("operation-removed", breaking.Breaking, &breaking.Accepted{Reason: "planned", InChange: true}),
				finding("operation-added", breaking.Info, nil)}},
			{Folder: "b", Status: breaking.StatusAdded, Findings: []breaking.Finding{
				finding("connector-added", breaking.Info, nil)}},
		},
		PolicyFindings: []breaking.Finding{finding("acceptance-stale", breaking.Warning, nil)}}
	r.Count()
	return r
}

func TestCountSumsConnectorsAndPolicy(t *testing.T) {
	r := repoResult()
	assert.Equal(t, breaking.Summary{Counts: breaking.Counts{Info: 1}, Certification: breaking.Counts{Info: 1}, Accepted: 1,
		AcceptedInChange: 1}, r.Connectors[0].Summary)
	assert.Equal(t, breaking.Summary{Counts: breaking.Counts{Warning: 1, Info: 2}, Certification: breaking.Counts{Warning: 1, Info: 2},
		Accepted: 1, AcceptedInChange: 1}, r.Summary)
	assert.Equal(t, 1, r.CountStatus(breaking.StatusAdded))
	assert.Equal(t, 0, r.CountStatus(breaking.StatusRemoved))
	assert.False(t, r.Summary.Breaks(), "the accepted break is no verdict")
}

func TestMaxAndFailsLeaveAcceptedFindingsOut(t *testing.T) {
	r := repoResult()
	assert.Equal(t, breaking.Warning, r.Max(), "the policy's warning; the accepted break does not count")
	assert.Equal(t, breaking.Info, r.Connectors[0].Max())
	assert.True(t, r.Fails(breaking.Warning))
	assert.False(t, r.Fails(breaking.Breaking))
	assert.False(t, r.Fails(breaking.Never))

	r.Connectors[0].Findings[0].Accepted = nil
	r.Count()
	assert.True(t, r.Summary.Breaks())
	assert.True(t, r.Fails(breaking.Off), "the zero threshold is the default, breaking")
	assert.False(t, r.Fails(breaking.Never))
	assert.Len(t, r.Breaking(), 1)
}

func TestFindingsListsConnectorsThenPolicy(t *testing.T) {
	var rules []string
	for _, f := range repoResult().Findings() {
		rules = append(rules, f.Rule)
	}
	assert.Equal(t, []string{"operation-removed", "operation-added", "connector-added", "acceptance-stale"}, rules)
}

// A pair is one connector without a range; anything else is laid out as a
// repository.
func TestIsPair(t *testing.T) {
	pair := breaking.Pair(breaking.ConnectorResult{Status: breaking.StatusChanged, Profile: breaking.ProfilePowerApps,
		Findings: []breaking.Finding{finding("operation-removed", breaking.Breaking, nil)}})
	assert.True(t, pair.IsPair())
	assert.Equal(t, breaking.ProfilePowerApps, pair.Profile)
	assert.Equal(t, 1, pair.Summary.Breaking, "Pair counts")
	assert.False(t, repoResult().IsPair())
	one := repoResult()
	one.Connectors = one.Connectors[:1]
	one.PolicyFindings = nil
	assert.False(t, one.IsPair(), "a repository that changed one connector is still a repository")
}

// Compare judges two loaded sides: the changes, then the version rules.
func TestCompareJudgesTwoSides(t *testing.T) {
	load := func(name, doc string) *connector.Document {
		d, err := connector.Load(name, []byte(doc), connector.LoadOptions{})
		require.NoError(t, err)
		return d
	}
	old := load("old.json", `{"swagger": "2.0", "info": {"title": "T", "version": "1.0"}, "paths": {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "ok"}}}}}}`)
	new := load("new.json", `{"swagger": "2.0", "info": {"title": "T", "version": "1.0"}, "paths": {}}`)
	p, err := breaking.NewPolicy(nil)
	require.NoError(t, err)
	c, err := p.Compare(context.Background(), breaking.DefinitionSide(old, nil), breaking.DefinitionSide(new, nil))
	require.NoError(t, err)
	var rules []string
	for _, f := range c.Findings {
		rules = append(rules, f.Rule)
	}
	assert.Equal(t, []string{"operation-removed", "version-not-bumped"}, rules)
	assert.Equal(t, breaking.StatusChanged, c.Status)
	assert.Equal(t, "old.json", c.Old.File)
	assert.Equal(t, []string{"A"}, c.Old.OperationIDs)
	assert.Equal(t, 1, c.Summary.Breaking)

	added, _ := p.Added(breaking.FolderSide(&connector.Folder{Definition: new}, "connectors/t"), breaking.Record{})
	assert.Equal(t, breaking.StatusAdded, added.Status)
	assert.True(t, added.New.Folder)
	assert.Empty(t, added.Old.File, "an added connector has no old side")
}

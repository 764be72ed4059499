package breaking_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

var now = time.Date(2026, 10, 13, 12, 0, 0, 0, time.UTC)

// sharedDefinition is a connector whose operations OpA and OpB return the
// one definition Task; the new version drops Task's assignee, which breaks
// both. annotation is spliced into OpB.
func sharedDefinition(t *testing.T, assignee bool, info, annotation string) breaking.Side {
	t.Helper()
	props := `"id": {"type": "string"}`
	if assignee {
		props += `, "assignee": {"type": "string"}`
	}
	doc := `{"swagger": "2.0", "info": {"title": "Tasks", "version": "1.0"` + info + `}, "paths": {
  "/a": {"get": {"operationId": "OpA", "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Task"}}}}},
  "/b": {"get": {"operationId": "OpB"` + annotation + `, "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Task"}}}}}},
  "definitions": {"Task": {"type": "object", "properties": {` + props + `}}}}`
	d, err := connector.Load("apiDefinition.swagger.json", []byte(doc), connector.LoadOptions{})
	require.NoError(t, err)
	return breaking.FolderSide(&connector.Folder{Definition: d, Files: []connector.File{connector.SourceFile("apiDefinition.swagger.json", d, nil)}}, "connectors/tasks")
}

// judgeShared judges the shared-definition update with rec.
func judgeShared(t *testing.T, rec breaking.Record, info, annotation string) (breaking.ConnectorResult, []int) {
	t.Helper()
	old, new := sharedDefinition(t, true, info, annotation), sharedDefinition(t, false, info, annotation)
	changes, err := diff.CompareConnectors(context.Background(), old.Connector, new.Connector)
	require.NoError(t, err)
	p, err := breaking.NewPolicy(nil)
	require.NoError(t, err)
	rec.Now, rec.Folder, rec.Title, rec.IDFolder = now, "connectors/tasks", "Tasks", "connectors/tasks"
	return p.Changed(changes, old, new, rec)
}

func byRule(fs []breaking.Finding, rule string) []breaking.Finding {
	var out []breaking.Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

// Issue 18, item 2: a shared definition used by OpA and OpB loses a
// property; the policy accepts response-property-removed for OpA. OpB's
// break is still a break: the finding is split, the part that fails first,
// and the verdict, the counts and the version rule see it.
func TestSharedDefinitionAcceptedForOneOperation(t *testing.T) {
	whole, _ := judgeShared(t, breaking.Record{}, "", "")
	removed := byRule(whole.Findings, breaking.ResponsePropertyRemoved)
	require.Len(t, removed, 1, "one change of a shared definition is one finding")
	require.Equal(t, []string{"OpA", "OpB"}, removed[0].Operations)

	accept := []breaking.Acceptance{{Rule: breaking.ResponsePropertyRemoved, Operation: "OpA", Reason: "OpA's users were told",
		File: ".connectordiff.yaml", At: connector.Location{Line: 2, Column: 5}}}
	c, matched := judgeShared(t, breaking.Record{Accept: accept}, "", "")
	parts := byRule(c.Findings, breaking.ResponsePropertyRemoved)
	require.Len(t, parts, 2, "the finding is split into what is accepted and what is not")
	assert.Equal(t, []string{"OpB"}, parts[0].Operations, "what still fails comes first")
	assert.Equal(t, "OpB", parts[0].Operation)
	assert.True(t, strings.HasPrefix(parts[0].ValuePath, "operation/OpB/"), parts[0].ValuePath)
	assert.Nil(t, parts[0].Accepted)
	assert.Equal(t, breaking.Breaking, parts[0].Level)
	assert.Equal(t, []string{"OpA"}, parts[1].Operations)
	require.NotNil(t, parts[1].Accepted)
	assert.Equal(t, ".connectordiff.yaml:2:5", parts[1].Accepted.By)
	assert.NotEqual(t, parts[0].ID, parts[1].ID)
	assert.NotEqual(t, removed[0].ID, parts[0].ID)
	assert.Equal(t, []int{1}, matched)

	assert.True(t, c.Summary.Breaks(), "OpB's break fails the gate")
	assert.Equal(t, 1, c.Summary.Breaking)
	assert.Equal(t, 1, c.Summary.Accepted)
	assert.Len(t, byRule(c.Findings, breaking.VersionNotBumped), 1, "the update still breaks OpB's users")

	// Accepting what is left, by the id the report gave it, accepts all.
	accept = append(accept, breaking.Acceptance{ID: parts[0].ID, Reason: "OpB too", File: ".connectordiff.yaml",
		At: connector.Location{Line: 4, Column: 5}})
	c, matched = judgeShared(t, breaking.Record{Accept: accept}, "", "")
	parts = byRule(c.Findings, breaking.ResponsePropertyRemoved)
	require.Len(t, parts, 2)
	for _, p := range parts {
		assert.NotNil(t, p.Accepted, p.Operations)
	}
	assert.False(t, c.Summary.Breaks())
	assert.Empty(t, byRule(c.Findings, breaking.VersionNotBumped), "nothing left breaks, so no new version is asked for")
	assert.Equal(t, []int{1, 1}, matched)
}

// An acceptance by id takes the finding it names whole, and a value path
// names one operation, so it accepts that one only.
func TestAcceptanceByIDAndByValuePath(t *testing.T) {
	whole, _ := judgeShared(t, breaking.Record{}, "", "")
	f := byRule(whole.Findings, breaking.ResponsePropertyRemoved)[0]
	require.True(t, breaking.ValidID(f.ID), f.ID)

	byID := []breaking.Acceptance{{ID: f.ID, Reason: "both", File: "p.yaml", At: connector.Location{Line: 2, Column: 5}}}
	c, matched := judgeShared(t, breaking.Record{Accept: byID}, "", "")
	parts := byRule(c.Findings, breaking.ResponsePropertyRemoved)
	require.Len(t, parts, 1)
	assert.NotNil(t, parts[0].Accepted)
	assert.Equal(t, f.ID, parts[0].ID, "the id stays the finding's")
	assert.Equal(t, []int{1}, matched)

	// Expired, it matches and accepts nothing.
	lapsed := time.Date(2026, 10, 11, 0, 0, 0, 0, time.UTC) // the last day it held was the day before yesterday
	byID[0].Expires = &lapsed
	c, matched = judgeShared(t, breaking.Record{Accept: byID}, "", "")
	assert.Nil(t, byRule(c.Findings, breaking.ResponsePropertyRemoved)[0].Accepted)
	assert.Equal(t, []int{1}, matched, "an expired acceptance still counts what it matched")

	byPath := []breaking.Acceptance{{Rule: breaking.ResponsePropertyRemoved, ValuePath: f.ValuePath, Reason: "first one",
		File: "p.yaml", At: connector.Location{Line: 2, Column: 5}}}
	c, _ = judgeShared(t, breaking.Record{Accept: byPath}, "", "")
	parts = byRule(c.Findings, breaking.ResponsePropertyRemoved)
	require.Len(t, parts, 2)
	assert.Equal(t, []string{"OpB"}, parts[0].Operations)
	assert.Nil(t, parts[0].Accepted)
	assert.Equal(t, f.ValuePath, parts[1].ValuePath)
	assert.NotNil(t, parts[1].Accepted)
}

// The connector's folder in the base names its ids: another folder gives
// other ids, and the same folder the same ones, whatever the head's folder
// (a move).
func TestFindingIDsNameTheConnector(t *testing.T) {
	a, _ := judgeShared(t, breaking.Record{}, "", "")
	old, new := sharedDefinition(t, true, "", ""), sharedDefinition(t, false, "", "")
	changes, err := diff.CompareConnectors(context.Background(), old.Connector, new.Connector)
	require.NoError(t, err)
	p, err := breaking.NewPolicy(nil)
	require.NoError(t, err)
	moved, _ := p.Changed(changes, old, new, breaking.Record{Now: now, Folder: "connectors/tasks-v2", IDFolder: "connectors/tasks"})
	other, _ := p.Changed(changes, old, new, breaking.Record{Now: now, Folder: "connectors/other", IDFolder: "connectors/other"})
	require.Equal(t, len(a.Findings), len(moved.Findings))
	seen := map[string]bool{}
	for i := range a.Findings {
		assert.Equal(t, a.Findings[i].ID, moved.Findings[i].ID, a.Findings[i].Rule)
		assert.NotEqual(t, a.Findings[i].ID, other.Findings[i].ID, a.Findings[i].Rule)
		assert.False(t, seen[a.Findings[i].ID], "no two findings share an id")
		seen[a.Findings[i].ID] = true
	}
}

func TestDistinctIDs(t *testing.T) {
	fs := []breaking.Finding{
		{ID: "aaaaaaaaaaaaaaaa", Old: &connector.Location{Pointer: "/paths/~1a"}},
		{ID: "aaaaaaaaaaaaaaaa", Old: &connector.Location{Pointer: "/paths/~1b"}},
		{ID: "bbbbbbbbbbbbbbbb"},
		{ID: "aaaaaaaaaaaaaaaa", Old: &connector.Location{Pointer: "/paths/~1b"}},
	}
	breaking.DistinctIDs(fs)
	seen := map[string]bool{}
	for _, f := range fs {
		assert.True(t, breaking.ValidID(f.ID), f.ID)
		assert.False(t, seen[f.ID], "distinct: %s", f.ID)
		seen[f.ID] = true
	}
	assert.Equal(t, "bbbbbbbbbbbbbbbb", fs[2].ID, "an id no other shares is kept")
	again := []breaking.Finding{
		{ID: "aaaaaaaaaaaaaaaa", Old: &connector.Location{Pointer: "/paths/~1a"}},
		{ID: "aaaaaaaaaaaaaaaa", Old: &connector.Location{Pointer: "/paths/~1b"}},
		{ID: "bbbbbbbbbbbbbbbb"},
		{ID: "aaaaaaaaaaaaaaaa", Old: &connector.Location{Pointer: "/paths/~1b"}},
	}
	breaking.DistinctIDs(again)
	assert.Equal(t, fs, again, "the same findings get the same ids")
}

// published: false makes every break a warning that says why, and the
// update is then not asked for a new version.
func TestUnpublishedConnectorBreaksAreWarnings(t *testing.T) {
	c, _ := judgeShared(t, breaking.Record{Unpublished: ".connectordiff.yaml:1:12"}, "", "")
	assert.False(t, c.Summary.Breaks())
	assert.Equal(t, ".connectordiff.yaml:1:12", c.Unpublished)
	removed := byRule(c.Findings, breaking.ResponsePropertyRemoved)
	require.Len(t, removed, 1)
	assert.Equal(t, breaking.Warning, removed[0].Level)
	assert.Contains(t, removed[0].Reasons, "the connector is not published yet, so no flow or app uses it: published: false, .connectordiff.yaml:1:12")
	assert.Empty(t, byRule(c.Findings, breaking.VersionNotBumped))
}

// x-ms-api-annotation status Preview is context on every finding about
// preview operations; previewAsWarnings lowers their breaks only, splitting
// a finding that also reaches operations out of preview.
func TestPreviewOperations(t *testing.T) {
	const preview = `, "x-ms-api-annotation": {"status": "Preview"}`
	c, _ := judgeShared(t, breaking.Record{}, "", preview)
	removed := byRule(c.Findings, breaking.ResponsePropertyRemoved)
	require.Len(t, removed, 1, "without the option nothing is split")
	assert.False(t, removed[0].Preview, "OpA is not in preview")
	assert.Equal(t, breaking.Breaking, removed[0].Level)

	c, _ = judgeShared(t, breaking.Record{PreviewAsWarnings: "p.yaml:3:1"}, "", preview)
	removed = byRule(c.Findings, breaking.ResponsePropertyRemoved)
	require.Len(t, removed, 2)
	assert.Equal(t, []string{"OpA"}, removed[0].Operations)
	assert.Equal(t, breaking.Breaking, removed[0].Level, "OpA is not in preview: still a break")
	assert.False(t, removed[0].Preview)
	assert.Equal(t, []string{"OpB"}, removed[1].Operations)
	assert.True(t, removed[1].Preview)
	assert.Equal(t, breaking.Warning, removed[1].Level)
	assert.Contains(t, removed[1].Reasons, "the operation is in preview (x-ms-api-annotation status Preview): previewAsWarnings, p.yaml:3:1")
	assert.True(t, c.Summary.Breaks())

	// A connector in preview: every finding is about preview operations.
	c, _ = judgeShared(t, breaking.Record{PreviewAsWarnings: "p.yaml:3:1"}, preview, "")
	for _, f := range c.Findings {
		assert.True(t, f.Preview, f.Rule)
	}
	assert.False(t, c.Summary.Breaks())
}

// A finding about the connector as a whole (its security, here) is a
// preview finding only when every operation it reaches is in preview: a
// connector in preview whose OpA says Production keeps the break for OpA's
// users.
func TestPreviewConnectorWithAProductionOperation(t *testing.T) {
	doc := func(secType, opA string) breaking.Side {
		text := `{"swagger": "2.0", "info": {"title": "Tasks", "version": "1.0", "x-ms-api-annotation": {"status": "Preview"}},
  "securityDefinitions": {"k": {"type": "` + secType + `"` + map[string]string{"apiKey": `, "name": "key", "in": "header"`, "basic": ""}[secType] + `}},
  "paths": {
  "/a": {"get": {"operationId": "OpA"` + opA + `, "responses": {"200": {"description": "ok"}}}},
  "/b": {"get": {"operationId": "OpB", "responses": {"200": {"description": "ok"}}}}}}`
		d, err := connector.Load("apiDefinition.swagger.json", []byte(text), connector.LoadOptions{})
		require.NoError(t, err)
		return breaking.FolderSide(&connector.Folder{Definition: d, Files: []connector.File{connector.SourceFile("apiDefinition.swagger.json", d, nil)}}, "connectors/tasks")
	}
	judge := func(opA string) breaking.ConnectorResult {
		old, new := doc("apiKey", opA), doc("basic", opA)
		changes, err := diff.CompareConnectors(context.Background(), old.Connector, new.Connector)
		require.NoError(t, err)
		p, err := breaking.NewPolicy(nil)
		require.NoError(t, err)
		c, _ := p.Changed(changes, old, new, breaking.Record{Now: now, Folder: "connectors/tasks", IDFolder: "connectors/tasks", PreviewAsWarnings: "p.yaml:1:20"})
		return c
	}
	production := judge(`, "x-ms-api-annotation": {"status": "Production"}`)
	security := byRule(production.Findings, breaking.SecurityChanged)
	require.NotEmpty(t, security)
	for _, f := range security {
		assert.False(t, f.Preview, "OpA is in production")
		assert.Equal(t, breaking.Breaking, f.Level)
	}
	assert.True(t, production.Summary.Breaks())

	allPreview := judge("")
	security = byRule(allPreview.Findings, breaking.SecurityChanged)
	require.NotEmpty(t, security)
	for _, f := range security {
		assert.True(t, f.Preview, "every operation is in preview")
		assert.Equal(t, breaking.Warning, f.Level)
		assert.Contains(t, strings.Join(f.Reasons, "\n"), "every operation it reaches is in preview")
	}
}

// A script.csx edit is summarized ("changed"), so its id also names what
// the script says now: accepting one edit does not accept a later,
// different one, and a reformatting of line endings keeps the id.
func TestScriptChangeIDNamesTheEdit(t *testing.T) {
	idOf := func(before, after string) string {
		side := func(script string) breaking.Side {
			s := sharedDefinition(t, true, "", "")
			s.Connector.Script = connector.NewScript("script.csx", []byte(script))
			return s
		}
		old, new := side(before), side(after)
		changes, err := diff.CompareConnectors(context.Background(), old.Connector, new.Connector)
		require.NoError(t, err)
		p, err := breaking.NewPolicy(nil)
		require.NoError(t, err)
		c, _ := p.Changed(changes, old, new, breaking.Record{Now: now, Folder: "connectors/tasks", IDFolder: "connectors/tasks"})
		scripts := byRule(c.Findings, breaking.ScriptChanged)
		require.Len(t, scripts, 1)
		return scripts[0].ID
	}
	const base = "public class Script {\n  int a = 1;\n}\n"
	first := idOf(base, strings.Replace(base, "1", "2", 1))
	assert.Equal(t, first, idOf(base, strings.ReplaceAll(strings.Replace(base, "1", "2", 1), "\n", "\r\n")), "line endings are layout")
	assert.NotEqual(t, first, idOf(base, strings.Replace(base, "1", "3", 1)), "another edit is another finding")
}

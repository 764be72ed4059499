package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
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

// repoResult is a pull request of a small connector repository: contoso
// changed (definition, apiProperties.json and script.csx), tasks moved to
// another folder with the README example's update, gone deleted, fresh
// added; a policy file accepts one of contoso's breaks and something that
// does not happen. Dates are fixed, so the commit ids are too.
func repoResult(t *testing.T) *breaking.Result {
	t.Helper()
	r := gittest.New(t)
	r.CopyFolder("../testdata/connector/old", "connectors/contoso")
	// gone and fresh are one line each, unlike every other file, so that
	// git's rename detection does not pair them with anything.
	r.Write("connectors/gone/apiDefinition.swagger.json", `{"swagger": "2.0", "info": {"title": "Gone", "version": "3"}, `+
		`"paths": {"/gone": {"get": {"operationId": "ListGone", "responses": {"200": {"description": "ok"}}}, `+
		`"post": {"operationId": "AddGone", "responses": {"201": {"description": "ok"}}}}}}`+"\n")
	r.Write("connectors/tasks/apiDefinition.swagger.json", readFile(t, "../testdata/example/old.json"))
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.CopyFolder("../testdata/connector/new", "connectors/contoso")
	r.Git(time.Time{}, "rm", "-q", "-r", "connectors/gone")
	r.Git(time.Time{}, "mv", "connectors/tasks", "connectors/tasks-v2")
	r.Write("connectors/tasks-v2/apiDefinition.swagger.json", readFile(t, "../testdata/example/new.json"))
	r.Write("connectors/fresh/apiDefinition.swagger.json", `{"swagger": "2.0", "info": {"title": "Fresh", "version": "0.1"}, `+
		`"paths": {"/things/{id}": {"delete": {"operationId": "DeleteThing", "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}], "responses": {"204": {"description": "gone"}}}}}}`+"\n")
	r.Write(".connectordiff.yaml", `accept:
  - rule: connection-parameter-required-added
    connector: connectors/contoso
    reason: Every tenant was told in October; the old connections stop working anyway.
  - rule: operation-id-changed
    connector: connectors/contoso
    reason: Nothing matches this.
`)
	r.Commit(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), "change")
	rr, err := connectordiff.CompareRevisions(context.Background(), r.Dir, "main", "feature")
	require.NoError(t, err)
	return rr
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(data)
}

func renderRepo(t *testing.T, f report.Format, rr *breaking.Result, opts report.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, report.Render(&buf, f, rr, goldenOptions(opts)))
	return buf.Bytes()
}

func TestRepoEveryFormatGolden(t *testing.T) {
	rr := repoResult(t)
	require.Len(t, rr.Connectors, 4)
	for _, f := range report.Formats() {
		t.Run(string(f), func(t *testing.T) {
			out := renderRepo(t, f, rr, report.Options{})
			golden(t, filepath.Join("golden", "repo."+extensions[f]), out)
			assert.Equal(t, string(out), string(renderRepo(t, f, repoResult(t), report.Options{})),
				"the same change renders the same bytes")
		})
	}
}

// Text and Markdown lead with one row per connector: folder, status and
// verdict, before any finding.
func TestRepoReportsLeadWithTheConnectors(t *testing.T) {
	rr := repoResult(t)
	text := string(renderRepo(t, report.FormatText, rr, report.Options{}))
	table := regexp.MustCompile(`(?m)^  (connectors/\S+(?: -> connectors/\S+)?)\s+(added|changed|removed|renamed)\s+(\S+)`).FindAllStringSubmatch(text, -1)
	var rows []string
	for _, m := range table {
		rows = append(rows, m[1]+" "+m[2]+" "+m[3])
	}
	assert.Equal(t, []string{"connectors/contoso changed BREAKING", "connectors/fresh added safe",
		"connectors/gone removed BREAKING", "connectors/tasks -> connectors/tasks-v2 renamed BREAKING"}, rows)
	assert.Less(t, strings.Index(text, "connectors/tasks -> connectors/tasks-v2  renamed"), strings.Index(text, "\n== "), "the table comes before the findings")

	md := string(renderRepo(t, report.FormatMarkdown, rr, report.Options{}))
	assert.Regexp(t, "(?m)^\\| connector \\| status \\| verdict", md)
	assert.Contains(t, md, "| connectors/fresh | added | ✅ safe | 0 | 0 | 1 |")
	assert.Less(t, strings.Index(md, "| connectors/fresh |"), strings.Index(md, "### "), "the table comes before the findings")
	assert.Contains(t, md, "| ⚪ accepted | [connection-parameter-required-added]", "the accepted finding is shown as accepted")
}

// The JSON report of a repository: schemaVersion 2, connectors with their
// folder relative to the root (the new one for a rename), status and
// findings; the accepted finding carries who accepted it and why.
func TestRepoJSON(t *testing.T) {
	rr := repoResult(t)
	var doc struct {
		SchemaVersion int    `json:"schemaVersion"`
		Verdict       string `json:"verdict"`
		Connectors    []struct {
			Folder, OldFolder, Status, Verdict string
			Findings                           []struct {
				Rule     string
				Accepted *struct{ Reason, By string }
			}
		}
		Findings []struct{ Rule, Level string }
		Summary  struct{ Added, Changed, Removed, Renamed, Accepted int }
	}
	require.NoError(t, json.Unmarshal(renderRepo(t, report.FormatJSON, rr, report.Options{}), &doc))
	assert.Equal(t, 2, doc.SchemaVersion)
	assert.Equal(t, "breaking", doc.Verdict)
	var got []string
	accepted := 0
	for _, c := range doc.Connectors {
		got = append(got, c.Folder+" "+c.OldFolder+" "+c.Status+" "+c.Verdict)
		for _, f := range c.Findings {
			if f.Accepted != nil {
				accepted++
				assert.Equal(t, "connection-parameter-required-added", f.Rule)
				assert.Equal(t, ".connectordiff.yaml:2:5", f.Accepted.By)
			}
		}
	}
	assert.Equal(t, []string{"connectors/contoso  changed breaking", "connectors/fresh  added safe",
		"connectors/gone  removed breaking", "connectors/tasks-v2 connectors/tasks renamed breaking"}, got)
	assert.Equal(t, 1, accepted)
	assert.Equal(t, struct{ Added, Changed, Removed, Renamed, Accepted int }{1, 1, 1, 1, 1}, doc.Summary)
	require.Len(t, doc.Findings, 2)
	assert.Equal(t, "acceptance-added", doc.Findings[0].Rule, "the fixture's policy is new in the change")
	assert.Equal(t, "acceptance-stale", doc.Findings[1].Rule)
}

// SARIF and annotations name files from the repository's root, where the CI
// system finds them, and the new file for a removal inside a connector
// (the old file's lines mean nothing in the pull request's version).
func TestRepoLocationsAreRepositoryPaths(t *testing.T) {
	rr := repoResult(t)
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
				Suppressions []struct{ Status string }
			}
		}
	}
	require.NoError(t, json.Unmarshal(renderRepo(t, report.FormatSARIF, rr, report.Options{}), &log))
	uris := map[string]bool{}
	suppressed := 0
	for _, r := range log.Runs[0].Results {
		uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		uris[uri] = true
		if r.RuleID == "operation-removed" && strings.HasPrefix(uri, "connectors/contoso/") {
			assert.Equal(t, 13, r.Locations[0].PhysicalLocation.Region.StartLine, "the survivor in the new file")
		}
		if len(r.Suppressions) > 0 {
			suppressed++
			assert.Equal(t, "accepted", r.Suppressions[0].Status)
		}
	}
	assert.Equal(t, 1, suppressed)
	for _, want := range []string{"connectors/contoso/apiDefinition.swagger.json", "connectors/contoso/apiProperties.json",
		"connectors/contoso/script.csx", "connectors/gone/apiDefinition.swagger.json",
		"connectors/tasks-v2/apiDefinition.swagger.json", ".connectordiff.yaml"} {
		assert.True(t, uris[want], "a result in %s", want)
	}
	for uri := range uris {
		assert.False(t, strings.HasPrefix(uri, "connectors/tasks/"), "nothing points into the folder the rename left: %s", uri)
	}

	gh := string(renderRepo(t, report.FormatGitHub, rr, report.Options{}))
	assert.Contains(t, gh, "::error file=connectors/contoso/apiProperties.json,line=")
	assert.Contains(t, gh, "::notice file=connectors/contoso/apiProperties.json,line=15,col=7,title=connection-parameter-required-added::accepted (.connectordiff.yaml:2:5: ")
	assert.Regexp(t, `connectordiff: BREAKING: .* in 3 of 4 connectors`, gh)
	az := string(renderRepo(t, report.FormatAzure, rr, report.Options{}))
	assert.Contains(t, az, "##vso[task.logissue type=error;sourcepath=connectors/tasks-v2/apiDefinition.swagger.json;")
	assert.NotContains(t, az, "code=connection-parameter-required-added", "Azure Pipelines leaves accepted findings out")
}

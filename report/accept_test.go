package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/internal/gittest"
	"github.com/connectordiff/connectordiff/report"
)

// acceptedForListTasks is a repository whose change breaks the test
// connector, with response-property-removed (one change of a definition
// ListTasks and CreateTask share) accepted for ListTasks only.
func acceptedForListTasks(t *testing.T, policy string) *breaking.Result {
	t.Helper()
	r := gittest.New(t)
	r.CopyFolder("../testdata/connector/old", "connectors/contoso")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.CopyFolder("../testdata/connector/new", "connectors/contoso")
	r.Write(".connectordiff.yaml", policy)
	r.Commit(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), "change")
	rr, err := connectordiff.CompareRevisions(context.Background(), r.Dir, "main", "feature")
	require.NoError(t, err)
	return rr
}

// listTasksPolicy accepts what the change does to ListTasks: its enum, and
// its part of response-property-removed, which CreateTask shares.
const listTasksPolicy = `accept:
  - rule: response-property-removed
    operation: ListTasks
    reason: ListTasks callers were told
  - rule: parameter-enum-narrowed
    reason: archived was never sent
`

// Issue 18, item 2, as the reports show it: what still fails comes first,
// in text and Markdown (a group whose findings were all accepted after
// every group with one that fails, the accepted part of a split finding
// with it), and the verdict counts what is not accepted.
func TestReportsShowWhatStillFailsFirst(t *testing.T) {
	rr := acceptedForListTasks(t, listTasksPolicy)
	text := string(renderRepo(t, report.FormatText, rr, report.Options{}))
	stillFails := strings.Index(text, "BREAKING  response-property-removed")
	accepted := strings.Index(text, "ACCEPTED  response-property-removed")
	require.Positive(t, stillFails, text)
	require.Positive(t, accepted, text)
	assert.Less(t, stillFails, accepted, "the part that still fails (CreateTask) is shown before the accepted one (ListTasks)")
	connectorPart := text[:strings.Index(text, "== policy")]
	assert.NotContains(t, connectorPart[accepted:], "BREAKING  ", "nothing that fails comes after what was accepted")
	assert.NotContains(t, connectorPart[accepted:], "WARNING  ")
	assert.Contains(t, text[strings.LastIndex(text[:accepted], "\n\n"):accepted], "ListTasks", "the group of the accepted part")
	assert.Contains(t, text, "property response 200/items/assignee removed\n            to accept:", "the part that fails can be accepted too")
	assert.Contains(t, text, "BREAKING: existing flows or apps will break in 1 of 1 connector (5 breaking")

	md := string(renderRepo(t, report.FormatMarkdown, rr, report.Options{}))
	mdFails := strings.Index(md, "| 🔴 breaking | [response-property-removed]")
	mdAccepted := strings.Index(md, "| ⚪ accepted | [response-property-removed]")
	require.Positive(t, mdFails)
	require.Positive(t, mdAccepted)
	assert.Less(t, mdFails, mdAccepted)
	assert.NotContains(t, md[mdAccepted:strings.Index(md, "### Policy")], "🔴 breaking |")
	assert.Contains(t, md, "| connectors/contoso | changed | ❌ breaking | 5 | ", "the table counts what still fails")
}

// An accepted copy of a change and one that still fails are two lines, not
// one "same change in 2 places" that shows only the accepted one.
func TestAcceptedCopyIsNotTheSameChange(t *testing.T) {
	finding := func(op string, accepted bool) breaking.Finding {
		f := breaking.Finding{ID: op + "000000000000", Rule: "response-property-removed", Level: breaking.Breaking, Operation: op, Operations: []string{op},
			Kind: diff.PropertyRemoved, Subject: "response 200/status", Old: &connector.Location{Pointer: "/paths/~1" + op, Line: 10, Column: 9}}
		if accepted {
			f.Accepted = &breaking.Accepted{Reason: "told", By: "p.yaml:2:5"}
		}
		return f
	}
	res := breaking.Pair(breaking.ConnectorResult{Old: breaking.DocumentInfo{File: "old.json"}, New: breaking.DocumentInfo{File: "new.json"},
		Findings: []breaking.Finding{finding("GetA", true), finding("GetB", false)}})
	var text bytes.Buffer
	require.NoError(t, report.Text(&text, res, report.Options{}))
	assert.Equal(t, 2, strings.Count(text.String(), "response-property-removed"), text.String())
	assert.NotContains(t, text.String(), "the same change in 2 places")
	assert.Less(t, strings.Index(text.String(), "BREAKING"), strings.Index(text.String(), "ACCEPTED"))
}

// Every format of a repository's report gives, for each break no one
// accepted, the command that accepts it, naming its id; JSON and SARIF
// carry the full id of every finding, Markdown and verbose text its short
// form.
func TestReportsGiveTheAcceptCommand(t *testing.T) {
	rr := acceptedForListTasks(t, listTasksPolicy)
	var fails []breaking.Finding
	for _, f := range rr.Connectors[0].Findings {
		if f.Level == breaking.Breaking && f.Accepted == nil {
			fails = append(fails, f)
		}
	}
	require.Len(t, fails, 5)
	opts := report.Options{AcceptArgs: []string{"--base", "origin/main", "--config", "ci/policy file.yaml"}}
	command := func(id string) string {
		return "connectordiff accept --base origin/main --config 'ci/policy file.yaml' --reason '<why this break is acceptable>' " + id
	}
	for _, f := range report.Formats() {
		if f == report.FormatChangelog {
			continue // release notes are for users, not reviewers
		}
		out := string(renderRepo(t, f, rr, opts))
		for _, b := range fails {
			want := command(b.ID)
			if f == report.FormatHTML {
				want = strings.ReplaceAll(want, "'", "&#39;")
				want = strings.ReplaceAll(want, "<", "&lt;")
				want = strings.ReplaceAll(want, ">", "&gt;")
			}
			if f == report.FormatJSON || f == report.FormatSARIF {
				want = strings.ReplaceAll(strings.ReplaceAll(want, "<", `\u003c`), ">", `\u003e`)
				if !strings.Contains(out, want) {
					want = command(b.ID) // encoders that leave <> as they are
				}
			}
			assert.Contains(t, out, want, "%s: the command for %s", f, b.Rule)
		}
	}

	var doc struct {
		Connectors []struct {
			Findings []struct{ ID, Rule, AcceptCommand string }
		}
	}
	require.NoError(t, json.Unmarshal(renderRepo(t, report.FormatJSON, rr, report.Options{}), &doc))
	for i, f := range doc.Connectors[0].Findings {
		assert.Equal(t, rr.Connectors[0].Findings[i].ID, f.ID)
		assert.True(t, breaking.ValidID(f.ID))
		if f.AcceptCommand != "" {
			assert.Equal(t, "connectordiff accept --base main --reason '<why this break is acceptable>' "+f.ID, f.AcceptCommand,
				"without AcceptArgs, --base as the result names it")
		}
	}
	md := string(renderRepo(t, report.FormatMarkdown, rr, report.Options{}))
	assert.Contains(t, md, "<details><summary>Accept 5 breaks on record</summary>", "folded")
	assert.Contains(t, md, "<code>"+breaking.ShortID(fails[0].ID)+"</code>")
	verbose := string(renderRepo(t, report.FormatText, rr, report.Options{MinLevel: breaking.Info}))
	assert.Contains(t, verbose, "BREAKING  "+breaking.ShortID(fails[0].ID)+"  ")
	quiet := string(renderRepo(t, report.FormatText, rr, report.Options{}))
	assert.NotContains(t, quiet, "BREAKING  "+breaking.ShortID(fails[0].ID))

	pair := load(t, pairs[0]).res
	var pairText bytes.Buffer
	require.NoError(t, report.Text(&pairText, pair, report.Options{}))
	assert.NotContains(t, pairText.String(), "connectordiff accept", "two files compared have no policy file to accept in")
}

// The shell quoting of the printed command: what a reviewer pastes is what
// was meant, whatever the base is called.
func TestAcceptCommandQuoting(t *testing.T) {
	rr := &breaking.Result{Range: &breaking.Range{Base: "it's $(main)"}}
	assert.Equal(t, `connectordiff accept --base 'it'\''s $(main)' --reason '<why this break is acceptable>' 0123456789abcdef`,
		report.AcceptCommand(rr, report.Options{}, []string{"0123456789abcdef"}))
	rr.Range = &breaking.Range{Base: "origin/main", Head: "(staged)"}
	assert.Equal(t, `connectordiff accept --base origin/main --staged --reason '<why this break is acceptable>' a b`,
		report.AcceptCommand(rr, report.Options{}, []string{"a", "b"}))
}

// A connector with many breaks gets at most 30 accept commands in the
// comment, and a line that says where the others are: the commands never
// crowd the findings out of the size cap.
func TestMarkdownAcceptCommandsAreBounded(t *testing.T) {
	var fs []breaking.Finding
	for i := 0; i < 35; i++ {
		op := "Op" + string(rune('A'+i/26)) + string(rune('a'+i%26))
		fs = append(fs, breaking.Finding{ID: strings.Repeat(string("0123456789abcdef"[i%16]), 15) + string("0123456789abcdef"[i/16]),
			Rule: breaking.OperationRemoved, Level: breaking.Breaking, Kind: diff.OperationRemoved, Subject: op, Operation: op, Operations: []string{op}})
	}
	rr := &breaking.Result{Range: &breaking.Range{Base: "main", BaseCommit: "0123456789"},
		Connectors: []breaking.ConnectorResult{{Folder: "connectors/big", Status: breaking.StatusChanged, Findings: fs}}}
	rr.Count()
	var md bytes.Buffer
	require.NoError(t, report.Markdown(&md, rr, report.Options{}))
	assert.Contains(t, md.String(), "<details><summary>Accept 35 breaks on record</summary>")
	assert.Equal(t, 30, strings.Count(md.String(), "\nconnectordiff accept "))
	assert.Contains(t, md.String(), "# and 5 more: the JSON report gives each break's acceptCommand")
}

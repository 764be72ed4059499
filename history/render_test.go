package history_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/history"
	"github.com/connectordiff/connectordiff/report"
)

// Text a commit or a pull request writes, meant to become a command in a
// CI log or to drive the terminal.
const (
	evilSubject = "fix\n::error title=X::owned\r##vso[task.setvariable variable=A]1"
	evilAuthor  = "Mallory \x1b[2J<b>bold</b>"
	evilFolder  = "c/##[group]F"
	evilOp      = "::warning::op"
)

// rendered is a small history written in format f: two connectors, one
// with a breaking update, an error, a rename and a deprecation removed
// early.
func rendered(t *testing.T, f report.Format) string {
	t.Helper()
	at := func(d int) time.Time { return time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	commit := func(c byte) string { return strings.Repeat(string(c), 40) }
	h := &history.Header{Until: "main", UntilCommit: commit('f'), Profile: breaking.ProfileUsers, Window: 30, Commits: 12, Connectors: 2}
	a := &history.Connector{Index: 0, Folder: "c/A", Title: "A <title>", Profile: breaking.ProfileUsers, Versions: []history.Version{
		{Commit: commit('1'), Date: at(0), Author: "Ann", Subject: "add A", Verdict: history.Added, Folder: "c/A", InfoVersion: "1.0",
			Counts: breaking.Counts{Info: 1}, Findings: []history.Finding{{Rule: "connector-added", Level: breaking.Info, Message: "connector A added"}}},
		{Commit: commit('2'), Date: at(5), Author: evilAuthor, Subject: evilSubject, Verdict: history.Breaking, Folder: "c/A",
			Previous: commit('1'), InfoVersion: "1.0", Counts: breaking.Counts{Breaking: 1, Warning: 1},
			Findings: []history.Finding{
				{Rule: breaking.OperationRemoved, Level: breaking.Breaking, Message: "operation " + evilOp + " removed", Operation: evilOp,
					Operations: []string{evilOp}, Old: &connector.Location{Line: 7, Column: 3}},
				{Rule: "parameter-default-changed", Level: breaking.Warning, Message: "default changed", Operation: "List", Operations: []string{"List"}},
			}},
		{Commit: commit('3'), Date: at(6), Author: "Ann", Subject: "broken", Verdict: history.Error, Folder: "c/A",
			Error: "c/A/apiDefinition.swagger.json:3:12: invalid character '}'"},
		{Commit: commit('4'), Date: at(9), Author: "Ann", Subject: "move", Verdict: history.Safe, Folder: "c/A", OldFolder: "old/A", Previous: commit('2')},
	}, Deprecations: []history.Deprecation{
		{Operation: evilOp, Deprecated: &history.Event{Commit: commit('1'), Date: at(0)}, Removed: &history.Event{Commit: commit('2'), Date: at(5)}},
	}}
	b := &history.Connector{Index: 1, Folder: evilFolder, Profile: breaking.ProfileUsers, Versions: []history.Version{
		{Commit: commit('5'), Date: at(1), Author: "Bob", Subject: "add", Verdict: history.Added, Folder: evilFolder},
		{Commit: commit('6'), Date: at(2), Author: "Bob", Subject: "remove", Verdict: history.Removed, Folder: evilFolder, Previous: commit('5'),
			Counts: breaking.Counts{Breaking: 1}, Findings: []history.Finding{{Rule: "connector-removed", Level: breaking.Breaking, Message: "connector removed"}}},
	}}
	sum := &history.Summary{Header: *h, Versions: 6, BreakingUpdates: 1, Tallies: []history.Tally{
		{Index: 0, Folder: "c/A", Versions: 4, Breaking: 1}, {Index: 1, Folder: evilFolder, Versions: 2, Removed: true}}}
	var buf bytes.Buffer
	sink, err := history.NewRenderer(&buf, f, report.Options{RulesURL: "https://example.com/rules"})
	require.NoError(t, err)
	require.NoError(t, sink.Begin(h))
	require.NoError(t, sink.Connector(a))
	require.NoError(t, sink.Connector(b))
	require.NoError(t, sink.End(sum))
	return buf.String()
}

// No line of any format is a CI command, and none holds a control
// character but the line feed (and the tab JSON may not hold raw either).
func TestEveryFormatShowsHostileTextInert(t *testing.T) {
	command := regexp.MustCompile(`(?i)^\s*::|##vso\[|##\[`)
	for _, f := range history.Formats() {
		out := rendered(t, f)
		for _, line := range strings.Split(out, "\n") {
			assert.False(t, command.MatchString(line), "%s: %q", f, line)
			assert.NotRegexp(t, "[\x00-\x08\x0b-\x1f\x7f]", line, "%s", f)
		}
	}
}

func TestTextHasOneLinePerVersion(t *testing.T) {
	out := rendered(t, report.FormatText)
	assert.Contains(t, out, "History of main (ffffffffff): 12 first-parent commits, profile users\n")
	assert.Contains(t, out, "\nc/A (A <title>): 4 versions, 1 breaking\n")
	assert.Contains(t, out, "  2025-03-01  1111111111  added     no findings  version 1.0  Ann: add A\n")
	assert.Contains(t, out, `  2025-03-06  2222222222  breaking  1 breaking, 1 warning  version 1.0  Mallory \x1b[2J<b>bold</b>: `+
		`fix\n::error title=X::owned\r\x23#vso[task.setvariable variable=A]1  [operation-removed (\x3a:warning::op); parameter-default-changed (List)]`+"\n")
	assert.Contains(t, out, "  2025-03-07  3333333333  error     c/A/apiDefinition.swagger.json:3:12: invalid character '}'  Ann: broken\n")
	assert.Contains(t, out, "  2025-03-10  4444444444  safe      no findings  moved from old/A  Ann: move\n")
	assert.Contains(t, out, `  \x3a:warning::op deprecated 2025-03-01 (1111111111), removed 2025-03-06 (2222222222) after 5 days, less than the 30-day window`)
	assert.Contains(t, out, "\nConnectors by breaking updates:\n     1  c/A (4 versions)\n")
	assert.Contains(t, out, "\n2 connectors, 6 versions, 1 breaking update in 12 first-parent commits\n")
}

// The JSON history has the shape, versions oldest first, and
// decodes to the commits' own text.
func TestJSONHasTheShapeAndDecodesToTheText(t *testing.T) {
	out := rendered(t, report.FormatJSON)
	var doc struct {
		SchemaVersion int
		Range         struct{ Until, UntilCommit string }
		Connectors    []struct {
			Folder   string
			Versions []struct {
				Commit, Author, Subject string
				Date                    time.Time
				Verdict                 string
				Counts                  map[string]int
				Findings                []map[string]any
				OldFolder               string
				Error                   string
			}
			Deprecations []struct {
				Operation string
				Days      *int
			}
		}
		Summary struct {
			BreakingUpdates int
			ByBreaking      []struct{ Folder string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	require.Len(t, doc.Connectors, 2)
	a := doc.Connectors[0]
	assert.Equal(t, "c/A", a.Folder)
	require.Len(t, a.Versions, 4)
	v := a.Versions[1]
	assert.Equal(t, strings.Repeat("2", 40), v.Commit)
	assert.Equal(t, evilSubject, v.Subject)
	assert.Equal(t, evilAuthor, v.Author)
	assert.Equal(t, "breaking", v.Verdict)
	assert.Equal(t, map[string]int{"breaking": 1, "warning": 1, "info": 0}, v.Counts)
	assert.Equal(t, evilOp, v.Findings[0]["operationId"])
	assert.Equal(t, "breaking", v.Findings[0]["level"])
	assert.True(t, a.Versions[0].Date.Before(v.Date), "oldest first")
	assert.Equal(t, "old/A", a.Versions[3].OldFolder)
	assert.Contains(t, a.Versions[2].Error, ":3:12:")
	require.Len(t, a.Deprecations, 1)
	assert.Equal(t, 5, *a.Deprecations[0].Days)
	assert.Equal(t, evilFolder, doc.Connectors[1].Folder)
	assert.Equal(t, 1, doc.Summary.BreakingUpdates)
	assert.Equal(t, "c/A", doc.Summary.ByBreaking[0].Folder)
	assert.NotContains(t, out, "##vso[", "escaped as \\u0023")
}

func TestMarkdownHasATablePerConnector(t *testing.T) {
	out := rendered(t, report.FormatMarkdown)
	assert.Contains(t, out, "\n## c/A\n\n**A &lt;title&gt;**: 4 versions, 1 breaking\n")
	assert.Contains(t, out, "| 2025-03-06 | `2222222222` | 🔴 **breaking** | 1 breaking, 1 warning | Mallory &#92;x1b&#91;2J&lt;b&gt;bold&lt;/b&gt; |")
	assert.Contains(t, out, "[operation-removed](https://example.com/rules#operation-removed): &#92;x3a:warning::op")
	assert.Contains(t, out, "| ⛔ **removed** |")
	assert.Contains(t, out, "\n## Connectors by breaking updates\n")
	assert.NotContains(t, out, "<b>", "no raw HTML from a commit")
}

// The page is self-contained (no script, no external asset), each
// version's verdict links to its findings, and the overview is written
// last and shown first.
func TestHTMLIsOneSelfContainedPageWithLinkedTimelines(t *testing.T) {
	out := rendered(t, report.FormatHTML)
	for _, banned := range []string{"<script", "<link", "<img", "<iframe", "src=", "url(", "@import"} {
		assert.NotContains(t, strings.ToLower(out), banned)
	}
	assert.True(t, strings.HasPrefix(out, "<!DOCTYPE html>"))
	assert.True(t, strings.HasSuffix(out, "</html>\n"))
	assert.Contains(t, out, `<a class="verdict breaking" href="#c0-v1-findings">breaking</a>`)
	assert.Contains(t, out, `<div class="update breaking" id="c0-v1-findings">`)
	assert.Contains(t, out, `<a class="verdict removed" href="#c1-v1-findings">removed</a>`)
	assert.Contains(t, out, `<span class="verdict safe">safe</span>`, "nothing to link to")
	assert.Contains(t, out, "main > .overview { order: -1; }")
	assert.Less(t, strings.Index(out, `id="c1"`), strings.Index(out, `<section class="overview"`))
	assert.Contains(t, out, `<tr class="short"><td><code>::warning::op</code></td><td>2025-03-01 1111111111</td><td>2025-03-06 2222222222</td><td class="n">5</td></tr>`)
	assert.Contains(t, out, `Mallory \x1b[2J&lt;b&gt;bold&lt;/b&gt;`)
	assert.Contains(t, out, `fix\n::error title=X::owned\r&#35;#vso[task.setvariable variable=A]1`)
	assert.Equal(t, strings.Count(out, "<section"), strings.Count(out, "</section>"))
}

func TestOtherFormatsAreRefused(t *testing.T) {
	_, err := history.NewRenderer(&bytes.Buffer{}, report.FormatSARIF, report.Options{})
	assert.EqualError(t, err, "a history is written as text, json, markdown or html, not sarif")
}

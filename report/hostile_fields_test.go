package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/internal/escape/escapetest"
	"github.com/connectordiff/connectordiff/report"
)

// h is a hostile value for one field: it starts a workflow command, puts an
// Azure logging command, the legacy prefix and a terminal escape on lines of
// its own, and reverses what follows it. The tag tells which field leaked.
func h(tag string) string {
	return "::error title=" + tag + "::x\n##vso[task.setvariable variable=" + tag + "]1\r##[group]" + tag + "\x1b[2J\u202e" + tag
}

// hostileResult fills every string a report can show with a hostile value:
// what a library user may hand the renderers, beyond what the comparison
// itself produces.
func hostileResult() *breaking.Result {
	return breaking.Pair(hostileConnector())
}

func hostileConnector() breaking.ConnectorResult {
	side := func(tag string) breaking.DocumentInfo {
		return breaking.DocumentInfo{File: h(tag + "-file"), Title: h(tag + "-title"), Version: h(tag + "-version"), Operations: 2,
			Notes:        []connector.Note{{File: h(tag + "-notefile"), Line: 1, Column: 2, Message: h(tag + "-note")}},
			OperationIDs: []string{h("op"), h("op2")}}
	}
	loc := &connector.Location{Line: 3, Column: 4}
	return breaking.ConnectorResult{Old: side("old"), New: side("new"), Findings: []breaking.Finding{
		{Rule: "operation-removed", Level: breaking.Breaking, Kind: diff.OperationRemoved, Subject: h("removed-subject"),
			Reasons: []string{h("removed-reason")}, Merged: []breaking.Finding{{Kind: diff.OperationRemoved, Subject: h("merged-subject")}},
			Deprecated: &breaking.Deprecation{Days: 1, Window: 30}, Operation: h("op"),
			Operations: []string{h("op"), h("op2")}, ValuePath: h("valuepath"), Old: loc, Before: h("before"), After: h("after"),
			Remediation: h("remediation"), Removed: []string{h("removed")}, Added: []string{h("added")}, Details: []string{h("detail")},
			Hosts: breaking.Hosts(), Certification: breaking.Breaking, ValidatorMessage: h("validator")},
		{Rule: "parameter-location-changed", Level: breaking.Breaking, Subject: h("location-message"), Operation: h("op2"),
			Operations: []string{h("op2")}, Old: loc, New: loc, Remediation: h("remediation2"),
			Accepted: &breaking.Accepted{Reason: h("reason"), By: h("by")},
			Change:   &diff.Change{Subject: h("subject"), Before: h("change-before"), After: h("change-after")}},
		{Rule: h("rule"), Level: breaking.Warning, Subject: h("warning-message"), File: h("finding-file"), New: loc},
		{Rule: "operation-added", Level: breaking.Info, Subject: h("info-message"), Operation: h("op3"), Operations: []string{h("op3")}, New: loc},
	}}
}

func hostileRepoResult() *breaking.Result {
	policy := breaking.Finding{Rule: "acceptance-stale", Level: breaking.Warning, Topic: breaking.TopicAcceptanceStale,
		Subject: h("policy-subject"), NotApplied: true, File: h("policy-file"),
		New: &connector.Location{Line: 1, Column: 1}}
	renamed, added := hostileConnector(), hostileConnector()
	renamed.Folder, renamed.OldFolder, renamed.Status = h("folder"), h("oldfolder"), breaking.StatusRenamed
	added.Folder, added.Status = h("added"), breaking.StatusAdded
	rr := &breaking.Result{Range: &breaking.Range{Base: h("base"), BaseCommit: "0123456789abcdef", Head: h("head"), HeadCommit: "fedcba9876543210"},
		Connectors: []breaking.ConnectorResult{renamed, added}, PolicyFindings: []breaking.Finding{policy}, Policies: []string{h("policy")}}
	rr.Count()
	return rr
}

// ownCommand matches the commands the github and azure formats write, with
// their data last.
var ownCommand = map[report.Format]*regexp.Regexp{
	report.FormatGitHub: regexp.MustCompile(`^::(error|warning|notice) file=[^,:]*(,line=\d+(,col=\d+)?)?,title=[^,:]+::(.*)$`),
	report.FormatAzure:  regexp.MustCompile(`^##vso\[task\.logissue type=(error|warning);sourcepath=[^;\]]*(;linenumber=\d+(;columnnumber=\d+)?)?;code=[^;\]]+\](.*)$`),
}

// assertInert checks every line of a report as the CI systems read it.
func assertInert(t *testing.T, f report.Format, out string) {
	t.Helper()
	assert.NotContains(t, out, "\r", "%s: a carriage return ends a log line", f)
	for _, line := range escapetest.Lines(out) {
		assert.Empty(t, escapetest.Hidden(line), "%s: %q", f, line)
		if cmds := escapetest.Commands(line); len(cmds) > 0 {
			re := ownCommand[f]
			if assert.NotNil(t, re, "%s: a command (%v): %q", f, cmds, line) {
				m := re.FindStringSubmatch(line)
				if assert.NotNil(t, m, "%s: not the format's own command: %q", f, line) {
					assert.Empty(t, escapetest.Commands("data "+m[len(m)-1]), "%s: a command in the data: %q", f, line)
				}
			}
		}
	}
}

func TestHostileFieldsAreInertInEveryFormat(t *testing.T) {
	for _, f := range report.Formats() {
		for _, verbose := range []bool{false, true} {
			opts := report.Options{Explain: true, RulesURL: "https://example.com/rules.md"}
			if verbose {
				opts.MinLevel = breaking.Info
			}
			t.Run(fmt.Sprintf("%s/verbose=%v", f, verbose), func(t *testing.T) {
				var pair, repo bytes.Buffer
				require.NoError(t, report.Render(&pair, f, hostileResult(), opts))
				require.NoError(t, report.Render(&repo, f, hostileRepoResult(), opts))
				assertInert(t, f, pair.String())
				assertInert(t, f, repo.String())
				// The values are there, in some form: the check above is not
				// passing on a report that left them out.
				assert.Contains(t, pair.String(), "op2")
				assert.Contains(t, repo.String(), "op2")
				// HTML and XML show hidden characters as escapes too, not
				// as character references that a browser acts on.
				for _, ref := range []string{"&#27;", "&#8238;", "&#13;", "&#xD;", "&#x1B;"} {
					assert.NotContains(t, pair.String()+repo.String(), ref)
				}
			})
		}
	}
}

func TestHostileFieldsDecodeFromJSON(t *testing.T) {
	var pair, repo bytes.Buffer
	require.NoError(t, report.JSON(&pair, hostileResult(), report.Options{}))
	require.NoError(t, report.JSON(&repo, hostileRepoResult(), report.Options{Compact: true}))
	var p struct {
		Old      struct{ File, Title, Version string }
		Findings []struct {
			Message, ValuePath string
			OperationID        *string
			Accepted           *struct{ Reason, By string }
		}
	}
	require.NoError(t, json.Unmarshal(pair.Bytes(), &p))
	assert.Equal(t, h("old-file"), p.Old.File)
	assert.Equal(t, h("old-title"), p.Old.Title)
	assert.Equal(t, h("old-version"), p.Old.Version)
	assert.Equal(t, report.Message(hostileResult().Connectors[0].Findings[0]), p.Findings[0].Message)
	for _, part := range []string{"removed-subject", "removed-reason", "merged-subject"} {
		assert.Contains(t, p.Findings[0].Message, h(part), "every part of the sentence, as it is")
	}
	assert.Equal(t, h("valuepath"), p.Findings[0].ValuePath)
	assert.Equal(t, h("op"), *p.Findings[0].OperationID)
	assert.Equal(t, h("reason"), p.Findings[1].Accepted.Reason)
	assert.Equal(t, h("by"), p.Findings[1].Accepted.By)

	require.Len(t, strings.Split(strings.TrimSuffix(repo.String(), "\n"), "\n"), 1, "compact: one line")
	var r struct {
		Base, Head string
		Policies   []string
		Connectors []struct{ Folder, OldFolder string }
		Findings   []struct{ Message, File string }
	}
	require.NoError(t, json.Unmarshal(repo.Bytes(), &r))
	assert.Equal(t, h("base"), r.Base)
	assert.Equal(t, h("head"), r.Head)
	assert.Equal(t, []string{h("policy")}, r.Policies)
	assert.Equal(t, h("folder"), r.Connectors[0].Folder)
	assert.Equal(t, h("oldfolder"), r.Connectors[0].OldFolder)
	assert.Equal(t, "the accepted change "+h("policy-subject")+" matched no finding; not applied: the policy is read from the base revision",
		r.Findings[0].Message)
	assert.Equal(t, h("policy-file"), r.Findings[0].File)
}

func TestLineOfAFindingIsInert(t *testing.T) {
	c := hostileConnector()
	for _, f := range c.Findings {
		line := report.Line(&c, f)
		assert.Len(t, escapetest.Lines(line), 1, "%q", line)
		assert.Empty(t, escapetest.Commands(line), "%q", line)
		assert.Empty(t, escapetest.Hidden(line), "%q", line)
	}
}

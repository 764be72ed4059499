package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/internal/gittest"
	"github.com/connectordiff/connectordiff/report"
)

// unreadResult is a pull request that changes three connectors: tasks
// breaks, broken's definition is cut short in the change, and legacy's
// apiProperties.json was already broken in the base. One connector that
// cannot be read hides none of the others.
func unreadResult(t *testing.T) (*breaking.Result, error) {
	t.Helper()
	r := gittest.New(t)
	r.Write("connectors/tasks/apiDefinition.swagger.json", readFile(t, "../testdata/example/old.json"))
	r.Write("connectors/broken/apiDefinition.swagger.json", readFile(t, "../testdata/example/old.json"))
	r.CopyFolder("../testdata/connector/old", "connectors/legacy")
	r.Write("connectors/legacy/apiProperties.json", "{\"properties\": {\"connectionParameters\": {,}}}\n")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.Write("connectors/tasks/apiDefinition.swagger.json", readFile(t, "../testdata/example/new.json"))
	r.Write("connectors/broken/apiDefinition.swagger.json", "{\"swagger\": \"2.0\",\n  \"info\": {\"title\": \"Broken\"")
	r.CopyFolder("../testdata/connector/new", "connectors/legacy")
	r.Commit(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), "change")
	return connectordiff.CompareRevisions(context.Background(), r.Dir, "main", "feature")
}

// CompareRevisions goes on past connectors it cannot read: each has status
// error with its located message, every other one is judged, and the error
// returned beside the result says so.
func TestUnreadConnectorsDoNotStopTheGate(t *testing.T) {
	rr, err := unreadResult(t)
	require.Error(t, err)
	assert.True(t, errors.Is(err, gate.ErrIncomplete), "%v", err)
	assert.Contains(t, err.Error(), "(and 1 more connectors that could not be compared)")
	var le *connector.LoadError
	assert.True(t, errors.As(err, &le), "each connector's own error is wrapped")
	require.NotNil(t, rr)
	require.Len(t, rr.Connectors, 3)
	byFolder := map[string]breaking.ConnectorResult{}
	for _, c := range rr.Connectors {
		byFolder[c.Folder] = c
	}
	broken := byFolder["connectors/broken"]
	assert.Equal(t, breaking.StatusError, broken.Status)
	assert.Regexp(t, `^connectors/broken/apiDefinition\.swagger\.json:2:\d+: `, broken.Error)
	require.NotNil(t, broken.ErrorAt)
	assert.Equal(t, "connectors/broken/apiDefinition.swagger.json", broken.ErrorAt.File)
	assert.Equal(t, 2, broken.ErrorAt.Line)
	assert.Empty(t, broken.Findings)

	legacy := byFolder["connectors/legacy"]
	assert.Equal(t, breaking.StatusError, legacy.Status)
	assert.Regexp(t, `^connectors/legacy/apiProperties\.json:1:\d+: .* \(in the base, [0-9a-f]{10}\)$`, legacy.Error)
	assert.Nil(t, legacy.ErrorAt, "a place in the base's file is no place in the files a reviewer sees")

	tasks := byFolder["connectors/tasks"]
	assert.Equal(t, breaking.StatusChanged, tasks.Status)
	assert.Equal(t, 4, tasks.Summary.Breaking, "the connector that could be read is judged")
	assert.Equal(t, 4, rr.Summary.Breaking)
	assert.Len(t, rr.Unread(), 2)
}

// Every format shows each connector that could not be compared, with its
// message, beside the others' findings.
func TestUnreadConnectorsEveryFormatGolden(t *testing.T) {
	rr, _ := unreadResult(t)
	for _, f := range report.Formats() {
		t.Run(string(f), func(t *testing.T) {
			out := renderRepo(t, f, rr, report.Options{})
			golden(t, filepath.Join("golden", "unread."+extensions[f]), out)
			text := string(out)
			for _, c := range rr.Unread() {
				msg := c.Error[strings.LastIndex(c.Error, ": ")+2:]
				if f == report.FormatHTML || f == report.FormatJUnit {
					msg = msg[:strings.IndexAny(msg+"'\"", "'\"")] // quotes are entities there
				}
				assert.Contains(t, text, msg[:min(len(msg), 20)], "%s: %s", f, c.Folder)
				assert.Contains(t, text, c.Folder, "%s", f)
			}
			assert.Contains(t, text, "items/assignee", "%s: the readable connector's findings are there", f)
		})
	}

	var doc struct {
		Verdict    string
		Summary    struct{ Error int }
		Connectors []struct{ Folder, Status, Verdict, Error string }
	}
	require.NoError(t, json.Unmarshal(renderRepo(t, report.FormatJSON, rr, report.Options{}), &doc))
	assert.Equal(t, "breaking", doc.Verdict)
	assert.Equal(t, 2, doc.Summary.Error)
	var statuses []string
	for _, c := range doc.Connectors {
		statuses = append(statuses, c.Folder+" "+c.Status+" "+c.Verdict)
	}
	assert.Equal(t, []string{"connectors/broken error error", "connectors/legacy error error", "connectors/tasks changed breaking"}, statuses)
}

// With nothing breaking in what could be read, the verdict is incomplete,
// never safe.
func TestUnreadConnectorsLeaveTheVerdictIncomplete(t *testing.T) {
	rr, _ := unreadResult(t)
	rr.Connectors = rr.Connectors[:2] // the two that could not be compared
	rr.Count()
	text := string(renderRepo(t, report.FormatText, rr, report.Options{}))
	assert.Contains(t, text, "\nINCOMPLETE: 2 of 2 connectors could not be compared")
	assert.NotContains(t, text, "SAFE")
	var doc struct{ Verdict string }
	require.NoError(t, json.Unmarshal(renderRepo(t, report.FormatJSON, rr, report.Options{}), &doc))
	assert.Equal(t, "incomplete", doc.Verdict)
	md := string(renderRepo(t, report.FormatMarkdown, rr, report.Options{}))
	assert.True(t, strings.HasPrefix(md, "## ⚠️ connectordiff: INCOMPLETE"), md)
}

// The SARIF log of a run that could not compare everything is still valid
// SARIF: the run's invocation failed, with a notification per connector.
func TestUnreadConnectorsSARIFValidates(t *testing.T) {
	rr, _ := unreadResult(t)
	out := renderRepo(t, report.FormatSARIF, rr, report.Options{})
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	require.NoError(t, err)
	assert.NoError(t, sarifSchema(t).Validate(inst))
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct{ Level string }
			}
		}
	}
	require.NoError(t, json.Unmarshal(out, &log))
	require.Len(t, log.Runs[0].Invocations, 1)
	assert.False(t, log.Runs[0].Invocations[0].ExecutionSuccessful)
	assert.Len(t, log.Runs[0].Invocations[0].ToolExecutionNotifications, 2)
}

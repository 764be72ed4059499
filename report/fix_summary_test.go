package report_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/fix"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// The fix summary says each thing once, as compare's report does: the same
// edit in many operations is one entry naming them, the findings one
// remedy fixed are one entry, and each reason is written once.
func TestFixSummaryGroups(t *testing.T) {
	res := &fix.Result{}
	for i := range 56 {
		op := fmt.Sprintf("Op%02d", i)
		res.Fixed = append(res.Fixed, fix.FixedFinding{Rule: "parameter-renamed", OperationID: op,
			Remedy: "renamed body parameter body of " + op + " back to request (a body's name only keys what flows store)"})
	}
	for _, rule := range []string{"operation-method-changed", "response-property-removed", "response-property-removed"} {
		res.Fixed = append(res.Fixed, fix.FixedFinding{Rule: rule, OperationID: "GetResults",
			Remedy: "versioned GetResults: the old operation is back", Notes: []string{"script.csx may name GetResults"}})
	}
	const why = "it was renamed: its new shape needs an operation of its own"
	for i := range 63 {
		res.Unfixed = append(res.Unfixed, fix.UnfixedFinding{Rule: "response-property-removed", OperationID: fmt.Sprintf("Conv%02d", i),
			Message: "property response 200/Operation Status renamed to OperationStatus", Reason: why})
	}
	res.Unfixed = append(res.Unfixed, fix.UnfixedFinding{Rule: "request-body-property-removed", OperationID: "Secure",
		Message: "property body/x removed", Reason: why})
	var buf bytes.Buffer
	require.NoError(t, report.FixSummary(&buf, res))
	out := buf.String()
	t.Log(out)

	assert.Equal(t, 1, strings.Count(out, "renamed body parameter body of"), "one entry for the same edit in 56 operations")
	assert.Contains(t, out, "56 operations  renamed body parameter body of Op00 back to request (a body's name only keys what flows store); "+
		"the same in 55 other operations: Op01, Op02")
	assert.Regexp(t, `(?m)^  3 findings +GetResults +versioned GetResults: the old operation is back$`, out)
	assert.Contains(t, out, "fixes operation-method-changed, response-property-removed (2)")
	assert.Equal(t, 1, strings.Count(out, "check: script.csx may name GetResults"), "a note once per remedy")
	assert.Equal(t, 1, strings.Count(out, why), "each reason once")
	assert.Contains(t, out, "63 operations")
	assert.Less(t, strings.Count(out, "\n"), 16, "a summary, not a log")
}

// Before, a fix of Snowflake's update wrote the version of GetResults nine
// times and Encodian's 63 findings left to a human each with the same long
// reason: now each is said once.
func TestFixSummaryOnTheCorpus(t *testing.T) {
	pairs := filepath.Join(corpus.Dir(t), "pairs")
	run := func(dir string) (*fix.Result, string) {
		read := func(side string) []byte {
			data, err := os.ReadFile(filepath.Join(pairs, dir, side, "apiDefinition.swagger.json"))
			require.NoError(t, err)
			return data
		}
		res, err := connectordiff.Fix(context.Background(), read("old"), read("new"))
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, report.FixSummary(&buf, res))
		return res, buf.String()
	}
	res, out := run("certified--snowflake-v2/bd439d5b14..590ca87116")
	require.Len(t, res.Fixed, 9)
	assert.Equal(t, 1, strings.Count(out, "versioned GetResults"), out)
	assert.Contains(t, out, "9 findings")

	res, out = run("certified--encodian/d0ee210b71..d707a4cd8e")
	require.Len(t, res.Unfixed, 63)
	reason := res.Unfixed[0].Reason
	assert.Equal(t, 1, strings.Count(out, reason), out)
	assert.Less(t, strings.Count(out, "\n"), 15, out)
}

// What a fix of folders says about script.csx quotes the script's own
// lines, which a pull request writes: they are shown inert.
func TestFixSummaryScriptLinesInert(t *testing.T) {
	res := &fix.Result{Connector: &fix.ConnectorFix{ScriptFile: "script.csx", PropertiesFile: "apiProperties.json",
		ScriptOperations: []string{"X\n::error::added beside Y"},
		ScriptBranches:   []fix.ScriptBranch{{Line: 3, Code: "if (Context.OperationId == \"Y\") // \x1b[2J\n::warning::owned", Operation: "Y", Now: "YV2", Kept: true}}}}
	var buf bytes.Buffer
	require.NoError(t, report.FixSummary(&buf, res))
	out := buf.String()
	assert.NotContains(t, out, "\x1b")
	for _, line := range strings.Split(out, "\n") {
		assert.False(t, strings.HasPrefix(line, "::"), "%q", line)
	}
	assert.Contains(t, out, "line 3: if (Context.OperationId == \"Y\")")
	assert.Contains(t, out, "Y is the old revision now: add a branch for YV2, the new shape")
}

package report_test

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/report"
)

// The counts beside a change shown once agree with the operations listed
// with it, and the headline's counts with the lines shown: a place that two
// operations share makes 3 places reach 4 operations, and 4 breaking
// findings are 2 changes.
func TestCountsAgreeWithWhatIsShown(t *testing.T) {
	finding := func(line int, ops ...string) breaking.Finding {
		return breaking.Finding{Rule: breaking.ResponsePropertyRemoved, Level: breaking.Breaking, Operation: ops[0], Operations: ops,
			Kind: diff.PropertyRemoved, Subject: "response 200/status", Old: &connector.Location{Pointer: "/x/" + strconv.Itoa(line), Line: line, Column: 9}}
	}
	other := breaking.Finding{Rule: breaking.ParameterRemoved, Level: breaking.Breaking, Operation: "GetE", Operations: []string{"GetE"},
		Kind: diff.ParameterRemoved, Subject: "parameter top (query)", Old: &connector.Location{Pointer: "/y", Line: 50, Column: 9}}
	res := breaking.Pair(breaking.ConnectorResult{Old: breaking.DocumentInfo{File: "old.json"}, New: breaking.DocumentInfo{File: "new.json"},
		Findings: []breaking.Finding{finding(10, "GetA", "GetB"), finding(20, "GetC"), finding(30, "GetD"), other}})
	var text, md bytes.Buffer
	require.NoError(t, report.Text(&text, res, report.Options{}))
	require.NoError(t, report.Markdown(&md, res, report.Options{}))

	line := regexp.MustCompile(`\(the same change in (\d+) places, reaching (\d+) operations\) \[also ([^\]]*)\]`).FindStringSubmatch(text.String())
	require.NotNil(t, line, text.String())
	assert.Equal(t, "3", line[1])
	assert.Equal(t, "4", line[2])
	assert.Len(t, strings.Split(line[3], ", "), 3, "the operations listed beside it: 4 with the group's own")
	assert.Contains(t, text.String(), "(4 breaking in 2 changes, 0 warnings, 0 info;")
	assert.Equal(t, 2, strings.Count(text.String(), "\n  BREAKING  "), "2 lines for 2 changes")
	assert.Contains(t, md.String(), "| 4 in 2 changes | 0 | 0 |")
	assert.Contains(t, md.String(), "<br>also GetB, GetC, GetD")
}

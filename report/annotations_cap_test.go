package report_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// annotationKinds counts the workflow commands of a github report by kind.
func annotationKinds(out string) map[string]int {
	n := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^::(error|warning|notice) `).FindAllStringSubmatch(out, -1) {
		n[m[1]]++
	}
	return n
}

// GitHub shows 10 annotations of each kind per step: the report writes no
// more, the breaking ones first, and a notice says how many were left out
// and where they are.
func TestGitHubAnnotationsWithinGitHubsLimit(t *testing.T) {
	var fs []breaking.Finding
	for i := range 25 {
		level := breaking.Breaking
		if i >= 15 {
			level = breaking.Warning
		}
		op := fmt.Sprintf("Op%02d", i)
		fs = append(fs, breaking.Finding{Rule: breaking.ParameterRemoved, Level: level, Operation: op, Operations: []string{op},
			Kind: diff.ParameterRemoved, Subject: fmt.Sprintf("parameter p%02d (query)", i),
			Old: &connector.Location{Pointer: fmt.Sprintf("/p/%d", i), Line: 10 + i, Column: 5}})
	}
	res := breaking.Pair(breaking.ConnectorResult{Old: breaking.DocumentInfo{File: "old.json"}, New: breaking.DocumentInfo{File: "new.json"},
		Findings: fs})
	var buf bytes.Buffer
	require.NoError(t, report.GitHub(&buf, res, report.Options{}))
	out := buf.String()
	assert.Equal(t, map[string]int{"error": 10, "warning": 10, "notice": 1}, annotationKinds(out))
	assert.Contains(t, out, "::notice title=connectordiff::5 errors not shown as annotations (GitHub shows 10 of each kind per step): "+
		"every finding is in the job summary, in code scanning (the SARIF upload)")
	assert.Contains(t, out, "parameter p00 (query)", "the first breaking finding is kept")
	assert.NotContains(t, out, "parameter p14 (query)", "the 15th is left to the notice")
	assert.Less(t, strings.Index(out, "::error"), strings.Index(out, "::warning"), "breaking first")

	buf.Reset()
	require.NoError(t, report.GitHub(&buf, breaking.Pair(breaking.ConnectorResult{Findings: fs[:10]}), report.Options{}))
	assert.Equal(t, map[string]int{"error": 10}, annotationKinds(buf.String()), "no notice when nothing is left out")
}

// Encodian's largest update in the corpus wrote 63 errors and 29 warnings,
// of which GitHub showed 10 of each: now each change is one annotation (2
// breaking changes, 4 warnings: numbers compared as values, 1.0 = 1, leave
// 21 warning findings), and with info listed the notices that do not fit are
// counted in one notice.
func TestGitHubAnnotationsOnEncodian(t *testing.T) {
	dir := filepath.Join(corpus.Dir(t), "pairs", "certified--encodian", "d0ee210b71..d707a4cd8e")
	res, err := connectordiff.CompareDirs(context.Background(), filepath.Join(dir, "old"), filepath.Join(dir, "new"))
	require.NoError(t, err)
	require.Equal(t, 63, res.Summary.Breaking)
	var buf bytes.Buffer
	require.NoError(t, report.GitHub(&buf, res, report.Options{}))
	assert.Equal(t, map[string]int{"error": 2, "warning": 4}, annotationKinds(buf.String()))
	assert.Contains(t, buf.String(), "(the same change in 61 places, reaching 62 operations)")

	buf.Reset()
	require.NoError(t, report.GitHub(&buf, res, report.Options{MinLevel: breaking.Info}))
	kinds := annotationKinds(buf.String())
	assert.Equal(t, 10, kinds["notice"], "9 info and the notice that counts the rest")
	assert.Regexp(t, `(?m)^::notice title=connectordiff::\d+ notices not shown as annotations`, buf.String())
}

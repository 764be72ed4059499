package report_test

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// Encodian's largest update in the corpus, as release notes: the warning
// counts the changes it marks, actions are named by their summaries (every
// one a change reaches), internal operations and the version lint are left
// out, and no JSON or empty name is written.
func TestChangelogOnEncodian(t *testing.T) {
	dir := filepath.Join(corpus.Dir(t), "pairs", "certified--encodian", "d0ee210b71..d707a4cd8e")
	res, err := connectordiff.CompareDirs(context.Background(), filepath.Join(dir, "old"), filepath.Join(dir, "new"))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, report.Changelog(&buf, res, report.Options{}))
	out := buf.String()

	m := regexp.MustCompile(`breaks existing flows and apps: (\d+) changes?, marked ⚠️ below`).FindStringSubmatch(out)
	require.NotNil(t, m, out)
	marks := strings.Count(out, "- ⚠️ **")
	assert.Equal(t, m[1], strconv.Itoa(marks), "the warning counts the marks")
	assert.Equal(t, 2, marks)

	assert.Contains(t, out, "\n### Convert HTML to PDF\n", "an action is headed by its summary")
	assert.NotContains(t, out, "### HtmlToPDF")
	renamed := regexp.MustCompile("output `Operation Status` renamed to `OperationStatus`. In (\\d+) actions: ([^\\n]*)\\.\\n").FindStringSubmatch(out)
	require.NotNil(t, renamed, out)
	assert.Equal(t, "62", renamed[1], "every visible action the change reaches")
	assert.Len(t, strings.Split(renamed[2], ", "), 62)
	assert.Contains(t, renamed[2], "Convert to PDF")

	for _, internal := range []string{"GetOperationStatus", "GetDynamicSchema"} {
		assert.NotContains(t, out, internal, "internal operations are not actions users see")
	}
	assert.NotContains(t, out, "info.version", "no versioning lint")
	assert.NotContains(t, out, "``", "no empty name")
	for _, json := range []string{`{"`, "&#91;", "&#123;"} {
		assert.NotContains(t, out, json, "no JSON")
	}
}

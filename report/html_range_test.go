package report_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff/report"
)

// A repository's HTML page shows the revisions it compared on the page,
// not only in its title, which a browser tab hides.
func TestRepoHTMLShowsTheRangeOnThePage(t *testing.T) {
	page := string(renderRepo(t, report.FormatHTML, repoResult(t), report.Options{}))
	body := page[regexp.MustCompile(`<body>`).FindStringIndex(page)[1]:]
	assert.Regexp(t, `<p class="range">main \(merge base [0-9a-f]{10}\) -&gt; feature \([0-9a-f]{10}\): 4 connectors: 1 changed, 1 renamed, 1 added, 1 removed</p>`, body)
}

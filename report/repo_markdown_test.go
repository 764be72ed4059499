package report_test

import (
	"fmt"
	"regexp"
	"runtime"
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

// removedConnectors is a repository change that removes n connectors of
// ops operations each, as CompareRevisions reports it: one breaking
// connector-removed finding each, reaching every operation.
func removedConnectors(n, ops int) *breaking.Result {
	rr := &breaking.Result{Range: &breaking.Range{Base: "main", BaseCommit: strings.Repeat("a", 40), Head: "feature",
		HeadCommit: strings.Repeat("b", 40)}, Profile: breaking.ProfileUsers}
	for i := range n {
		folder := fmt.Sprintf("certified-connectors/Connector %04d", i)
		var names []string
		for j := range ops {
			names = append(names, fmt.Sprintf("Operation%02dOfConnector%04d", j, i))
		}
		f := breaking.Finding{Rule: "connector-removed", Level: breaking.Breaking, Certification: breaking.Breaking,
			Kind:        diff.ConnectorDisappeared,
			Subject:     fmt.Sprintf("Connector %04d", i),
			Before:      fmt.Sprintf("%d operations", ops),
			Operations:  names,
			Old:         &connector.Location{Line: 1, Column: 1},
			Remediation: "Keep the connector; deprecate its operations first.",
			ValuePath:   "connector"}
		rr.Connectors = append(rr.Connectors, breaking.ConnectorResult{Folder: folder, Status: breaking.StatusRemoved, Profile: rr.Profile,
			Old:      breaking.DocumentInfo{File: folder, Title: "Connector", Version: "1", Operations: ops, Folder: true},
			Findings: []breaking.Finding{f}})
	}
	rr.Count()
	return rr
}

func BenchmarkRepoMarkdownTrimming(b *testing.B) {
	for _, n := range []int{1000, 2025} {
		rr := removedConnectors(n, 8)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				var sb strings.Builder
				if err := report.Markdown(&sb, rr, report.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// sectionCount counts the connectors whose findings the comment shows.
func sectionCount(md string) int { return strings.Count(md, "\n### `") }

// cutCount reads "N findings in M connectors" from the footer: M.
func cutCount(t *testing.T, md string) int {
	t.Helper()
	m := regexp.MustCompile(`cut to fit GitHub's comment size limit: \d+ findings? in (\d+) connectors?`).FindStringSubmatch(md)
	require.NotNil(t, m, "the footer says what was cut: %s", tail(md))
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}

func tail(s string) string { return s[max(0, len(s)-600):] }

func repoMarkdown(t *testing.T, rr *breaking.Result, opts report.Options) string {
	t.Helper()
	var sb strings.Builder
	require.NoError(t, report.Markdown(&sb, rr, opts))
	return sb.String()
}

// 250 removed connectors do not fit in a comment: their table does, and
// whole connectors are shown while they fit; the footer counts the others.
func TestRepoMarkdownCutsWholeConnectors(t *testing.T) {
	md := repoMarkdown(t, removedConnectors(250, 8), report.Options{})
	assert.LessOrEqual(t, len(md), report.DefaultMaxChars)
	assert.Equal(t, 250, strings.Count(md, "| removed | ❌ breaking |"), "every connector's row")
	shown := sectionCount(md)
	assert.Positive(t, shown)
	assert.Equal(t, 250, shown+cutCount(t, md), "each connector is shown or counted as cut")
	assert.Contains(t, md, "[connector-removed](", "how to avoid what is shown")
	assert.True(t, strings.HasSuffix(md, "for every finding.\n"), tail(md))
}

// 2,025 removed connectors: the table alone is too long. Its rows are cut
// too, the last row says how many, and the footer still says all that was
// cut.
func TestRepoMarkdownCutsTheTable(t *testing.T) {
	md := repoMarkdown(t, removedConnectors(2025, 8), report.Options{})
	assert.LessOrEqual(t, len(md), report.DefaultMaxChars)
	rows := strings.Count(md, "| removed | ❌ breaking |")
	m := regexp.MustCompile(`\n\| … and (\d+) more connectors \((\d+) breaking\) \| \| \| \| \| \|\n`).FindStringSubmatch(md)
	require.NotNil(t, m, tail(md))
	assert.Equal(t, m[1], m[2])
	more, _ := strconv.Atoi(m[1])
	assert.Equal(t, 2025, rows+more)
	m = regexp.MustCompile(`(\d+) findings in (\d+) connectors and the table's rows of (\d+) connectors not shown`).FindStringSubmatch(md)
	require.NotNil(t, m, tail(md))
	assert.Equal(t, m[1], m[2])
	assert.Equal(t, strconv.Itoa(more), m[3])
	cut, _ := strconv.Atoi(m[2])
	assert.Equal(t, 2025, sectionCount(md)+cut, "each connector's findings are shown or counted as cut")
	assert.Positive(t, sectionCount(md), "half the room for the table, the rest for findings")
	assert.True(t, strings.HasSuffix(md, "for every finding.\n"), tail(md))
}

// When the table is cut, the rows of breaking connectors are kept first,
// shown in folder order, and the findings of the breaking connectors are
// not crowded out by the rows of safe ones.
func TestRepoMarkdownKeepsBreakingRows(t *testing.T) {
	rr := removedConnectors(2000, 2)
	for i := range rr.Connectors[:1990] {
		c := &rr.Connectors[i]
		c.Status, c.Findings = breaking.StatusAdded, nil
	}
	rr.Count()
	md := repoMarkdown(t, rr, report.Options{})
	assert.LessOrEqual(t, len(md), report.DefaultMaxChars)
	assert.Equal(t, 10, strings.Count(md, "| removed | ❌ breaking |"), "every breaking row")
	assert.Less(t, strings.Index(md, "Connector 0000 | added"), strings.Index(md, "Connector 1990 | removed"), "in folder order")
	assert.Regexp(t, `\| … and \d+ more connectors \| \| \| \| \| \|`, md, "none of the rows cut breaks")
	assert.Equal(t, 10, sectionCount(md), "the breaking connectors' findings fit")
}

// Whatever the cap, the comment ends saying it was cut.
func TestRepoMarkdownTinyCap(t *testing.T) {
	for _, max := range []int{400, 2000, 10000} {
		md := repoMarkdown(t, removedConnectors(100, 8), report.Options{MaxChars: max})
		assert.LessOrEqual(t, len(md), max)
		assert.Contains(t, md, "This comment was cut to fit GitHub's comment size limit", "cap %d", max)
	}
}

// Cutting is linear: four times the connectors cost about four times the
// allocations (it was quadratic: 1,000 connectors 4 GB, 2,025 16.5 GB).
func TestRepoMarkdownCutIsLinear(t *testing.T) {
	alloc := func(n int) uint64 {
		rr := removedConnectors(n, 8)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		repoMarkdown(t, rr, report.Options{})
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(250), alloc(1000)
	assert.Less(t, float64(large)/float64(small), 8.0, "%d bytes for 250 connectors, %d for 1,000", small, large)
}

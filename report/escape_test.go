package report_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/report"
)

// The hostile pair names its operation List<script>alert(1)</script>|`x`,
// and puts ](javascript:...), newlines followed by ::error, ##vso[ and ##[
// commands, an ANSI escape, a right-to-left override, @mentions and $math$
// into enum values, parameter and property names. No format may let any of
// it act as syntax.
func TestHostileTextIsEscapedInEveryFormat(t *testing.T) {
	in := load(t, pair{"hostile", "testdata/hostile"})
	out := func(f report.Format) string { return string(render(t, f, in, report.Options{})) }

	t.Run("text", func(t *testing.T) {
		s := out(report.FormatText)
		assert.NotContains(t, s, "\x1b", "no terminal escape from the document")
		assert.NotContains(t, s, "\u202e", "no bidirectional override")
		assert.NotContains(t, s, "\r")
		assert.Contains(t, s, `na|me`+"`"+`::x\n\x1b[31mred`, "escapes are shown, not acted on")
		assert.Len(t, strings.Split(strings.TrimSpace(s), "\n"), 8, "one line per finding (the two hostile properties removed are one)")
	})
	t.Run("markdown", func(t *testing.T) {
		s := out(report.FormatMarkdown)
		for _, bad := range []string{"<script", "<img", "](javascript", "<b>", "@octo", "`x`", "$x$", "*bold*", "\u202e"} {
			assert.NotContains(t, s, bad)
		}
		assert.Contains(t, s, "@&#8203;octo-org/team", "no mention")
		for _, line := range strings.Split(s, "\n") {
			if strings.HasPrefix(line, "| 🔴 breaking | [") {
				assert.Equal(t, 5, strings.Count(line, "|"), "a document | cannot add a table cell: %s", line)
			}
		}
	})
	t.Run("github", func(t *testing.T) {
		lines := strings.Split(strings.TrimSuffix(out(report.FormatGitHub), "\n"), "\n")
		require.Len(t, lines, 4, "one command per finding and the verdict")
		for _, l := range lines[:3] {
			assert.Regexp(t, `^::error file=hostile/(old|new)\.json,line=\d+,col=\d+,title=[a-z-]+::`, l)
			assert.NotContains(t, l, "##[", "legacy command prefix is broken up")
		}
		assert.NotContains(t, strings.Join(lines, "\n"), "\n::error file=x.json")
	})
	t.Run("azure", func(t *testing.T) {
		lines := strings.Split(strings.TrimSuffix(out(report.FormatAzure), "\n"), "\n")
		require.Len(t, lines, 4)
		for _, l := range lines[:3] {
			assert.Regexp(t, `^##vso\[task\.logissue type=error;sourcepath=hostile/(old|new)\.json;linenumber=\d+;columnnumber=\d+;code=[a-z-]+\]`, l)
			assert.Equal(t, 1, strings.Count(l, "##vso["), "the document's ##vso[ is broken up: %s", l)
		}
	})
	t.Run("sarif", func(t *testing.T) {
		var log struct {
			Runs []struct {
				Results []struct{ Message struct{ Text string } }
			}
		}
		require.NoError(t, json.Unmarshal([]byte(out(report.FormatSARIF)), &log))
		msg := log.Runs[0].Results[0].Message.Text
		assert.Contains(t, msg, `"a\](javascript:alert(1))"`, "brackets cannot form a SARIF embedded link")
		unescaped := regexp.MustCompile(`(^|[^\\])[\[\]]`)
		for _, r := range log.Runs[0].Results {
			assert.NotRegexp(t, unescaped, r.Message.Text)
		}
	})
	t.Run("junit", func(t *testing.T) {
		s := out(report.FormatJUnit)
		assert.NotContains(t, s, "<script")
		assert.NotContains(t, s, "\x1b")
	})
	t.Run("html", func(t *testing.T) {
		s := out(report.FormatHTML)
		for _, bad := range []string{"<script", "<img", "q<b>", "\u202e", "\x1b"} {
			assert.NotContains(t, s, bad)
		}
		assert.Contains(t, s, "List&lt;script&gt;alert(1)&lt;/script&gt;")
	})
	t.Run("json is faithful data", func(t *testing.T) {
		var rep struct{ Findings []struct{ Message string } }
		require.NoError(t, json.Unmarshal([]byte(out(report.FormatJSON)), &rep))
		assert.Contains(t, rep.Findings[2].Message, "na|me`::x\n\x1b[31mred", "JSON keeps the text as it is, encoded")
	})
}

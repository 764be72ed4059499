package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// sarifSchema is the OASIS SARIF 2.1.0 schema (errata 01), as the go-sarif
// module ships it; see testdata/README.md.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource(id, doc))
	sch, err := c.Compile(id)
	require.NoError(t, err)
	return sch
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	sch := sarifSchema(t)
	for _, p := range pairs {
		for _, min := range []breaking.Level{breaking.Info, breaking.Warning} {
			out := render(t, report.FormatSARIF, load(t, p), report.Options{MinLevel: min})
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
			require.NoError(t, err, p.name)
			assert.NoError(t, sch.Validate(inst), "%s (min %s)", p.name, min)
		}
	}
	// A schema that accepted anything would prove nothing.
	bad, err := jsonschema.UnmarshalJSON(strings.NewReader(`{"version": "2.1.0", "runs": [{"results": [{"level": "fatal"}]}]}`))
	require.NoError(t, err)
	assert.Error(t, sch.Validate(bad))
}

func TestSARIFRulesAndLocations(t *testing.T) {
	out := render(t, report.FormatSARIF, load(t, pairs[0]), report.Options{})
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI string }
			Region           struct{ StartLine, StartColumn int }
		}
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string
					Rules   []struct{ ID, HelpURI string }
				}
			}
			Results []struct {
				RuleID           string
				RuleIndex        int
				Locations        []location
				RelatedLocations []location
			}
		}
	}
	require.NoError(t, json.Unmarshal(out, &log))
	run := log.Runs[0]
	assert.Equal(t, goldenVersion, run.Tool.Driver.Version)
	assert.NotContains(t, string(out), "-1", "no placeholder indexes or offsets")
	assert.NotContains(t, string(out), "[]", "no empty lists but results")
	for _, r := range run.Results {
		rule := run.Tool.Driver.Rules[r.RuleIndex]
		assert.Equal(t, r.RuleID, rule.ID)
		assert.Equal(t, goldenRulesURL+"#"+r.RuleID, rule.HelpURI)
		loc := r.Locations[0].PhysicalLocation
		switch r.RuleID {
		case "response-property-removed": // a removal points at the survivor in the new file, the old file beside it
			assert.Equal(t, "example/new.json", loc.ArtifactLocation.URI)
			assert.Equal(t, 71, loc.Region.StartLine)
			require.Len(t, r.RelatedLocations, 1)
			assert.Equal(t, "example/old.json", r.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI)
			assert.Equal(t, 72, r.RelatedLocations[0].PhysicalLocation.Region.StartLine)
		case "request-body-required-added":
			assert.Equal(t, "example/new.json", loc.ArtifactLocation.URI)
			assert.Equal(t, 65, loc.Region.StartLine)
		}
	}
}

func TestJUnitParsesAsXML(t *testing.T) {
	type testcase struct {
		Name    string    `xml:"name,attr"`
		Failure *struct{} `xml:"failure"`
	}
	type testsuites struct {
		XMLName xml.Name `xml:"testsuites"`
		Tests   int      `xml:"tests,attr"`
		Suites  []struct {
			Cases []testcase `xml:"testcase"`
		} `xml:"testsuite"`
	}
	for _, p := range pairs {
		var doc testsuites
		out := render(t, report.FormatJUnit, load(t, p), report.Options{})
		require.NoError(t, xml.Unmarshal(out, &doc), p.name)
		require.Len(t, doc.Suites, 1)
		assert.Equal(t, doc.Tests, len(doc.Suites[0].Cases), p.name)
		if p.name == "hostile" {
			assert.Equal(t, "List<script>alert(1)</script>|`x`", doc.Suites[0].Cases[0].Name, "names survive XML escaping")
		}
	}
}

func TestHTMLParsesAndLinksNowhereOutside(t *testing.T) {
	for _, p := range pairs {
		out := render(t, report.FormatHTML, load(t, p), report.Options{MinLevel: breaking.Info})
		root, err := html.Parse(bytes.NewReader(out))
		require.NoError(t, err, p.name)
		ids := map[string]bool{}
		var links []string
		for n := range root.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			assert.NotEqual(t, "script", n.Data, "%s: no script element", p.name)
			assert.NotEqual(t, "img", n.Data, "%s: no img element", p.name)
			for _, a := range n.Attr {
				switch a.Key {
				case "id":
					ids[a.Val] = true
				case "href", "src":
					links = append(links, a.Val)
				}
				assert.False(t, strings.HasPrefix(a.Key, "on"), "%s: event handler %s", p.name, a.Key)
			}
		}
		require.NotEmpty(t, links, p.name)
		for _, l := range links {
			require.True(t, strings.HasPrefix(l, "#"), "%s: %q is not a fragment link", p.name, l)
			assert.True(t, ids[l[1:]], "%s: %q points at no element", p.name, l)
		}
		assert.NotRegexp(t, `(?i)(src|href)\s*=\s*["']?(https?:)?//`, string(out))
	}
}

func TestHTMLWithoutSourcesStillLocates(t *testing.T) {
	in := load(t, pairs[0])
	c := &in.res.Connectors[0]
	c.Old.Sources, c.New.Sources = nil, nil // as in a result built by hand
	var buf bytes.Buffer
	require.NoError(t, report.HTML(&buf, in.res, report.Options{}))
	assert.Contains(t, buf.String(), "line 72, column 9")
	assert.NotContains(t, buf.String(), "<pre>")
}

func TestHTMLClipsLongLines(t *testing.T) {
	// A minified definition is one line; a snippet shows a window of it.
	in := load(t, pairs[0])
	min, err := minify(in.new)
	require.NoError(t, err)
	res, err := connectordiff.Compare(context.Background(), in.old, min)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, report.HTML(&buf, res, report.Options{}))
	for _, line := range strings.Split(buf.String(), "\n") {
		assert.Less(t, len(line), 20000, "a snippet line is clipped")
	}
	assert.Contains(t, buf.String(), "…")
}

func minify(b []byte) ([]byte, error) {
	var out bytes.Buffer
	var in bool
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"' && (i == 0 || b[i-1] != '\\'):
			in = !in
		case !in && (c == ' ' || c == '\n' || c == '\r' || c == '\t'):
			continue
		}
		out.WriteByte(c)
	}
	return out.Bytes(), nil
}

// bigResult is a synthetic result far over any comment size: many
// operations, each with long messages and findings reaching hundreds of
// operations.
func bigResult(nOps, perOp int) *breaking.Result {
	c := breaking.ConnectorResult{Old: breaking.DocumentInfo{File: "old.json"}, New: breaking.DocumentInfo{File: "new.json"},
		Profile: breaking.ProfileCertification} // one answer: the verdict alone
	var all []string
	for i := 0; i < 400; i++ {
		all = append(all, "SharedOperationWithALongName"+strings.Repeat("x", i%7))
	}
	for i := 0; i < nOps; i++ {
		op := "Operation" + strings.Repeat("N", i%5) + string(rune('A'+i%26)) + strings.Repeat("0", i/26)
		for j := 0; j < perOp; j++ {
			level := []breaking.Level{breaking.Breaking, breaking.Warning, breaking.Info}[j%3]
			f := breaking.Finding{Rule: "response-property-removed", Level: level, Operation: op,
				Operations: append([]string{op}, all...), Kind: diff.PropertyRemoved, Subject: fmt.Sprintf("%s%d.%d", strings.Repeat("a long message | with `syntax` ", 60), i, j)}
			c.Findings = append(c.Findings, f)
		}
	}
	return breaking.Pair(c)
}

func TestMarkdownIsCapped(t *testing.T) {
	for _, tt := range []struct {
		name      string
		res       *breaking.Result
		min       breaking.Level
		maxChars  int
		wantNote  string
		wantLevel string
	}{
		{"drops info first", bigResult(3, 3), breaking.Info, 30000, ": 3 info not shown", ""},
		{"then operations", bigResult(400, 3), breaking.Warning, 0, "breaking findings in", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, report.Markdown(&buf, tt.res, report.Options{MinLevel: tt.min, MaxChars: tt.maxChars}))
			limit := tt.maxChars
			if limit == 0 {
				limit = report.DefaultMaxChars
			}
			assert.LessOrEqual(t, buf.Len(), limit)
			assert.Contains(t, buf.String(), "This comment was cut to fit")
			assert.Contains(t, buf.String(), tt.wantNote)
			assert.True(t, strings.HasPrefix(buf.String(), "## ❌ connectordiff: BREAKING"), "the verdict survives the cut")
			t.Logf("%d bytes", buf.Len())
		})
	}
}

func TestMarkdownUncutHasNoNote(t *testing.T) {
	out := string(render(t, report.FormatMarkdown, load(t, pairs[2]), report.Options{}))
	assert.NotContains(t, out, "cut to fit")
	assert.Contains(t, out, "<details><summary>also 119 other operations</summary>")
	assert.Contains(t, out, "GetRecord100 and 19 more</details>")
}

// On the largest real update the comment fits in a pull-request comment.
func TestMarkdownOnLargestCorpusPair(t *testing.T) {
	p := corpus.LargestPair(t)
	old, err := os.ReadFile(p.OldSwagger)
	require.NoError(t, err)
	new, err := os.ReadFile(p.NewSwagger)
	require.NoError(t, err)
	res, err := connectordiff.Compare(context.Background(), old, new, connectordiff.WithNames("old/apiDefinition.swagger.json", "new/apiDefinition.swagger.json"))
	require.NoError(t, err)
	for _, min := range []breaking.Level{breaking.Warning, breaking.Info} {
		var buf bytes.Buffer
		require.NoError(t, report.Markdown(&buf, res, report.Options{MinLevel: min}))
		n := len([]rune(buf.String()))
		assert.Less(t, n, report.DefaultMaxChars)
		t.Logf("%s, min %s: %d findings, Markdown comment %d characters (%d bytes), cut: %v",
			p.Name, min, len(res.Findings()), n, buf.Len(), strings.Contains(buf.String(), "cut to fit"))
	}
}

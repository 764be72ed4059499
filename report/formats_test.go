package report_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
	"github.com/connectordiff/connectordiff/report"
)

// pair is a fixture update the format tests render.
type pair struct {
	name, dir string
}

// pairs: the README's example, names and values built to break every
// format's syntax, and one definition shared by 120 operations with a long
// enum (long operation lists and long messages).
var pairs = []pair{
	{"example", "../testdata/example"},
	{"hostile", "testdata/hostile"},
	{"wide", "testdata/wide"},
	{"connector", "../testdata/connector"}, // two connector folders: definition, apiProperties.json, script.csx
}

// extensions of the golden files, by format.
var extensions = map[report.Format]string{
	report.FormatText: "txt", report.FormatJSON: "json", report.FormatMarkdown: "md", report.FormatSARIF: "sarif",
	report.FormatJUnit: "junit.xml", report.FormatGitHub: "github.txt", report.FormatAzure: "azure.txt",
	report.FormatHTML: "html", report.FormatChangelog: "changelog.md",
}

type rendered struct {
	res      *breaking.Result
	old, new []byte
}

// load compares a pair, naming the files <pair>/old.json and <pair>/new.json
// (the folders <pair>/old and <pair>/new) as a CI job would see them
// relative to its checkout.
func load(t *testing.T, p pair) rendered {
	t.Helper()
	if st, err := os.Stat(filepath.Join(p.dir, "old")); err == nil && st.IsDir() {
		res, err := connectordiff.CompareFS(context.Background(), os.DirFS(p.dir), "old", os.DirFS(p.dir), "new",
			connectordiff.WithNames(p.name+"/old", p.name+"/new"))
		require.NoError(t, err)
		return rendered{res: res}
	}
	old, err := os.ReadFile(filepath.Join(p.dir, "old.json"))
	require.NoError(t, err)
	new, err := os.ReadFile(filepath.Join(p.dir, "new.json"))
	require.NoError(t, err)
	res, err := connectordiff.Compare(context.Background(), old, new,
		connectordiff.WithNames(p.name+"/old.json", p.name+"/new.json"))
	require.NoError(t, err)
	return rendered{res, old, new}
}

// goldenRulesURL and goldenVersion stand in for what depends on the build,
// so that golden files do not change with the version that runs them.
const (
	goldenRulesURL = "https://github.com/connectordiff/connectordiff/blob/v1.0.0/docs/rules.md"
	goldenVersion  = "v1.0.0"
)

// goldenOptions fills in what golden files must not take from the build.
func goldenOptions(opts report.Options) report.Options {
	if opts.RulesURL == "" {
		opts.RulesURL = goldenRulesURL
	}
	if opts.ToolVersion == "" {
		opts.ToolVersion = goldenVersion
	}
	return opts
}

func render(t *testing.T, f report.Format, in rendered, opts report.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, report.Render(&buf, f, in.res, goldenOptions(opts)))
	return buf.Bytes()
}

func TestEveryFormatGolden(t *testing.T) {
	require.Len(t, extensions, len(report.Formats()), "every format has a golden file")
	for _, p := range pairs {
		in := load(t, p)
		for _, f := range report.Formats() {
			t.Run(p.name+"/"+string(f), func(t *testing.T) {
				golden(t, filepath.Join("golden", p.name+"."+extensions[f]), render(t, f, in, report.Options{}))
			})
		}
	}
}

func TestEveryFormatIsDeterministic(t *testing.T) {
	for _, p := range pairs {
		for _, f := range report.Formats() {
			first := render(t, f, load(t, p), report.Options{})
			again := render(t, f, load(t, p), report.Options{})
			assert.Equal(t, string(first), string(again), "%s %s", p.name, f)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range report.Formats() {
		got, err := report.ParseFormat(string(f))
		require.NoError(t, err)
		assert.Equal(t, f, got)
	}
	got, err := report.ParseFormat(" MD ")
	require.NoError(t, err)
	assert.Equal(t, report.FormatMarkdown, got)
	_, err = report.ParseFormat("xml")
	assert.ErrorContains(t, err, `unknown format "xml" (want text, json, markdown, sarif, junit, github, azure, html, changelog)`)
}

func TestTextColour(t *testing.T) {
	in := load(t, pairs[0])
	var plain, colour bytes.Buffer
	require.NoError(t, report.Text(&plain, in.res, report.Options{}))
	require.NoError(t, report.Text(&colour, in.res, report.Options{Color: true}))
	assert.NotContains(t, plain.String(), "\x1b[")
	assert.Contains(t, colour.String(), "\x1b[1;31mBREAKING\x1b[0m  parameter-enum-narrowed")
	assert.Contains(t, colour.String(), "\x1b[1;31mBREAKING: existing flows or apps will break")
	// Colour changes nothing but the escape codes, so columns still line up.
	assert.Equal(t, plain.String(), stripANSI(colour.String()))
}

func stripANSI(s string) string {
	var b bytes.Buffer
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestSafeVerdict(t *testing.T) {
	in := load(t, pairs[0])
	in.res, in.new = mustCompare(t, in.old, in.old), in.old
	md := string(render(t, report.FormatMarkdown, in, report.Options{}))
	assert.Contains(t, md, "## ✅ connectordiff: SAFE, no breaking changes\n")
	gh := string(render(t, report.FormatGitHub, in, report.Options{}))
	assert.Equal(t, "connectordiff: SAFE: no breaking changes (0 breaking, 0 warnings, 0 info)\n", gh)
	junit := string(render(t, report.FormatJUnit, in, report.Options{}))
	assert.Contains(t, junit, `tests="4" failures="0"`, "every operation passes")
}

func mustCompare(t *testing.T, old, new []byte) *breaking.Result {
	t.Helper()
	res, err := connectordiff.Compare(context.Background(), old, new)
	require.NoError(t, err)
	return res
}

func TestJUnitFailOnWarning(t *testing.T) {
	in := load(t, pairs[0])
	out := string(render(t, report.FormatJUnit, in, report.Options{FailOn: breaking.Warning}))
	assert.Contains(t, out, `<testcase name="Connector-wide" classname="connectordiff.Contoso Tasks">`+"\n"+
		`      <failure message="1 finding at level warning or above" type="warning">`)
}

// --fail-on off: nothing fails, and every finding still shows as output.
func TestJUnitFailOnNever(t *testing.T) {
	in := load(t, pairs[0])
	out := string(render(t, report.FormatJUnit, in, report.Options{FailOn: breaking.Never}))
	assert.Contains(t, out, `tests="6" failures="0"`)
	assert.NotContains(t, out, "<failure")
	assert.Contains(t, out, "<system-out><![CDATA[example/new.json:39:14: breaking operation-id-changed")
	// The zero value is the documented default, breaking.
	def := string(render(t, report.FormatJUnit, in, report.Options{}))
	assert.Contains(t, def, `tests="6" failures="3"`)
}

// A finding in another file of a connector folder is located in that file.
func TestLocateOtherConnectorFile(t *testing.T) {
	res := &breaking.ConnectorResult{Old: breaking.DocumentInfo{File: "old/apiDefinition.swagger.json"},
		New: breaking.DocumentInfo{File: "new"}}
	f := breaking.Finding{Rule: "capabilities-changed", File: "apiProperties.json",
		Old: &connector.Location{Line: 3, Column: 5}, New: &connector.Location{Line: 4, Column: 5}}
	assert.Equal(t, report.Site{File: filepath.Join("new", "apiProperties.json"), Line: 4, Column: 5}, report.Locate(res, f))
	f.New = nil
	assert.Equal(t, report.Site{File: filepath.Join("old", "apiProperties.json"), Line: 3, Column: 5, Old: true}, report.Locate(res, f))
}

// A finding made without a change (as the repository gate makes them) is
// located on the side its rule is about: the old document for a removal,
// the new one for a lookup whose target went.
func TestLocateFindingWithoutChangeByItsRule(t *testing.T) {
	res := &breaking.ConnectorResult{Old: breaking.DocumentInfo{File: "old.json"}, New: breaking.DocumentInfo{File: "new.json"}}
	at := func(rule string) report.Site {
		return report.Locate(res, breaking.Finding{Rule: rule, Old: &connector.Location{Line: 3, Column: 5},
			New: &connector.Location{Line: 4, Column: 5}})
	}
	assert.Equal(t, report.Site{File: "old.json", Line: 3, Column: 5, Old: true}, at(breaking.DeprecatedOperationRemoved))
	assert.Equal(t, report.Site{File: "old.json", Line: 3, Column: 5, Old: true}, at(breaking.ConnectorRemoved))
	assert.Equal(t, report.Site{File: "new.json", Line: 4, Column: 5}, at(breaking.DynamicValuesTargetRemoved))
	assert.Equal(t, report.Site{File: "new.json", Line: 4, Column: 5}, at(breaking.PolicyChanged))
}

// A schema copied inline into several operations and changed the same way in
// each is one line in the human views, naming every operation; JSON keeps
// each place.
func TestSameChangeInCopiesShownOnce(t *testing.T) {
	finding := func(op string, line int) breaking.Finding {
		return breaking.Finding{Rule: "response-property-removed", Level: breaking.Breaking, Operation: op, Operations: []string{op},
			Kind: diff.PropertyRemoved, Subject: "response 200/status", Old: &connector.Location{Pointer: "/paths/~1" + op, Line: line, Column: 9}}
	}
	res := breaking.Pair(breaking.ConnectorResult{Old: breaking.DocumentInfo{File: "old.json"}, New: breaking.DocumentInfo{File: "new.json"},
		Findings: []breaking.Finding{finding("GetA", 10), finding("GetB", 20), finding("GetC", 30)}})
	var text, md, js bytes.Buffer
	require.NoError(t, report.Text(&text, res, report.Options{}))
	require.NoError(t, report.Markdown(&md, res, report.Options{}))
	require.NoError(t, report.JSON(&js, res, report.Options{}))
	assert.Equal(t, 1, strings.Count(text.String(), "response-property-removed"), text.String())
	assert.Contains(t, text.String(), "property response 200/status removed (the same change in 3 operations) [also GetB, GetC]")
	assert.Equal(t, 1, strings.Count(md.String(), "| 🔴 breaking | [response-property-removed]"))
	assert.Equal(t, 3, strings.Count(js.String(), `"rule": "response-property-removed"`), "JSON keeps every place")
	assert.Len(t, res.Findings()[0].Operations, 1, "the views do not change the result")
}

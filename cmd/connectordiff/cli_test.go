package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	exampleOld = "../../testdata/example/old.json"
	exampleNew = "../../testdata/example/new.json"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCompareExitStatus(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"breaking update fails by default", []string{"compare", exampleOld, exampleNew}, exitFindings},
		{"same file passes", []string{"compare", exampleOld, exampleOld}, exitOK},
		{"fail-on never passes", []string{"compare", "--fail-on", "never", exampleOld, exampleNew}, exitOK},
		{"fail-on warning fails on a warning only", []string{"compare", "--fail-on", "warning",
			"--level", "parameter-enum-narrowed=off", "--level", "response-property-removed=off",
			"--level", "request-body-required-added=off", "--level", "operation-id-changed=off", exampleOld, exampleNew}, exitFindings},
		{"lowered rules pass", []string{"compare",
			"--level", "parameter-enum-narrowed=warning", "--level", "response-property-removed=warning",
			"--level", "request-body-required-added=info", "--level", "operation-id-changed=off", exampleOld, exampleNew}, exitOK},
		{"one file is a usage error", []string{"compare", exampleOld}, exitError},
		{"unknown format", []string{"compare", "--format", "xml", exampleOld, exampleNew}, exitError},
		{"unknown fail-on", []string{"compare", "--fail-on", "sometimes", exampleOld, exampleNew}, exitError},
		{"unknown rule", []string{"compare", "--level", "no-such-rule=info", exampleOld, exampleNew}, exitError},
		{"bad level", []string{"compare", "--level", "operation-removed=fatal", exampleOld, exampleNew}, exitError},
		{"missing file", []string{"compare", exampleOld, "does-not-exist.json"}, exitError},
		{"unknown command", []string{"frobnicate"}, exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(tt.args...)
			assert.Equal(t, tt.want, code, "stderr: %s", stderr)
			if tt.want == exitError {
				assert.Contains(t, stderr, "connectordiff:")
			} else {
				assert.Empty(t, stderr)
			}
		})
	}
}

func TestCompareInputErrorIsLocated(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("{\n  \"swagger\": \"2.0\"\n  \"info\": {}\n}\n"), 0o600))
	code, stdout, stderr := runCLI("compare", exampleOld, bad)
	assert.Equal(t, exitError, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, bad+":3:3:")
}

func TestCompareJSONReport(t *testing.T) {
	code, stdout, _ := runCLI("compare", "--format", "json", exampleOld, exampleNew)
	require.Equal(t, exitFindings, code)
	var rep struct {
		SchemaVersion int `json:"schemaVersion"`
		Summary       struct{ Breaking, Warning, Info int }
		Findings      []struct {
			Rule, Level string
			OperationID *string  `json:"operationId"`
			Operations  []string `json:"operations"`
			ValuePath   string   `json:"valuePath"`
			Old, New    *struct {
				Pointer      string
				Line, Column int
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, 1, rep.SchemaVersion)
	assert.Equal(t, 4, rep.Summary.Breaking)
	var sawDocumentLevel, sawShared bool
	for _, f := range rep.Findings {
		if f.OperationID == nil {
			sawDocumentLevel = true
			assert.Empty(t, f.Operations)
		}
		if f.Rule == "response-property-removed" {
			sawShared = true
			assert.Equal(t, []string{"ListTasks", "CreateTask"}, f.Operations, "a shared definition reaches both operations")
			assert.Equal(t, "/definitions/Task/properties/assignee", f.Old.Pointer)
			assert.Equal(t, 72, f.Old.Line)
		}
	}
	assert.True(t, sawDocumentLevel, "the scope change is a document-level finding with operationId null")
	assert.True(t, sawShared)
}

func TestCompareOutputIsDeterministic(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		_, first, _ := runCLI("compare", "--format", format, exampleOld, exampleNew)
		for i := 0; i < 5; i++ {
			_, again, _ := runCLI("compare", "--format", format, exampleOld, exampleNew)
			require.Equal(t, first, again, "%s output differs on run %d", format, i+2)
		}
	}
}

func TestTextReportGroupsByOperationWithVerdictLast(t *testing.T) {
	_, stdout, _ := runCLI("compare", exampleOld, exampleNew)
	lines := bytes.Split(bytes.TrimSpace([]byte(stdout)), []byte("\n"))
	assert.Contains(t, string(lines[len(lines)-1]), "BREAKING: existing flows or apps will break (4 breaking, 1 warning,")
	assert.Contains(t, stdout, "\nGetTask\n  BREAKING  operation-id-changed")
	assert.Contains(t, stdout, "38:14 → 39:14")
}

func TestRulesListsEveryRule(t *testing.T) {
	code, stdout, _ := runCLI("rules")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "operation-removed")
	assert.Contains(t, stdout, "parameter-location-changed")
}

func TestCompareWritesSeveralFormats(t *testing.T) {
	dir := t.TempDir()
	md, sarif, html := filepath.Join(dir, "comment.md"), filepath.Join(dir, "out.sarif"), filepath.Join(dir, "report.html")
	code, stdout, stderr := runCLI("compare", "--format", "text,markdown="+md+",sarif="+sarif, "--format", "html="+html,
		exampleOld, exampleNew)
	require.Equal(t, exitFindings, code, stderr)
	assert.Contains(t, stdout, "BREAKING: existing flows or apps will break", "the format without a file goes to stdout")
	comment, err := os.ReadFile(md)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(comment, []byte("## ❌ connectordiff: BREAKING")))
	var log struct{ Version string }
	raw, err := os.ReadFile(sarif)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &log))
	assert.Equal(t, "2.1.0", log.Version)
	page, err := os.ReadFile(html)
	require.NoError(t, err)
	assert.Contains(t, string(page), `<span class="mark"><b>72</b>`, "the HTML report quotes the source lines")
}

func TestCompareFormatErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"two formats to stdout":  {"--format", "text,json"},
		"two flags to stdout":    {"--format", "markdown", "--format", "github"},
		"two reports to a file":  {"--format", "json=x.json,sarif=x.json"},
		"unknown format":         {"--format", "markdown=ok.md,pdf=out.pdf"},
		"unknown colour setting": {"--color", "sometimes"},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append(append([]string{"compare"}, args...), exampleOld, exampleNew)...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, "connectordiff: --")
		})
	}
}

func TestCompareEveryFormatToStdout(t *testing.T) {
	for _, f := range []string{"text", "json", "markdown", "sarif", "junit", "github", "azure", "html"} {
		code, first, stderr := runCLI("compare", "--format", f, exampleOld, exampleNew)
		require.Equal(t, exitFindings, code, "%s: %s", f, stderr)
		assert.NotEmpty(t, first, f)
		_, again, _ := runCLI("compare", "--format", f, exampleOld, exampleNew)
		assert.Equal(t, first, again, "%s output is deterministic", f)
	}
}

func TestCompareColour(t *testing.T) {
	_, plain, _ := runCLI("compare", exampleOld, exampleNew)
	assert.NotContains(t, plain, "\x1b[", "auto: a buffer is no terminal")
	_, always, _ := runCLI("compare", "--color=always", exampleOld, exampleNew)
	assert.Contains(t, always, "\x1b[1;31mBREAKING\x1b[0m")
	_, jsonOut, _ := runCLI("compare", "--color=always", "--format", "json", exampleOld, exampleNew)
	assert.NotContains(t, jsonOut, "\x1b[", "only the text report has colour")

	t.Setenv("NO_COLOR", "1")
	assert.False(t, useColor(colorAuto, os.Stdout), "NO_COLOR wins over a terminal")
	assert.True(t, useColor(colorAlways, os.Stdout), "an explicit --color=always wins over NO_COLOR")
	t.Setenv("NO_COLOR", "")
	assert.False(t, useColor(colorAuto, &bytes.Buffer{}))
	assert.False(t, useColor(colorNever, os.Stdout))
}

func TestRulesFormats(t *testing.T) {
	code, stdout, _ := runCLI("rules", "--format", "markdown")
	require.Equal(t, exitOK, code)
	doc, err := os.ReadFile("../../docs/rules.md")
	require.NoError(t, err)
	assert.Equal(t, string(doc), stdout, "docs/rules.md is the rules command's Markdown")

	code, stdout, _ = runCLI("rules", "--format", "json")
	require.Equal(t, exitOK, code)
	var rules []struct{ ID, Level string }
	require.NoError(t, json.Unmarshal([]byte(stdout), &rules))
	assert.NotEmpty(t, rules)

	code, _, stderr := runCLI("rules", "--format", "yaml")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, `unknown rules format "yaml"`)
}

// The quick start in README.md shows the report of the example pair; it must
// stay what the command prints.
func TestReadmeQuickStartOutputIsCurrent(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, after, ok := bytes.Cut(readme, []byte("The first command prints"))
	require.True(t, ok, "README.md lost its quick start")
	_, block, ok := bytes.Cut(after, []byte("```\n"))
	require.True(t, ok)
	block, _, ok = bytes.Cut(block, []byte("```"))
	require.True(t, ok)
	code, stdout, _ := runCLI("compare", exampleOld, exampleNew)
	assert.Equal(t, exitFindings, code, "the README says the example exits 1")
	// The README runs from the repository root, with go run, which reports
	// the exit status on a line of its own.
	got := strings.ReplaceAll(stdout, "../../testdata/", "testdata/") + fmt.Sprintf("exit status %d\n", code)
	assert.Equal(t, string(block), got)
}

package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
)

// The connector-folder pair: the example definitions (with a basePath
// change) plus apiProperties.json (a required connection parameter added,
// allowed values replaced) and script.csx (one line changed).
const (
	folderOld = "../../testdata/connector/old"
	folderNew = "../../testdata/connector/new"
)

// Item 1: every format renders a folder comparison, from what the result
// carries; nothing re-reads the folders as files.
func TestFolderModeEveryFormat(t *testing.T) {
	for _, f := range []string{"text", "json", "markdown", "sarif", "junit", "github", "azure", "html", "changelog"} {
		code, stdout, stderr := runCLI("compare", "--format", f, folderOld, folderNew)
		assert.Equal(t, exitFindings, code, "%s: %s", f, stderr)
		assert.Empty(t, stderr, f)
		assert.NotEmpty(t, stdout, f)
	}
	_, page, _ := runCLI("compare", "--format", "html", folderOld, folderNew)
	assert.Contains(t, page, `<span class="mark"><b>15</b>      &#34;tenant&#34;: {</span>`,
		"the HTML quotes apiProperties.json around its finding")
	_, junit, _ := runCLI("compare", "--format", "junit", folderOld, folderNew)
	var suites struct {
		Tests int `xml:"tests,attr"`
	}
	require.NoError(t, xml.Unmarshal([]byte(junit), &suites))
	assert.Equal(t, 8, suites.Tests, "3 connector-wide cases (definition, apiProperties.json, script.csx) and 5 operations")
}

// Item 1: one output that cannot be written does not stop the others.
func TestFailedOutputDoesNotSuppressTheOthers(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "comment.md")
	bad := filepath.Join(dir, "no-such-folder", "out.sarif")
	code, stdout, stderr := runCLI("compare", "--format", "text,markdown="+md+",sarif="+bad, folderOld, folderNew)
	assert.Equal(t, exitError, code)
	assert.Contains(t, stdout, "BREAKING: existing flows or apps will break", "stdout is still written")
	_, err := os.Stat(md)
	assert.NoError(t, err, "the Markdown report is still written")
	assert.Contains(t, stderr, "writing the sarif report")
	assert.Contains(t, stderr, "no-such-folder")
}

// Item 2: a position in another file of the connector names the file.
func TestFolderModeNamesTheFile(t *testing.T) {
	_, text, _ := runCLI("compare", folderOld, folderNew)
	assert.Contains(t, text, "(positions are line:column in apiDefinition.swagger.json unless another file is named)")
	assert.Regexp(t, `connection-parameter-required-added +apiProperties.json - → 15:7 `, text)
	assert.Regexp(t, `script-changed +script.csx 12:1 → 12:1 `, text)
	_, md, _ := runCLI("compare", "--format", "markdown", folderOld, folderNew)
	assert.Contains(t, md, "| apiProperties.json - → 15:7 |")

	_, raw, _ := runCLI("compare", "--format", "sarif", folderOld, folderNew)
	assert.NotContains(t, raw, "-1", "no placeholder fields")
	var log struct {
		Runs []struct {
			Tool    struct{ Driver struct{ Version string } }
			Results []struct {
				RuleID           string
				RelatedLocations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &log))
	assert.Equal(t, connectordiff.Version(), log.Runs[0].Tool.Driver.Version)
	seen := false
	for _, r := range log.Runs[0].Results {
		for _, rl := range r.RelatedLocations {
			uri := rl.PhysicalLocation.ArtifactLocation.URI
			assert.True(t, strings.HasSuffix(uri, ".json") || strings.HasSuffix(uri, ".csx"), "%s: related location %s is a file", r.RuleID, uri)
			if r.RuleID == "connection-parameter-values-removed" {
				seen = true
				assert.Equal(t, "../../testdata/connector/old/apiProperties.json", uri, "the old values, in the old file")
			}
		}
	}
	assert.True(t, seen)
}

// Item 3: rule links are absolute, and --rules-url moves them.
func TestRuleLinks(t *testing.T) {
	_, md, _ := runCLI("compare", "--format", "markdown", folderOld, folderNew)
	assert.Contains(t, md, "[operation-removed]("+connectordiff.RulesURL()+"#operation-removed)")
	assert.NotContains(t, md, "](docs/rules.md")
	const mirror = "https://rules.example.com/connectordiff.html"
	_, md, _ = runCLI("compare", "--format", "markdown", "--rules-url", mirror, folderOld, folderNew)
	assert.Contains(t, md, "[operation-removed]("+mirror+"#operation-removed)")
	_, sarif, _ := runCLI("compare", "--format", "sarif", "--rules-url", mirror, folderOld, folderNew)
	assert.Contains(t, sarif, `"helpUri": "`+mirror+`#operation-removed"`)
}

// Item 4: how to avoid each finding.
func TestRemediationIsShown(t *testing.T) {
	_, text, _ := runCLI("compare", "--explain", folderOld, folderNew)
	assert.Regexp(t, `\n  BREAKING  connection-parameter-required-added  apiProperties.json - → 15:7 +required connection parameter tenant \(string\) added\n`+
		`            how to avoid: Make the new connection parameter optional, with a default the connector handles.\n`, text)
	_, plain, _ := runCLI("compare", folderOld, folderNew)
	assert.NotContains(t, plain, "how to avoid:")
	assert.Contains(t, plain, "--explain says how to avoid each finding")

	_, md, _ := runCLI("compare", "--format", "markdown", folderOld, folderNew)
	assert.Contains(t, md, "<summary>How to avoid these findings</summary>")
	assert.Equal(t, 1, strings.Count(md, "): Keep the property (it can be x-ms-visibility: advanced)"), "once per rule")
}

// Item 5: breaking groups first, connector-wide findings in groups of their
// own, the script change on one short line, columns aligned.
func TestOrderAndGrouping(t *testing.T) {
	_, text, _ := runCLI("compare", folderOld, folderNew)
	var titles []string
	for _, line := range strings.Split(text, "\n") {
		if line != "" && !strings.HasPrefix(line, " ") && !strings.Contains(line, "->") && !strings.HasPrefix(line, "(") &&
			!strings.HasPrefix(line, "BREAKING:") {
			titles = append(titles, line)
		}
	}
	assert.Equal(t, []string{"apiProperties.json", "ListTasks", "CreateTask", "GetTask", "Connector-wide", "script.csx"}, titles,
		"groups with a breaking finding before those with warnings only")
	assert.Regexp(t, `\nConnector-wide\n  WARNING   oauth-scopes-changed +83:17 → 85:17 +security definition`, text)
	assert.Regexp(t, `\n  WARNING   base-path-changed +9:15 → 9:15 +basePath: /v1 -> /v2 \(moves 3 operation URLs\) \[operations ListTasks, CreateTask, DeleteTask\]\n`, text,
		"the basePath finding sits in the connector-wide group, not under an operation")
	assert.Contains(t, text, "script.csx changed: routes 4 operations; first change at line 12 [operations ListTasks, GetTask, CreateTask, DeleteTask]\n")

	// Every finding line has its message in the same column, although the
	// rule ids and positions differ in length.
	finding := regexp.MustCompile(`^  (BREAKING|WARNING ) `)
	col := -1
	for _, line := range strings.Split(text, "\n") {
		if !finding.MatchString(line) {
			continue
		}
		fields := regexp.MustCompile(`^  \S+ +\S+ +(.*?→ \S+) +`).FindStringIndex(line)
		require.NotNil(t, fields, line)
		if col < 0 {
			col = fields[1]
		}
		assert.Equal(t, col, fields[1], "message column of %q", line)
	}
}

// Item 6: one vocabulary of levels, and --fail-on off (or never) fails on nothing.
func TestLevelVocabulary(t *testing.T) {
	for _, never := range []string{"off", "never"} {
		code, junit, _ := runCLI("compare", "--fail-on", never, "--format", "junit", folderOld, folderNew)
		assert.Equal(t, exitOK, code, never)
		assert.Contains(t, junit, `failures="0"`, never)
	}
	code, _, _ := runCLI("compare", "--fail-on", "info", exampleOld, exampleOld)
	assert.Equal(t, exitOK, code, "nothing at all changed")
	code, _, _ = runCLI("compare", "--fail-on", "info", "--level", "parameter-enum-narrowed=info",
		"--level", "response-property-removed=off", "--level", "request-body-required-added=off",
		"--level", "operation-id-changed=off", "--level", "oauth-scopes-changed=off", exampleOld, exampleNew)
	assert.Equal(t, exitFindings, code, "--fail-on info fails on an info finding")
	for _, args := range [][]string{{"--fail-on", "error"}, {"--level", "operation-removed=error"}, {"--level", "operation-removed=none"}} {
		code, _, stderr := runCLI(append(append([]string{"compare"}, args...), exampleOld, exampleNew)...)
		assert.Equal(t, exitError, code, args)
		assert.Contains(t, stderr, "(want breaking, warning, info or off)", args)
	}
}

// Item 7: the version, from the build.
func TestVersion(t *testing.T) {
	code, out, _ := runCLI("--version")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "connectordiff "+connectordiff.Version()+"\n", out)
	code, out, _ = runCLI("version")
	assert.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(out, "connectordiff "+connectordiff.Version()+"\n"), out)
	assert.Contains(t, out, "built with go")
	_, js, _ := runCLI("compare", "--format", "json", exampleOld, exampleNew)
	var rep struct {
		Tool struct{ Name, Version string }
	}
	require.NoError(t, json.Unmarshal([]byte(js), &rep))
	assert.Equal(t, "connectordiff", rep.Tool.Name)
	assert.Equal(t, connectordiff.Version(), rep.Tool.Version)
}

// Item 8: standard input.
func TestStdin(t *testing.T) {
	old, err := os.ReadFile(exampleOld)
	require.NoError(t, err)
	var out, errOut bytes.Buffer
	code := runEnv([]string{"compare", "--format", "json", "-", exampleNew}, env{stdin: bytes.NewReader(old), stdout: &out, stderr: &errOut})
	assert.Equal(t, exitFindings, code, errOut.String())
	var rep struct {
		Old      struct{ File string }
		Findings []struct{ Rule string }
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	assert.Equal(t, "stdin", rep.Old.File)
	assert.Len(t, rep.Findings, 7)

	code = runEnv([]string{"compare", "-", "-"}, env{stdin: bytes.NewReader(old), stdout: &out, stderr: &errOut})
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut.String(), "only one of OLD and NEW can be -")
}

// Item 8: the wrong file is named as such.
func TestNotADefinition(t *testing.T) {
	code, _, stderr := runCLI("compare", "../../README.md", exampleNew)
	assert.Equal(t, exitError, code)
	assert.Regexp(t, `^connectordiff: ../../README.md:\d+:\d+: not a Swagger 2.0 definition: the file is neither JSON nor YAML`, stderr)
}

// Item 8: REV:PATH reads files and folders from git objects.
func TestGitRevisionInputs(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	gitRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com",
			"-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
		cmd.Dir = repo
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	copyDir := func(from, to string) {
		t.Helper()
		require.NoError(t, os.MkdirAll(to, 0o755))
		entries, err := os.ReadDir(from)
		require.NoError(t, err)
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(from, e.Name()))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(to, e.Name()), data, 0o644))
		}
	}
	connector := filepath.Join(repo, "connectors", "contoso")
	gitRun("init", "-q")
	copyDir(folderOld, connector)
	gitRun("add", ".")
	gitRun("commit", "-q", "-m", "old")
	copyDir(folderNew, connector) // the work tree holds the new version, uncommitted

	run := func(dir string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := runEnv(args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, dir: dir})
		return code, out.String(), errOut.String()
	}
	// A folder at a revision against the work tree, from the repository root.
	code, out, stderr := run(repo, "compare", "main:connectors/contoso", "connectors/contoso")
	assert.Equal(t, exitFindings, code, stderr)
	assert.Contains(t, out, "main:connectors/contoso (Contoso Tasks 1.0, 4 operations) -> connectors/contoso (Contoso Tasks 1.1")
	assert.Contains(t, out, "connection-parameter-required-added")
	// One file, inside the connector folder: the path is found there.
	code, out, stderr = run(connector, "compare", "--format", "json", "HEAD:apiDefinition.swagger.json", "apiDefinition.swagger.json")
	assert.Equal(t, exitFindings, code, stderr)
	assert.Contains(t, out, `"file": "HEAD:apiDefinition.swagger.json"`)
	// ./ is relative to the current folder, as in git.
	code, _, stderr = run(connector, "compare", "HEAD:./apiDefinition.swagger.json", "apiDefinition.swagger.json")
	assert.Equal(t, exitFindings, code, stderr)
	// Errors name what is missing.
	code, _, stderr = run(repo, "compare", "main:nothing.json", "connectors/contoso/apiDefinition.swagger.json")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "main:nothing.json: nothing.json is not in main")
	code, _, stderr = run(repo, "compare", "nosuchrev:x.json", "connectors/contoso/apiDefinition.swagger.json")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, `unknown revision "nosuchrev"`)

	// A symbolic link in a revision is never followed.
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(repo, "link.json")))
	gitRun("add", "link.json")
	gitRun("commit", "-q", "-m", "link")
	code, _, stderr = run(repo, "compare", "HEAD:link.json", "connectors/contoso/apiDefinition.swagger.json")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "symbolic link")
}

package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/history"
	"github.com/connectordiff/connectordiff/internal/escape/escapetest"
	"github.com/connectordiff/connectordiff/internal/gittest"
	"github.com/connectordiff/connectordiff/report"
)

// Names and values a pull request writes, each meant to become a command in
// the CI log (a GitHub workflow command at the start of a line, an Azure
// logging command anywhere, the runner's legacy "##[") or to drive the
// terminal.
const (
	hostileFolder  = "x\n::error title=INJECTED::owned\n##vso[task.prependpath]evil\nz"
	hostileEscDir  = "e\x1b[2Jvil\u202e"
	hostileOldFile = "::error title=F::old.json"
	hostileNewFile = "n\x1b[2J ##vso[task.prependpath]new.json"
	hostileTitle   = "T\n::error title=T::title\x1b[31m"
	hostileVersion = "1.0\n##vso[task.setvariable variable=V]x"
	opCommand      = "::error title=X::boom"
	opPrependPath  = "##vso[task.prependpath]/tmp/evil"
	opLegacy       = "##[group]kept"
	paramName      = "\u00a0::notice::p"
	policyKey      = "##vso[task.setvariable variable=X]yes"
	swaggerValue   = "##vso[task.setvariable variable=S]yes"
	acceptReason   = "##vso[task.setvariable variable=R]1\n::error::reason"
	commitSubject  = "::error title=S::subject \x1b[31m ##vso[task.setvariable variable=S]1 \u202e"
	commitAuthor   = "M\x1b[2J ::error::author ##vso[task.prependpath]a"
)

// hostileDefinition is a definition whose title, version, operationIds,
// parameter names, enum values and property names are hostile; the new one
// removes two operations, a parameter, enum values and properties, so that
// every one of them is in a finding.
func hostileDefinition(t *testing.T, old bool) []byte {
	t.Helper()
	op := func(id string) map[string]any {
		return map[string]any{"get": map[string]any{"operationId": id, "responses": map[string]any{"200": map[string]any{"description": "ok"}}}}
	}
	enum := []string{"ok"}
	params := []any{}
	props := map[string]any{"id": map[string]any{"type": "string"}}
	version := "2.0\n##vso[task.setvariable variable=V]x"
	if old {
		enum = append(enum, "\r::warning::cr", "#\u200b#vso[task.complete result=Succeeded]", "a\u202e##[add-mask]b")
		params = append(params, map[string]any{"name": paramName, "in": "query", "type": "string"})
		props["::error::prop"] = map[string]any{"type": "string"}
		props["##vso[task.uploadfile]/etc/passwd"] = map[string]any{"type": "string"}
		version = hostileVersion
	}
	params = append(params, map[string]any{"name": "status", "in": "query", "type": "string", "enum": enum})
	paths := map[string]any{
		"/c": map[string]any{"get": map[string]any{"operationId": opLegacy, "parameters": params,
			"responses": map[string]any{"200": map[string]any{"description": "ok", "schema": map[string]any{"type": "object", "properties": props}}}}},
	}
	if old {
		paths["/a"], paths["/b"] = op(opCommand), op(opPrependPath)
	}
	doc, err := json.MarshalIndent(map[string]any{"swagger": "2.0", "info": map[string]any{"title": hostileTitle, "version": version},
		"host": "api.example.com", "paths": paths}, "", "  ")
	require.NoError(t, err)
	return doc
}

// run is one run of the command and what it wrote.
type runOutput struct {
	name   string
	format string // the report format on stdout, "" when none
	code   int
	stdout string
	stderr string
	files  map[string]string // reports written to files, by format
}

// hostileRuns runs the command on hostile input every way it prints: every
// report format in pair and repository mode (to stdout and to files), the
// errors such input causes, fix in each of its formats, --pairs and rules.
func hostileRuns(t *testing.T) []runOutput {
	if runtime.GOOS == "windows" {
		t.Skip("file names with line breaks and ESC")
	}
	var runs []runOutput
	var r runOutput
	exec := func(dir, name, format string, args ...string) runOutput {
		code, stdout, stderr := runIn(dir, args...)
		r := runOutput{name: name, format: format, code: code, stdout: stdout, stderr: stderr}
		runs = append(runs, r)
		return r
	}

	// Pair mode: the files' own names are hostile too.
	pair := t.TempDir()
	write := func(name string, data []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(pair, name), data, 0o644))
	}
	write(hostileOldFile, hostileDefinition(t, true))
	write(hostileNewFile, hostileDefinition(t, false))
	write("sw.json", []byte(`{"swagger": "`+swaggerValue+`", "info": {"title": "t", "version": "1"}, "paths": {}}`))
	write(hostileFolder+".json", []byte(`{"swagger": "2.0", "info": {`))
	for _, f := range report.Formats() {
		r := exec(pair, "pair", string(f), "compare", "--verbose", "--explain", "--format", string(f), hostileOldFile, hostileNewFile)
		require.Equal(t, exitFindings, r.code, "%s: %s", f, r.stderr)
	}
	runs = append(runs, everyFormatToFiles(t, pair, "pair", hostileOldFile, hostileNewFile))
	for _, args := range [][]string{
		{"compare", "sw.json", hostileNewFile},
		{"compare", hostileFolder + ".json", hostileNewFile},
		{"compare", hostileOldFile, hostileFolder + ".missing"},
		{"compare", "--format", policyKey, hostileOldFile, hostileNewFile},
		{"compare", "--level", policyKey + "=off", hostileOldFile, hostileNewFile},
		{"compare", "--pairs", hostileFolder + ".pairs"},
		{"compare", "main:" + hostileFolder, hostileOldFile},
		{"fix", hostileFolder + ".json", hostileNewFile},
		{"fix", "sw.json", hostileNewFile},
	} {
		r := exec(pair, "pair error "+strings.Join(args, " "), "", args...)
		require.Equal(t, exitError, r.code, "%q: %s", args, r.stdout)
	}

	// fix: a summary on stderr, JSON on stdout; the fixed definition itself
	// is NEW's own bytes, so it goes to a file.
	fixFormats := wantedList(t, pair, "fix", "--format", "nope", hostileOldFile, hostileNewFile)
	require.Contains(t, fixFormats, "file")
	for _, f := range fixFormats {
		args := []string{"fix", "--format", f, hostileOldFile, hostileNewFile}
		format := "fix " + f
		if f == "file" {
			args = append(args, "-o", "fixed.json")
			format = ""
		}
		r := exec(pair, "fix --format "+f, format, args...)
		require.Contains(t, []int{exitOK, exitFindings}, r.code, r.stderr)
	}

	// --pairs: one JSON line per pair, an error line for the missing one.
	pairs := hostileOldFile + "\t" + hostileNewFile + "\n" +
		`{"old": ` + jsonString(hostileFolder+".missing") + `, "new": ` + jsonString(hostileNewFile) + "}\n"
	write("pairs.txt", []byte(pairs))
	r = exec(pair, "pairs", "jsonl", "compare", "--pairs", "pairs.txt")
	require.Equal(t, exitError, r.code)

	for _, f := range wantedList(t, pair, "rules", "--format", "nope") {
		exec(pair, "rules", "rules "+f, "rules", "--format", f)
	}

	// Repository mode: hostile folder names, a policy whose acceptance's
	// reason is hostile; then a policy key and a definition that are errors.
	repo := gittest.New(t)
	for _, dir := range []string{hostileFolder, hostileEscDir} {
		repo.Write("connectors/"+dir+"/apiDefinition.swagger.json", string(hostileDefinition(t, true)))
	}
	repo.Commit(time.Time{}, "base")
	repo.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	for _, dir := range []string{hostileFolder, hostileEscDir} {
		repo.Write("connectors/"+dir+"/apiDefinition.swagger.json", string(hostileDefinition(t, false)))
	}
	repo.Write(".connectordiff.yaml", "accept:\n  - rule: operation-removed\n    connector: \"connectors/*\"\n    operation: "+
		jsonString(opCommand)+"\n    reason: "+jsonString(acceptReason)+"\n")
	repo.Commit(time.Time{}, "change")
	for _, f := range report.Formats() {
		r := exec(repo.Dir, "repository", string(f), "compare", "--base", "main", "--head", "feature", "--verbose", "--explain", "--format", string(f))
		require.Equal(t, exitFindings, r.code, "%s: %s", f, r.stderr)
	}
	runs = append(runs, everyFormatToFiles(t, repo.Dir, "repository", "--base", "main", "--head", "feature"))

	// history: the folders, and a commit whose subject and author are
	// hostile, in every format, to stdout and to files.
	repo.Write("connectors/"+hostileFolder+"/apiProperties.json", `{"properties": {}}`)
	repo.Git(time.Time{}, "add", "-A")
	repo.Git(time.Time{}, "-c", "user.name="+commitAuthor, "commit", "-q", "--cleanup=verbatim", "-m", commitSubject+"\n\nbody")
	files := t.TempDir()
	spec := []string{"text"}
	for _, f := range history.Formats() {
		r := exec(repo.Dir, "history", string(f), "history", "--until", "feature", "--verbose", "--format", string(f))
		require.Equal(t, exitOK, r.code, "%s: %s", f, r.stderr)
		spec = append(spec, fmt.Sprintf("%s=%s", f, filepath.Join(files, string(f))))
	}
	r = exec(repo.Dir, "history to files", "text", "history", "--until", "feature", "--format", strings.Join(spec, ","))
	require.Equal(t, exitOK, r.code, r.stderr)
	runs[len(runs)-1].files = map[string]string{}
	for _, f := range history.Formats() {
		data, err := os.ReadFile(filepath.Join(files, string(f)))
		require.NoError(t, err)
		runs[len(runs)-1].files[string(f)] = string(data)
	}

	repo.Git(time.Time{}, "checkout", "-q", "-b", "bad-policy", "main")
	repo.Write(".connectordiff.yaml", jsonString(policyKey)+": 1\n")
	repo.Commit(time.Time{}, "policy")
	repo.Git(time.Time{}, "checkout", "-q", "-b", "bad-folder", "main")
	repo.Write("connectors/"+hostileFolder+"/apiDefinition.swagger.json", `{"swagger": "2.0", "info": {`)
	repo.Commit(time.Time{}, "broken")
	for _, head := range []string{"bad-policy", "bad-folder"} {
		r := exec(repo.Dir, "repository error "+head, "", "compare", "--base", "main", "--head", head)
		require.Equal(t, exitError, r.code, r.stdout)
	}
	// A connector that cannot be read is reported in every format, beside
	// the others, with its hostile folder name and message.
	for _, f := range report.Formats() {
		r := exec(repo.Dir, "unread repository", string(f), "compare", "--base", "main", "--head", "bad-folder", "--format", string(f))
		require.Equal(t, exitError, r.code, "%s: %s", f, r.stderr)
		require.Contains(t, r.stdout, "not closed", "%s: the error is in the report", f)
	}
	return runs
}

// everyFormatToFiles runs compare with the text report on stdout and every
// format in a file of its own.
func everyFormatToFiles(t *testing.T, dir, name string, args ...string) runOutput {
	out := t.TempDir()
	spec := []string{"text"}
	for _, f := range report.Formats() {
		spec = append(spec, fmt.Sprintf("%s=%s", f, filepath.Join(out, string(f))))
	}
	code, stdout, stderr := runIn(dir, append([]string{"compare", "--verbose", "--format", strings.Join(spec, ",")}, args...)...)
	require.Equal(t, exitFindings, code, stderr)
	r := runOutput{name: name + " to files", format: "text", code: code, stdout: stdout, stderr: stderr, files: map[string]string{}}
	for _, f := range report.Formats() {
		data, err := os.ReadFile(filepath.Join(out, string(f)))
		require.NoError(t, err)
		r.files[string(f)] = string(data)
	}
	return r
}

// wantedList reads the choices an error lists ("want a, b or c"), so that
// the test follows the command when a format is added.
func wantedList(t *testing.T, dir string, args ...string) []string {
	code, _, stderr := runIn(dir, args...)
	require.Equal(t, exitError, code)
	m := regexp.MustCompile(`want ([a-z, -]+?) or ([a-z-]+)\)?\n`).FindStringSubmatch(stderr)
	require.NotNil(t, m, stderr)
	return append(strings.Split(m[1], ", "), m[2])
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// The commands the github and azure formats mean to write, with the data
// after them: the only commands any output may hold.
var (
	ownGitHubCommand = regexp.MustCompile(`^::(error|warning|notice) (file=[^,:]*(,line=\d+(,col=\d+)?)?,)?title=[a-z-]+::(.*)$`)
	ownAzureCommand  = regexp.MustCompile(`^##vso\[task\.logissue type=(error|warning);sourcepath=[^;\]]*(;linenumber=\d+(;columnnumber=\d+)?)?;code=[a-z-]+\](.*)$`)
)

// TestHostileOutput runs the command on hostile input every way it prints,
// and reads every line of every stream as the CI systems would.
func TestHostileOutput(t *testing.T) {
	runs := hostileRuns(t)
	t.Run("no command but the formats' own", func(t *testing.T) { commandsNothing(t, runs) })
	t.Run("shown escaped", func(t *testing.T) { shownEscaped(t, runs) })
	t.Run("JSON, SARIF and JUnit decode to the values", func(t *testing.T) { decodeExactly(t, runs) })
}

// commandsNothing: no line of any stream or report file is a command or
// holds a hidden character, but the commands the github and azure formats
// mean to write, whose data is inert.
func commandsNothing(t *testing.T, runs []runOutput) {
	own := map[string]int{}
	for _, r := range runs {
		streams := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
		formats := map[string]string{"stdout": r.format, "stderr": ""}
		for f, text := range r.files {
			streams["file "+f], formats["file "+f] = text, f
		}
		for stream, text := range streams {
			where := r.name + " " + r.format + " " + stream
			assert.NotContains(t, text, "\r", "%s: a carriage return ends a log line", where)
			for _, line := range escapetest.Lines(text) {
				assert.Empty(t, escapetest.Hidden(line), "%s: %q", where, line)
				cmds := escapetest.Commands(line)
				if len(cmds) == 0 {
					continue
				}
				var m []string
				switch formats[stream] {
				case string(report.FormatGitHub):
					m = ownGitHubCommand.FindStringSubmatch(line)
				case string(report.FormatAzure):
					m = ownAzureCommand.FindStringSubmatch(line)
				}
				if assert.NotNil(t, m, "%s: a command (%v): %q", where, cmds, line) {
					own[formats[stream]]++
					assert.Empty(t, escapetest.Commands("text "+m[len(m)-1]), "%s: a command in the data: %q", where, line)
				}
			}
		}
	}
	assert.Positive(t, own[string(report.FormatGitHub)], "the github format still annotates")
	assert.Positive(t, own[string(report.FormatAzure)], "the azure format still logs issues")
}

// shownEscaped: the hostile values reach the outputs, escaped (a test that
// only looked for commands would pass on outputs that left them out), and
// each error is one line.
func shownEscaped(t *testing.T, runs []runOutput) {
	for _, r := range runs {
		switch {
		case r.format == "" && r.code == exitError:
			lines := escapetest.Lines(r.stderr)
			assert.Len(t, lines, 1, "%s: one line per error: %q", r.name, r.stderr)
			assert.True(t, strings.HasPrefix(r.stderr, "connectordiff: "), "%s: %q", r.name, r.stderr)
		case strings.HasPrefix(r.name, "pair") && r.format == string(report.FormatGitHub):
			assert.Contains(t, r.stdout, `,title=operation-removed::operation \x23#vso[task.prependpath]/tmp/evil (GET /b) removed`)
			assert.Contains(t, r.stdout, `::error file=n\x1b[2J \x23#vso[task.prependpath]new.json,line=`, "file= shows ESC escaped")
		case strings.HasPrefix(r.name, "pair") && r.format == string(report.FormatAzure):
			assert.Contains(t, r.stdout, `;code=operation-removed]operation \x23#vso[task.prependpath]/tmp/evil (GET /b) removed`)
		case strings.HasPrefix(r.name, "pair") && r.format == string(report.FormatText):
			assert.Contains(t, r.stdout, "\n\\x3a:error title=X::boom\n", "the operation's heading")
			assert.Contains(t, r.stdout, "\n\\x23#vso[task.prependpath]/tmp/evil\n")
			assert.Contains(t, r.stdout, `\x3a:error title=F::old.json (T\n::error title=T::title\x1b[31m 1.0\n\x23#vso[task.setvariable variable=V]x, 3 operations) -> `)
		case strings.HasPrefix(r.name, "pair") && r.format == string(report.FormatMarkdown):
			assert.Contains(t, r.stdout, "**T&#92;n::error title=T::title&#92;x1b&#91;31m** 1.0&#92;n&#92;x23&#35;vso")
		case r.name == "fix --format file":
			assert.Regexp(t, `(?m)^  operation-removed +\\x3a:error title=X::boom +restored operation ::error title=X::boom \(GET /a\)`, r.stderr)
			assert.Regexp(t, `(?m)^  operation-removed +\\x23#vso\[task\.prependpath\]/tmp/evil +restored operation \\x23#vso`, r.stderr)
		case r.name == "repository":
			for _, want := range repositoryShows[r.format] {
				assert.Contains(t, r.stdout, want, r.format)
			}
		case r.name == "history":
			for _, want := range historyShows[r.format] {
				assert.Contains(t, r.stdout, want, r.format)
			}
		}
	}
}

// repositoryShows is how the line formats show the hostile folder names,
// escaped for the line and then for the format.
var repositoryShows = map[string][]string{
	string(report.FormatText): {`  connectors/x\n::error title=INJECTED::owned\n\x23#vso[task.prependpath]evil\nz  changed `,
		`  connectors/e\x1b[2Jvil\u202E  `},
	string(report.FormatGitHub): {`,title=operation-removed::operation \x23#vso[task.prependpath]/tmp/evil (GET /b) removed`,
		`::error file=connectors/x\n%3A%3Aerror title=INJECTED%3A%3Aowned\n\x23#vso[task.prependpath]evil\nz/apiDefinition.swagger.json,`,
		`::error file=connectors/e\x1b[2Jvil\u202E/apiDefinition.swagger.json,`},
	string(report.FormatAzure): {`;code=operation-removed]operation \x23#vso[task.prependpath]/tmp/evil (GET /b) removed`,
		`##vso[task.logissue type=error;sourcepath=connectors/x\n::error title=INJECTED::owned\n\x23#vso[task.prependpath%5Devil\nz/apiDefinition.swagger.json;`},
	string(report.FormatMarkdown):  {"| connectors/x&#92;n::error title=INJECTED::owned&#92;n&#92;x23&#35;vso&#91;task.prependpath&#93;evil&#92;nz | changed |"},
	string(report.FormatChangelog): {"(connectors/x&#92;n::error title=INJECTED::owned&#92;n&#92;x23&#35;vso&#91;task.prependpath&#93;evil&#92;nz)"},
}

// historyShows is how the history's formats show the hostile folder name,
// commit subject and author.
var historyShows = map[string][]string{
	string(report.FormatText): {"\nconnectors/x\\n::error title=INJECTED::owned\\n\\x23#vso[task.prependpath]evil\\nz (T\\n::error title=T::title\\x1b[31m): 3 versions, 1 breaking\n",
		`  M\x1b[2J ::error::author \x23#vso[task.prependpath]a: \x3a:error title=S::subject \x1b[31m \x23#vso[task.setvariable variable=S]1 \u202E` + "\n"},
	string(report.FormatMarkdown): {"\n## connectors/x&#92;n::error title=INJECTED::owned&#92;n&#92;x23&#35;vso&#91;task.prependpath&#93;evil&#92;nz\n",
		"| M&#92;x1b&#91;2J ::error::author &#92;x23&#35;vso&#91;task.prependpath&#93;a | &#92;x3a:error title=S::subject &#92;x1b&#91;31m &#92;x23&#35;vso&#91;task.setvariable variable=S&#93;1 &#92;u202E |"},
	string(report.FormatHTML): {"<h2>connectors/x\\n::error title=INJECTED::owned\\n&#35;#vso[task.prependpath]evil\\nz <span class=\"title\">",
		`<div class="who">M\x1b[2J ::error::author &#35;#vso[task.prependpath]a: ::error title=S::subject \x1b[31m &#35;#vso[task.setvariable variable=S]1 \u202E</div>`},
}

// decodeExactly: JSON, SARIF and JUnit keep the values whole, so a consumer
// decodes exactly what the documents and paths hold.
func decodeExactly(t *testing.T, runs []runOutput) {
	for _, r := range runs {
		mode, _, _ := strings.Cut(r.name, " ")
		switch {
		case r.name == "unread repository":
			if r.format == string(report.FormatJSON) {
				var rep struct {
					Connectors []struct{ Folder, Status, Error string }
				}
				require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
				require.NotEmpty(t, rep.Connectors)
				c := rep.Connectors[0]
				assert.Equal(t, []string{"connectors/" + hostileFolder, "error"}, []string{c.Folder, c.Status})
				assert.True(t, strings.HasPrefix(c.Error, "connectors/"+hostileFolder+"/apiDefinition.swagger.json:1:"), c.Error)
			}
		case r.name == "pair" && r.format == string(report.FormatJSON):
			var rep struct {
				Old      struct{ File, Title, Version string }
				Findings []struct {
					OperationID *string
					Removed     []string
				}
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
			assert.Equal(t, hostileOldFile, rep.Old.File)
			assert.Equal(t, hostileTitle, rep.Old.Title)
			assert.Equal(t, hostileVersion, rep.Old.Version)
			var ops, removed []string
			for _, f := range rep.Findings {
				if f.OperationID != nil {
					ops = append(ops, *f.OperationID)
				}
				removed = append(removed, f.Removed...)
			}
			assert.Subset(t, ops, []string{opCommand, opPrependPath, opLegacy})
			assert.Subset(t, removed, []string{"\r::warning::cr", "#\u200b#vso[task.complete result=Succeeded]", "a\u202e##[add-mask]b"})
		case r.name == "repository" && r.format == string(report.FormatJSON):
			var rep struct{ Connectors []struct{ Folder string } }
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
			var folders []string
			for _, c := range rep.Connectors {
				folders = append(folders, c.Folder)
			}
			assert.ElementsMatch(t, []string{"connectors/" + hostileFolder, "connectors/" + hostileEscDir}, folders)
		case r.name == "history" && r.format == string(report.FormatJSON):
			var doc struct {
				Connectors []struct {
					Folder   string
					Versions []struct{ Author, Subject string }
				}
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
			var folders, subjects, authors []string
			for _, c := range doc.Connectors {
				folders = append(folders, c.Folder)
				for _, v := range c.Versions {
					subjects, authors = append(subjects, v.Subject), append(authors, v.Author)
				}
			}
			assert.ElementsMatch(t, []string{"connectors/" + hostileFolder, "connectors/" + hostileEscDir}, folders)
			assert.Contains(t, subjects, commitSubject)
			assert.Contains(t, authors, commitAuthor)
		case r.format == string(report.FormatSARIF):
			var log struct {
				Runs []struct {
					Results []struct {
						Locations []struct {
							PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
						}
						Properties struct{ Operations []string }
					}
				}
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &log))
			var ops, files []string
			for _, res := range log.Runs[0].Results {
				ops = append(ops, res.Properties.Operations...)
				u, err := url.Parse(res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
				require.NoError(t, err)
				files = append(files, u.Path)
			}
			assert.Subset(t, ops, []string{opCommand, opPrependPath, opLegacy}, mode)
			want := map[string]string{"pair": hostileNewFile, "repository": "connectors/" + hostileFolder + "/apiDefinition.swagger.json"}[mode]
			assert.Contains(t, files, want, mode)
		case r.format == string(report.FormatJUnit):
			var doc struct {
				Suites []struct {
					Cases []struct {
						Name string `xml:"name,attr"`
					} `xml:"testcase"`
				} `xml:"testsuite"`
			}
			require.NoError(t, xml.Unmarshal([]byte(r.stdout), &doc))
			var names []string
			for _, s := range doc.Suites {
				for _, c := range s.Cases {
					names = append(names, c.Name)
				}
			}
			assert.Subset(t, names, []string{opCommand, opPrependPath, opLegacy}, mode)
		case r.format == "fix json":
			var res struct {
				Fixed []struct{ OperationID string }
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &res))
			var ops []string
			for _, f := range res.Fixed {
				ops = append(ops, f.OperationID)
			}
			assert.Subset(t, ops, []string{opCommand, opPrependPath})
		case r.format == "fix suggestions":
			var s struct {
				File  string
				Fixed []struct{ OperationID string }
				Hunks []struct{ Replacement string }
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
			assert.Equal(t, hostileNewFile, s.File)
			var ops []string
			for _, f := range s.Fixed {
				ops = append(ops, f.OperationID)
			}
			assert.Subset(t, ops, []string{opCommand, opPrependPath})
			var text strings.Builder
			for _, h := range s.Hunks {
				text.WriteString(h.Replacement)
			}
			assert.Contains(t, text.String(), jsonString(opCommand), "the replacement is the fixed definition's text, whole")
		case r.name == "pairs":
			lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
			require.Len(t, lines, 2)
			var failed struct{ Old, Error string }
			require.NoError(t, json.Unmarshal([]byte(lines[1]), &failed))
			assert.Equal(t, hostileFolder+".missing", filepath.Base(failed.Old))
			assert.Contains(t, failed.Error, hostileFolder)
		}
	}
}

func TestPrintErrorSplitsJoinedErrorsOnly(t *testing.T) {
	var b bytes.Buffer
	printError(&b, fmt.Errorf("writing %s: %w", "::x", fmt.Errorf("a\nb")))
	assert.Equal(t, "connectordiff: writing ::x: a\\nb\n", b.String(), "one error, one line")
	b.Reset()
	printError(&b, errors.Join(fmt.Errorf("::first"), fmt.Errorf("##vso[second]")))
	assert.Equal(t, "connectordiff: \\x3a:first\nconnectordiff: \\x23#vso[second]\n", b.String())
}

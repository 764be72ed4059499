package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
)

// --pairs writes, for each pair in order, the report compare --format json
// writes for it alone (on one line), and an error line for a pair that
// cannot be read, without stopping.
func TestBatchPairs(t *testing.T) {
	list := filepath.Join(t.TempDir(), "pairs.txt")
	require.NoError(t, os.WriteFile(list, []byte(strings.Join([]string{
		"# comments and blank lines are skipped",
		exampleOld + "\t" + exampleNew,
		"",
		`{"old": "` + folderOld + `", "new": "` + folderNew + `"}`,
		exampleOld + "\tmissing.json",
		exampleOld + "\t" + exampleOld,
	}, "\n")), 0o600))
	code, stdout, stderr := runCLI("compare", "--pairs", list)
	assert.Equal(t, exitError, code, "a pair could not be read")
	assert.Contains(t, stderr, "1 of 4 pairs could not be compared")
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, lines, 4)

	alone := func(args ...string) string {
		_, out, _ := runCLI(append([]string{"compare", "--format", "json"}, args...)...)
		var b bytes.Buffer
		require.NoError(t, json.Compact(&b, []byte(out)))
		return b.String()
	}
	assert.Equal(t, alone(exampleOld, exampleNew), lines[0])
	assert.Equal(t, alone(folderOld, folderNew), lines[1])
	assert.JSONEq(t, `{"old": "`+exampleOld+`", "new": "missing.json", "status": "error", "error": "missing.json: no such file or directory"}`, lines[2])
	assert.Equal(t, alone(exampleOld, exampleOld), lines[3])

	// From standard input, and without the bad pair: exit 1, as the example breaks.
	var out, errOut bytes.Buffer
	code = runEnv([]string{"compare", "--pairs", "-"}, env{stdin: strings.NewReader(exampleOld + "\t" + exampleNew + "\n"),
		stdout: &out, stderr: &errOut})
	assert.Equal(t, exitFindings, code, errOut.String())
	assert.Equal(t, 1, strings.Count(out.String(), "\n"))

	code, _, stderr = runCLI("compare", "--pairs", list, exampleOld, exampleNew)
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "compare --pairs takes no OLD and NEW")
}

func TestReadPairs(t *testing.T) {
	in := "# history\n\na/old.json\tb/new.json\n{\"old\": \"dir one/x\", \"new\": \"dir two/x\"}\n  c\t d  \n"
	pairs, err := readPairs(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, []connectordiff.Pair{{Old: "a/old.json", New: "b/new.json"}, {Old: "dir one/x", New: "dir two/x"}, {Old: "c", New: "d"}}, pairs)
	_, err = readPairs(strings.NewReader("a.json\tb.json\nonly-one.json\n"))
	assert.EqualError(t, err, `line 2: want OLD<tab>NEW or {"old": "...", "new": "..."}, got "only-one.json"`)
	_, err = readPairs(strings.NewReader(`{"old": 1}`))
	assert.ErrorContains(t, err, "line 1:")
}

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTimeout: past --timeout a run stops with an error saying what it was
// comparing, exit 2, and writes no report.
func TestTimeout(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"compare", []string{"compare", "--timeout", "1ns", "--format", "json", exampleOld, exampleNew}},
		{"fix", []string{"fix", "--timeout", "1ns", exampleOld, exampleNew}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(tt.args...)
			assert.Equal(t, exitError, code)
			assert.Empty(t, stdout)
			assert.Regexp(t, `^connectordiff: \.\./\.\./testdata/example/old\.json:\d+:\d+: comparing /paths/\S+ with `+
				`\.\./\.\./testdata/example/new\.json /paths/\S+ \(operation \w+\): the comparison was stopped before it was done: `+
				`--timeout 1ns reached\n$`, stderr)
		})
	}
	t.Run("a negative duration", func(t *testing.T) {
		code, _, stderr := runCLI("compare", "--timeout", "-1s", exampleOld, exampleNew)
		assert.Equal(t, exitError, code)
		assert.Equal(t, "connectordiff: --timeout -1s: want a positive duration, such as 30s or 5m\n", stderr)
	})
	t.Run("long enough", func(t *testing.T) {
		code, stdout, _ := runCLI("compare", "--timeout", "1h", "--format", "json", exampleOld, exampleNew)
		assert.Equal(t, exitFindings, code)
		assert.Contains(t, stdout, `"findings"`)
	})
}

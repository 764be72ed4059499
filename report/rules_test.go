package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/report"
)

// docs/rules.md is generated; this fails when the rule table changed and
// the file was not regenerated (go test ./report -run TestRulesDoc -update).
func TestRulesDocIsCurrent(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.RulesMarkdown(&buf))
	const path = "../docs/rules.md"
	if *update {
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if !assert.Equal(t, string(want), buf.String()) {
		t.Log("docs/rules.md is stale: run go test ./report -run TestRulesDoc -update and review the diff")
	}
}

func TestRulesDocHasASectionPerRule(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.RulesMarkdown(&buf))
	for _, r := range breaking.Rules() {
		// GitHub's heading anchor of "## <id>" is #<id>, which findings link to.
		assert.Contains(t, buf.String(), "\n## "+r.ID+"\n", r.ID)
		assert.Contains(t, buf.String(), "| ["+r.ID+"](#"+r.ID+") |", r.ID)
	}
}

func TestRulesJSONAndText(t *testing.T) {
	var js bytes.Buffer
	require.NoError(t, report.RulesFormat(&js, "json"))
	var rules []struct {
		ID, Level, Summary, Doc, Remediation, HelpURI string
		Levels                                        map[string]string
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &rules))
	require.Len(t, rules, len(breaking.Rules()))
	assert.Equal(t, "operation-removed", rules[0].ID)
	assert.Equal(t, "breaking", rules[0].Level)
	assert.Equal(t, map[string]string{"users": "breaking", "power-automate": "warning", "power-apps": "warning",
		"logic-apps": "breaking", "certification": "breaking"}, rules[2].Levels, rules[2].ID)
	assert.Equal(t, connectordiff.RulesURL()+"#operation-removed", rules[0].HelpURI)

	var txt bytes.Buffer
	require.NoError(t, report.RulesFormat(&txt, "text"))
	lines := strings.Split(strings.TrimSpace(txt.String()), "\n")
	assert.Len(t, lines, 1+len(breaking.Rules()), "a header and a line per rule")
	assert.Regexp(t, `^rule +users +power-automate +power-apps +logic-apps +certification +summary$`, lines[0])
	assert.Regexp(t, `^operation-path-changed +breaking +warning +warning +breaking +breaking +An operation's route`, lines[3])
	assert.Error(t, report.RulesFormat(&txt, "yaml"))
}

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	oldPath = "../../testdata/example/old.json"
	newPath = "../../testdata/example/new.json"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestGate(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name      string
		vars      map[string]string
		old       string
		want      int
		firstLine string
	}{
		{"breaking update on GitHub", map[string]string{"GITHUB_ACTIONS": "true", "CONNECTORDIFF_SARIF_DIR": dir}, oldPath, 1,
			"::error file=../../testdata/example/new.json,line=19,col=71,title=parameter-enum-narrowed::"},
		{"breaking update on Azure", map[string]string{"TF_BUILD": "True"}, oldPath, 1,
			"##vso[task.logissue type=warning;sourcepath=../../testdata/example/new.json;linenumber=85;columnnumber=17;code=oauth-scopes-changed]"},
		{"breaking update elsewhere", nil, oldPath, 1, oldPath + " (Contoso Tasks 1.0, 4 operations) -> "},
		{"compatible update", nil, newPath, 0, newPath + " (Contoso Tasks 1.1, 4 operations) -> "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := gate(context.Background(), &out, &errOut, env(tt.vars), tt.old, newPath)
			assert.Equal(t, tt.want, code, errOut.String())
			assert.True(t, strings.HasPrefix(out.String(), tt.firstLine), out.String())
		})
	}
	sarif, err := os.ReadFile(filepath.Join(dir, sarifFile))
	require.NoError(t, err)
	assert.Contains(t, string(sarif), `"version": "2.1.0"`)
}

func TestGateUnreadableInput(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, gate(context.Background(), &out, &errOut, env(nil), oldPath, "missing.json"))
	assert.Contains(t, errOut.String(), "missing.json")
}

package gate_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	yaml "github.com/pb33f/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/gate"
)

const configSchemaPath = "../docs/config.schema.json"

func configSchema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(configSchemaPath)
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource(configSchemaPath, doc))
	s, err := c.Compile(configSchemaPath)
	require.NoError(t, err)
	return s, doc.(map[string]any)
}

// yamlValue turns a YAML document into the value a JSON Schema validates,
// by the tags YAML resolves: what an editor's YAML language server checks.
func yamlValue(t *testing.T, data []byte) any {
	t.Helper()
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(data, &doc))
	if len(doc.Content) == 0 {
		return nil
	}
	var conv func(n *yaml.Node) any
	conv = func(n *yaml.Node) any {
		switch n.Kind {
		case yaml.MappingNode:
			m := map[string]any{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				m[n.Content[i].Value] = conv(n.Content[i+1])
			}
			return m
		case yaml.SequenceNode:
			l := []any{}
			for _, c := range n.Content {
				l = append(l, conv(c))
			}
			return l
		}
		switch n.ShortTag() {
		case "!!int", "!!float":
			return json.Number(n.Value)
		case "!!bool":
			return n.Value == "true"
		case "!!null":
			return nil
		}
		return n.Value
	}
	return conv(doc.Content[0])
}

// policyExamples are the policy files the project shows: examples/policy
// and the README's YAML blocks that start with "# .connectordiff.yaml".
func policyExamples(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	files, err := filepath.Glob("../examples/policy/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out[f] = data
	}
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)```yaml\n(# \\.connectordiff\\.yaml.*?)```").FindAllSubmatch(readme, -1)
	require.NotEmpty(t, blocks, "README.md shows a policy file")
	for i, b := range blocks {
		out["README.md block "+string(rune('1'+i))] = b[1]
	}
	return out
}

func TestConfigSchemaAcceptsTheExamples(t *testing.T) {
	schema, _ := configSchema(t)
	for name, data := range policyExamples(t) {
		t.Run(name, func(t *testing.T) {
			assert.NoError(t, schema.Validate(yamlValue(t, data)), "the schema accepts %s", name)
			cfg, err := gate.ParseConfig(name, data)
			require.NoError(t, err, "connectordiff reads %s", name)
			assert.True(t, cfg.Profile != "" || len(cfg.Levels) > 0 || len(cfg.Accept) > 0, "the example sets something")
		})
	}
}

// Every policy file connectordiff refuses, the schema refuses too, so that
// an editor shows the problem before the gate does; and connectordiff says
// where.
func TestConfigRefusedByBoth(t *testing.T) {
	schema, _ := configSchema(t)
	for _, tc := range []struct{ name, yaml, err string }{
		{"unknown key", "profil: users\n", `p.yaml:1:1: unknown key "profil" (want profile, levels, deprecationDays, policyFrom, accept, published, previewAsWarnings or connectors)`},
		{"published not a boolean", "published: no\n", `p.yaml:1:12: published: want true or false, got "no"`},
		{"preview option not a boolean", "previewAsWarnings: yes\n", `p.yaml:1:20: previewAsWarnings: want true or false, got "yes"`},
		{"connectors not a list", "connectors:\n  connector: a\n", `p.yaml:2:3: connectors: want a list`},
		{"connector settings without connector", "connectors:\n  - published: false\n", `p.yaml:2:5: a connector's settings need connector`},
		{"unknown connector setting", "connectors:\n  - {connector: a, publshed: false}\n", `p.yaml:2:20: unknown key "publshed" in a connector's settings`},
		{"bad id", "accept:\n  - id: 3f2a\n    reason: fine\n", `p.yaml:2:9: id: want a finding's id, 16 hexadecimal digits as reports give it, got "3f2a"`},
		{"upper-case id", "accept:\n  - id: 3F2A9C1B7E4D5A6B\n    reason: fine\n", `p.yaml:2:9: id: want a finding's id`},
		{"id and operation", "accept:\n  - id: 3f2a9c1b7e4d5a6b\n    operation: OpA\n    reason: fine\n", `p.yaml:2:5: an accepted change by id names no operation, valuePath or pointer`},
		{"id without reason", "accept:\n  - id: 3f2a9c1b7e4d5a6b\n", `p.yaml:2:5: an accepted change needs a reason`},
		{"unknown policy source", "policyFrom: pr\n", `p.yaml:1:13: policy source "pr": want head or base`},
		{"unknown profile", "profile: everyone\n", `p.yaml:1:10: unknown profile "everyone"`},
		{"unknown rule in levels", "levels:\n  operation-deleted: off\n", `p.yaml:2:3: unknown rule id "operation-deleted"`},
		{"bad level", "levels:\n  operation-removed: fatal\n", `p.yaml:2:22: `},
		{"negative days", "deprecationDays: -3\n", `p.yaml:1:18: deprecationDays: want a whole number of days, got "-3"`},
		{"fractional days", "deprecationDays: 1.5\n", `p.yaml:1:18: deprecationDays: want a whole number of days, got "1.5"`},
		{"accept not a list", "accept:\n  rule: operation-removed\n", `p.yaml:2:3: accept: want a list`},
		{"no reason", "accept:\n  - rule: operation-removed\n", `p.yaml:2:5: an accepted change needs a reason`},
		{"blank reason", "accept:\n  - rule: operation-removed\n    reason: \"  \"\n", `p.yaml:2:5: an accepted change needs a reason`},
		{"no rule", "accept:\n  - reason: fine\n", `p.yaml:2:5: an accepted change needs a rule, or the id of a finding`},
		{"unknown rule", "accept:\n  - rule: op-removed\n    reason: fine\n", `p.yaml:2:11: unknown rule id "op-removed"`},
		{"typo in a key", "accept:\n  - rule: operation-removed\n    reasn: fine\n", `p.yaml:3:5: unknown key "reasn" in an accepted change`},
		{"both locators", "accept:\n  - rule: operation-removed\n    reason: fine\n    valuePath: operation/A\n    pointer: /paths\n", `p.yaml:2:5: an accepted change gives valuePath or pointer, not both`},
		{"bad date", "accept:\n  - rule: operation-removed\n    reason: fine\n    expires: 31/12/2026\n", `p.yaml:4:14: expires: want a date as YYYY-MM-DD, got "31/12/2026"`},
		{"impossible date", "accept:\n  - rule: operation-removed\n    reason: fine\n    expires: 2026-02-30\n", `p.yaml:4:14: expires: want a date as YYYY-MM-DD, got "2026-02-30"`},
		{"pointer without slash", "accept:\n  - rule: operation-removed\n    reason: fine\n    pointer: paths\n", `p.yaml:4:14: pointer: want a JSON pointer`},
		{"empty operation", "accept:\n  - rule: operation-removed\n    reason: fine\n    operation: \"\"\n", `p.yaml:4:16: operation: empty`},
		{"not a mapping", "- profile\n", `p.yaml:1:1: the policy: want a mapping`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gate.ParseConfig("p.yaml", []byte(tc.yaml))
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tc.err), "got %q, want it to start with %q", err, tc.err)
			if tc.name != "impossible date" { // JSON Schema's patterns know no calendar
				assert.Error(t, schema.Validate(yamlValue(t, []byte(tc.yaml))), "the schema refuses it too")
			}
		})
	}
}

// The schema's lists are the catalog's, so that an editor completes every
// rule id and profile and refuses no valid one.
func TestConfigSchemaMatchesTheCatalog(t *testing.T) {
	_, doc := configSchema(t)
	defs := doc["$defs"].(map[string]any)
	strs := func(v any) []string {
		var out []string
		for _, s := range v.([]any) {
			out = append(out, s.(string))
		}
		return out
	}
	var ids []string
	for _, r := range breaking.Rules() {
		ids = append(ids, r.ID)
	}
	assert.ElementsMatch(t, ids, strs(defs["ruleId"].(map[string]any)["enum"]),
		"docs/config.schema.json lists the rule ids of breaking.Rules()")
	var profiles []string
	for _, p := range breaking.Profiles() {
		profiles = append(profiles, string(p))
	}
	props := doc["properties"].(map[string]any)
	assert.Equal(t, profiles, strs(props["profile"].(map[string]any)["enum"]))
	var levels []string
	for _, l := range []breaking.Level{breaking.Breaking, breaking.Warning, breaking.Info, breaking.Off} {
		levels = append(levels, l.String())
	}
	assert.Equal(t, levels, strs(defs["level"].(map[string]any)["enum"]))

	// Every key the schema names, connectordiff reads.
	var keys []string
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	assert.Equal(t, []string{"accept", "connectors", "deprecationDays", "levels", "policyFrom", "previewAsWarnings", "profile", "published"}, keys)
	for k := range defs["connectorSettings"].(map[string]any)["properties"].(map[string]any) {
		v := map[string]string{"connector": "a/*", "published": "false", "previewAsWarnings": "true"}[k]
		require.NotEmpty(t, v, "the schema names a connector setting %q this test does not know", k)
		entry := "connectors:\n  - connector: a/*\n"
		if k != "connector" {
			entry += "    " + k + ": " + v + "\n"
		}
		_, err := gate.ParseConfig("p.yaml", []byte(entry))
		assert.NoError(t, err, "connectordiff reads the schema's connector setting %q", k)
	}
	values := map[string]string{"rule": "operation-removed", "reason": "fine", "connector": "certified-connectors/*", "id": "3f2a9c1b7e4d5a6b",
		"operation": "ListTasks", "valuePath": "operation/ListTasks", "pointer": "/paths", "expires": "2027-01-01"}
	for k := range defs["acceptance"].(map[string]any)["properties"].(map[string]any) {
		v, ok := values[k]
		require.True(t, ok, "the schema names an accepted change's key %q this test does not know", k)
		entry := "accept:\n  - rule: operation-removed\n    reason: fine\n"
		if k == "id" {
			entry = "accept:\n  - reason: fine\n"
		}
		if k != "rule" && k != "reason" {
			entry += "    " + k + ": " + v + "\n"
		}
		_, err := gate.ParseConfig("p.yaml", []byte(entry))
		assert.NoError(t, err, "connectordiff reads the schema's key %q", k)
	}
}

// What a reviewer reads must be what applies: YAML tools disagree on which
// of two equal keys wins, and most read only the first of two documents, so
// either is refused where it stands.
func TestConfigAmbiguousYAML(t *testing.T) {
	for _, tc := range []struct{ name, yaml, err string }{
		{"key twice at the top", "profile: users\nprofile: certification\n", `p.yaml:2:1: the policy: key "profile" is given twice (first at 1:1)`},
		{"accept twice", "accept: []\naccept:\n  - {rule: operation-removed, reason: x}\n", `p.yaml:2:1: the policy: key "accept" is given twice (first at 1:1)`},
		{"level twice", "levels:\n  operation-removed: breaking\n  operation-removed: off\n", `p.yaml:3:3: levels: key "operation-removed" is given twice (first at 2:3)`},
		{"key twice in an acceptance", "accept:\n  - rule: operation-removed\n    reason: fine\n    rule: operation-id-changed\n",
			`p.yaml:4:5: an accepted change: key "rule" is given twice (first at 2:5)`},
		{"second document", "profile: users\n---\naccept:\n  - {rule: operation-removed, connector: \"*\", reason: LGTM}\n",
			`p.yaml:3:1: a second YAML document: a policy file holds one`},
		{"empty second document", "profile: users\n---\n", `p.yaml:3:1: a second YAML document: a policy file holds one`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gate.ParseConfig("p.yaml", []byte(tc.yaml))
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tc.err), "got %q, want it to start with %q", err, tc.err)
		})
	}
	// A document start marker before the only document is one document.
	cfg, err := gate.ParseConfig("p.yaml", []byte("---\nprofile: users\n"))
	require.NoError(t, err)
	assert.Equal(t, breaking.ProfileUsers, cfg.Profile)
}

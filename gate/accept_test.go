package gate_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/gate"
)

var byID = breaking.Acceptance{ID: "3f2a9c1b7e4d5a6b", Rule: breaking.ResponsePropertyRemoved, Reason: "the assignee was never filled in"}

const byIDEntry = "  - id: 3f2a9c1b7e4d5a6b\n    rule: response-property-removed\n    reason: \"the assignee was never filled in\"\n"

// The new entry goes at the end of the accept list, laid out as the list
// is; everything else of the file stays byte for byte.
func TestAddAcceptanceKeepsTheFile(t *testing.T) {
	for _, tc := range []struct{ name, before, after string }{
		{"no file yet", "", "accept:\n" + byIDEntry},
		{"comments only", "# the policy\n", "# the policy\naccept:\n" + byIDEntry},
		{"no accept list", "profile: users # everyone\nlevels:\n  version-not-bumped: breaking\n",
			"profile: users # everyone\nlevels:\n  version-not-bumped: breaking\naccept:\n" + byIDEntry},
		{"no final line break", "profile: users", "profile: users\naccept:\n" + byIDEntry},
		{"a list, then comments and another key", `# reviewed breaks
accept:
  # the first one
  - rule: operation-removed   # gone for good
    reason: announced in June

  # levels follow
levels:
  version-not-bumped: breaking
`, `# reviewed breaks
accept:
  # the first one
  - rule: operation-removed   # gone for good
    reason: announced in June
` + byIDEntry + `
  # levels follow
levels:
  version-not-bumped: breaking
`},
		{"a list at the margin, wider indentation", "accept:\n-   rule: operation-removed\n    reason: announced\n",
			"accept:\n-   rule: operation-removed\n    reason: announced\n-   id: 3f2a9c1b7e4d5a6b\n    rule: response-property-removed\n    reason: \"the assignee was never filled in\"\n"},
		{"flow entries in a block list", "accept:\n  - {rule: operation-removed, reason: announced}\n",
			"accept:\n  - {rule: operation-removed, reason: announced}\n  - id: 3f2a9c1b7e4d5a6b\n    rule: response-property-removed\n    reason: \"the assignee was never filled in\"\n"},
		{"an empty flow list", "profile: users\naccept: [] # none yet\nlevels: {}\n",
			"profile: users\naccept: # none yet\n" + byIDEntry + "levels: {}\n"},
		{"CRLF", "# policy\r\naccept:\r\n  - rule: operation-removed\r\n    reason: announced\r\n",
			"# policy\r\naccept:\r\n  - rule: operation-removed\r\n    reason: announced\r\n" + strings.ReplaceAll(byIDEntry, "\n", "\r\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := gate.AddAcceptance("p.yaml", []byte(tc.before), byID)
			require.NoError(t, err)
			assert.Equal(t, tc.after, string(got))
			cfg, err := gate.ParseConfig("p.yaml", got)
			require.NoError(t, err)
			last := cfg.Accept[len(cfg.Accept)-1]
			assert.Equal(t, byID.ID, last.ID)
			assert.Equal(t, byID.Reason, last.Reason)
		})
	}
}

// Whatever the reason holds, the file says it and nothing more: no line
// break, quote or comment marker in it ends the value or adds a key.
func TestAddAcceptanceQuotesTheReason(t *testing.T) {
	expires := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	for _, reason := range []string{
		`he said "fine" \ ok`,
		"two\nlines\n  - rule: operation-removed\n    reason: smuggled",
		"# not a comment: also not a key",
		"line\u2028separator\u0085next\u00a0line\u200bzero width",
		"tab\there, bell\a, escape \x1b[31m",
		"'single' and: colon, {flow} [seq] *alias &anchor !tag %directive @at `tick`",
		"ünïcödé 日本語 🚀",
	} {
		a := breaking.Acceptance{Rule: breaking.OperationRemoved, Operation: "Op: \"x\"\n- y", Connector: "connectors/*", Reason: reason, Expires: &expires}
		got, err := gate.AddAcceptance("p.yaml", []byte("accept:\n  - rule: parameter-removed\n    reason: x\n"), a)
		require.NoError(t, err, reason)
		cfg, err := gate.ParseConfig("p.yaml", got)
		require.NoError(t, err, "%s\n%s", reason, got)
		require.Len(t, cfg.Accept, 2, string(got))
		assert.Equal(t, reason, cfg.Accept[1].Reason)
		assert.Equal(t, a.Operation, cfg.Accept[1].Operation)
		assert.Equal(t, a.Connector, cfg.Accept[1].Connector)
		assert.Equal(t, expires, *cfg.Accept[1].Expires)
		assert.Equal(t, strings.Count(string(got), "\n"), 3+5, "one line per key, no more: %q", got)
	}
}

// What the command cannot add without changing what the file says, it
// refuses, naming the file; and it refuses an acceptance a policy file
// would refuse.
func TestAddAcceptanceRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, before string
		a            breaking.Acceptance
		err          string
	}{
		{"a flow list", "accept: [{rule: operation-removed, reason: x}]\n", byID, "p.yaml:1:9: accept is written as a [flow, list]"},
		{"a flow policy", "{profile: users}\n", byID, "the policy is written as one {flow mapping}"},
		{"a broken file", "accept: [\n", byID, "p.yaml:2:1: invalid YAML"},
		{"an empty reason", "", breaking.Acceptance{ID: byID.ID, Reason: "  "}, "an acceptance needs a reason"},
		{"no rule or id", "", breaking.Acceptance{Reason: "x"}, "needs a rule, or the id of a finding"},
		{"a short id", "", breaking.Acceptance{ID: "3f2a", Reason: "x"}, `"3f2a" is not a finding's id`},
		{"an unknown rule", "", breaking.Acceptance{Rule: "op-removed", Reason: "x"}, "unknown rule id op-removed"},
		{"a block scalar ending in a line that looks like a comment", "accept:\n  - rule: operation-removed\n    reason: |\n      first\n      # not a comment\nlevels: {}\n", byID,
			"cannot add to without changing what it says"},
		{"lines broken by a lone carriage return", "policyFrom: base\raccept:\r  - rule: response-property-removed\r    operation: OpA\r    reason: ok\r", byID,
			"p.yaml: the file has line breaks of a lone carriage return: add the acceptance by hand"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gate.AddAcceptance("p.yaml", []byte(tc.before), tc.a)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
		})
	}
}

package breaking

import (
	"regexp"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

func TestRuleTableIsWellFormed(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, r := range Rules() {
		assert.Regexp(t, kebab, r.ID)
		assert.False(t, seen[r.ID], "duplicate rule id %s", r.ID)
		seen[r.ID] = true
		assert.NotEmpty(t, r.Summary, r.ID)
		assert.NotEmpty(t, r.Doc, r.ID)
		assert.NotEmpty(t, r.Remediation, r.ID)
		assert.NotEqual(t, Off, r.Level, r.ID)
		assert.NotNil(t, r.match, r.ID)
	}
	assert.Equal(t, "other-change", rules[len(rules)-1].ID, "the catch-all must stay last")
}

// The rule ids the core issue and downstream tools rely on.
func TestRequiredRuleIDsExist(t *testing.T) {
	for _, id := range []string{"operation-removed", "operation-id-changed", "operation-path-changed",
		"operation-method-changed", "operation-deprecated", "operation-added", "parameter-removed", "parameter-renamed",
		"parameter-required-added", "parameter-became-required", "parameter-type-changed", "parameter-format-changed",
		"parameter-enum-narrowed", "parameter-enum-added", "parameter-location-changed", "parameter-default-changed",
		"request-body-property-removed", "request-body-required-added", "request-body-type-changed", "response-removed",
		"response-schema-removed", "response-property-removed", "response-property-type-changed",
		"response-property-format-changed", "response-enum-widened", "host-changed", "base-path-changed",
		"schemes-changed", "security-changed", "oauth-scopes-changed"} {
		_, ok := Lookup(id)
		assert.True(t, ok, id)
	}
	for id, want := range map[string]Level{"operation-path-changed": Breaking, "operation-method-changed": Breaking,
		"parameter-location-changed": Breaking, "operation-deprecated": Info, "response-enum-widened": Warning} {
		r, _ := Lookup(id)
		assert.Equal(t, want, r.Level, id)
	}
}

func TestNewPolicyRejectsUnknownRules(t *testing.T) {
	_, err := NewPolicy(map[string]Level{"operation-removed": Warning, "no-such-rule": Info, "also-missing": Info})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "also-missing, no-such-rule")
}

func removal(internal ...bool) *diff.Change {
	c := &diff.Change{Kind: diff.PropertyRemoved, Where: diff.InResponse, Subject: "response 200/name",
		Old: &connector.Location{Pointer: "/definitions/Item/properties/name", Line: 10, Column: 7}}
	for i, in := range internal {
		c.Operations = append(c.Operations, diff.OperationRef{ID: string(rune('A' + i)), Internal: in})
	}
	return c
}

func TestOverridesApplyPerPolicy(t *testing.T) {
	strict, err := NewPolicy(nil)
	require.NoError(t, err)
	lenient, err := NewPolicy(map[string]Level{"response-property-removed": Warning})
	require.NoError(t, err)
	silent, err := NewPolicy(map[string]Level{"response-property-removed": Off})
	require.NoError(t, err)

	// Side by side and concurrently: no policy sees another's levels.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.Equal(t, Breaking, strict.Classify([]*diff.Change{removal(false)})[0].Level)
			assert.Equal(t, Warning, lenient.Classify([]*diff.Change{removal(false)})[0].Level)
			assert.Empty(t, silent.Classify([]*diff.Change{removal(false)}))
		}()
	}
	wg.Wait()
}

func TestCeilingLowersAndExplains(t *testing.T) {
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	c := &diff.Change{Kind: diff.ParameterAdded, Where: diff.InParameter, Subject: "top (query)",
		Operations: []diff.OperationRef{{ID: "List"}}, Facts: diff.Facts{Required: true, HasDefault: true}}
	f := p.Classify([]*diff.Change{c})
	require.Len(t, f, 1)
	assert.Equal(t, "parameter-required-added", f[0].Rule)
	assert.Equal(t, Warning, f[0].Level)
	assert.Equal(t, []string{"it has a default, which the designer fills in"}, f[0].Reasons)

	// A ceiling never raises a level the caller lowered.
	low, err := NewPolicy(map[string]Level{"parameter-required-added": Info})
	require.NoError(t, err)
	assert.Equal(t, Info, low.Classify([]*diff.Change{c})[0].Level)
}

func TestInternalOperationsAreCappedAtWarning(t *testing.T) {
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	f := p.Classify([]*diff.Change{removal(false, true, false)})
	require.Len(t, f, 2, "visible and internal operations are split")
	assert.Equal(t, Breaking, f[0].Level)
	assert.Equal(t, []string{"A", "C"}, f[0].Operations)
	assert.Equal(t, "A", f[0].Operation)
	assert.Equal(t, Warning, f[1].Level)
	assert.Equal(t, []string{"B"}, f[1].Operations)
	assert.Equal(t, []string{"the operation is internal, so no flow uses it directly"}, f[1].Reasons)
	assert.Empty(t, f[0].Reasons, "the visible part keeps its level and says nothing more")

	only := p.Classify([]*diff.Change{removal(true)})
	require.Len(t, only, 1)
	assert.Equal(t, Warning, only[0].Level)
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]Level{"breaking": Breaking, "BREAKING": Breaking, "warning": Warning, " Warning ": Warning,
		"info": Info, "off": Off} {
		got, err := ParseLevel(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	// One vocabulary: the words of other tools are refused, with the list.
	for _, in := range []string{"error", "none", "warn", "never", "fatal", ""} {
		_, err := ParseLevel(in)
		assert.ErrorContains(t, err, "(want breaking, warning, info or off)", in)
	}
	b, _ := Warning.MarshalText()
	assert.Equal(t, "warning", string(b))
}

func TestParseThreshold(t *testing.T) {
	for in, want := range map[string]Level{"breaking": Breaking, "warning": Warning, "info": Info, "off": Never, "never": Never} {
		got, err := ParseThreshold(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := ParseThreshold("error")
	assert.ErrorContains(t, err, `unknown level "error"`)
	assert.Equal(t, "never", Never.String())
	assert.False(t, Never.Valid(), "no rule can have the level never")
}

func TestNewPolicyRejectsThresholdLevels(t *testing.T) {
	_, err := NewPolicy(map[string]Level{"operation-removed": Never})
	assert.ErrorContains(t, err, "rule operation-removed: never is not a level a rule can have")
}

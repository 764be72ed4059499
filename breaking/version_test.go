package breaking

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		order int
		ok    bool
	}{
		{"1.0", "1.1", -1, true},
		{"1.2.10", "1.2.9", 1, true},
		{"2", "2.0.0", 0, true},
		{"v1.3", "1.2.0", 1, true},
		{"1.2.0-beta.3", "1.2.0", 0, true},
		{"", "1.0", 0, false},
		{"latest", "1.0", 0, false},
	} {
		order, ok := compareVersions(c.a, c.b)
		assert.Equal(t, c.ok, ok, "%s vs %s", c.a, c.b)
		assert.Equal(t, c.order, order, "%s vs %s", c.a, c.b)
	}
}

func TestJudgeVersionRules(t *testing.T) {
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	removed := []*diff.Change{{Kind: diff.OperationRemoved, Where: diff.InOperation, Subject: "X",
		Operations: []diff.OperationRef{{ID: "X"}}}}
	added := []*diff.Change{{Kind: diff.OperationAdded, Where: diff.InOperation, Subject: "Y",
		Operations: []diff.OperationRef{{ID: "Y"}}}}
	at := &connector.Location{Pointer: "/info/version", Line: 3, Column: 16}
	judge := func(p *Policy, changes []*diff.Change, v Versions) []Finding {
		fs, _ := p.Judge(changes, v, Record{})
		return fs
	}
	rules := func(fs []Finding) map[string]Level {
		out := map[string]Level{}
		for _, f := range fs {
			out[f.Rule] = f.Level
		}
		return out
	}

	t.Run("breaking update under the old version", func(t *testing.T) {
		fs := judge(p, removed, Versions{Old: "1.0", New: "1.0", OldAt: at, NewAt: at})
		assert.Equal(t, Info, rules(fs)["version-not-bumped"], "release hygiene: info by default")
		f := fs[len(fs)-1]
		assert.Equal(t, at, f.New, "located at info.version")
		assert.Equal(t, "info/version", f.ValuePath)
	})
	t.Run("1.0 and 1.0.0 are the same version", func(t *testing.T) {
		assert.Contains(t, rules(judge(p, removed, Versions{Old: "1.0", New: "1.0.0"})), "version-not-bumped")
	})
	t.Run("a safe update is not nagged", func(t *testing.T) {
		assert.NotContains(t, rules(judge(p, added, Versions{Old: "1.0", New: "1.0"})), "version-not-bumped")
	})
	t.Run("a raised version satisfies the rule", func(t *testing.T) {
		assert.NotContains(t, rules(judge(p, removed, Versions{Old: "1.0", New: "2.0"})), "version-not-bumped")
	})
	t.Run("a lower version is an error, safe update or not", func(t *testing.T) {
		fs := judge(p, added, Versions{Old: "1.2", New: "1.1.9"})
		assert.Equal(t, Breaking, rules(fs)["version-decreased"])
		assert.Equal(t, "1.2", fs[len(fs)-1].Before)
	})
	t.Run("versions without numbers do not compare", func(t *testing.T) {
		assert.NotContains(t, rules(judge(p, added, Versions{Old: "beta", New: "alpha"})), "version-decreased")
	})
	t.Run("levels apply", func(t *testing.T) {
		off, err := NewPolicy(map[string]Level{"version-not-bumped": Off})
		require.NoError(t, err)
		assert.NotContains(t, rules(judge(off, removed, Versions{Old: "1", New: "1"})), "version-not-bumped")
		raised, err := NewPolicy(map[string]Level{"version-not-bumped": Warning})
		require.NoError(t, err)
		assert.Equal(t, Warning, rules(judge(raised, removed, Versions{Old: "1", New: "1"}))["version-not-bumped"], "a policy raises it")
	})
}

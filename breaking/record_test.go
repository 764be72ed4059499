package breaking

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

var judgedAt = time.Date(2026, 10, 13, 12, 0, 0, 0, time.UTC)

// removedOp is the removal of operation id, with the version unchanged.
func removedOp(id string) []*diff.Change {
	return []*diff.Change{{Kind: diff.OperationRemoved, Where: diff.InOperation, Subject: id + " (GET /" + id + ")",
		ValuePath: "operation/" + id, Old: &connector.Location{Pointer: "/paths/~1" + id + "/get", Line: 5, Column: 7},
		Operations: []diff.OperationRef{{ID: id}}}}
}

var sameVersion = Versions{Old: "1.0", New: "1.0"}

func rulesOf(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

// A removal past the deprecation window is judged as such in the same pass
// as the version rules, which then see no breaking change.
func TestJudgeRemovalPastTheWindow(t *testing.T) {
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	since := judgedAt.AddDate(0, 0, -41)
	fs, _ := p.Judge(removedOp("Old"), sameVersion, Record{Now: judgedAt, Window: 30, Deprecated: map[string]time.Time{"Old": since}})
	require.Equal(t, []string{"deprecated-operation-removed"}, rulesOf(fs), "no version-not-bumped: nothing breaks")
	f := fs[0]
	assert.Equal(t, Warning, f.Level)
	assert.Equal(t, "2026-09-02", f.Before)
	assert.Equal(t, &Deprecation{Since: since, Days: 41, Window: 30}, f.Deprecated)
	assert.Equal(t, diff.OperationRemoved, f.Kind, "it still says what changed")
	assert.Equal(t, "Old", f.Operation)
	assert.Equal(t, "operation/Old", f.ValuePath)
	assert.NotNil(t, f.Change)
}

func TestJudgeRemovalWithinTheWindow(t *testing.T) {
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	since := judgedAt.AddDate(0, 0, -5)
	fs, _ := p.Judge(removedOp("Old"), sameVersion, Record{Now: judgedAt, Window: 30, Deprecated: map[string]time.Time{"Old": since}})
	require.Equal(t, []string{"operation-removed", "version-not-bumped"}, rulesOf(fs))
	assert.Equal(t, Breaking, fs[0].Level)
	assert.Equal(t, &Deprecation{Since: since, Days: 5, Window: 30}, fs[0].Deprecated, "it says since when")
	assert.Empty(t, fs[0].Before)
}

func TestJudgeWithoutAWindowIgnoresDates(t *testing.T) {
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	dates := map[string]time.Time{"Old": judgedAt.AddDate(-1, 0, 0)}
	for _, window := range []int{0, -1} {
		fs, _ := p.Judge(removedOp("Old"), sameVersion, Record{Now: judgedAt, Window: window, Deprecated: dates})
		assert.Equal(t, []string{"operation-removed", "version-not-bumped"}, rulesOf(fs), "window %d", window)
		assert.Nil(t, fs[0].Deprecated)
	}
	fs, _ := p.Judge(removedOp("Other"), sameVersion, Record{Now: judgedAt, Window: 30, Deprecated: dates})
	assert.Equal(t, []string{"operation-removed", "version-not-bumped"}, rulesOf(fs), "an operation the history does not show deprecated")
}

// A policy that turns deprecated-operation-removed off drops the removal,
// and with it the reason to ask for a new version.
func TestJudgeDeprecatedRemovalTurnedOff(t *testing.T) {
	p, err := NewPolicy(map[string]Level{"deprecated-operation-removed": Off})
	require.NoError(t, err)
	fs, _ := p.Judge(removedOp("Old"), sameVersion,
		Record{Now: judgedAt, Window: 30, Deprecated: map[string]time.Time{"Old": judgedAt.AddDate(0, -3, 0)}})
	assert.Empty(t, fs)
}

func TestJudgeMarksAcceptedFindings(t *testing.T) {
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	yesterday := judgedAt.AddDate(0, 0, -2)
	accept := []Acceptance{
		{Rule: "operation-removed", Operation: "A", Reason: "lapsed", Expires: &yesterday, File: "p.yaml", At: connector.Location{Line: 2, Column: 5}},
		{Rule: "operation-removed", Connector: "connectors/*", Reason: "gone", File: "p.yaml", At: connector.Location{Line: 5, Column: 5}},
		{Rule: "operation-removed", Operation: "B", Reason: "second", File: "p.yaml", At: connector.Location{Line: 8, Column: 5}},
		{Rule: "version-not-bumped", Connector: "Tasks", Reason: "no release", File: "p.yaml", At: connector.Location{Line: 11, Column: 5}},
		{Rule: "operation-removed", Connector: "elsewhere/*", Reason: "other", File: "p.yaml", At: connector.Location{Line: 14, Column: 5}},
	}
	changes := append(append(removedOp("A"), removedOp("B")...), removedOp("C")...)
	accept[1].Operation = "A"
	accept = append(accept, Acceptance{Rule: "operation-removed", Operation: "C", Connector: "connectors/*", Reason: "third",
		File: "p.yaml", At: connector.Location{Line: 17, Column: 5}, Expires: &yesterday})
	fs, matched := p.Judge(changes, sameVersion, Record{Now: judgedAt, Accept: accept, Folder: "connectors/tasks", Title: "Tasks"})
	require.Equal(t, []string{"operation-removed", "operation-removed", "operation-removed", "version-not-bumped"}, rulesOf(fs),
		"a break no one accepted still asks for a new version")
	for i, want := range []string{"p.yaml:5:5", "p.yaml:8:5", "", "p.yaml:11:5"} {
		if want == "" {
			assert.Nil(t, fs[i].Accepted, "C's only acceptance expired")
			continue
		}
		if assert.NotNil(t, fs[i].Accepted, fs[i].Rule) {
			assert.Equal(t, want, fs[i].Accepted.By, "the first acceptance that matches and has not expired")
		}
	}
	assert.Equal(t, "gone", fs[0].Accepted.Reason)
	assert.Equal(t, []int{1, 1, 1, 1, 0, 1}, matched, "an expired acceptance counts what it matched; a later one, what the first left")
}

// The version rule weighs the update as the reviewers left it: once every
// break is accepted, the update breaks no one who was not told, and is not
// asked for a new version (issue 18: version-not-bumped follows the verdict
// after acceptance).
func TestVersionNotBumpedFollowsTheVerdictAfterAcceptance(t *testing.T) {
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	changes := append(removedOp("A"), removedOp("B")...)
	acceptA := Acceptance{Rule: "operation-removed", Operation: "A", Reason: "announced", File: "p.yaml", At: connector.Location{Line: 2, Column: 5}}
	acceptB := acceptA
	acceptB.Operation, acceptB.At.Line = "B", 5

	fs, _ := p.Judge(changes, sameVersion, Record{Now: judgedAt, Accept: []Acceptance{acceptA}})
	assert.Equal(t, []string{"operation-removed", "operation-removed", "version-not-bumped"}, rulesOf(fs), "B still breaks")
	fs, matched := p.Judge(changes, sameVersion, Record{Now: judgedAt, Accept: []Acceptance{acceptA, acceptB}})
	assert.Equal(t, []string{"operation-removed", "operation-removed"}, rulesOf(fs), "nothing left breaks")
	assert.Equal(t, []int{1, 1}, matched)
}

func TestAcceptanceFindings(t *testing.T) {
	p, err := NewPolicy(nil)
	require.NoError(t, err)
	yesterday := judgedAt.AddDate(0, 0, -2)
	accept := []Acceptance{
		{Rule: "operation-removed", Reason: "lapsed", Expires: &yesterday, File: "p.yaml", At: connector.Location{Line: 2, Column: 5}},
		{Rule: "operation-removed", Reason: "used", File: "p.yaml", At: connector.Location{Line: 5, Column: 5}},
		{Rule: "parameter-removed", Reason: "stale", File: "p.yaml", At: connector.Location{Line: 8, Column: 5}},
		{Rule: "parameter-removed", Reason: "lapsed and stale", Expires: &yesterday, File: "p.yaml", At: connector.Location{Line: 11, Column: 5}},
	}
	fs := p.AcceptanceFindings(accept, []int{3, 1, 0, 0}, judgedAt)
	require.Equal(t, []string{"acceptance-expired", "acceptance-stale", "acceptance-stale"}, rulesOf(fs))
	assert.Equal(t, PolicyFindingID(Finding{Topic: TopicAcceptanceExpired, File: "p.yaml"}, accept[0].Digest()), fs[0].ID,
		"the id of a finding about an acceptance says which acceptance, not where it stands")
	assert.NotEqual(t, fs[1].ID, fs[2].ID)
	assert.Equal(t, Finding{ID: fs[0].ID, Rule: "acceptance-expired", Level: Breaking, Topic: TopicAcceptanceExpired, Subject: "p.yaml:2:5: operation-removed",
		Args: []string{yesterday.Format("2006-01-02")}, Count: 3, ValuePath: "accept", File: "p.yaml", New: &connector.Location{File: "p.yaml", Line: 2, Column: 5},
		Remediation: fs[0].Remediation, Hosts: fs[0].Hosts, Certification: fs[0].Certification}, fs[0])
	assert.Equal(t, &connector.Location{File: "p.yaml", Line: 8, Column: 5}, fs[1].New)
	assert.Equal(t, TopicAcceptanceStale, fs[2].Topic)

	quiet, err := NewPolicy(map[string]Level{"acceptance-stale": Off})
	require.NoError(t, err)
	assert.Equal(t, []string{"acceptance-expired"}, rulesOf(quiet.AcceptanceFindings(accept, []int{3, 1, 0, 0}, judgedAt)))
}

// Every topic is judged by a rule of the table; a finding without one is
// not a finding the policy can judge.
func TestFindingOfATopic(t *testing.T) {
	p, err := NewPolicy(map[string]Level{"policy-changed": Off})
	require.NoError(t, err)
	for topic := TopicVersionDecreased; topic <= TopicPolicyFileUnreadable; topic++ {
		id := topicRules[topic]
		r, known := Lookup(id)
		require.True(t, known, "topic %d: rule %q", topic, id)
		f, ok := p.Finding(Finding{Topic: topic, Subject: "s", File: "p.yaml"})
		if id == "policy-changed" {
			assert.False(t, ok, "turned off")
			continue
		}
		require.True(t, ok, id)
		assert.Equal(t, id, f.Rule)
		assert.Equal(t, r.Level, f.Level)
		assert.Equal(t, r.Remediation, f.Remediation)
		assert.Equal(t, "s", f.Subject, "the parts are kept")
	}
	_, ok := p.Finding(Finding{Subject: "no topic"})
	assert.False(t, ok)
}

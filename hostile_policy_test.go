package connectordiff_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/gittest"
	"github.com/connectordiff/connectordiff/report"
)

// A pull request's policy files are written by its author. These tests are
// the attacks on them: a folder's policy reaching other connectors, a policy
// added by the change accepting its own breaks, and commit dates chosen to
// move the clock.

// policyRepo is a repository whose main holds connectors a and b (the
// test connector's old version); on branch feature, b takes the breaking
// update and a a harmless one.
func policyRepo(t *testing.T, mainPolicy string) *gittest.Repo {
	t.Helper()
	r := gittest.New(t)
	r.CopyFolder("testdata/connector/old", "connectors/a")
	r.CopyFolder("testdata/connector/old", "connectors/b")
	if mainPolicy != "" {
		r.Write(".connectordiff.yaml", mainPolicy)
	}
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "connectors")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.CopyFolder("testdata/connector/new", "connectors/b")
	def := mustRead(t, "testdata/connector/old/apiDefinition.swagger.json")
	r.Write("connectors/a/apiDefinition.swagger.json", strings.Replace(def, `"title": "Contoso Tasks"`, `"title": "Contoso Tasks (a)"`, 1))
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "update")
	return r
}

// unaccepted counts the findings of folder at level breaking that no
// acceptance covers.
func unaccepted(rr *breaking.Result, folder string) int {
	n := 0
	for _, c := range rr.Connectors {
		if c.Folder != folder {
			continue
		}
		for _, f := range c.Findings {
			if f.Level == breaking.Breaking && f.Accepted == nil {
				n++
			}
		}
	}
	return n
}

func policyRules(rr *breaking.Result) []string {
	var out []string
	for _, f := range rr.PolicyFindings {
		out = append(out, f.Rule+": "+report.Message(f))
	}
	return out
}

func compareFeature(t *testing.T, r *gittest.Repo, ropts ...connectordiff.Option) *breaking.Result {
	t.Helper()
	rr, err := connectordiff.CompareRevisions(context.Background(), r.Dir, "main", "feature", ropts...)
	require.NoError(t, err)
	return rr
}

// A connector folder's policy speaks for that connector only: connectors/a's
// file cannot accept connectors/b's breaks, whatever its connector field.
func TestHostilePolicyFolderReachesOtherConnectors(t *testing.T) {
	r := policyRepo(t, "")
	clean := compareFeature(t, r)
	breaks := unaccepted(clean, "connectors/b")
	require.Positive(t, breaks)
	r.Write("connectors/a/.connectordiff.yaml", `accept:
  - {rule: parameter-enum-narrowed, reason: LGTM}
  - {rule: response-property-removed, connector: "*/*", reason: LGTM}
  - {rule: request-body-required-added, connector: connectors/b, reason: LGTM}
  - {rule: operation-id-changed, connector: Contoso Tasks, reason: LGTM}
  - {rule: operation-removed, reason: LGTM}
`)
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "update")
	rr := compareFeature(t, r)
	assert.Equal(t, breaks, unaccepted(rr, "connectors/b"), "connectors/a's policy accepts nothing of connectors/b")
	assert.True(t, rr.Fails(breaking.Breaking))
	assert.Zero(t, rr.Summary.Accepted)
	// Its own connector it can speak for.
	r.Write("connectors/a/.connectordiff.yaml", "accept:\n  - {rule: operation-id-changed, reason: renamed on purpose}\n")
	r.Write("connectors/a/apiDefinition.swagger.json", strings.Replace(mustRead(t, "testdata/connector/old/apiDefinition.swagger.json"),
		`"operationId": "GetTask"`, `"operationId": "GetTaskById"`, 1))
	r.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "rename in a")
	rr = compareFeature(t, r)
	assert.Zero(t, unaccepted(rr, "connectors/a"))
	assert.Equal(t, breaks, unaccepted(rr, "connectors/b"))
}

// A policy the change itself adds: under the default (head) it applies, and
// every acceptance and level it adds is listed for review; under base it is
// listed and not applied. The base's policy can make base the rule, and a
// pull request cannot take that back.
func TestHostilePolicyAddedByTheChange(t *testing.T) {
	const attack = `profile: power-automate
levels:
  parameter-enum-narrowed: off
accept:
  - {rule: response-property-removed, connector: "*/*", reason: LGTM}
  - {rule: request-body-required-added, connector: "*/*", reason: LGTM}
`
	r := policyRepo(t, "")
	r.Write(".connectordiff.yaml", attack)
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "update and accept it")

	head := compareFeature(t, r)
	assert.Equal(t, breaking.PolicyFromHead, head.PolicyFrom)
	assert.Equal(t, breaking.ProfilePowerAutomate, head.Profile, "head: the change's policy applies")
	assert.Equal(t, 2, head.Summary.AcceptedInChange)
	var accepted []string
	for _, c := range head.Connectors {
		for _, f := range c.Findings {
			if f.Accepted != nil {
				assert.True(t, f.Accepted.InChange, "%s is accepted by the change itself", f.Rule)
				accepted = append(accepted, c.Folder+" "+f.Rule)
			}
		}
	}
	assert.ElementsMatch(t, []string{"connectors/b response-property-removed", "connectors/b request-body-required-added"}, accepted)
	assert.Equal(t, []string{
		"policy-changed: profile power-automate in this change (before: not set)",
		"policy-changed: level of parameter-enum-narrowed off in this change (before: the profile's)",
		`acceptance-added: the accepted change .connectordiff.yaml:5:5: response-property-removed (*/*) is added in this change and accepts 1 finding: review it`,
		`acceptance-added: the accepted change .connectordiff.yaml:6:5: request-body-required-added (*/*) is added in this change and accepts 1 finding: review it`,
	}, policyRules(head))
	for _, f := range head.PolicyFindings {
		assert.Equal(t, breaking.Warning, f.Level, "%s: a policy change is a warning for its reviewer", f.Rule)
	}

	base := compareFeature(t, r, connectordiff.PolicyFrom(breaking.PolicyFromBase))
	assert.Equal(t, breaking.PolicyFromBase, base.PolicyFrom)
	assert.Equal(t, breaking.ProfileUsers, base.Profile, "base: the change's profile is not applied")
	assert.Zero(t, base.Summary.Accepted)
	assert.Empty(t, base.Policies, "main has no policy file")
	assert.Equal(t, unaccepted(compareFeature(t, policyRepo(t, "")), "connectors/b"), unaccepted(base, "connectors/b"),
		"base: the same breaks as with no policy at all")
	assert.True(t, base.Fails(breaking.Breaking))
	rules := policyRules(base)
	require.Len(t, rules, 4)
	for _, m := range rules {
		assert.Contains(t, m, "; not applied: the policy is read from the base revision")
	}

	// main asks for base; the pull request's attempt to take it back is
	// listed, and does not apply.
	r2 := policyRepo(t, "policyFrom: base\n")
	r2.Write(".connectordiff.yaml", "policyFrom: head\n"+attack)
	r2.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "update and accept it")
	rr := compareFeature(t, r2)
	assert.Equal(t, breaking.PolicyFromBase, rr.PolicyFrom)
	assert.Zero(t, rr.Summary.Accepted)
	assert.Contains(t, policyRules(rr), "policy-changed: policyFrom head in this change (before: base); not applied: the policy is read from the base revision")
	assert.Equal(t, []string{rr.Range.BaseCommit[:10] + ":.connectordiff.yaml"}, rr.Policies, "the base's file, named by its commit")

	// The caller's choice wins over both files.
	rr = compareFeature(t, r2, connectordiff.PolicyFrom(breaking.PolicyFromHead))
	assert.Equal(t, 2, rr.Summary.Accepted)
}

// --config names a file in the pull request's checkout (the Action's config
// input): under base, the base revision's version of that file applies.
func TestHostilePolicyConfigFileUnderBase(t *testing.T) {
	r := gittest.New(t)
	r.CopyFolder("testdata/connector/old", "connectors/b")
	r.Write("ci/policy.yaml", "profile: users\n")
	r.Commit(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), "connectors")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.CopyFolder("testdata/connector/new", "connectors/b")
	r.Write("ci/policy.yaml", "profile: users\naccept:\n  - {rule: response-property-removed, connector: \"*/*\", reason: LGTM}\n")
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "accept")
	cfg := connectordiff.PolicyFile(filepath.Join(r.Dir, "ci", "policy.yaml"))

	head := compareFeature(t, r, cfg)
	assert.Equal(t, 1, head.Summary.AcceptedInChange, "head: the checkout's file applies, and the change to it is listed")

	base := compareFeature(t, r, cfg, connectordiff.PolicyFrom(breaking.PolicyFromBase))
	assert.Zero(t, base.Summary.Accepted, "base: the file as main has it")
	assert.Equal(t, []string{base.Range.BaseCommit[:10] + ":ci/policy.yaml"}, base.Policies)
	assert.Contains(t, strings.Join(policyRules(base), "\n"), "acceptance-added: the accepted change ci/policy.yaml:3:5")
}

// Under base, a policy file of the change that does not parse is listed;
// under head it is the error it always was.
func TestHostilePolicyBrokenInTheChange(t *testing.T) {
	r := policyRepo(t, "profile: users\n")
	r.Write(".connectordiff.yaml", "accept: [\n")
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "broken policy")
	_, err := connectordiff.CompareRevisions(context.Background(), r.Dir, "main", "feature")
	require.Error(t, err)
	assert.Contains(t, err.Error(), ".connectordiff.yaml:2:1: invalid YAML")
	rr := compareFeature(t, r, connectordiff.PolicyFrom(breaking.PolicyFromBase))
	assert.Contains(t, strings.Join(policyRules(rr), "\n"),
		"policy-changed: the policy file .connectordiff.yaml in this change does not parse (.connectordiff.yaml:2:1: invalid YAML")
}

// The levels of the rules about the policy come from the caller and the
// base, never from the policy under review: a pull request cannot switch
// off the findings that show its own policy changes.
func TestHostilePolicyCannotSilenceItsOwnReview(t *testing.T) {
	r := policyRepo(t, "")
	r.Write(".connectordiff.yaml", `levels:
  acceptance-added: off
  policy-changed: off
  acceptance-stale: off
accept:
  - {rule: response-property-removed, connector: "*/*", reason: LGTM}
  - {rule: trigger-changed, reason: never happens}
`)
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "accept quietly")
	rr := compareFeature(t, r)
	var rules []string
	for _, f := range rr.PolicyFindings {
		rules = append(rules, f.Rule)
	}
	assert.Equal(t, []string{"policy-changed", "policy-changed", "policy-changed", "acceptance-added", "acceptance-stale"}, rules)
}

// Commit dates are the author's to set. The gate judges as of the clock,
// and dates a deprecation by when the branch received it (its first-parent
// line), so neither a future head commit nor an old-looking deprecation
// commit moves a window or an expiry.
func TestHostilePolicyCommitDates(t *testing.T) {
	now := time.Now().UTC()
	t.Run("a head commit from the future", func(t *testing.T) {
		r := gittest.New(t)
		r.Write("c/apiDefinition.swagger.json", lifecycle(false, false))
		r.Commit(now.AddDate(0, 0, -10), "connector")
		r.Write("c/apiDefinition.swagger.json", lifecycle(true, false))
		r.Commit(now.AddDate(0, 0, -1), "deprecate Old")
		r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
		r.Write("c/apiDefinition.swagger.json", lifecycle(true, true))
		r.Write(".connectordiff.yaml", "accept:\n  - {rule: version-not-bumped, reason: later, expires: 2030-01-01}\n")
		r.Commit(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), "remove Old, 73 years later")
		rr := compareFeature(t, r)
		require.Len(t, rr.Connectors, 1)
		assert.Equal(t, "operation-removed", rr.Connectors[0].Findings[0].Rule, "deprecated one day ago, by the clock")
		assert.Contains(t, report.Message(rr.Connectors[0].Findings[0]), "1 days before the removal: less than the 30-day window")
	})
	t.Run("an acceptance that expired, and a head commit from the past", func(t *testing.T) {
		r := policyRepo(t, "")
		r.Write(".connectordiff.yaml", "accept:\n  - {rule: response-property-removed, reason: until 2020, expires: 2020-06-30}\n")
		r.Commit(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), "accept until 2020, dated 2019")
		rr := compareFeature(t, r)
		assert.Zero(t, rr.Summary.Accepted)
		assert.Equal(t, "acceptance-expired", rr.PolicyFindings[0].Rule)
	})
	t.Run("a deprecation merged yesterday from a commit dated years ago", func(t *testing.T) {
		r := gittest.New(t)
		r.Write("c/apiDefinition.swagger.json", lifecycle(false, false))
		r.Commit(now.AddDate(-8, 0, 0), "connector")
		r.Git(time.Time{}, "checkout", "-q", "-b", "deprecation")
		r.Write("c/apiDefinition.swagger.json", lifecycle(true, false))
		r.Commit(now.AddDate(-7, 0, 0), "deprecate Old, dated 7 years ago")
		r.Git(time.Time{}, "checkout", "-q", "main")
		r.Git(now.AddDate(0, 0, -1), "merge", "-q", "--no-ff", "-m", "merge the deprecation", "deprecation")
		r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
		r.Write("c/apiDefinition.swagger.json", lifecycle(true, true))
		r.Commit(now, "remove Old")
		rr := compareFeature(t, r)
		f := rr.Connectors[0].Findings[0]
		assert.Equal(t, "operation-removed", f.Rule, "main received the deprecation yesterday")
		assert.Contains(t, report.Message(f), "deprecated since "+now.AddDate(0, 0, -1).Format(time.DateOnly))
	})
	t.Run("a deprecation dated in the future", func(t *testing.T) {
		r := gittest.New(t)
		r.Write("c/apiDefinition.swagger.json", lifecycle(false, false))
		r.Commit(now.AddDate(0, 0, -100), "connector")
		r.Write("c/apiDefinition.swagger.json", lifecycle(true, false))
		r.Commit(now.AddDate(0, 0, 5000), "deprecate Old, dated in the future")
		r.Write("c/other.txt", "x")
		r.Commit(now.AddDate(0, 0, -2), "a later commit of main")
		r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
		r.Write("c/apiDefinition.swagger.json", lifecycle(true, true))
		r.Commit(now, "remove Old")
		rr := compareFeature(t, r)
		f := rr.Connectors[0].Findings[0]
		assert.Equal(t, "operation-removed", f.Rule)
		assert.Contains(t, report.Message(f), "deprecated since "+now.Format(time.DateOnly), "a future date is capped by the clock")
	})
}

// The file --config names (the Action's config input) sits in the pull
// request's checkout: a link there to .git/config, which holds the
// checkout's token, is refused, never read or quoted.
func TestHostilePolicyConfigLink(t *testing.T) {
	r := policyRepo(t, "")
	link := filepath.Join(r.Dir, "ci-policy.yaml")
	if err := os.Symlink(filepath.Join(r.Dir, ".git", "config"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	_, err := connectordiff.CompareRevisions(context.Background(), r.Dir, "main", "feature", connectordiff.PolicyFile(link))
	require.Error(t, err)
	assert.ErrorIs(t, err, connector.ErrSymlink)
	assert.NotContains(t, err.Error(), "repositoryformatversion")
}

// A policy file the change adds beside a connector it does not touch is
// reported too: it would apply to that connector's next change.
func TestHostilePolicyForAnUntouchedConnector(t *testing.T) {
	r := policyRepo(t, "")
	r.CopyFolder("testdata/connector/old", "connectors/c")
	r.Commit(time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC), "c")
	r.Git(time.Time{}, "checkout", "-q", "-b", "later")
	r.Write("connectors/c/.connectordiff.yaml", "accept:\n  - {rule: operation-removed, reason: later}\n")
	r.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "accept in advance")
	rr, err := connectordiff.CompareRevisions(context.Background(), r.Dir, "feature", "later")
	require.NoError(t, err)
	assert.Empty(t, rr.Connectors)
	assert.Equal(t, []string{"acceptance-added: the accepted change connectors/c/.connectordiff.yaml:2:5: operation-removed is added in this change"},
		policyRules(rr))
}

// A connector the base has is named by its base folder and title when the
// policy's connector settings and acceptances are matched: a pull request
// that retitles it, or moves it into a folder a pattern names, does not pick
// up what was written for another connector, under either policy source.
func TestHostileMoveOrRetitleDoesNotChooseItsPolicy(t *testing.T) {
	const policy = "connectors:\n" +
		"  - connector: Beta Thing\n    published: false\n" +
		"  - connector: sandbox/*\n    published: false\n" +
		"accept:\n  - rule: response-property-removed\n    connector: Beta Thing\n    reason: Beta Thing is a test connector.\n"
	def := mustRead(t, "testdata/connector/new/apiDefinition.swagger.json")
	for _, tc := range []struct {
		name, folder string
		change       func(r *gittest.Repo)
	}{
		{"retitled", "connectors/b", func(r *gittest.Repo) {
			r.Write("connectors/b/apiDefinition.swagger.json", strings.Replace(def, `"title": "Contoso Tasks"`, `"title": "Beta Thing"`, 1))
		}},
		{"moved into sandbox", "sandbox/b", func(r *gittest.Repo) {
			require.NoError(t, os.MkdirAll(filepath.Join(r.Dir, "sandbox"), 0o755))
			r.Git(time.Time{}, "mv", "connectors/b", "sandbox/b")
		}},
	} {
		for _, source := range []breaking.PolicySource{breaking.PolicyFromHead, breaking.PolicyFromBase} {
			t.Run(tc.name+"/"+string(source), func(t *testing.T) {
				r := policyRepo(t, policy)
				tc.change(r)
				r.Commit(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "rename")
				rr := compareFeature(t, r, connectordiff.PolicyFrom(source))
				assert.True(t, rr.Fails(breaking.Breaking), "the move or the title must not lower the breaks")
				var b *breaking.ConnectorResult
				for i := range rr.Connectors {
					if rr.Connectors[i].Folder == tc.folder {
						b = &rr.Connectors[i]
					}
				}
				require.NotNil(t, b, "%s is in the result", tc.folder)
				assert.Empty(t, b.Unpublished)
				assert.Positive(t, unaccepted(rr, tc.folder))
				for _, f := range b.Findings {
					assert.Nil(t, f.Accepted, "%s: accepted by a title the pull request gave", f.Rule)
				}
			})
		}
	}
}

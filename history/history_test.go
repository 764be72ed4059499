package history_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/gitrepo"
	"github.com/connectordiff/connectordiff/history"
	"github.com/connectordiff/connectordiff/internal/gittest"
	"github.com/connectordiff/connectordiff/report"
)

// definition is a small connector definition with the operations given,
// each "Id" or "Id!" (deprecated), at version.
func definition(version string, ops ...string) string {
	var paths []string
	for _, op := range ops {
		deprecated := ""
		if id, ok := strings.CutSuffix(op, "!"); ok {
			op, deprecated = id, `"deprecated": true, `
		}
		paths = append(paths, fmt.Sprintf(`"/%s": {"get": {"operationId": %q, %s"responses": {"200": {"description": "ok"}}}}`,
			strings.ToLower(op), op, deprecated))
	}
	return `{"swagger": "2.0", "info": {"title": "T", "version": "` + version + `"}, "host": "example.com", "paths": {` +
		strings.Join(paths, ", ") + "}}\n"
}

// collect is a Sink that keeps what it is given.
type collect struct {
	header     *history.Header
	connectors []*history.Connector
	summary    *history.Summary
}

func (c *collect) Begin(h *history.Header) error { c.header = h; return nil }
func (c *collect) Connector(x *history.Connector) error {
	c.connectors = append(c.connectors, x)
	return nil
}
func (c *collect) End(s *history.Summary) error { c.summary = s; return nil }
func (c *collect) folder(name string) *history.Connector {
	for _, x := range c.connectors {
		if x.Folder == name {
			return x
		}
	}
	return nil
}

func run(t *testing.T, dir string, opts history.Options) *collect {
	t.Helper()
	var c collect
	require.NoError(t, history.Run(context.Background(), dir, opts, &c))
	return &c
}

func commits(c *history.Connector) []string {
	var out []string
	for _, v := range c.Versions {
		out = append(out, v.Commit)
	}
	return out
}

func verdicts(c *history.Connector) []history.Verdict {
	var out []history.Verdict
	for _, v := range c.Versions {
		out = append(out, v.Verdict)
	}
	return out
}

// day is the n-th day of a history.
func day(n int) time.Time { return time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, n) }

// sampleRepo is a history with the cases a timeline must get right: each
// connector file changed on its own, a commit that touches no connector,
// a branch merged without fast-forward (its own commits are not on the
// first-parent line, the merge is), a breaking change, another connector.
func sampleRepo(t *testing.T) *gittest.Repo {
	r := gittest.New(t)
	r.Write("c/A/apiDefinition.swagger.json", definition("1", "List", "Get"))
	r.Write("c/A/apiProperties.json", `{"properties": {"iconBrandColor": "#000000"}}`)
	r.Commit(day(0), "add A")
	r.Write("c/A/apiDefinition.swagger.json", definition("1.1", "List", "Get", "Put"))
	r.Commit(day(1), "A: add Put")
	r.Write("README.md", "docs\n")
	r.Commit(day(2), "docs only")
	r.Write("c/A/apiProperties.json", `{"properties": {"iconBrandColor": "#ffffff"}}`)
	r.Commit(day(3), "A: colour")
	r.Write("c/A/script.csx", "public class Script {}\n")
	r.Commit(day(4), "A: script")
	r.Write("c/B/apiDefinition.swagger.json", definition("1", "One", "Two"))
	r.Commit(day(5), "add B")
	r.Git(day(6), "checkout", "-q", "-b", "feature")
	r.Write("c/A/apiDefinition.swagger.json", definition("1.2", "List", "Put"))
	r.Commit(day(6), "A: drop Get (on a branch)")
	r.Write("c/A/apiDefinition.swagger.json", definition("2", "List", "Put"))
	r.Commit(day(7), "A: version 2 (on a branch)")
	r.Git(day(8), "checkout", "-q", "main")
	r.Write("c/B/apiDefinition.swagger.json", definition("2", "One"))
	r.Commit(day(8), "B: drop Two")
	r.Git(day(9), "merge", "-q", "--no-ff", "-m", "merge feature", "feature")
	return r
}

// gitLog is what the done-when compares with: the commits git log
// lists for a connector folder's three files, on the first-parent line,
// oldest first.
func gitLog(r *gittest.Repo, folder string) []string {
	out := r.Git(time.Time{}, "log", "--first-parent", "--format=%H", "--", folder+"/apiDefinition.swagger.json",
		folder+"/apiProperties.json", folder+"/script.csx")
	lines := strings.Fields(out)
	slices.Reverse(lines)
	return lines
}

func TestVersionsAreTheCommitsGitLogListsOnTheFirstParentLine(t *testing.T) {
	r := sampleRepo(t)
	c := run(t, r.Dir, history.Options{})
	require.Len(t, c.connectors, 2)
	for _, folder := range []string{"c/A", "c/B"} {
		got := c.folder(folder)
		require.NotNil(t, got, folder)
		assert.Equal(t, gitLog(r, folder), commits(got), folder)
	}
	a := c.folder("c/A")
	assert.Equal(t, []history.Verdict{history.Added, history.Safe, history.Safe, history.Safe, history.Breaking}, verdicts(a))
	last := a.Versions[len(a.Versions)-1]
	assert.Equal(t, "merge feature", last.Subject, "the merge is the version, its branch's commits are not")
	assert.Equal(t, "t", last.Author)
	assert.Equal(t, day(9), last.Date)
	assert.Equal(t, "2", last.InfoVersion)
	assert.Equal(t, a.Versions[3].Commit, last.Previous)
	assert.Equal(t, []history.Verdict{history.Added, history.Breaking}, verdicts(c.folder("c/B")))
	assert.Equal(t, 2, c.summary.BreakingUpdates)
	assert.Equal(t, 8, c.header.Commits, "every first-parent commit is walked")
}

// Each version's verdict, counts and findings are what comparing the two
// revisions' folders (compare OLD_REV:FOLDER NEW_REV:FOLDER) gives.
func TestEachVersionIsJudgedAsCompareJudgesTheTwoRevisions(t *testing.T) {
	r := sampleRepo(t)
	c := run(t, r.Dir, history.Options{})
	ctx := context.Background()
	repo, err := gitrepo.Open(ctx, r.Dir)
	require.NoError(t, err)
	checked := 0
	for _, con := range c.connectors {
		for _, v := range con.Versions {
			if v.Previous == "" {
				continue
			}
			old, err := repo.Tree(ctx, v.Previous)
			require.NoError(t, err)
			new, err := repo.Tree(ctx, v.Commit)
			require.NoError(t, err)
			want, err := connectordiff.CompareFS(ctx, old, con.Folder, new, con.Folder)
			require.NoError(t, err)
			old.Close()
			new.Close()
			assert.Equal(t, want.Summary.Breaks(), v.Verdict == history.Breaking, "%s %s", con.Folder, v.Subject)
			assert.Equal(t, want.Summary.Counts, v.Counts)
			var messages []string
			for _, f := range want.Findings() {
				messages = append(messages, f.Rule+": "+report.Message(f))
			}
			var got []string
			for _, f := range v.Findings {
				got = append(got, f.Rule+": "+f.Message)
			}
			assert.Equal(t, messages, got)
			checked++
		}
	}
	assert.Equal(t, 5, checked)
}

func TestFollowsAFolderRenameAndAConnectorRemovedAndAddedAgain(t *testing.T) {
	r := gittest.New(t)
	r.Write("old/A/apiDefinition.swagger.json", definition("1", "List", "Get"))
	r.Write("old/B/apiDefinition.swagger.json", definition("1", "One"))
	r.Commit(day(0), "add")
	r.Git(day(1), "rm", "-q", "-r", "old/A")
	r.Write("new/A/apiDefinition.swagger.json", definition("1", "List", "Get"))
	r.Commit(day(1), "move A")
	r.Write("new/A/apiDefinition.swagger.json", definition("2", "List"))
	r.Commit(day(2), "A: drop Get")
	r.Git(day(3), "rm", "-q", "-r", "old/B")
	r.Commit(day(3), "remove B")
	r.Write("old/B/apiDefinition.swagger.json", definition("1", "One", "Two"))
	r.Commit(day(4), "B again")

	c := run(t, r.Dir, history.Options{})
	require.Len(t, c.connectors, 2)
	a := c.folder("new/A")
	require.NotNil(t, a)
	assert.Equal(t, []history.Verdict{history.Added, history.Safe, history.Breaking}, verdicts(a))
	assert.Equal(t, "old/A", a.Versions[1].OldFolder)
	assert.Equal(t, []string{"old/A", "new/A", "new/A"}, []string{a.Versions[0].Folder, a.Versions[1].Folder, a.Versions[2].Folder})
	b := c.folder("old/B")
	require.NotNil(t, b)
	assert.Equal(t, []history.Verdict{history.Added, history.Removed, history.Added}, verdicts(b))
	assert.Equal(t, 1, b.Versions[1].Counts.Breaking, "a removal breaks")
	assert.Equal(t, b.Versions[0].Commit, b.Versions[1].Previous)
	assert.Empty(t, b.Versions[2].Previous, "added again: nothing to judge it against")
}

func TestAnUnreadableVersionIsAnErrorAndTheNextIsJudgedAgainstTheLastReadable(t *testing.T) {
	r := gittest.New(t)
	r.Write("A/apiDefinition.swagger.json", definition("1", "List", "Get"))
	r.Commit(day(0), "add")
	r.Write("A/apiDefinition.swagger.json", "{\n  \"swagger\": \"2.0\",\n  \"paths\": {,\n}\n")
	r.Commit(day(1), "broken")
	r.Write("A/apiDefinition.swagger.json", definition("2", "List"))
	r.Commit(day(2), "fixed, without Get")

	c := run(t, r.Dir, history.Options{})
	a := c.folder("A")
	require.NotNil(t, a)
	assert.Equal(t, []history.Verdict{history.Added, history.Error, history.Breaking}, verdicts(a))
	assert.Contains(t, a.Versions[1].Error, "A/apiDefinition.swagger.json:3:", "located")
	assert.Equal(t, a.Versions[0].Commit, a.Versions[2].Previous)
	assert.Equal(t, "operation-removed", a.Versions[2].Findings[0].Rule)
}

func TestFollowsEachOperationFromItsDeprecationToItsRemoval(t *testing.T) {
	r := gittest.New(t)
	r.Write("A/apiDefinition.swagger.json", definition("1", "Keep", "Old", "Abrupt", "Late"))
	r.Commit(day(0), "add")
	r.Write("A/apiDefinition.swagger.json", definition("2", "Keep", "Old!", "Abrupt", "Late"))
	r.Commit(day(10), "deprecate Old")
	r.Write("A/apiDefinition.swagger.json", definition("3", "Keep", "Old!", "Late!"))
	r.Commit(day(20), "remove Abrupt, deprecate Late")
	r.Write("A/apiDefinition.swagger.json", definition("4", "Keep", "Late!"))
	r.Commit(day(55), "remove Old")

	c := run(t, r.Dir, history.Options{})
	a := c.folder("A")
	require.NotNil(t, a)
	type row struct {
		op        string
		dep, rem  string
		days      int
		daysKnown bool
	}
	var got []row
	for _, d := range a.Deprecations {
		x := row{op: d.Operation}
		if d.Deprecated != nil {
			x.dep = d.Deprecated.Date.Format(time.DateOnly)
		}
		if d.Removed != nil {
			x.rem = d.Removed.Date.Format(time.DateOnly)
		}
		x.days, x.daysKnown = d.Days()
		got = append(got, x)
	}
	assert.Equal(t, []row{
		{op: "Old", dep: "2025-01-11", rem: "2025-02-25", days: 45, daysKnown: true},
		{op: "Abrupt", rem: "2025-01-21"},
		{op: "Late", dep: "2025-01-21"},
	}, got)
	assert.Equal(t, 30, c.header.Window)
}

func TestSinceJudgesTheFirstVersionAgainstTheConnectorAtThatRevision(t *testing.T) {
	r := gittest.New(t)
	r.Write("A/apiDefinition.swagger.json", definition("1", "List", "Get!"))
	r.Commit(day(0), "add")
	r.Git(time.Time{}, "tag", "start")
	r.Write("A/apiDefinition.swagger.json", definition("2", "List"))
	r.Commit(day(40), "remove Get")

	c := run(t, r.Dir, history.Options{Since: "start"})
	a := c.folder("A")
	require.NotNil(t, a)
	assert.Equal(t, []history.Verdict{history.Breaking}, verdicts(a))
	assert.Equal(t, r.Git(time.Time{}, "rev-parse", "start"), a.Versions[0].Previous)
	require.Len(t, a.Deprecations, 1)
	days, ok := a.Deprecations[0].Days()
	assert.True(t, ok)
	assert.Equal(t, 40, days, "deprecated since the start's commit")
	assert.Equal(t, 1, c.header.Commits)
}

func TestPathsLimitTheHistoryAndAPathWithNoConnectorIsAnError(t *testing.T) {
	r := sampleRepo(t)
	c := run(t, r.Dir, history.Options{Paths: []string{"c/B"}})
	require.Len(t, c.connectors, 1)
	assert.Equal(t, "c/B", c.connectors[0].Folder)
	c = run(t, r.Dir, history.Options{Paths: []string{"c"}})
	assert.Len(t, c.connectors, 2)

	err := history.Run(context.Background(), r.Dir, history.Options{Paths: []string{"c/Typo"}}, &collect{})
	assert.ErrorContains(t, err, "c/Typo: no connector under it changed in the history of HEAD")
	err = history.Run(context.Background(), r.Dir, history.Options{Until: "nope"}, &collect{})
	assert.ErrorContains(t, err, `unknown revision "nope"`)
}

// Today's policy judges every version: the root policy file of Until's
// tree and the connector folder's own, under the caller's levels.
func TestTodaysPolicyFilesJudgeEveryVersion(t *testing.T) {
	r := sampleRepo(t)
	r.Write(".connectordiff.yaml", "levels:\n  operation-removed: warning\n")
	r.Write("c/B/.connectordiff.yaml", "profile: certification\n")
	r.Commit(day(10), "policy")
	c := run(t, r.Dir, history.Options{})
	a := c.folder("c/A")
	assert.Equal(t, history.Safe, a.Versions[len(a.Versions)-1].Verdict, "operation-removed is a warning today")
	assert.Equal(t, breaking.ProfileCertification, c.folder("c/B").Profile)
	head := c.header.UntilCommit[:10]
	assert.Equal(t, []string{head + ":.connectordiff.yaml", head + ":c/B/.connectordiff.yaml"}, c.summary.Policies)

	c = run(t, r.Dir, history.Options{Levels: map[string]breaking.Level{breaking.OperationRemoved: breaking.Breaking}})
	a = c.folder("c/A")
	assert.Equal(t, history.Breaking, a.Versions[len(a.Versions)-1].Verdict, "the caller's level wins")
}

// A commit's date is what its author set: a version is dated no later than
// the commits after it.
func TestAForgedDateIsCappedByTheCommitsAfterIt(t *testing.T) {
	r := gittest.New(t)
	r.Write("A/apiDefinition.swagger.json", definition("1", "Old!"))
	r.Commit(day(0), "add")
	r.Write("A/apiDefinition.swagger.json", definition("2", "Old!", "New"))
	r.Commit(day(3000), "dated in the future")
	r.Write("A/apiDefinition.swagger.json", definition("3", "New"))
	r.Commit(day(5), "remove Old")
	c := run(t, r.Dir, history.Options{Now: func() time.Time { return day(100) }})
	a := c.folder("A")
	assert.Equal(t, day(5), a.Versions[1].Date)
	days, _ := a.Deprecations[0].Days()
	assert.Equal(t, 5, days)
}

// A pull request's repository is hostile: a commit that names too many
// folders stops the history with an error naming it, and a definition that
// is a symbolic link is a version that cannot be read, never followed.
func TestAHostileCommitIsAnErrorNeverAWalkOrARead(t *testing.T) {
	r := gittest.New(t)
	r.Write("A/apiDefinition.swagger.json", definition("1", "List"))
	r.Commit(day(0), "add")
	r.Git(time.Time{}, "rm", "-q", "A/apiDefinition.swagger.json")
	require.NoError(t, os.MkdirAll(filepath.Join(r.Dir, "A"), 0o755))
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(r.Dir, "A", "apiDefinition.swagger.json")))
	r.Commit(day(1), "link")
	c := run(t, r.Dir, history.Options{})
	a := c.folder("A")
	require.NotNil(t, a)
	assert.Equal(t, []history.Verdict{history.Added, history.Error}, verdicts(a))
	assert.Contains(t, a.Versions[1].Error, "symbolic link")

	for i := range 20 {
		r.Write(fmt.Sprintf("many/%02d/apiDefinition.swagger.json", i), definition("1", "List"))
	}
	r.Commit(day(2), "many")
	err := history.Run(context.Background(), r.Dir, history.Options{MaxEntries: 10}, &collect{})
	assert.ErrorIs(t, err, gitrepo.ErrTooManyEntries)
	assert.ErrorContains(t, err, "commit "+r.Git(time.Time{}, "rev-parse", "HEAD"))
}

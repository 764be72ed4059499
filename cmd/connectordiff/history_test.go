package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/history"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/internal/gittest"
)

// historyDoc is the JSON history, as far as these tests read it.
type historyDoc struct {
	Connectors []historyConnector
	Summary    struct{ Commits, Connectors, Versions, BreakingUpdates int }
}

type historyConnector struct {
	Folder   string
	Versions []historyVersion
}

type historyVersion struct {
	Commit, Subject, Verdict, Folder, Previous, Error string
	Counts                                            struct{ Breaking, Warning, Info int }
}

func decodeHistory(t *testing.T, out string) historyDoc {
	t.Helper()
	var doc historyDoc
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	return doc
}

// gitLogOf is the issue's done-when: the commits `git log --first-parent --
// FOLDER/apiDefinition.swagger.json FOLDER/apiProperties.json
// FOLDER/script.csx` lists, oldest first.
func gitLogOf(r *gittest.Repo, folder string) []string {
	out := r.Git(time.Time{}, "log", "--first-parent", "--format=%H", "--", folder+"/apiDefinition.swagger.json",
		folder+"/apiProperties.json", folder+"/script.csx")
	lines := strings.Fields(out)
	slices.Reverse(lines)
	return lines
}

// checkAgainstGitAndCompare checks the done-when for one connector
// of a JSON history: its versions are the commits git log lists, and each
// version judged against the one before has the verdict and counts that
// compare OLD_REV:FOLDER NEW_REV:FOLDER gives. It returns how many versions
// compare checked.
func checkAgainstGitAndCompare(t *testing.T, r *gittest.Repo, doc historyDoc, folder string) int {
	t.Helper()
	i := slices.IndexFunc(doc.Connectors, func(c historyConnector) bool { return c.Folder == folder })
	require.GreaterOrEqual(t, i, 0, "%s is in the history", folder)
	c := doc.Connectors[i]
	var commits []string
	for _, v := range c.Versions {
		commits = append(commits, v.Commit)
	}
	assert.Equal(t, gitLogOf(r, folder), commits, folder)
	checked := 0
	for _, v := range c.Versions {
		if v.Previous == "" || v.Verdict == "error" {
			continue
		}
		code, out, stderr := runIn(r.Dir, "compare", "--format", "json", v.Previous+":"+folder, v.Commit+":"+folder)
		require.Contains(t, []int{exitOK, exitFindings}, code, stderr)
		var rep struct {
			Summary struct{ Breaking, Warning, Info int }
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		want := map[int]string{exitOK: "safe", exitFindings: "breaking"}[code]
		assert.Equal(t, want, v.Verdict, "%s %s", folder, v.Commit)
		assert.Equal(t, rep.Summary, v.Counts, "%s %s", folder, v.Commit)
		checked++
	}
	return checked
}

func TestHistoryCommand(t *testing.T) {
	r := gateRepo(t)
	r.Git(time.Time{}, "checkout", "-q", "main")
	r.Git(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC), "merge", "-q", "--no-ff", "-m", "merge feature", "feature")

	code, out, stderr := runIn(r.Dir, "history")
	require.Equal(t, exitOK, code, stderr)
	assert.Empty(t, stderr, "no progress line when stderr is not a terminal")
	assert.Regexp(t, `(?m)^History of HEAD \([0-9a-f]{10}\): 2 first-parent commits, profile users$`, out)
	assert.Regexp(t, `(?m)^connectors/contoso \(.*\): 2 versions, 1 breaking$`, out)
	assert.Regexp(t, `(?m)^  2026-09-03  [0-9a-f]{10}  breaking  6 breaking, 3 warnings  version .*  t: merge feature  \[`, out)
	assert.Contains(t, out, "\n2 connectors, 3 versions, 1 breaking update in 2 first-parent commits\n")

	// Every format at once: one on stdout, the others in files.
	dir := t.TempDir()
	htmlFile, mdFile := filepath.Join(dir, "h.html"), filepath.Join(dir, "h.md")
	code, out, stderr = runIn(r.Dir, "history", "--format", "json,html="+htmlFile+",markdown="+mdFile, "connectors")
	require.Equal(t, exitOK, code, stderr)
	doc := decodeHistory(t, out)
	require.Len(t, doc.Connectors, 1)
	assert.Equal(t, []string{"added", "breaking"}, []string{doc.Connectors[0].Versions[0].Verdict, doc.Connectors[0].Versions[1].Verdict})
	page, err := os.ReadFile(htmlFile)
	require.NoError(t, err)
	assert.Contains(t, string(page), `<a class="verdict breaking" href="#c0-v1-findings">breaking</a>`)
	md, err := os.ReadFile(mdFile)
	require.NoError(t, err)
	assert.Contains(t, string(md), "\n## connectors/contoso\n")

	for _, tc := range []struct{ args, want string }{
		{"history --format sarif", "--format sarif: a history is written as text, json, markdown or html, not sarif"},
		{"history --since nope", `unknown revision "nope"`},
		{"history connectors/none", "connectors/none: no connector under it changed in the history of HEAD"},
		{"history --level nope=off", "unknown rule id nope"},
	} {
		code, out, stderr := runIn(r.Dir, strings.Fields(tc.args)...)
		assert.Equal(t, exitError, code, tc.args)
		assert.Empty(t, out, tc.args)
		assert.Contains(t, stderr, tc.want, tc.args)
	}

	// A failure leaves the files as they were.
	require.NoError(t, os.WriteFile(htmlFile, []byte("before"), 0o644))
	code, _, _ = runIn(r.Dir, "history", "--format", "html="+htmlFile, "--until", "nope")
	assert.Equal(t, exitError, code)
	page, _ = os.ReadFile(htmlFile)
	assert.Equal(t, "before", string(page))
}

func TestHistoryProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, start: time.Now().Add(-2 * time.Second)}
	update := historyProgress(p)
	update(history.StageCommits, 1600, 1600)
	update(history.StageConnectors, 1, 1000)
	p.done()
	assert.Equal(t, "\rreading commits: 1600 of 1600\r\x1b[K\rjudging connectors: 1 of 1000\r\x1b[K", buf.String())
}

// The done-when on real connector versions: a connector of the
// corpus with several updates, committed in order (a third through merged
// branches), beside commits that touch other files; its history lists the
// commits git log lists, and each version's verdict and counts are
// compare's.
func TestHistoryOfACorpusConnectorMatchesGitLogAndCompare(t *testing.T) {
	type meta struct {
		Folder       string    `json:"folder"`
		NewDate      time.Time `json:"new_date"`
		OldDate      time.Time `json:"old_date"`
		Subject      string    `json:"subject"`
		VersionIndex int       `json:"version_index"`
		NewBytes     int       `json:"new_bytes"`
	}
	type pair struct {
		dir string
		m   meta
	}
	bySlug := map[string][]pair{}
	for _, p := range corpus.Pairs(t) {
		if p.Invalid {
			continue
		}
		data, err := os.ReadFile(filepath.Join(p.Dir, "meta.json"))
		require.NoError(t, err)
		var m meta
		require.NoError(t, json.Unmarshal(data, &m))
		bySlug[path.Dir(p.Name)] = append(bySlug[path.Dir(p.Name)], pair{p.Dir, m})
	}
	// The connector with the most pairs among those under 200 KB.
	var best []pair
	for _, ps := range bySlug {
		small := !slices.ContainsFunc(ps, func(p pair) bool { return p.m.NewBytes > 200_000 })
		if small && (len(ps) > len(best) || len(ps) == len(best) && ps[0].m.Folder < best[0].m.Folder) {
			best = ps
		}
	}
	require.GreaterOrEqual(t, len(best), 3)
	sort.Slice(best, func(i, j int) bool { return best[i].m.VersionIndex < best[j].m.VersionIndex })
	folder := best[0].m.Folder

	r := gittest.New(t)
	r.CopyFolder(filepath.Join(best[0].dir, "old"), folder)
	r.Commit(best[0].m.OldDate, "add")
	for i, p := range best {
		if i > 0 {
			clearDir(t, filepath.Join(r.Dir, folder))
			r.CopyFolder(filepath.Join(p.dir, "old"), folder)
			if strings.TrimSpace(r.Git(time.Time{}, "status", "--porcelain")) != "" {
				r.Commit(p.m.OldDate, "sync")
			}
		}
		r.Write("docs/notes.md", p.m.Subject+"\n")
		r.Commit(p.m.OldDate.Add(time.Minute), "docs")
		if i%3 == 1 {
			r.Git(time.Time{}, "checkout", "-q", "-b", "pr")
		}
		clearDir(t, filepath.Join(r.Dir, folder))
		r.CopyFolder(filepath.Join(p.dir, "new"), folder)
		r.Commit(p.m.NewDate, p.m.Subject)
		if i%3 == 1 {
			r.Git(time.Time{}, "checkout", "-q", "main")
			r.Git(p.m.NewDate.Add(time.Minute), "merge", "-q", "--no-ff", "-m", "merge", "pr")
			r.Git(time.Time{}, "branch", "-q", "-D", "pr")
		}
	}
	code, out, stderr := runIn(r.Dir, "history", "--format", "json", folder)
	require.Equal(t, exitOK, code, stderr)
	doc := decodeHistory(t, out)
	checked := checkAgainstGitAndCompare(t, r, doc, folder)
	t.Logf("%s: %d versions, %d checked against compare", folder, len(doc.Connectors[0].Versions), checked)
	assert.GreaterOrEqual(t, checked, len(best))
}

func clearDir(t *testing.T, dir string) {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		require.NoError(t, os.RemoveAll(filepath.Join(dir, e.Name())))
	}
}

// The whole corpus history (CONNECTORDIFF_LONG=1, about a minute): the
// issue's done-when for a sample of connectors that never moved, checked
// against git log and compare.
func TestHistoryOfTheCorpusHistory(t *testing.T) {
	if os.Getenv(corpus.LongEnv) == "" {
		t.Skip("set " + corpus.LongEnv + "=1 to judge the history of a repository of 1,600 commits")
	}
	dir := t.TempDir()
	stats := corpus.HistoryRepo(t, dir)
	r := gittest.Open(t, dir)
	code, out, stderr := runIn(r.Dir, "history", "--format", "json")
	require.Equal(t, exitOK, code, stderr)
	doc := decodeHistory(t, out)
	assert.Equal(t, stats.Commits, doc.Summary.Commits)
	assert.Len(t, doc.Connectors, stats.Connectors)
	assert.Equal(t, stats.Connectors+stats.Updates+stats.Removals, doc.Summary.Versions)
	checked := 0
	for i, c := range doc.Connectors {
		same := !slices.ContainsFunc(c.Versions, func(v historyVersion) bool { return v.Folder != c.Folder })
		if i%40 == 0 && same || len(c.Versions) > 6 && same && checked < 400 {
			checked += checkAgainstGitAndCompare(t, r, doc, c.Folder)
		}
	}
	t.Logf("%d versions checked against compare", checked)
	assert.Greater(t, checked, 50)
}

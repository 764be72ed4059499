package connectordiff_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/report"
)

// TestRuleFixtures runs every testdata/rules/<rule-id>.txtar archive. Each
// archive holds cases as pairs of files "<case>.old.yaml" and
// "<case>.new.yaml" (definitions compared alone), or as connector folders
// "<case>/old/<file>" and "<case>/new/<file>" (compared whole); its comment
// states what each case must produce, one
// line per expectation:
//
//	<case>: <rule>=<level> [<operationId>]   a finding of that rule at that level (reaching that operation)
//	<case>: !<rule>                          no finding of that rule at any level
//	<case>: clean                            no finding at warning or above
//
// Any expectation may end with @<profile> (judge under that profile instead
// of users), and a rule=level one with hosts=<host>,... (the finding breaks
// exactly those hosts; hosts= for none) or cert=<level> (the level
// Microsoft's validator gives it).
//
// Every rule in the table must have a fixture with a positive case (one
// expecting the rule) and a near-miss negative case (one excluding it).
func TestRuleFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/rules/*.txtar")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	positive, negative := map[string]bool{}, map[string]bool{}
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		require.NoError(t, err)
		docs := map[string][]byte{}
		for _, f := range ar.Files {
			_, dup := docs[f.Name]
			require.False(t, dup, "%s: file %s appears twice", file, f.Name)
			docs[f.Name] = f.Data
		}
		for _, exp := range parseExpectations(t, file, ar.Comment) {
			name := strings.TrimSuffix(filepath.Base(file), ".txtar") + "/" + exp.caseName
			t.Run(name+"/"+exp.String(), func(t *testing.T) {
				var res *breaking.Result
				var err error
				old, ok1 := docs[exp.caseName+".old.yaml"]
				new, ok2 := docs[exp.caseName+".new.yaml"]
				profile := connectordiff.WithProfile(exp.profile)
				if ok1 && ok2 {
					res, err = connectordiff.Compare(context.Background(), old, new, connectordiff.WithNames("old.yaml", "new.yaml"), profile)
				} else {
					oldDir, newDir := connectorDirs(t, exp.caseName, docs)
					res, err = connectordiff.CompareDirs(context.Background(), oldDir, newDir, profile)
				}
				require.NoError(t, err)
				exp.check(t, res)
			})
			switch {
			case exp.rule != "" && !exp.absent:
				positive[exp.rule] = true
			case exp.absent:
				negative[exp.rule] = true
			}
		}
	}
	for _, r := range breaking.Rules() {
		if r.ID == "other-change" || repositoryRules[r.ID] {
			continue
		}
		assert.True(t, positive[r.ID], "rule %s has no positive fixture case", r.ID)
		assert.True(t, negative[r.ID], "rule %s has no near-miss negative fixture case", r.ID)
	}
}

// connectorDirs writes the files "<case>/old/..." and "<case>/new/..." of an
// archive into two connector folders.
func connectorDirs(t *testing.T, caseName string, docs map[string][]byte) (string, string) {
	t.Helper()
	root := t.TempDir()
	wrote := map[string]bool{}
	for name, data := range docs {
		rest, ok := strings.CutPrefix(name, caseName+"/")
		if !ok {
			continue
		}
		side, _, _ := strings.Cut(rest, "/")
		require.Contains(t, []string{"old", "new"}, side, "file %s: want %s/old/... or %s/new/...", name, caseName, caseName)
		path := filepath.Join(root, filepath.FromSlash(rest))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, data, 0o644))
		wrote[side] = true
	}
	require.True(t, wrote["old"] && wrote["new"],
		"case %q needs %s.old.yaml and %s.new.yaml, or folders %s/old/ and %s/new/", caseName, caseName, caseName, caseName, caseName)
	return filepath.Join(root, "old"), filepath.Join(root, "new")
}

// repositoryRules judge what only a comparison of a repository's revisions
// sees (history, policy files, whole connectors): repo_test.go covers each.
var repositoryRules = map[string]bool{"deprecated-operation-removed": true, "acceptance-expired": true,
	"acceptance-stale": true, "acceptance-added": true, "policy-changed": true, "connector-added": true, "connector-removed": true}

type expectation struct {
	caseName  string
	rule      string
	level     breaking.Level
	operation string
	absent    bool
	clean     bool
	profile   breaking.Profile
	hosts     *[]breaking.Host // nil: not checked
	cert      breaking.Level   // Off: not checked
}

func (e expectation) String() string {
	s := e.rule + "=" + e.level.String()
	switch {
	case e.clean:
		s = "clean"
	case e.absent:
		s = "not-" + e.rule
	}
	if e.profile != breaking.ProfileUsers {
		s += "@" + string(e.profile)
	}
	return s
}

func parseExpectations(t *testing.T, file string, comment []byte) []expectation {
	var out []expectation
	sc := bufio.NewScanner(bytes.NewReader(comment))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		caseName, rest, ok := strings.Cut(line, ":")
		require.True(t, ok, "%s: expectation %q needs '<case>: ...'", file, line)
		fields := strings.Fields(rest)
		require.NotEmpty(t, fields, "%s: empty expectation %q", file, line)
		e := expectation{caseName: strings.TrimSpace(caseName), profile: breaking.ProfileUsers}
		if last := fields[len(fields)-1]; strings.HasPrefix(last, "@") {
			p, err := breaking.ParseProfile(last[1:])
			require.NoError(t, err, "%s: %q", file, line)
			e.profile, fields = p, fields[:len(fields)-1]
		}
		switch {
		case fields[0] == "clean":
			e.clean = true
		case strings.HasPrefix(fields[0], "!"):
			e.absent, e.rule = true, fields[0][1:]
		default:
			id, lv, ok := strings.Cut(fields[0], "=")
			require.True(t, ok, "%s: expectation %q needs rule=level", file, line)
			level, err := breaking.ParseLevel(lv)
			require.NoError(t, err)
			e.rule, e.level = id, level
			for _, f := range fields[1:] {
				switch {
				case strings.HasPrefix(f, "hosts="):
					hosts := []breaking.Host{}
					for _, h := range strings.Split(strings.TrimPrefix(f, "hosts="), ",") {
						if h != "" {
							hosts = append(hosts, breaking.Host(h))
						}
					}
					e.hosts = &hosts
				case strings.HasPrefix(f, "cert="):
					e.cert, err = breaking.ParseLevel(strings.TrimPrefix(f, "cert="))
					require.NoError(t, err, "%s: %q", file, line)
				default:
					e.operation = f
				}
			}
		}
		if e.rule != "" {
			_, known := breaking.Lookup(e.rule)
			require.True(t, known, "%s: unknown rule %q", file, e.rule)
		}
		out = append(out, e)
	}
	return out
}

func (e expectation) check(t *testing.T, res *breaking.Result) {
	var got []string
	for _, f := range res.Findings() {
		got = append(got, fmt.Sprintf("%s=%s %v: %s", f.Rule, f.Level, f.Operations, report.Message(f)))
	}
	sort.Strings(got)
	listing := "findings:\n  " + strings.Join(got, "\n  ")
	switch {
	case e.clean:
		for _, f := range res.Findings() {
			assert.Less(t, f.Level, breaking.Warning, "want no warning or breaking finding; %s", listing)
		}
	case e.absent:
		for _, f := range res.Findings() {
			assert.NotEqual(t, e.rule, f.Rule, "want no %s finding; %s", e.rule, listing)
		}
	default:
		for _, f := range res.Findings() {
			if f.Rule == e.rule && f.Level == e.level && (e.operation == "" || contains(f.Operations, e.operation)) {
				if e.hosts != nil {
					assert.Equal(t, *e.hosts, append([]breaking.Host{}, f.Hosts...), "hosts the finding breaks; %s", listing)
				}
				if e.cert != breaking.Off {
					assert.Equal(t, e.cert, f.Certification, "the validator's level; %s", listing)
				}
				return
			}
		}
		t.Errorf("want a %s finding at %s%s; %s", e.rule, e.level, opSuffix(e.operation), listing)
	}
}

func opSuffix(op string) string {
	if op == "" {
		return ""
	}
	return " reaching " + op
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// An API key that moves while apiProperties.json keeps the connection says
// what the risk is (the backend must accept the key where it is now sent),
// not that the two files disagree: the definition still says where it goes.
func TestAPIKeyMovedAsksAboutTheBackend(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/rules/security-changed.txtar")
	require.NoError(t, err)
	docs := map[string][]byte{}
	for _, f := range ar.Files {
		docs[f.Name] = f.Data
	}
	oldDir, newDir := connectorDirs(t, "api-key-moved", docs)
	res, err := connectordiff.CompareDirs(context.Background(), oldDir, newDir)
	require.NoError(t, err)
	var msgs []string
	for _, f := range res.Findings() {
		if f.Rule == breaking.SecurityChanged {
			msgs = append(msgs, report.Message(f))
		}
	}
	require.Len(t, msgs, 1)
	assert.Contains(t, msgs[0], "API key: query p -> header X-Api-Key")
	assert.Contains(t, msgs[0], "make sure the backend accepts it there")
	assert.NotContains(t, msgs[0], "disagree")
}

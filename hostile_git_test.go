package connectordiff_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/gitrepo"
	"github.com/connectordiff/connectordiff/internal/gittest"
)

// Hostile repositories (issue 15, items 1, 9 and 10): a pull request that
// hides a change behind a file name in another case, or points a connector
// file at a secret through a symbolic link, and a repository whose
// configuration names programs for git to run. Each is tried in every way
// the gate and the folder comparisons read files.

var (
	hostileDay0 = time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	hostileDay1 = time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC)
)

// gateModes are the ways the repository gate reads the pull request's
// side: its commit, the work tree (as gate.sh runs it) and the index (as
// the pre-commit hook runs it). r's branch pr is checked out.
var gateModes = []struct {
	name string
	head string
	opts []connectordiff.Option
}{
	{"--head", "pr", nil},
	{"work tree", "", nil},
	{"--staged", "", []connectordiff.Option{connectordiff.Staged()}},
}

// Item 1: a pull request makes a connector file breaking and adds a copy
// of the old one under another case of its name, which sorts first. Every
// reader must refuse the folder, naming both files, instead of reading the
// copy and passing the change.
func TestHostileCaseVariantShadow(t *testing.T) {
	ctx := context.Background()
	for _, file := range []string{connector.DefinitionFile, connector.PropertiesFile, connector.ScriptFile} {
		t.Run(file, func(t *testing.T) {
			shadow := strings.ToUpper(file[:1]) + file[1:]
			r := gittest.New(t)
			r.CopyFolder("testdata/connector/old", "connectors/a")
			r.Commit(hostileDay0, "base")
			r.Git(time.Time{}, "checkout", "-q", "-b", "pr")
			r.Write("connectors/a/"+file, mustRead(t, "testdata/connector/new/"+file))
			r.Write("connectors/a/"+shadow, mustRead(t, "testdata/connector/old/"+file))
			r.Commit(hostileDay1, "shadow the change")

			want := func(folder string) string {
				return fmt.Sprintf("%s: holds %q and %q, names of %s that differ only in case: keep one", folder, shadow, file, file)
			}
			refused := func(t *testing.T, err error, folder string) {
				t.Helper()
				require.Error(t, err, "the shadowed change passed")
				var le *connector.LoadError
				require.True(t, errors.As(err, &le), "error is a %T, want *connector.LoadError: %v", err, err)
				assert.ErrorIs(t, err, connector.ErrCaseVariants)
				assert.Equal(t, want(folder), err.Error())
			}
			for _, m := range gateModes {
				t.Run(m.name, func(t *testing.T) {
					_, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", m.head, m.opts...)
					refused(t, err, "connectors/a")
				})
			}
			t.Run("REV:PATH folders", func(t *testing.T) {
				repo, err := gitrepo.Open(ctx, r.Dir)
				require.NoError(t, err)
				base, err := repo.Tree(ctx, "main")
				require.NoError(t, err)
				defer base.Close()
				head, err := repo.Tree(ctx, "pr")
				require.NoError(t, err)
				defer head.Close()
				_, err = connectordiff.CompareFS(ctx, base, "connectors/a", head, "connectors/a",
					connectordiff.WithNames("main:connectors/a", "pr:connectors/a"))
				refused(t, err, "pr:connectors/a")
			})
			t.Run("folder pair", func(t *testing.T) {
				dir := filepath.Join(r.Dir, "connectors", "a")
				_, err := connectordiff.CompareDirs(ctx, "testdata/connector/old", dir)
				refused(t, err, dir)
			})
		})
	}
}

// Item 1: a lone file whose name differs in case, as a Windows checkout
// may have it, is still the connector's file, in every mode.
func TestCaseVariantAloneIsRead(t *testing.T) {
	r := gittest.New(t)
	r.CopyFolder("testdata/connector/old", "connectors/a")
	r.Commit(hostileDay0, "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "pr")
	r.Git(time.Time{}, "mv", "connectors/a/"+connector.DefinitionFile, "connectors/a/Apidefinition.Swagger.json")
	r.Write("connectors/a/Apidefinition.Swagger.json", mustRead(t, "testdata/connector/new/"+connector.DefinitionFile))
	r.Commit(hostileDay1, "rename in case, and break")
	ctx := context.Background()
	direct, err := connectordiff.CompareFiles(ctx, "testdata/connector/old/"+connector.DefinitionFile, "testdata/connector/new/"+connector.DefinitionFile)
	require.NoError(t, err)
	for _, m := range gateModes {
		t.Run(m.name, func(t *testing.T) {
			rr, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", m.head, m.opts...)
			require.NoError(t, err)
			require.Len(t, rr.Connectors, 1)
			c := rr.Connectors[0]
			assert.Equal(t, breaking.StatusChanged, c.Status)
			assert.Equal(t, messages(direct), messages(breaking.Pair(c)), "the definition under its other name is compared")
		})
	}
}

// Item 1: the pull request moves the connector's definition to another
// folder unchanged, which git sees as a rename, and adds a breaking
// definition under another case of the name in the old folder. The old
// folder still holds a connector: it is judged, not taken for moved away.
func TestHostileCaseVariantAfterMove(t *testing.T) {
	r := gittest.New(t)
	r.CopyFolder("testdata/connector/old", "connectors/a")
	r.Commit(hostileDay0, "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "pr")
	require.NoError(t, os.MkdirAll(filepath.Join(r.Dir, "connectors", "b"), 0o755))
	r.Git(time.Time{}, "mv", "connectors/a/"+connector.DefinitionFile, "connectors/b/"+connector.DefinitionFile)
	r.Write("connectors/a/ApiDefinition.swagger.json", mustRead(t, "testdata/connector/new/"+connector.DefinitionFile))
	r.Commit(hostileDay1, "move, and shadow")
	for _, m := range gateModes {
		t.Run(m.name, func(t *testing.T) {
			rr, err := connectordiff.CompareRevisions(context.Background(), r.Dir, "main", m.head, m.opts...)
			require.NoError(t, err)
			status := map[string]string{}
			for _, c := range rr.Connectors {
				status[c.Folder] = string(c.Status)
			}
			assert.Equal(t, map[string]string{"connectors/a": "changed", "connectors/b": "added"}, status)
			assert.True(t, rr.Fails(breaking.Breaking), "connectors/a breaks")
		})
	}
}

// armGit gives a repository every way git has to run a program its
// configuration names: clean and smudge filters, a textconv and an external
// diff driver that .gitattributes (committed, and a global attributes file)
// applies to every file, every hook in .git/hooks and in core.hooksPath, a
// file system monitor, a pager, an editor, askpass, ssh, a credential
// helper, and gpg for log.showSignature; in .git/config and in a global
// configuration (GIT_CONFIG_GLOBAL, set for the test). Each program
// appends its name to the file it returns, and does what git expects of it
// (cat), so that a run shows in the file and nowhere else.
func armGit(t *testing.T, dir string) (ran string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the armed programs are shell scripts")
	}
	arms := t.TempDir()
	ran = filepath.Join(arms, "ran")
	program := func(name string) string {
		p := filepath.Join(arms, "bin", name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		script := fmt.Sprintf("#!/bin/sh\necho %s >> '%s'\nexec cat \"$@\"\n", name, ran)
		require.NoError(t, os.WriteFile(p, []byte(script), 0o755))
		return p
	}
	hooks := []string{"applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit",
		"prepare-commit-msg", "commit-msg", "post-commit", "pre-rebase", "post-checkout", "post-merge", "pre-push",
		"pre-receive", "update", "proc-receive", "post-receive", "post-update", "reference-transaction",
		"push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate", "fsmonitor-watchman",
		"p4-changelist", "p4-prepare-changelist", "p4-post-changelist", "p4-pre-submit", "post-index-change"}
	hooksPath := filepath.Join(arms, "hooks")
	for _, folder := range []string{hooksPath, filepath.Join(dir, ".git", "hooks")} {
		require.NoError(t, os.MkdirAll(folder, 0o755))
		for _, h := range hooks {
			script := fmt.Sprintf("#!/bin/sh\necho hook-%s >> '%s'\n", h, ran)
			require.NoError(t, os.WriteFile(filepath.Join(folder, h), []byte(script), 0o755))
		}
	}
	attributes := filepath.Join(arms, "attributes")
	require.NoError(t, os.WriteFile(attributes, []byte("* filter=evil diff=evil\n"), 0o644))
	config := fmt.Sprintf(`[core]
	hooksPath = %s
	fsmonitor = %s
	pager = %s
	editor = %s
	askPass = %s
	sshCommand = %s
	attributesFile = %s
[filter "evil"]
	clean = %s
	smudge = %s
[diff "evil"]
	textconv = %s
	command = %s
[diff]
	external = %s
[log]
	showSignature = true
[gpg]
	program = %s
[credential]
	helper = !%s
[pager]
	log = %s
	show = %s
	diff = %s
`, hooksPath, program("fsmonitor"), program("pager"), program("editor"), program("askpass"), program("ssh"), attributes,
		program("clean"), program("smudge"), program("textconv"), program("diff-command"), program("external-diff"),
		program("gpg"), program("credential"), program("pager-log"), program("pager-show"), program("pager-diff"))
	global := filepath.Join(arms, "gitconfig")
	require.NoError(t, os.WriteFile(global, []byte(config), 0o644))
	t.Setenv("GIT_CONFIG_GLOBAL", global)
	f, err := os.OpenFile(filepath.Join(dir, ".git", "config"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(config)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return ran
}

// signedCommit writes a commit of tree whose header carries a signature
// (not a valid one), as a pull request's author may push; git log and git
// show with log.showSignature hand it to gpg.
func signedCommit(t *testing.T, r *gittest.Repo, tree, parent string, at time.Time) string {
	t.Helper()
	ts := fmt.Sprintf("%d +0000", at.Unix())
	text := "tree " + tree + "\nparent " + parent + "\nauthor t <t@example.com> " + ts + "\ncommitter t <t@example.com> " + ts +
		"\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEEnotasignature\n -----END PGP SIGNATURE-----\n\nsigned\n"
	cmd := exec.Command("git", "hash-object", "-t", "commit", "-w", "--stdin")
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

// Item 9: the gate runs plumbing only. On a repository armed with every
// program git can be configured to run, and a pull request that applies
// the filter and diff driver to every file, comparing its commit (signed),
// its work tree (with a file git would have to re-read) and its index
// (freshly staged, so that a write of the tree would rewrite the index)
// runs none of them, leaves the index byte for byte as it was, and finds
// what comparing the folders finds.
func TestHostileGitRunsNoConfiguredProgram(t *testing.T) {
	r := gittest.New(t)
	r.CopyFolder("testdata/connector/old", "connectors/contoso")
	r.Write("connectors/life/apiDefinition.swagger.json", lifecycle(true, false))
	r.Write("README.md", "one\n")
	r.Commit(hostileDay0, "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "pr")
	r.CopyFolder("testdata/connector/new", "connectors/contoso")
	r.Write("connectors/life/apiDefinition.swagger.json", lifecycle(true, true))
	r.Write(".gitattributes", "* filter=evil diff=evil\n")
	r.Commit(hostileDay1.AddDate(0, 2, 0), "break")
	signed := signedCommit(t, r, r.Git(time.Time{}, "rev-parse", "HEAD^{tree}"), r.Git(time.Time{}, "rev-parse", "main"), hostileDay1.AddDate(0, 2, 0))
	r.Git(time.Time{}, "reset", "-q", "--hard", signed)
	r.Write("README.md", "two\n")
	r.Git(time.Time{}, "add", "README.md")
	// Same bytes, new time: git diff would re-read it through the filter.
	later := time.Now().Add(time.Hour)
	require.NoError(t, os.Chtimes(filepath.Join(r.Dir, "connectors/contoso/script.csx"), later, later))

	ran := armGit(t, r.Dir)
	index := filepath.Join(r.Dir, ".git", "index")
	before, err := os.ReadFile(index)
	require.NoError(t, err)
	ctx := context.Background()
	direct, err := connectordiff.CompareDirs(ctx, "testdata/connector/old", "testdata/connector/new")
	require.NoError(t, err)
	for _, m := range gateModes {
		t.Run(m.name, func(t *testing.T) {
			head := m.head
			if head != "" {
				head = signed
			}
			require.NoError(t, os.RemoveAll(ran))
			rr, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", head, m.opts...)
			got, _ := os.ReadFile(ran)
			assert.Empty(t, string(got), "programs the configuration names ran")
			after, rerr := os.ReadFile(index)
			require.NoError(t, rerr)
			assert.True(t, bytes.Equal(before, after), "the index was rewritten")
			require.NoError(t, err)

			status := map[string]string{}
			for _, c := range rr.Connectors {
				status[c.Folder] = string(c.Status)
			}
			require.Equal(t, map[string]string{"connectors/contoso": "changed", "connectors/life": "changed"}, status)
			assert.Equal(t, messages(direct), messages(breaking.Pair(rr.Connectors[0])), "connectors/contoso")
			var rules []string
			for _, f := range rr.Connectors[1].Findings {
				rules = append(rules, f.Rule)
			}
			assert.Equal(t, []string{"deprecated-operation-removed"}, rules, "connectors/life, its history read")
		})
	}
}

// Item 10: a pull request turns a connector file (or the folder's policy)
// into a symbolic link to a secret: the repository's .git/config, where
// actions/checkout keeps the token, a file by absolute path, or a chain of
// links that leaves the folder and comes back. No reader follows it out of
// the folder: the gate refuses any link, as git trees do, naming the file;
// the folder comparison follows links only within the folder. The secret
// appears in no error.
func TestHostileSymlinkOutOfConnectorFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	const secret = "SECRET-TOKEN-15"
	outside := filepath.Join(t.TempDir(), "secret.json")
	require.NoError(t, os.WriteFile(outside, []byte(`{"token": "`+secret+`"}`), 0o600))
	cases := []struct {
		name, file string
		links      map[string]string // link -> target, from the root
		extra      map[string]string // regular files, from the root
	}{
		{"to ../../.git/config", connector.ScriptFile,
			map[string]string{"connectors/a/script.csx": "../../.git/config"}, nil},
		{"to an absolute path", connector.PropertiesFile,
			map[string]string{"connectors/a/apiProperties.json": outside}, nil},
		{"a chain that leaves and re-enters", connector.ScriptFile,
			map[string]string{"connectors/a/script.csx": "../hop.csx", "connectors/hop.csx": "a/stash.csx"},
			map[string]string{"connectors/a/stash.csx": "// " + secret + "\n"}},
		{"the folder's policy to ../../.git/config", gate.ConfigFile,
			map[string]string{"connectors/a/" + gate.ConfigFile: "../../.git/config"}, nil},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gittest.New(t)
			r.CopyFolder("testdata/connector/old", "connectors/a")
			r.Commit(hostileDay0, "base")
			r.Git(time.Time{}, "config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic "+secret)
			r.Git(time.Time{}, "checkout", "-q", "-b", "pr")
			r.Write("connectors/a/"+connector.DefinitionFile, mustRead(t, "testdata/connector/new/"+connector.DefinitionFile))
			for name, content := range tc.extra {
				r.Write(name, content)
			}
			for link, target := range tc.links {
				p := filepath.Join(r.Dir, filepath.FromSlash(link))
				require.NoError(t, os.RemoveAll(p))
				require.NoError(t, os.Symlink(target, p))
			}
			r.Commit(hostileDay1, "link")
			file := "connectors/a/" + tc.file

			for _, m := range gateModes {
				t.Run(m.name, func(t *testing.T) {
					_, err := connectordiff.CompareRevisions(ctx, r.Dir, "main", m.head, m.opts...)
					require.Error(t, err, "the link was followed")
					assert.Equal(t, file+": is a symbolic link, which connectordiff does not follow here", err.Error())
					assert.ErrorIs(t, err, connector.ErrSymlink)
				})
			}
			if tc.file == gate.ConfigFile {
				return // a folder comparison reads no policy
			}
			t.Run("REV:PATH folders", func(t *testing.T) {
				repo, err := gitrepo.Open(ctx, r.Dir)
				require.NoError(t, err)
				head, err := repo.Tree(ctx, "pr")
				require.NoError(t, err)
				defer head.Close()
				_, err = connectordiff.CompareFS(ctx, os.DirFS("testdata/connector/old"), ".", head, "connectors/a",
					connectordiff.WithNames("old", "pr:connectors/a"))
				require.Error(t, err)
				assert.Equal(t, "pr:connectors/a/"+tc.file+": is a symbolic link, which connectordiff does not follow here", err.Error())
			})
			t.Run("folder pair", func(t *testing.T) {
				dir := filepath.Join(r.Dir, "connectors", "a")
				_, err := connectordiff.CompareDirs(ctx, "testdata/connector/old", dir)
				require.Error(t, err, "the link was followed out of the folder")
				assert.Equal(t, filepath.Join(dir, tc.file)+": path escapes from parent", err.Error())
				assert.NotContains(t, err.Error(), secret)
			})
		})
	}
	// Within the folder, a folder comparison follows a link; the gate, as
	// in a git tree, does not.
	t.Run("a link within the folder", func(t *testing.T) {
		dir := t.TempDir()
		for _, e := range []string{connector.DefinitionFile, connector.PropertiesFile} {
			require.NoError(t, os.WriteFile(filepath.Join(dir, e), []byte(mustRead(t, "testdata/connector/new/"+e)), 0o644))
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, "code.csx"), []byte(mustRead(t, "testdata/connector/new/script.csx")), 0o644))
		require.NoError(t, os.Symlink("code.csx", filepath.Join(dir, connector.ScriptFile)))
		linked, err := connectordiff.CompareDirs(ctx, "testdata/connector/old", dir)
		require.NoError(t, err)
		direct, err := connectordiff.CompareDirs(ctx, "testdata/connector/old", "testdata/connector/new")
		require.NoError(t, err)
		assert.Equal(t, messages(direct), messages(linked))
	})
}

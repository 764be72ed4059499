package connectordiff_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The house plan of docs/architecture.md, checked: arrows point down, the
// root stays a facade, and no file grows into a room of its own.

const module = "github.com/connectordiff/connectordiff"

// deps lists the project's packages pkg imports, directly or not.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", module+"/"+pkg).Output()
	require.NoError(t, err, "go list %s", pkg)
	var own []string
	for _, p := range strings.Fields(string(out)) {
		if strings.HasPrefix(p, module) && p != module+"/"+pkg {
			own = append(own, strings.TrimPrefix(strings.TrimPrefix(p, module), "/"))
		}
	}
	return own
}

func TestArrows(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not installed")
	}
	forbidden := map[string][]string{
		"connector": {"diff", "breaking", "report", "fix", "gate", ""},
		"diff":      {"breaking", "report", "fix", "gate", ""},
		"breaking":  {"report", "fix", "gate", ""},
		"fix":       {"report", "gate", ""},
		"report":    {"gate", "history", ""},
		"gate":      {"report", "fix", "history", ""},
		"history":   {""},
	}
	for pkg, bad := range forbidden {
		got := deps(t, pkg)
		for _, b := range bad {
			name := b
			if b == "" {
				name = "the root package"
			}
			assert.NotContains(t, got, b, "%s imports %s", pkg, name)
		}
	}
	for _, sub := range []string{"breaking"} {
		out, err := exec.Command("go", "list", module+"/"+sub+"/...").Output()
		require.NoError(t, err)
		for _, p := range strings.Fields(string(out)) {
			got := deps(t, strings.TrimPrefix(p, module+"/"))
			assert.NotContains(t, got, "report", p)
			assert.NotContains(t, got, "", p)
		}
	}
}

// The root is the facade (at most 700 lines), and no file is past 800.
func TestFileSizes(t *testing.T) {
	root := 0
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n := strings.Count(string(data), "\n")
		assert.LessOrEqual(t, n, 800, "%s has %d lines: split it by what it covers", p, n)
		if filepath.Dir(p) == "." {
			root += n
		}
		return nil
	})
	require.NoError(t, err)
	assert.LessOrEqual(t, root, 700, "the root package's non-test Go files hold %d lines: it is the facade", root)
}

package breaking

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ids.go declares one constant per rule of the table, in the table's order,
// and no constant for a rule that does not exist.
func TestEveryRuleHasItsConstant(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "ids.go", nil, 0)
	require.NoError(t, err)
	var declared []string
	for _, d := range file.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, v := range s.(*ast.ValueSpec).Values {
				lit, ok := v.(*ast.BasicLit)
				require.True(t, ok, "a rule id constant is a string literal")
				id, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				declared = append(declared, id)
			}
		}
	}
	var table []string
	for _, r := range Rules() {
		table = append(table, r.ID)
	}
	assert.Equal(t, table, declared)
}

// Outside this package, non-test Go code names a rule by its constant: no
// string literal is a rule id, and no comment quotes one.
func TestNoRuleIDLiteralsOutsideBreaking(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rules() {
		ids[r.ID] = true
	}
	root := ".."
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "breaking" && filepath.Dir(path) == root || name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		checked++
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && ids[s] {
					t.Errorf("%s: the rule id %q spelled as a string; name its constant", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
		for _, g := range file.Comments {
			for id := range ids {
				if strings.Contains(g.Text(), `"`+id+`"`) {
					t.Errorf("%s: a comment quotes the rule id %q; name its constant", fset.Position(g.Pos()), id)
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, checked, 50, "the walk found the module's Go files")
}

package breaking

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
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

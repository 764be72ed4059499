package connectordiff_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/connector"
)

// A NEW whose operations fix cannot edit (no paths, or paths or a path item
// that is not an object) is a located input error naming NEW, not "internal
// error: the planned edits do not apply".
func TestFixNewWithoutPaths(t *testing.T) {
	old, err := os.ReadFile("testdata/example/old.json")
	require.NoError(t, err)
	head := `{"swagger": "2.0", "info": {"title": "T", "version": "2"}`
	for _, tc := range []struct{ name, new, want string }{
		{"no paths", head + "}", `new.json:1:1: the new definition has no "paths": it has no operations to fix`},
		{"null", head + `, "paths": null}`, `new.json:1:69: "paths" is null, not an object: fix cannot put operations in it`},
		{"array", head + `, "paths": []}`, `new.json:1:69: "paths" is an array, not an object`},
		{"a path item", head + `, "paths": {"/tasks": null}}`, `new.json:1:80: the path item "/tasks" is null, not an object`},
		{"another path item", head + ",\n" + `"paths": {"/x": {}, "/tasks/{taskId}": [1]}}`, `new.json:2:40: the path item "/tasks/{taskId}" is an array`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := connectordiff.Fix(context.Background(), old, []byte(tc.new), connectordiff.WithNames("old.json", "new.json"))
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), err.Error())
			assert.NotContains(t, err.Error(), "internal error")
			var le *connector.LoadError
			assert.ErrorAs(t, err, &le)
		})
	}
	// With nothing to fix, a definition without paths is no error.
	res, err := connectordiff.Fix(context.Background(), []byte(head+"}"), []byte(head+"}"))
	require.NoError(t, err)
	assert.Empty(t, res.Unfixed)
}

package diff

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wideOperation is a definition whose one operation has n query parameters
// named prefix0, prefix1...
func wideOperation(n int, prefix string) string {
	var b strings.Builder
	b.WriteString(`{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/x": {"get": {"operationId": "Get", "parameters": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name": "%s%d", "in": "query", "type": "string"}`, prefix, i)
	}
	b.WriteString(`], "responses": {"200": {"description": "ok"}}}}}}`)
	return b.String()
}

// TestRenamesPairedAtAnyWidth: parameters renamed in place (same position,
// type and required flag) are paired as renames however many there are. The
// pairwise tests used to stop past a budget of candidate pairs (1,200 x 1,200
// was past it), so the same update read as renames when narrow and as
// removals when wide.
func TestRenamesPairedAtAnyWidth(t *testing.T) {
	for _, n := range []int{3, 1200} {
		old := mustLoad(t, "old.json", wideOperation(n, "a"))
		new := mustLoad(t, "new.json", wideOperation(n, "b"))
		changes, err := Compare(context.Background(), old, new)
		require.NoError(t, err)
		kinds := map[Kind]int{}
		for _, c := range changes {
			kinds[c.Kind]++
		}
		assert.Equal(t, map[Kind]int{ParameterRenamed: n}, kinds, "width %d", n)
	}
}

package gate_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// countingFS counts the folder listings asked of it.
type countingFS struct {
	fstest.MapFS
	reads int
}

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	c.reads++
	return c.MapFS.ReadDir(name)
}

// A pull request that adds thousands of files named like a connector's in
// one folder without a definition lists that folder once per side, not once
// per file (which took 25 s at 10,000 files and grew with their square).
func TestConnectorsTouchedListsAFolderOnce(t *testing.T) {
	before := &countingFS{MapFS: fstest.MapFS{"x/README.md": {}, "c/apiDefinition.swagger.json": {}}}
	after := &countingFS{MapFS: fstest.MapFS{"x/README.md": {}, "c/apiDefinition.swagger.json": {}}}
	var changes []gitrepo.FileChange
	for i := range 2000 {
		// apiproperties.json in 2,000 spellings of its case.
		name := []byte("apiproperties.json")
		for b := range 11 {
			if i>>b&1 == 1 {
				name[b] = strings.ToUpper(string(name[b]))[0]
			}
		}
		changes = append(changes, gitrepo.FileChange{Status: 'A', New: "x/" + string(name)})
	}
	changes = append(changes, gitrepo.FileChange{Status: 'M', Old: "c/apiDefinition.swagger.json", New: "c/apiDefinition.swagger.json"})
	got := gate.ConnectorsTouched(changes, before, after)
	assert.Equal(t, []gate.Touched{{Old: "c", New: "c"}}, got, "x holds no definition: not a connector")
	assert.LessOrEqual(t, before.reads+after.reads, 4, "each folder listed at most once per side")
}

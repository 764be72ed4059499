package gate

import (
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// DefaultMaxConnectors is how many connector folders one repository
// comparison takes by default. microsoft/PowerPlatformConnectors, the
// largest connector repository, holds about 1,000 connectors, so a change
// that touches more than twice that is an attack (a commit of a dozen
// objects can name the same folder at 100,000 paths) or a mistake, and
// comparing it would take minutes and gigabytes.
const DefaultMaxConnectors = 2000

// ErrChangeTooLarge: the change touches more connector folders than
// Options.MaxConnectors allows, or names too many files for git to list them.
var ErrChangeTooLarge = errors.New("change too large to compare")

// tooManyConnectors is the error for a change past the cap.
func tooManyConnectors(limit int) error {
	return fmt.Errorf("%w: it touches more than %d connector folders (folders whose %s, %s or %s was added, "+
		"changed or removed; a moved connector counts both its folders), the most one comparison takes: "+
		"compare fewer paths, or raise the limit (--max-connectors N, or the MaxConnectors option)",
		ErrChangeTooLarge, limit, connector.DefinitionFile, connector.PropertiesFile, connector.ScriptFile)
}

// connectorCap returns the cap of a comparison, small enough that the
// sums and products of the checks below cannot overflow.
func (o *Options) connectorCap() int {
	if o.MaxConnectors <= 0 {
		return DefaultMaxConnectors
	}
	return min(o.MaxConnectors, 1<<30)
}

// entriesPerConnector is how many tree entries (files and folders) git
// may compare per connector folder the cap allows. A connector folder holds
// a handful of files (definition, properties, script, icon, readme), so
// fifty each leaves room for the rest of a real change, while a change
// that names a folder of other files at a hundred thousand paths fails as
// fast as one of connector folders.
const entriesPerConnector = 50

// checkTreeCap refuses a change between two trees that touches more
// connector folders than the cap, or that git would take too long to list,
// measuring the tree objects before git lists the change (which, for a
// tree that names one subtree at many paths, takes as long as comparing
// it). A head that is no commit's tree (the work tree, the index) is left
// to checkChangesCap.
func checkTreeCap(rc *Options, base *gitrepo.Tree, head fs.FS, paths []string) error {
	ht, ok := head.(*gitrepo.Tree)
	if !ok || ht.Commit() == "" { // the work tree, or the index
		return nil
	}
	limit := rc.connectorCap()
	maxEntries := limit * entriesPerConnector
	size, err := gitrepo.MeasureChange(base, ht, paths, connector.IsConnectorFile, limit, maxEntries)
	switch {
	case err != nil:
		return err
	case size.Folders > limit:
		return tooManyConnectors(limit)
	case size.Entries > maxEntries:
		return fmt.Errorf("%w: git would compare more than %d files and folders to list it (%d for each "+
			"connector folder allowed): compare fewer paths, or raise the limit (--max-connectors N, "+
			"or the MaxConnectors option)", ErrChangeTooLarge, maxEntries, entriesPerConnector)
	}
	return nil
}

// checkChangesCap refuses a list of changes that touches more connector
// folders than the cap, before any of them is read.
func checkChangesCap(rc *Options, changes []gitrepo.FileChange) error {
	limit := rc.connectorCap()
	folders := map[string]bool{}
	for _, c := range changes {
		for _, p := range []string{c.Old, c.New} {
			if p != "" && connector.IsConnectorFile(p) {
				folders[path.Dir(p)] = true
			}
		}
		if len(folders) > limit {
			return tooManyConnectors(limit)
		}
	}
	return nil
}

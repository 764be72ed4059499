package fix

import (
	"fmt"

	"github.com/connectordiff/connectordiff/diff"
)

// checkFixable refuses a new definition whose operations fix could not
// edit: fix puts operations back into NEW's paths object, and into its path
// items, so each must be an object. Otherwise the planned edits would not
// apply, which used to surface as an internal error.
func checkFixable(nd *diff.Document) error {
	at := func(n *diff.Node, format string, args ...any) error {
		start, _ := nd.Span(n)
		line, col := nd.Position(start)
		return &diff.LoadError{File: nd.Name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	paths := nd.Root.Get("paths")
	if paths == nil {
		return at(nd.Root, `the new definition has no "paths": it has no operations to fix, and nowhere to put the old ones back `+
			`(add "paths": {} to have fix restore them)`)
	}
	if paths.Kind() != diff.Object {
		return at(paths, `"paths" is %s, not an object: fix cannot put operations in it`, kindName(paths))
	}
	for i := range paths.Len() {
		k, v := paths.Member(i)
		if v.Kind() != diff.Object {
			return at(v, `the path item %q is %s, not an object: fix cannot put operations in it`, k.Value(), kindName(v))
		}
	}
	return nil
}

// kindName is "an object", "null"... for messages.
func kindName(n *diff.Node) string {
	switch k := n.Kind(); k {
	case diff.Object, diff.Array:
		return "an " + k.String()
	case diff.Null:
		return "null"
	default:
		return "a " + k.String()
	}
}

package fix

import (
	"fmt"

	"github.com/connectordiff/connectordiff/connector"
)

// checkFixable refuses a new definition whose operations fix could not
// edit: fix puts operations back into NEW's paths object, and into its path
// items, so each must be an object. Otherwise the planned edits would not
// apply, which used to surface as an internal error.
func checkFixable(nd *connector.Document) error {
	at := func(n *connector.Node, format string, args ...any) error {
		start, _ := nd.Span(n)
		line, col := nd.Position(start)
		return &connector.LoadError{File: nd.Name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	paths := nd.Root.Get("paths")
	if paths == nil {
		return at(nd.Root, `the new definition has no "paths": it has no operations to fix, and nowhere to put the old ones back `+
			`(add "paths": {} to have fix restore them)`)
	}
	if paths.Kind() != connector.Object {
		return at(paths, `"paths" is %s, not an object: fix cannot put operations in it`, kindName(paths))
	}
	for i := range paths.Len() {
		k, v := paths.Member(i)
		if v.Kind() != connector.Object {
			return at(v, `the path item %q is %s, not an object: fix cannot put operations in it`, k.Value(), kindName(v))
		}
	}
	return nil
}

// kindName is "an object", "null"... for messages.
func kindName(n *connector.Node) string {
	switch k := n.Kind(); k {
	case connector.Object, connector.Array:
		return "an " + k.String()
	case connector.Null:
		return "null"
	default:
		return "a " + k.String()
	}
}

package connector

import (
	"fmt"
	"sort"

	yaml "github.com/pb33f/go-yaml"
)

// Limits on hostile input. connectordiff runs in review bots and
// certification gates on pull requests anyone can open, so every input must
// load or fail quickly, within memory bounded by its size.
//
//   - Size: LoadOptions.MaxBytes, DefaultMaxBytes (64 MiB) unless raised.
//   - Nesting: MaxNesting levels of objects and arrays; the JSON and YAML
//     parsers refuse deeper input, and every walk of the tree is bounded.
//   - YAML aliases: expanded, but a document whose aliases would make it
//     larger than MaxAliasExpansion nodes (a "billion laughs" bomb) or that
//     nests an alias inside its own anchor is refused with ErrSyntax.
//
// A duplicate key is not an error: the last value counts, as in the JSON
// readers of browsers, .NET and Go, and each ignored key is reported as a Note.

// MaxNesting is the deepest nesting of objects and arrays the loader accepts;
// it is the limit of both parsers behind it (encoding/json and go-yaml).
const MaxNesting = 10000

// MaxAliasExpansion bounds the number of nodes a YAML document may have once
// its aliases are expanded.
const MaxAliasExpansion = 1_000_000

// ErrAliasBomb: a YAML document's aliases expand it beyond MaxAliasExpansion
// nodes, or an alias sits inside the anchor it names. It wraps ErrSyntax.
var ErrAliasBomb = fmt.Errorf("%w: YAML aliases", ErrSyntax)

// expandAliases replaces every alias node under root by the node its anchor
// names, sharing it (the tree becomes a DAG whose expansion is bounded), so
// that the comparison sees a YAML document as the equivalent JSON one. It
// refuses alias cycles and expansions over MaxAliasExpansion nodes.
func expandAliases(name string, root *yaml.Node) error {
	if !hasAlias(root) {
		return nil
	}
	// size is the node count of each node's expansion, saturated at the
	// limit; state marks nodes on the current path (1) and finished (2).
	size := map[*yaml.Node]int{}
	state := map[*yaml.Node]uint8{}
	var measure func(n *yaml.Node) (int, error)
	measure = func(n *yaml.Node) (int, error) {
		alias := n
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		switch state[n] {
		case 1:
			return 0, &LoadError{File: name, Line: alias.Line, Column: alias.Column, Err: ErrAliasBomb,
				Msg: fmt.Sprintf("invalid YAML: alias *%s is inside the anchor &%s it names (a cycle)", alias.Value, alias.Value)}
		case 0:
			state[n] = 1
			total := 1
			for _, c := range n.Content {
				s, err := measure(c)
				if err != nil {
					return 0, err
				}
				total = min(total+s, MaxAliasExpansion+1)
			}
			state[n] = 2
			size[n] = total
		}
		total := size[n]
		if total > MaxAliasExpansion && alias != n {
			return 0, &LoadError{File: name, Line: alias.Line, Column: alias.Column, Err: ErrAliasBomb,
				Msg: fmt.Sprintf("invalid YAML: aliases expand the document to more than %d nodes (alias *%s is where the limit is passed; a \"billion laughs\" bomb?)", MaxAliasExpansion, alias.Value)}
		}
		return total, nil
	}
	total, err := measure(root)
	if err != nil {
		return err
	}
	if total > MaxAliasExpansion {
		return &LoadError{File: name, Line: root.Line, Column: root.Column, Err: ErrAliasBomb,
			Msg: fmt.Sprintf("invalid YAML: aliases expand the document to more than %d nodes (a \"billion laughs\" bomb?)", MaxAliasExpansion)}
	}
	// Every node is now known to be acyclic and bounded: replace the aliases.
	for n := range size {
		for i, c := range n.Content {
			for c.Kind == yaml.AliasNode && c.Alias != nil {
				c = c.Alias
			}
			n.Content[i] = c
		}
	}
	return nil
}

// hasAlias reports whether the tree under n holds an alias node. It walks
// with an explicit stack, so depth costs no goroutine stack.
func hasAlias(n *yaml.Node) bool {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.AliasNode {
			return true
		}
		stack = append(stack, n.Content...)
	}
	return false
}

// dropDuplicateKeys removes, in every mapping of a YAML tree under root,
// each key that the same mapping repeats later, keeping the last value as
// JSON readers do, and returns a Note for each key dropped (up to
// maxNotesPerKind, then a count). JSON input has this done by the scanner.
func dropDuplicateKeys(root *yaml.Node) (notes []Note) {
	dropped := 0
	var first Note
	visited := map[*yaml.Node]bool{} // after alias expansion a node may be shared
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if len(n.Content) == 0 || visited[n] {
			continue
		}
		visited[n] = true
		if n.Kind == yaml.MappingNode {
			dups := duplicateKeys(n)
			for _, d := range dups {
				dropped++
				k, later := n.Content[d.at], n.Content[d.by]
				nt := Note{Line: k.Line, Column: k.Column,
					Message: fmt.Sprintf("duplicate key %q ignored: the same key at %d:%d overrides it (JSON readers keep the last value)", k.Value, later.Line, later.Column)}
				switch {
				case dropped <= maxNotesPerKind:
					notes = append(notes, nt)
				case dropped == maxNotesPerKind+1:
					first = nt
				}
			}
			if len(dups) > 0 {
				removeDuplicates(n, dups)
			}
		}
		// Push children in reverse so that they are visited in document order.
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
	if dropped > maxNotesPerKind {
		first.Message = fmt.Sprintf("and %d more duplicate keys ignored", dropped-maxNotesPerKind)
		notes = append(notes, first)
	}
	return notes
}

// duplicateKeys lists the repeated keys of mapping m, without allocating
// when there are none (nearly always).
func duplicateKeys(m *yaml.Node) []dup {
	c := m.Content
	pairs := len(c) / 2
	var out []dup
	if pairs <= 16 {
		for i := 0; i < pairs; i++ {
			for j := pairs - 1; j > i; j-- { // the last repeat is the one that counts
				if c[2*i].Value == c[2*j].Value && c[2*i].Kind == yaml.ScalarNode && c[2*j].Kind == yaml.ScalarNode {
					out = append(out, dup{2 * i, 2 * j})
					break
				}
			}
		}
		return out
	}
	last := make(map[string]int, pairs)
	for i := pairs - 1; i >= 0; i-- {
		k := c[2*i]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if j, ok := last[k.Value]; ok {
			out = append(out, dup{2 * i, j})
		} else {
			last[k.Value] = 2 * i
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

// removeDuplicates drops the pairs of m whose keys dups lists, in place.
func removeDuplicates(m *yaml.Node, dups []dup) {
	drop := make(map[int]bool, len(dups))
	for _, d := range dups {
		drop[d.at] = true
	}
	kept := m.Content[:0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !drop[i] {
			kept = append(kept, m.Content[i], m.Content[i+1])
		}
	}
	m.Content = kept
}

// refCycleNotes reports each reference (given by its first $ref value node)
// whose chain of pure references loops without reaching a definition: such
// a $ref names nothing, and is compared as absent.
func (d *Document) refCycleNotes(refs []*Node) []Note {
	var notes []Note
	for _, v := range refs {
		target := d.refs[v.val]
		if target == nil {
			continue // reported by lookupRef
		}
		if n, _ := d.Resolve(target, ""); n == nil {
			line, col := d.lineCol(v.start)
			notes = append(notes, Note{Line: line, Column: col,
				Message: fmt.Sprintf("$ref %q is a cycle of references that never reaches a definition; what it names is compared as absent", v.val)})
		}
	}
	return notes
}

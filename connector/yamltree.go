package connector

import (
	"sort"
	"strings"

	yaml "github.com/pb33f/go-yaml"
)

// YAML input keeps the YAML parser's node tree for what only YAML has
// (aliases, tags, its own duplicate keys and errors); once that is done the
// tree is copied into Nodes, with offsets derived from the parser's lines and
// columns through the line table, so that comparison sees one kind of tree.
// A span's start is exact; its end is where the node's text ends as far as
// its last scalar tells (YAML has no closing brace to point at).

// yamlConverter copies a yaml.Node tree (aliases already expanded, so a DAG)
// into Nodes.
type yamlConverter struct {
	src    string
	text   *text
	arena  []Node
	shared map[*yaml.Node][]Node // converted children of nodes reached twice
}

func convertYAML(t *text, root *yaml.Node, aliased bool) *Node {
	c := &yamlConverter{src: t.src, text: t}
	if aliased {
		c.shared = map[*yaml.Node][]Node{}
	}
	out := new(Node)
	c.convert(out, root)
	return out
}

func (c *yamlConverter) convert(out *Node, n *yaml.Node) {
	start := c.text.offset(n.Line, n.Column)
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		kind := Object
		if n.Kind == yaml.SequenceNode {
			kind = Array
		}
		kids, done := c.shared[n]
		if !done && len(n.Content) > 0 {
			kids = c.alloc(len(n.Content))
			for i, k := range n.Content {
				c.convert(&kids[i], k)
			}
			if c.shared != nil {
				c.shared[n] = kids
			}
		}
		end := start + 1
		if len(kids) > 0 {
			end = max(end, kids[len(kids)-1].end)
		}
		if n.Style&yaml.FlowStyle != 0 {
			// A flow collection ends at its closing bracket, after the last child.
			closer := "}"
			if kind == Array {
				closer = "]"
			}
			if i := strings.Index(c.src[min(int(end), len(c.src)):], closer); i >= 0 {
				end += uint32(i) + 1
			}
		}
		*out = Node{start: start, end: end, kind: kind}
		out.setKids(kids)
	case yaml.ScalarNode:
		*out = Node{val: n.Value, start: start, kind: String,
			quoted: n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0}
		switch n.Tag {
		case "!!str":
		case "!!int":
			out.kind, out.tag = Number, tagInt
		case "!!float":
			out.kind, out.tag = Number, tagFloat
		case "!!bool":
			out.kind = Bool
		case "!!null":
			out.kind = Null
		default:
			out.tag = tagOther
		}
		out.end = c.scalarEnd(start, n)
	default:
		*out = Node{start: start, end: start, kind: Null}
	}
}

// alloc carves n nodes from the current backing array.
func (c *yamlConverter) alloc(n int) []Node {
	if cap(c.arena)-len(c.arena) < n {
		c.arena = make([]Node, 0, max(arenaChunk, n))
	}
	at := len(c.arena)
	c.arena = c.arena[:at+n]
	return c.arena[at : at+n : at+n]
}

// scalarEnd finds where a scalar's text ends: after the closing quote of a
// quoted one, at the end of the line of a plain one, past the indented
// lines of a block one.
func (c *yamlConverter) scalarEnd(start uint32, n *yaml.Node) uint32 {
	src := c.src
	i := int(start)
	if i >= len(src) {
		return uint32(len(src))
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		for j := i + 1; j < len(src); j++ {
			if src[j] == '\\' {
				j++
			} else if src[j] == '"' {
				return uint32(j + 1)
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		for j := i + 1; j < len(src); j++ {
			if src[j] == '\'' {
				if j+1 < len(src) && src[j+1] == '\'' {
					j++
					continue
				}
				return uint32(j + 1)
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// The indicator line, then every line more indented than the key.
		lines := c.text.lines
		line := sort.Search(len(lines), func(l int) bool { return lines[l] > start }) // 1-based
		end := lineEnd(src, i)
		for l := line; l < len(lines); l++ {
			next := int(lines[l])
			text := src[next:lineEnd(src, next)]
			if strings.TrimSpace(text) == "" {
				continue
			}
			if text[0] != ' ' && text[0] != '\t' {
				break
			}
			end = lineEnd(src, next)
		}
		return uint32(end)
	default:
		// A plain scalar ends before a comment, a flow indicator or the line end.
		if v := n.Value; v != "" && strings.HasPrefix(src[i:], v) {
			return uint32(i + len(v))
		}
		return uint32(lineEnd(src, i))
	}
	return uint32(len(src))
}

// lineEnd returns the offset of the line break ending the line at i.
func lineEnd(src string, i int) int {
	if j := strings.IndexAny(src[i:], "\r\n"); j >= 0 {
		return i + j
	}
	return len(src)
}

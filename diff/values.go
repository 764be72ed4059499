package diff

import (
	"sort"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Comparing values: as sets, by the keys that matter, and naming what
// differs inside a compound value.

// isDocKey names the keys that only document a value, which no caller sees.
func isDocKey(k string) bool {
	switch k {
	case "description", "summary", "x-ms-summary", "title", "example", "examples", "x-ms-test-value":
		return true
	}
	return false
}

// scalarOrRender shows a scalar as its value and anything else compactly.
func scalarOrRender(n *connector.Node) string {
	if n != nil && n.IsScalar() {
		return n.Value()
	}
	return n.Compact()
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[strings.ToLower(x)]++
	}
	for _, x := range b {
		m[strings.ToLower(x)]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func keys(m *connector.Node) []string {
	var out []string
	pairs(m, func(k, _ *connector.Node) { out = append(out, k.Value()) })
	return out
}

func quoteAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = strconv.Quote(s)
	}
	return out
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// setKeys name the lists of apiProperties.json whose order means nothing.
var setKeys = map[string]bool{"scopes": true, "capabilities": true, "scriptOperations": true}

// nodeDiff names what differs between two node trees, one entry per
// changed leaf or member ("scopes: [a] -> [a, b]", "clientId changed"),
// so that a finding says what changed rather than showing two blobs.
func nodeDiff(a, b *connector.Node, ignore func(string) bool) []string {
	return diffNodes(a, b, ignore, false)
}

// nodeDiffSets is nodeDiff for apiProperties.json, where the lists named in
// setKeys are sets, scopes may be one space-separated string, and a mapping
// holding only ignored keys counts as absent.
func nodeDiffSets(a, b *connector.Node, ignore func(string) bool) []string {
	return diffNodes(a, b, ignore, true)
}

func diffNodes(a, b *connector.Node, ignore func(string) bool, sets bool) []string {
	var out []string
	var walk func(path string, a, b *connector.Node, depth int)
	walk = func(path string, a, b *connector.Node, depth int) {
		if sets {
			// An absent mapping is an empty one, so that a new mapping of
			// labels only (displayName, tooltip) is no change.
			if a == nil && isObject(b) {
				a = emptyObject
			} else if b == nil && isObject(a) {
				b = emptyObject
			}
			key := path[strings.LastIndex(path, ".")+1:]
			if setKeys[key] && a != nil && b != nil && sameSet(words(a), words(b)) {
				return
			}
		}
		if len(out) >= 20 || connector.Equivalent(a, b, ignore) {
			return
		}
		label := path
		if label == "" {
			label = "value"
		}
		switch {
		case a == nil:
			out = append(out, label+" added: "+b.Compact())
		case b == nil:
			out = append(out, label+" removed (was "+a.Compact()+")")
		case a.Kind() == connector.Object && b.Kind() == connector.Object && depth < 8:
			var keys []string
			seen := map[string]bool{}
			for _, m := range []*connector.Node{a, b} {
				pairs(m, func(k, _ *connector.Node) {
					if !seen[k.Value()] && (ignore == nil || !ignore(k.Value())) {
						seen[k.Value()] = true
						keys = append(keys, k.Value())
					}
				})
			}
			sort.Strings(keys)
			for _, k := range keys {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, get(a, k), get(b, k), depth+1)
			}
		default:
			out = append(out, label+": "+a.Compact()+" -> "+b.Compact())
		}
	}
	walk("", a, b, 0)
	return out
}

// words lists the items of a list node, splitting scalars on white space
// (OAuth scopes are written both ways).
func words(n *connector.Node) []string {
	if n.IsScalar() {
		return strings.Fields(n.Value())
	}
	var out []string
	switch n.Kind() {
	case connector.Array:
		for i := range n.Len() {
			out = append(out, strings.Fields(n.Elem(i).Value())...)
		}
	case connector.Object: // keys and values alike
		for i := range n.Len() {
			k, v := n.Member(i)
			out = append(out, strings.Fields(k.Value())...)
			out = append(out, strings.Fields(v.Value())...)
		}
	}
	return out
}

// emptyObject is an empty mapping, read like any other: where an absent
// mapping means an empty one, it stands for it.
var emptyObject = func() *connector.Node {
	p, err := connector.LoadProperties("{}", []byte("{}"), connector.LoadOptions{})
	if err != nil {
		panic(err)
	}
	return p.Root
}()

package connectordiff_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/fix"
	"github.com/connectordiff/connectordiff/internal/corpus"
)

// A mutation plants one breaking change in a real connector definition
// (the old side) by editing its text, which makes the new side of an
// update. Each returns the operations that plant it, or false when the
// definition has no place for it.
type mutation struct {
	name string // the rule it plants, and a variant
	rule string
	// opts are the fix options the mutation is measured under (a profile,
	// --version-path).
	opts   fixOptions
	plant  func(m *mdoc) ([]fix.Op, bool)
	suffix string // shown after the rule in the table: the mode
}

// mdoc is a definition being mutated, with what the mutations look for.
type mdoc struct {
	d   *connector.Document
	ops []mop
}

type mop struct {
	id, method, path string
	ptr, itemPtr     string
	node, item       *connector.Node
}

func esc(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}

func at(root *connector.Node, p string) *connector.Node {
	n := root
	if p == "" {
		return n
	}
	for _, tok := range strings.Split(p[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		if n == nil {
			return nil
		}
		switch n.Kind() {
		case connector.Object:
			n = n.Get(tok)
		case connector.Array:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= n.Len() {
				return nil
			}
			n = n.Elem(i)
		default:
			return nil
		}
	}
	return n
}

func (m *mdoc) resolve(n *connector.Node, p string) (*connector.Node, string) {
	for i := 0; n != nil && n.Kind() == connector.Object && i < 20; i++ {
		r := n.Get("$ref")
		if r == nil || r.Kind() != connector.String || !strings.HasPrefix(r.Value(), "#/") {
			return n, p
		}
		p = r.Value()[1:]
		n = at(m.d.Root, p)
	}
	return n, p
}

func sval(n *connector.Node, key string) string {
	if n == nil || n.Kind() != connector.Object {
		return ""
	}
	v := n.Get(key)
	if v == nil || v.Kind() == connector.Object || v.Kind() == connector.Array {
		return ""
	}
	return v.Value()
}

func newMdoc(d *connector.Document) *mdoc {
	m := &mdoc{d: d}
	paths := d.Root.Get("paths")
	if paths == nil || paths.Kind() != connector.Object {
		return m
	}
	seen := map[string]bool{}
	for i := 0; i < paths.Len(); i++ {
		k, item := paths.Member(i)
		if !strings.HasPrefix(k.Value(), "/") || item.Kind() != connector.Object || item.Get("$ref") != nil {
			continue
		}
		itemPtr := "/paths/" + esc(k.Value())
		for _, meth := range []string{"get", "put", "post", "delete", "options", "head", "patch"} {
			n := item.Get(meth)
			if n == nil || n.Kind() != connector.Object {
				continue
			}
			id := sval(n, "operationId")
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			m.ops = append(m.ops, mop{id: id, method: meth, path: k.Value(), ptr: itemPtr + "/" + meth, itemPtr: itemPtr, node: n, item: item})
		}
	}
	return m
}

// visible returns the operations users see (not internal, not deprecated),
// which planted changes break.
func (m *mdoc) visible() []mop {
	var out []mop
	for _, o := range m.ops {
		if sval(o.node, "x-ms-visibility") != "internal" && sval(o.node, "deprecated") != "true" && o.node.Get("x-ms-trigger") == nil {
			out = append(out, o)
		}
	}
	return out
}

func (m *mdoc) text(p string) string {
	t, err := fix.Text(m.d, p)
	if err != nil {
		panic(err)
	}
	return t
}

// removeOp removes an operation, and its path item when nothing else is
// left in it.
func (m *mdoc) removeOp(o mop) fix.Op {
	others := 0
	for i := 0; i < o.item.Len(); i++ {
		k, _ := o.item.Member(i)
		if k.Value() != o.method && k.Value() != "parameters" {
			others++
		}
	}
	if others == 0 {
		return fix.Op{Op: "remove", Path: o.itemPtr}
	}
	return fix.Op{Op: "remove", Path: o.ptr}
}

// param is an operation's own parameter, resolved.
type mparam struct {
	op       mop
	slotPtr  string
	node     *connector.Node
	ptr      string
	inline   bool
	required bool
}

func (m *mdoc) params(o mop) []mparam {
	list := o.node.Get("parameters")
	if list == nil || list.Kind() != connector.Array {
		return nil
	}
	var out []mparam
	for i := 0; i < list.Len(); i++ {
		sp := o.ptr + "/parameters/" + strconv.Itoa(i)
		n, p := m.resolve(list.Elem(i), sp)
		if n == nil || n.Kind() != connector.Object {
			continue
		}
		out = append(out, mparam{op: o, slotPtr: sp, node: n, ptr: p, inline: p == sp, required: sval(n, "required") == "true"})
	}
	return out
}

// findParam returns the first visible own parameter of a visible
// operation that ok accepts.
func (m *mdoc) findParam(ok func(p mparam) bool) (mparam, bool) {
	for _, o := range m.visible() {
		for _, p := range m.params(o) {
			if sval(p.node, "x-ms-visibility") == "internal" {
				continue
			}
			if ok(p) {
				return p, true
			}
		}
	}
	return mparam{}, false
}

// props returns the properties container of the schema at p (resolved) and
// its pointer, and the schema's required names.
func (m *mdoc) props(s *connector.Node, p string) (*connector.Node, string, map[string]bool) {
	s, p = m.resolve(s, p)
	if s == nil || s.Kind() != connector.Object {
		return nil, "", nil
	}
	req := map[string]bool{}
	if r := s.Get("required"); r != nil && r.Kind() == connector.Array {
		for i := 0; i < r.Len(); i++ {
			req[r.Elem(i).Value()] = true
		}
	}
	pr := s.Get("properties")
	if pr == nil || pr.Kind() != connector.Object || pr.Len() == 0 {
		return nil, "", nil
	}
	return pr, p + "/properties", req
}

// plain reports whether a property is one users see and set.
func plain(n *connector.Node) bool {
	return n.Kind() == connector.Object && sval(n, "x-ms-visibility") != "internal" && sval(n, "readOnly") != "true" &&
		n.Get("$ref") == nil
}

// bodySchema returns the schema of a visible operation's body parameter.
func (m *mdoc) bodySchemas() []struct {
	op  mop
	s   *connector.Node
	ptr string
} {
	var out []struct {
		op  mop
		s   *connector.Node
		ptr string
	}
	for _, o := range m.visible() {
		for _, p := range m.params(o) {
			if sval(p.node, "in") == "body" && sval(p.node, "x-ms-visibility") != "internal" && p.node.Get("schema") != nil {
				out = append(out, struct {
					op  mop
					s   *connector.Node
					ptr string
				}{o, p.node.Get("schema"), p.ptr + "/schema"})
			}
		}
	}
	return out
}

// outputSchemas returns the primary success response schema of each visible
// operation.
func (m *mdoc) outputSchemas() []struct {
	op  mop
	s   *connector.Node
	ptr string
} {
	var out []struct {
		op  mop
		s   *connector.Node
		ptr string
	}
	for _, o := range m.visible() {
		rs := o.node.Get("responses")
		if rs == nil || rs.Kind() != connector.Object {
			continue
		}
		var codes []string
		for i := 0; i < rs.Len(); i++ {
			if k, _ := rs.Member(i); len(k.Value()) == 3 && k.Value()[0] == '2' {
				codes = append(codes, k.Value())
			}
		}
		sort.Strings(codes)
		if len(codes) == 0 {
			continue
		}
		r, rp := m.resolve(rs.Get(codes[0]), o.ptr+"/responses/"+esc(codes[0]))
		if r == nil || r.Get("schema") == nil {
			continue
		}
		out = append(out, struct {
			op  mop
			s   *connector.Node
			ptr string
		}{o, r.Get("schema"), rp + "/schema"})
	}
	return out
}

// property finds a property of one of the schemas that ok accepts.
func (m *mdoc) property(schemas []struct {
	op  mop
	s   *connector.Node
	ptr string
}, ok func(name string, n *connector.Node, required bool) bool) (container string, name string, found bool) {
	for _, s := range schemas {
		pr, pp, req := m.props(s.s, s.ptr)
		if pr == nil {
			continue
		}
		for i := 0; i < pr.Len(); i++ {
			k, v := pr.Member(i)
			if ok(k.Value(), v, req[k.Value()]) {
				return pp, k.Value(), true
			}
		}
	}
	return "", "", false
}

var certification = fixOptions{compare: []connectordiff.Option{connectordiff.WithProfile(breaking.ProfileCertification)}}
var versionPath = fixOptions{fix: []connectordiff.Option{connectordiff.FixVersionPath("/v2")}}

// mutations is the planted set: every rule fix has a remedy for, and a few
// it has none for, each in the mode that can fix it.
func mutations() []mutation {
	ms := []mutation{
		{name: "operation-removed", rule: "operation-removed", plant: func(m *mdoc) ([]fix.Op, bool) {
			v := m.visible()
			if len(v) == 0 {
				return nil, false
			}
			return []fix.Op{m.removeOp(v[len(v)/2])}, true
		}},
		{name: "operation-id-changed", rule: "operation-id-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			v := m.visible()
			if len(v) == 0 {
				return nil, false
			}
			o := v[0]
			return []fix.Op{{Op: "replace", Path: o.ptr + "/operationId", Value: strconv.Quote(o.id + "Renamed")}}, true
		}},
		{name: "operation-path-changed", rule: "operation-path-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			v := m.visible()
			if len(v) == 0 {
				return nil, false
			}
			o := v[len(v)-1]
			np := "/moved" + o.path
			if at(m.d.Root, "/paths/"+esc(np)) != nil {
				return nil, false
			}
			if m.removeOp(o).Path == o.itemPtr {
				return []fix.Op{{Op: "move", From: o.itemPtr, Path: "/paths/" + esc(np)}}, true
			}
			members := [][2]string{}
			if sp := o.item.Get("parameters"); sp != nil {
				members = append(members, [2]string{"parameters", m.text(o.itemPtr + "/parameters")})
			}
			members = append(members, [2]string{o.method, m.text(o.ptr)})
			return []fix.Op{m.removeOp(o), {Op: "add", Path: "/paths/" + esc(np), Value: objText(members)}}, true
		}},
		{name: "operation-method-changed", rule: "operation-method-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			for _, o := range m.visible() {
				for _, to := range []string{"post", "put", "patch"} {
					if o.item.Get(to) == nil && o.method != to {
						return []fix.Op{{Op: "move", From: o.ptr, Path: o.itemPtr + "/" + to}}, true
					}
				}
			}
			return nil, false
		}},
		{name: "parameter-removed", rule: "parameter-removed", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool {
				in := sval(p.node, "in")
				return in != "path" && in != "body"
			})
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "remove", Path: p.slotPtr}}, true
		}},
		{name: "parameter-renamed (body)", rule: "parameter-renamed", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool { return sval(p.node, "in") == "body" && p.inline })
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "replace", Path: p.ptr + "/name", Value: strconv.Quote(sval(p.node, "name") + "Renamed")}}, true
		}},
		{name: "parameter-required-added (an enum of one)", rule: "parameter-required-added", plant: func(m *mdoc) ([]fix.Op, bool) {
			v := m.visible()
			if len(v) == 0 {
				return nil, false
			}
			o := v[0]
			param := `{"name": "mutationMode", "in": "query", "required": true, "type": "string", "enum": ["strict"]}`
			if o.node.Get("parameters") == nil {
				return []fix.Op{{Op: "add", Path: o.ptr + "/parameters", Value: "[" + param + "]"}}, true
			}
			return []fix.Op{{Op: "add", Path: o.ptr + "/parameters/-", Value: param}}, true
		}},
		{name: "parameter-became-required (had a default)", rule: "parameter-became-required", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool {
				in := sval(p.node, "in")
				return p.inline && !p.required && in != "body" && in != "path" && p.node.Get("default") != nil
			})
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "remove", Path: p.ptr + "/default"}, {Op: "add", Path: p.ptr + "/required", Value: "true"}}, true
		}},
		{name: "parameter-enum-narrowed", rule: "parameter-enum-narrowed", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool {
				e := p.node.Get("enum")
				return e != nil && e.Kind() == connector.Array && e.Len() >= 2 && sval(p.node, "type") != "array"
			})
			if ok {
				return []fix.Op{{Op: "remove", Path: p.ptr + "/enum/" + strconv.Itoa(p.node.Get("enum").Len()-1)}}, true
			}
			c, name, ok := m.property(m.bodySchemas(), func(_ string, n *connector.Node, _ bool) bool {
				e := n.Get("enum")
				return plain(n) && e != nil && e.Kind() == connector.Array && e.Len() >= 2
			})
			if !ok {
				return nil, false
			}
			e := at(m.d.Root, c+"/"+esc(name)+"/enum")
			return []fix.Op{{Op: "remove", Path: c + "/" + esc(name) + "/enum/" + strconv.Itoa(e.Len()-1)}}, true
		}},
		{name: "parameter-made-internal", rule: "parameter-made-internal", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool {
				return p.required && p.node.Get("default") == nil && sval(p.node, "in") != "body"
			})
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "add", Path: p.ptr + "/x-ms-visibility", Value: `"internal"`}}, true
		}},
		{name: "request-body-property-removed", rule: "request-body-property-removed", plant: func(m *mdoc) ([]fix.Op, bool) {
			c, name, ok := m.property(m.bodySchemas(), func(_ string, n *connector.Node, req bool) bool { return !req && plain(n) })
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "remove", Path: c + "/" + esc(name)}}, true
		}},
		{name: "request-body-required-added (an enum of one)", rule: "request-body-required-added", plant: func(m *mdoc) ([]fix.Op, bool) {
			for _, b := range m.bodySchemas() {
				s, sp := m.resolve(b.s, b.ptr)
				if s == nil || s.Get("properties") == nil || s.Get("properties").Kind() != connector.Object {
					continue
				}
				ops := []fix.Op{{Op: "add", Path: sp + "/properties/mutationMode", Value: `{"type": "string", "enum": ["strict"]}`}}
				if r := s.Get("required"); r != nil && r.Kind() == connector.Array {
					ops = append(ops, fix.Op{Op: "add", Path: sp + "/required/-", Value: `"mutationMode"`})
				} else {
					ops = append(ops, fix.Op{Op: "add", Path: sp + "/required", Value: `["mutationMode"]`})
				}
				return ops, true
			}
			return nil, false
		}},
		{name: "response-property-removed (optional)", rule: "response-property-removed", plant: func(m *mdoc) ([]fix.Op, bool) {
			c, name, ok := m.property(m.outputSchemas(), func(_ string, n *connector.Node, req bool) bool { return !req && plain(n) })
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "remove", Path: c + "/" + esc(name)}}, true
		}},
		{name: "response-schema-removed", rule: "response-schema-removed", plant: func(m *mdoc) ([]fix.Op, bool) {
			for _, s := range m.outputSchemas() {
				if !strings.HasPrefix(s.ptr, "/paths/") {
					continue // a shared response: removing its schema reaches other operations
				}
				if pr, _, _ := m.props(s.s, s.ptr); pr != nil {
					return []fix.Op{{Op: "remove", Path: s.ptr}}, true
				}
			}
			return nil, false
		}},
		{name: "response-removed", rule: "response-removed", plant: func(m *mdoc) ([]fix.Op, bool) {
			for _, o := range m.visible() {
				rs := o.node.Get("responses")
				if rs == nil || rs.Kind() != connector.Object || rs.Get("200") == nil || rs.Get("400") != nil {
					continue
				}
				n2 := 0
				for i := 0; i < rs.Len(); i++ {
					if k, _ := rs.Member(i); strings.HasPrefix(k.Value(), "2") {
						n2++
					}
				}
				if n2 == 1 {
					return []fix.Op{{Op: "move", From: o.ptr + "/responses/200", Path: o.ptr + "/responses/400"}}, true
				}
			}
			return nil, false
		}},
		{name: "dynamic-values-target-removed", rule: "dynamic-values-target-removed", plant: func(m *mdoc) ([]fix.Op, bool) {
			byID := map[string]mop{}
			for _, o := range m.ops {
				byID[o.id] = o
			}
			var target string
			var walk func(n *connector.Node)
			walk = func(n *connector.Node) {
				if target != "" || n == nil {
					return
				}
				switch n.Kind() {
				case connector.Object:
					if dv := n.Get("x-ms-dynamic-values"); dv != nil {
						if id := sval(dv, "operationId"); id != "" {
							if _, ok := byID[id]; ok {
								target = id
								return
							}
						}
					}
					for i := 0; i < n.Len(); i++ {
						_, v := n.Member(i)
						walk(v)
					}
				case connector.Array:
					for i := 0; i < n.Len(); i++ {
						walk(n.Elem(i))
					}
				}
			}
			walk(m.d.Root.Get("paths"))
			if target == "" {
				return nil, false
			}
			return []fix.Op{m.removeOp(byID[target])}, true
		}},
		{name: "version-decreased", rule: "version-decreased", plant: func(m *mdoc) ([]fix.Op, bool) {
			v := sval(m.d.Root.Get("info"), "version")
			i := strings.IndexAny(v, "123456789")
			if i < 0 {
				return nil, false
			}
			return []fix.Op{{Op: "replace", Path: "/info/version", Value: strconv.Quote(v[:i] + string(v[i]-1) + v[i+1:])}}, true
		}},
		{name: "operation-made-internal", rule: "operation-made-internal", opts: certification, suffix: "certification",
			plant: func(m *mdoc) ([]fix.Op, bool) {
				v := m.visible()
				if len(v) == 0 {
					return nil, false
				}
				return []fix.Op{{Op: "add", Path: v[0].ptr + "/x-ms-visibility", Value: `"internal"`}}, true
			}},
		{name: "trigger-changed", rule: "trigger-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			for _, o := range m.ops {
				if t := sval(o.node, "x-ms-trigger"); t == "single" || t == "batch" {
					to := map[string]string{"single": `"batch"`, "batch": `"single"`}[t]
					return []fix.Op{{Op: "replace", Path: o.ptr + "/x-ms-trigger", Value: to}}, true
				}
			}
			return nil, false
		}},
		{name: "security-changed", rule: "security-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			sd := m.d.Root.Get("securityDefinitions")
			if sd == nil || sd.Kind() != connector.Object || sd.Len() == 0 {
				return nil, false
			}
			k, v := sd.Member(0)
			to := `"basic"`
			if sval(v, "type") == "basic" {
				to = `"apiKey"`
			}
			return []fix.Op{{Op: "replace", Path: "/securityDefinitions/" + esc(k.Value()) + "/type", Value: to}}, true
		}},
	}
	// Changes that need an operation of their own: planted as they are (left
	// to a human, the route being the same), and again with --version-path.
	reshapes := []mutation{
		{name: "parameter-renamed (query)", rule: "parameter-renamed", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool { return sval(p.node, "in") == "query" && p.inline })
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "replace", Path: p.ptr + "/name", Value: strconv.Quote(sval(p.node, "name") + "Renamed")}}, true
		}},
		{name: "parameter-location-changed", rule: "parameter-location-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool { return sval(p.node, "in") == "query" && p.inline })
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "replace", Path: p.ptr + "/in", Value: `"header"`}}, true
		}},
		{name: "parameter-required-added (no default)", rule: "parameter-required-added", plant: func(m *mdoc) ([]fix.Op, bool) {
			v := m.visible()
			if len(v) == 0 {
				return nil, false
			}
			o := v[0]
			param := `{"name": "mutationKey", "in": "query", "required": true, "type": "string"}`
			if o.node.Get("parameters") == nil {
				return []fix.Op{{Op: "add", Path: o.ptr + "/parameters", Value: "[" + param + "]"}}, true
			}
			return []fix.Op{{Op: "add", Path: o.ptr + "/parameters/-", Value: param}}, true
		}},
		{name: "parameter-type-changed", rule: "parameter-type-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool {
				return sval(p.node, "in") == "query" && sval(p.node, "type") == "string" && p.node.Get("enum") == nil && p.node.Get("format") == nil
			})
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "replace", Path: p.ptr + "/type", Value: `"integer"`}}, true
		}},
		{name: "parameter-format-changed", rule: "parameter-format-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool {
				return sval(p.node, "in") == "query" && sval(p.node, "type") == "string" && p.node.Get("format") == nil && p.node.Get("enum") == nil
			})
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "add", Path: p.ptr + "/format", Value: `"date-time"`}}, true
		}},
		{name: "parameter-enum-narrowed (enum introduced)", rule: "parameter-enum-narrowed", plant: func(m *mdoc) ([]fix.Op, bool) {
			p, ok := m.findParam(func(p mparam) bool {
				return sval(p.node, "in") == "query" && sval(p.node, "type") == "string" && p.node.Get("enum") == nil
			})
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "add", Path: p.ptr + "/enum", Value: `["mutated"]`}}, true
		}},
		{name: "request-body-type-changed", rule: "request-body-type-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			c, name, ok := m.property(m.bodySchemas(), func(_ string, n *connector.Node, _ bool) bool {
				return plain(n) && sval(n, "type") == "string" && n.Get("format") == nil
			})
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "replace", Path: c + "/" + esc(name) + "/type", Value: `"integer"`}}, true
		}},
		{name: "request-restructured", rule: "request-restructured", plant: func(m *mdoc) ([]fix.Op, bool) {
			return m.wrap(m.bodySchemas())
		}},
		{name: "response-property-removed (required)", rule: "response-property-removed", plant: func(m *mdoc) ([]fix.Op, bool) {
			for _, s := range m.outputSchemas() {
				ss, sp := m.resolve(s.s, s.ptr)
				pr, pp, req := m.props(s.s, s.ptr)
				if pr == nil || ss == nil {
					continue
				}
				for i := 0; i < pr.Len(); i++ {
					k, v := pr.Member(i)
					if !req[k.Value()] && plain(v) {
						ops := []fix.Op{{Op: "remove", Path: pp + "/" + esc(k.Value())}}
						// make it required in the old side is not possible; remove a required one instead
						_ = sp
						_ = ops
					}
					if req[k.Value()] && plain(v) {
						r := ss.Get("required")
						for j := 0; j < r.Len(); j++ {
							if r.Elem(j).Value() == k.Value() {
								op := fix.Op{Op: "remove", Path: sp + "/required/" + strconv.Itoa(j)}
								if r.Len() == 1 {
									op = fix.Op{Op: "remove", Path: sp + "/required"}
								}
								return []fix.Op{{Op: "remove", Path: pp + "/" + esc(k.Value())}, op}, true
							}
						}
					}
				}
			}
			return nil, false
		}},
		{name: "response-property-type-changed", rule: "response-property-type-changed", plant: func(m *mdoc) ([]fix.Op, bool) {
			c, name, ok := m.property(m.outputSchemas(), func(_ string, n *connector.Node, _ bool) bool {
				return plain(n) && sval(n, "type") == "string"
			})
			if !ok {
				return nil, false
			}
			return []fix.Op{{Op: "replace", Path: c + "/" + esc(name) + "/type", Value: `"integer"`}}, true
		}},
		{name: "response-restructured", rule: "response-restructured", plant: func(m *mdoc) ([]fix.Op, bool) {
			return m.wrap(m.outputSchemas())
		}},
		{name: "response-property-format-changed", rule: "response-property-format-changed", opts: certification, suffix: "certification",
			plant: func(m *mdoc) ([]fix.Op, bool) {
				c, name, ok := m.property(m.outputSchemas(), func(_ string, n *connector.Node, _ bool) bool {
					return plain(n) && sval(n, "type") == "string" && n.Get("format") == nil
				})
				if !ok {
					return nil, false
				}
				return []fix.Op{{Op: "add", Path: c + "/" + esc(name) + "/format", Value: `"date-time"`}}, true
			}},
	}
	for _, r := range reshapes {
		ms = append(ms, r)
		v := r
		v.opts = r.opts.plus(versionPath)
		v.suffix = strings.TrimPrefix(r.suffix+", --version-path /v2", ", ")
		ms = append(ms, v)
	}
	return ms
}

// wrap moves two properties of one of the schemas under a new "data"
// property.
func (m *mdoc) wrap(schemas []struct {
	op  mop
	s   *connector.Node
	ptr string
}) ([]fix.Op, bool) {
	for _, s := range schemas {
		pr, pp, _ := m.props(s.s, s.ptr)
		if pr == nil || pr.Len() < 3 || pr.Get("data") != nil {
			continue
		}
		k0, v0 := pr.Member(0)
		k2, v2 := pr.Member(2)
		if !plain(v0) || !plain(v2) || sval(v0, "type") == "" || sval(v2, "type") == "" {
			continue
		}
		inner := objText([][2]string{{k0.Value(), m.text(pp + "/" + esc(k0.Value()))}, {k2.Value(), m.text(pp + "/" + esc(k2.Value()))}})
		data := objText([][2]string{{"type", `"object"`}, {"properties", inner}})
		return []fix.Op{{Op: "remove", Path: pp + "/" + esc(k0.Value())}, {Op: "remove", Path: pp + "/" + esc(k2.Value())},
			{Op: "add", Path: pp + "/data", Value: data}}, true
	}
	return nil, false
}

// objText writes a JSON object of canonical members, one tab a level.
func objText(members [][2]string) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i, mm := range members {
		b.WriteString("\t" + strconv.Quote(mm[0]) + ": " + strings.ReplaceAll(mm[1], "\n", "\n\t"))
		if i < len(members)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}")
	return b.String()
}

// fixTally counts findings of one rule (in one mode) over a sweep.
type fixTally struct {
	findings, fixed, human, broken int
	reasons                        map[string]int
}

type fixTable map[string]*fixTally

func (tb fixTable) add(row string) *fixTally {
	if tb[row] == nil {
		tb[row] = &fixTally{reasons: map[string]int{}}
	}
	return tb[row]
}

// record counts a fix result by rule: every breaking finding of the
// update, fixed or left to a human (with the first words of its reason),
// and a case whose proof failed under the rule planted.
func (tb fixTable) record(suffix, planted string, res *fix.Result, problems []string) {
	row := func(rule string) string {
		if suffix == "" {
			return rule
		}
		return rule + " (" + suffix + ")"
	}
	for _, f := range res.Fixed {
		if f.Surfaced {
			continue // not among the update's findings: counted neither way
		}
		t := tb.add(row(f.Rule))
		t.findings++
		t.fixed++
	}
	for _, f := range res.Unfixed {
		if f.Surfaced {
			continue
		}
		t := tb.add(row(f.Rule))
		t.findings++
		t.human++
		t.reasons[shortReason(f.Reason)]++
	}
	if len(problems) > 0 {
		tb.add(row(planted)).broken++
	}
}

func shortReason(r string) string {
	if i := strings.IndexAny(r, ":;("); i > 0 {
		r = r[:i]
	}
	if len(r) > 70 {
		r = r[:70] + "…"
	}
	return strings.TrimSpace(r)
}

func (tb fixTable) String() string {
	var rows []string
	for k := range tb {
		rows = append(rows, k)
	}
	sort.Strings(rows)
	var b strings.Builder
	fmt.Fprintf(&b, "| rule | findings | fixed | left to a human | invalid or still broken | why left |\n|---|---|---|---|---|---|\n")
	var tot fixTally
	for _, r := range rows {
		t := tb[r]
		tot.findings += t.findings
		tot.fixed += t.fixed
		tot.human += t.human
		tot.broken += t.broken
		var why []string
		for k, n := range t.reasons {
			why = append(why, fmt.Sprintf("%s (%d)", k, n))
		}
		sort.Strings(why)
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %s |\n", r, t.findings, t.fixed, t.human, t.broken, strings.Join(why, "; "))
	}
	fmt.Fprintf(&b, "| total | %d | %d (%.0f%%) | %d | %d | |\n", tot.findings, tot.fixed, 100*float64(tot.fixed)/float64(max(1, tot.findings)),
		tot.human, tot.broken)
	return b.String()
}

// TestFixPlantedBreaks plants each mutation in a sample of the corpus's
// connectors (every one with CONNECTORDIFF_LONG=1), fixes each update and
// proves every fix (checkFix): the fixed definition is strict JSON and
// Swagger 2.0, nothing fix claims fixed is still breaking, its patch gives
// it, and fixing it again changes nothing. Under -v it logs, by rule, how
// many breaking findings were fixed and how many left to a human, and why.
func TestFixPlantedBreaks(t *testing.T) {
	files := sweep(t, "connectors", corpus.SnapshotSwaggers(t), 36)
	ms := mutations()
	table := fixTable{}
	planted := map[string]int{}
	connectors := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		od, err := connector.Load(file, data, connector.LoadOptions{})
		if err != nil || od.Format != "json" {
			continue
		}
		if len(newMdoc(od).visible()) == 0 {
			continue
		}
		connectors++
		name := filepath.Base(filepath.Dir(file))
		for _, mu := range ms {
			ops, ok := mu.plant(newMdoc(od))
			if !ok {
				continue
			}
			text, err := fix.Apply(od, ops)
			if err != nil {
				t.Errorf("%s: planting %s: %v", name, mu.name, err)
				continue
			}
			newData := []byte(text)
			cmp, err := connectordiff.Compare(context.Background(), data, newData, mu.opts.compare...)
			if err != nil {
				t.Errorf("%s: %s: the planted update does not load: %v", name, mu.name, err)
				continue
			}
			found := false
			for _, f := range cmp.Breaking() {
				found = found || f.Rule == mu.rule
			}
			if !found {
				continue // the site did not make the change breaking (an internal operation...)
			}
			planted[mu.name+" "+mu.suffix]++
			res, err := connectordiff.Fix(context.Background(), data, newData, mu.opts.all()...)
			if err != nil {
				t.Errorf("%s: %s: %v", name, mu.name, err)
				row := mu.rule
				if mu.suffix != "" {
					row += " (" + mu.suffix + ")"
				}
				table.add(row).broken++
				continue
			}
			problems := fixProblems(data, newData, res, mu.opts)
			for _, p := range problems {
				t.Errorf("%s: %s %s: %s", name, mu.name, mu.suffix, p)
			}
			table.record(mu.suffix, mu.rule, res, problems)
		}
	}
	var missing []string
	for _, mu := range ms {
		if planted[mu.name+" "+mu.suffix] == 0 {
			missing = append(missing, mu.name+" "+mu.suffix)
		}
	}
	if len(missing) > 0 && connectors >= 20 {
		t.Errorf("mutations never planted in %d connectors: %s", connectors, strings.Join(missing, ", "))
	}
	t.Logf("%d connectors, %d planted updates\n%s", connectors, sum(planted), table)
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestFixGoldPairs fixes every breaking pair of the hand-labelled gold set
// (../shared/gold) and proves each fix; under -v it logs the table.
func TestFixGoldPairs(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "shared", "gold", "pairs", "*"))
	if len(dirs) == 0 {
		t.Skip("../shared/gold/pairs not found")
	}
	table := fixTable{}
	breakingPairs := 0
	for _, d := range dirs {
		old, err1 := os.ReadFile(filepath.Join(d, "old.json"))
		new, err2 := os.ReadFile(filepath.Join(d, "new.json"))
		if err1 != nil || err2 != nil {
			continue
		}
		res, err := connectordiff.Fix(context.Background(), old, new)
		if err != nil {
			t.Errorf("%s: %v", d, err)
			continue
		}
		if len(res.Fixed)+len(res.Unfixed) == 0 {
			if res.Changed() || string(res.Output) != string(new) {
				t.Errorf("%s: nothing breaks, yet fix changed it", d)
			}
			continue
		}
		breakingPairs++
		problems := fixProblems(old, new, res, fixOptions{})
		for _, p := range problems {
			t.Errorf("%s: %s", d, p)
		}
		table.record("", filepath.Base(d), res, problems)
	}
	t.Logf("%d breaking pairs of %d\n%s", breakingPairs, len(dirs), table)
}

// TestFixCorpusPairs fixes the real updates of the corpus (a sample; every
// one with CONNECTORDIFF_LONG=1) whose definitions break users, and proves
// each fix; under -v it logs the table.
func TestFixCorpusPairs(t *testing.T) {
	pairs := sweep(t, "pairs", corpus.Pairs(t), 8)
	table := fixTable{}
	n := 0
	for _, p := range pairs {
		if p.Invalid {
			continue
		}
		old, err1 := os.ReadFile(p.OldSwagger)
		new, err2 := os.ReadFile(p.NewSwagger)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", p.Name, err1, err2)
		}
		res, err := connectordiff.Fix(context.Background(), old, new)
		if err != nil {
			t.Errorf("%s: %v", p.Name, err)
			table.add("(error)").broken++
			continue
		}
		if len(res.Fixed)+len(res.Unfixed) == 0 {
			continue
		}
		n++
		problems := fixProblems(old, new, res, fixOptions{})
		for _, pr := range problems {
			t.Errorf("%s: %s", p.Name, pr)
		}
		table.record("", "(pair)", res, problems)
	}
	t.Logf("%d breaking pairs\n%s", n, table)
}

package diff

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Properties is a loaded apiProperties.json: connection parameters, policy
// templates, script operations and branding.
type Properties struct {
	// Name is how messages refer to the file.
	Name string
	// Root is the top-level mapping node.
	Root *Node
	// Notes lists each repair the lenient loader made.
	Notes []Note

	text
}

// source returns the text of the file, or nil when there is none.
func (p *Properties) source() *text {
	if p == nil {
		return nil
	}
	return &p.text
}

// props returns the "properties" mapping, where everything of interest sits.
func (p *Properties) props() *Node {
	if p == nil {
		return nil
	}
	return get(p.Root, "properties")
}

// LoadProperties reads apiProperties.json leniently, like Load reads the
// definition: repairs are notes, anything else is a located LoadError.
func LoadProperties(name string, data []byte, opts LoadOptions) (*Properties, error) {
	return loadProperties(name, data, opts, false)
}

func loadProperties(name string, data []byte, opts LoadOptions, owned bool) (*Properties, error) {
	if int64(len(data)) > opts.maxBytes() {
		return nil, tooLarge(name, int64(len(data)), opts.maxBytes())
	}
	p, err := parseJSON(name, data, owned)
	if err != nil {
		return nil, err
	}
	root := p.root
	if root.kind != Object {
		line, col := p.lineCol(root.start)
		return nil, &LoadError{File: name, Line: line, Column: col,
			Msg: "top-level value is " + describeNode(root) + ", want an object", Err: ErrSyntax}
	}
	notes := append(p.notes, p.duplicateNotes(p.dups)...)
	for i := range notes {
		notes[i].File = name
	}
	return &Properties{Name: name, Root: root, Notes: notes, text: p.text}, nil
}

// LoadPropertiesFile reads and loads apiProperties.json from disk.
func LoadPropertiesFile(path string, opts LoadOptions) (*Properties, error) {
	data, err := readFile(path, opts)
	if err != nil {
		return nil, err
	}
	return loadProperties(path, data, opts, true)
}

// compareProperties lists the changes of apiProperties.json. Either side
// may be nil when the file is absent.
func (c *comparer) compareProperties(op, np *Properties) {
	if op == nil && np == nil {
		return
	}
	o, n := op.props(), np.props()
	c.file = propertiesFile(op, np)
	defer func() { c.file = "" }()
	c.connectionParameters(get(o, "connectionParameters"), get(n, "connectionParameters"))
	c.propertiesField("connectionParameterSets", ConnectionParameterSetsChanged, o, n, isUIDocKey)
	c.policyTemplates(get(o, "policyTemplateInstances"), get(n, "policyTemplateInstances"))
	c.scriptOperations(get(o, "scriptOperations"), get(n, "scriptOperations"))
	c.propertiesField("capabilities", CapabilitiesChanged, o, n, isDocKey)
	for _, key := range []string{"iconBrandColor", "publisher", "stackOwner"} {
		c.propertiesField(key, BrandingChanged, o, n, isDocKey)
	}
}

func propertiesFile(op, np *Properties) string {
	if op != nil {
		return baseName(op.Name)
	}
	return baseName(np.Name)
}

const propsPtr = "/properties"

// propLoc locates key in the properties mapping of one side, or the mapping.
func propLoc(m *Node, key string) *Location {
	if m == nil {
		return nil
	}
	if v := get(m, key); v != nil {
		return loc(ptr(propsPtr, key), v)
	}
	// Absent: the key's own pointer, at the mapping that would hold it.
	l := loc(propsPtr, m)
	l.Pointer = ptr(propsPtr, key)
	return l
}

func (c *comparer) propertiesField(key string, kind Kind, o, n *Node, ignore func(string) bool) {
	ov, nv := get(o, key), get(n, key)
	if setKeys[key] && sameSet(stringList(ov), stringList(nv)) && (ov == nil) == (nv == nil) {
		return
	}
	if len(nodeDiffSets(ov, nv, ignore)) == 0 {
		return
	}
	ch := &Change{Kind: kind, Where: InDocument, Subject: key, Old: propLoc(o, key), New: propLoc(n, key),
		ValuePath: "properties/" + key, Before: scalarOrRender(ov), After: scalarOrRender(nv)}
	if ov != nil && nv != nil && ov.kind == Object && nv.kind == Object {
		ch.Details = nodeDiffSets(ov, nv, ignore) // Before and After alone say what a list or value became
	}
	if kind == CapabilitiesChanged {
		ch.Subject = "the connector"
	}
	c.emit(ch)
}

// connectionParameterRequired reads uiDefinition.constraints.required, which
// connectors write as a string or a boolean.
func connectionParameterRequired(p *Node) bool {
	return boolean(get(get(p, "uiDefinition"), "constraints"), "required")
}

func connectionParameterDefault(p *Node) bool {
	return get(p, "default") != nil || get(get(p, "uiDefinition"), "default") != nil
}

// setKeys name the lists of apiProperties.json whose order means nothing.
var setKeys = map[string]bool{"scopes": true, "capabilities": true, "scriptOperations": true}

// equalSets compares like equalNodes ignoring documentation keys, but takes
// the lists named in setKeys (and space-separated scope strings) as sets.
func equalSets(a, b *Node) bool {
	return len(nodeDiffSets(a, b, isDocKey)) == 0
}

// isUIDocKey names the connection parameter fields that only label the
// connection dialog.
func isUIDocKey(k string) bool {
	switch k {
	case "displayName", "tooltip", "description", "tabIndex", "clearText":
		return true
	}
	return isDocKey(k)
}

func (c *comparer) connectionParameters(o, n *Node) {
	base := ptr(propsPtr, "connectionParameters")
	vp := "properties/connectionParameters/"
	pairs(o, func(k, ov *Node) {
		p := ptr(base, k.val)
		nv := get(n, k.val)
		if nv == nil {
			c.emit(&Change{Kind: ConnectionParameterRemoved, Where: InDocument, Subject: k.val,
				Old: loc(p, k), New: c.parentLoc(base, n), ValuePath: vp + k.val, Before: str(ov, "type"),
				Facts: Facts{Required: connectionParameterRequired(ov)}})
			return
		}
		if ot, nt := str(ov, "type"), str(nv, "type"); ot != nt {
			c.emit(&Change{Kind: ConnectionParameterTypeChanged, Where: InDocument, Subject: k.val,
				Old: c.fieldLoc(p, "type", ov), New: c.fieldLoc(p, "type", nv), ValuePath: vp + k.val + "/type",
				Before: ot, After: nt})
			return
		}
		// The OAuth flow always creates the token of an oauthSetting
		// parameter; whether it says required means nothing.
		if or, nr := connectionParameterRequired(ov), connectionParameterRequired(nv); !or && nr && str(nv, "type") != "oauthSetting" {
			c.emit(&Change{Kind: ConnectionParameterRequiredChanged, Where: InDocument, Subject: k.val,
				Old: loc(p, ov), New: loc(p, nv), ValuePath: vp + k.val, Before: "false", After: "true",
				Facts: Facts{Required: true, HasDefault: connectionParameterDefault(nv)}})
		}
		if oa, na := get(ov, "oAuthSettings"), get(nv, "oAuthSettings"); !equalSets(oa, na) {
			c.emit(&Change{Kind: OAuthSettingsChanged, Where: InDocument, Subject: k.val,
				Old: c.fieldLoc(p, "oAuthSettings", ov), New: c.fieldLoc(p, "oAuthSettings", nv),
				ValuePath: vp + k.val + "/oAuthSettings", Details: nodeDiffSets(oa, na, isDocKey)})
		}
		// Values an existing connection may hold that are no longer allowed;
		// values only added, reordered or relabelled are metadata.
		var details []string
		ovals, nvals := allowedValues(ov), allowedValues(nv)
		bothListed := len(ovals) > 0 && len(nvals) > 0
		if bothListed {
			var removed, added []string
			for _, v := range ovals {
				if !contains(nvals, v) {
					removed = append(removed, v)
				}
			}
			for _, v := range nvals {
				if !contains(ovals, v) {
					added = append(added, v)
				}
			}
			switch {
			case len(removed) > 0:
				at := func(m *Node) *Location {
					if v := get(get(get(m, "uiDefinition"), "constraints"), "allowedValues"); v != nil {
						return loc(p+"/uiDefinition/constraints/allowedValues", v)
					}
					return loc(p, m)
				}
				c.emit(&Change{Kind: ConnectionParameterValuesRemoved, Where: InDocument, Subject: k.val,
					Old: at(ov), New: at(nv), ValuePath: vp + k.val + "/uiDefinition/constraints/allowedValues",
					Facts: Facts{EnumRemoved: quoteAll(removed), EnumAdded: quoteAll(added)}})
			case len(added) > 0:
				details = append(details, "allowed values added: "+strings.Join(quoteAll(added), ", "))
			}
		}
		// What remains (metadata) shapes the connection dialog and what the
		// connection stores.
		rest := func(k string) bool {
			return isUIDocKey(k) || k == "type" || k == "oAuthSettings" || k == "required" || bothListed && k == "allowedValues"
		}
		if details = append(details, nodeDiffSets(ov, nv, rest)...); len(details) > 0 {
			c.emit(&Change{Kind: ConnectionParameterChanged, Where: InDocument, Subject: k.val,
				Old: loc(p, ov), New: loc(p, nv), ValuePath: vp + k.val, Details: details})
		}
	})
	pairs(n, func(k, nv *Node) {
		if get(o, k.val) != nil {
			return
		}
		c.emit(&Change{Kind: ConnectionParameterAdded, Where: InDocument, Subject: k.val,
			New: loc(ptr(base, k.val), k), ValuePath: vp + k.val, After: str(nv, "type"),
			Facts: Facts{Required: connectionParameterRequired(nv), HasDefault: connectionParameterDefault(nv)}})
	})
}

// allowedValues lists the values a connection parameter allows
// (uiDefinition.constraints.allowedValues[].value), which is what existing
// connections store.
func allowedValues(p *Node) []string {
	var out []string
	for _, e := range elems(get(get(get(p, "uiDefinition"), "constraints"), "allowedValues")) {
		if v := get(&e, "value"); v != nil && v.isScalar() {
			out = append(out, v.val)
		}
	}
	return out
}

func quoteAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = strconv.Quote(s)
	}
	return out
}

func (c *comparer) parentLoc(p string, n *Node) *Location {
	if n == nil {
		return nil
	}
	return loc(p, n)
}

// policyTemplates matches policy template instances by templateId and
// title (by order among instances of one template when titles repeat).
func (c *comparer) policyTemplates(o, n *Node) {
	base := ptr(propsPtr, "policyTemplateInstances")
	type inst struct {
		key  string
		node *Node
		ptr  string
	}
	list := func(seq *Node) []inst {
		var out []inst
		seen := map[string]int{}
		if seq == nil || seq.kind != Array {
			return nil
		}
		for i := range seq.kids() {
			e := &seq.kids()[i]
			k := str(e, "templateId") + " " + strings.TrimSpace(str(e, "title"))
			seen[k]++
			if seen[k] > 1 {
				k += fmt.Sprintf(" #%d", seen[k])
			}
			out = append(out, inst{key: k, node: e, ptr: ptrIndex(base, i)})
		}
		return out
	}
	olds, news := list(o), list(n)
	find := func(l []inst, k string) *inst {
		for i := range l {
			if l[i].key == k {
				return &l[i]
			}
		}
		return nil
	}
	subject := func(e *Node) string {
		s := str(e, "templateId")
		if t := str(e, "title"); t != "" {
			s += " (" + t + ")"
		}
		return s
	}
	emit := func(ch *Change, nodes ...*Node) {
		ch.Kind, ch.Where = PolicyTemplateChanged, InDocument
		c.emitFor(ch, templateOperations(nodes...))
	}
	for _, oi := range olds {
		ni := find(news, oi.key)
		switch {
		case ni == nil:
			emit(&Change{Subject: subject(oi.node), Old: loc(oi.ptr, oi.node), New: c.parentLoc(base, n),
				ValuePath: "properties/policyTemplateInstances/" + str(oi.node, "templateId"), Before: "present", After: "removed"}, oi.node)
		case !equalNodes(oi.node, ni.node, isDocKey):
			emit(&Change{Subject: subject(oi.node), Old: loc(oi.ptr, oi.node), New: loc(ni.ptr, ni.node),
				ValuePath: "properties/policyTemplateInstances/" + str(oi.node, "templateId"), Before: "present", After: "changed",
				Details: nodeDiff(oi.node, ni.node, isDocKey)}, oi.node, ni.node)
		}
	}
	for _, ni := range news {
		if find(olds, ni.key) == nil {
			emit(&Change{Subject: subject(ni.node), New: loc(ni.ptr, ni.node),
				ValuePath: "properties/policyTemplateInstances/" + str(ni.node, "templateId"), Before: "absent", After: "added"}, ni.node)
		}
	}
}

// templateOperations lists the operations a policy template instance is
// restricted to (x-ms-apimTemplate-operationName); none means all.
func templateOperations(nodes ...*Node) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range nodes {
		v := get(get(n, "parameters"), "x-ms-apimTemplate-operationName")
		var ids []string
		switch {
		case v == nil:
		case v.kind == Array:
			ids = stringList(v)
		case v.isScalar():
			ids = strings.Split(v.val, ",")
		}
		for _, id := range ids {
			id = strings.TrimSpace(id)
			if id != "" && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// emitFor records a change reaching the named operations (by old id where
// the old document has them).
func (c *comparer) emitFor(ch *Change, ids []string) {
	saved := c.cur
	defer func() { c.cur = saved }()
	if len(ids) == 0 {
		c.cur = nil
		c.emit(ch)
		return
	}
	for _, id := range ids {
		c.cur = c.operationNamed(id)
		c.emit(ch)
	}
}

// operationNamed returns the operation with id in the old document, else in
// the new one, else a stand-in so the id is still listed.
func (c *comparer) operationNamed(id string) *operation {
	if o, ok := c.old.byID[id]; ok {
		return o
	}
	if o, ok := c.new.byID[id]; ok {
		return o
	}
	return &operation{id: id}
}

func (c *comparer) scriptOperations(o, n *Node) {
	os, ns := stringList(o), stringList(n)
	if sameSet(os, ns) {
		return
	}
	var added, removed []string
	for _, id := range os {
		if !contains(ns, id) {
			removed = append(removed, id)
		}
	}
	for _, id := range ns {
		if !contains(os, id) {
			added = append(added, id)
		}
	}
	var details []string
	if len(removed) > 0 {
		details = append(details, "no longer through the script: "+strings.Join(removed, ", "))
	}
	if len(added) > 0 {
		details = append(details, "now through the script: "+strings.Join(added, ", "))
	}
	c.emitFor(&Change{Kind: ScriptOperationsChanged, Where: InDocument, Subject: "scriptOperations",
		Old: c.parentLoc(ptr(propsPtr, "scriptOperations"), o), New: c.parentLoc(ptr(propsPtr, "scriptOperations"), n),
		ValuePath: "properties/scriptOperations", Before: strings.Join(os, ", "), After: strings.Join(ns, ", "),
		Details: details}, append(removed, added...))
}

// nodeDiff names what differs between two node trees, one entry per
// changed leaf or member ("scopes: [a] -> [a, b]", "clientId changed"),
// so that a finding says what changed rather than showing two blobs.
func nodeDiff(a, b *Node, ignore func(string) bool) []string {
	return diffNodes(a, b, ignore, false)
}

// nodeDiffSets is nodeDiff for apiProperties.json, where the lists named in
// setKeys are sets, scopes may be one space-separated string, and a mapping
// holding only ignored keys counts as absent.
func nodeDiffSets(a, b *Node, ignore func(string) bool) []string {
	return diffNodes(a, b, ignore, true)
}

func diffNodes(a, b *Node, ignore func(string) bool, sets bool) []string {
	var out []string
	var walk func(path string, a, b *Node, depth int)
	walk = func(path string, a, b *Node, depth int) {
		if sets {
			// An absent mapping is an empty one, so that a new mapping of
			// labels only (displayName, tooltip) is no change.
			empty := &Node{kind: Object}
			if a == nil && b != nil && b.kind == Object {
				a = empty
			} else if b == nil && a != nil && a.kind == Object {
				b = empty
			}
			key := path[strings.LastIndex(path, ".")+1:]
			if setKeys[key] && a != nil && b != nil && sameSet(words(a), words(b)) {
				return
			}
		}
		if len(out) >= 20 || equalNodes(a, b, ignore) {
			return
		}
		label := path
		if label == "" {
			label = "value"
		}
		switch {
		case a == nil:
			out = append(out, label+" added: "+render(b))
		case b == nil:
			out = append(out, label+" removed (was "+render(a)+")")
		case a.kind == Object && b.kind == Object && depth < 8:
			var keys []string
			seen := map[string]bool{}
			for _, m := range []*Node{a, b} {
				pairs(m, func(k, _ *Node) {
					if !seen[k.val] && (ignore == nil || !ignore(k.val)) {
						seen[k.val] = true
						keys = append(keys, k.val)
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
			out = append(out, label+": "+render(a)+" -> "+render(b))
		}
	}
	walk("", a, b, 0)
	return out
}

// words lists the items of a list node, splitting scalars on white space
// (OAuth scopes are written both ways).
func words(n *Node) []string {
	if n.isScalar() {
		return strings.Fields(n.val)
	}
	var out []string
	for i := range n.kids() {
		out = append(out, strings.Fields(n.kids()[i].val)...)
	}
	return out
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

package diff

import (
	"fmt"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Connections: apiProperties.json, whose connection parameters, policy
// templates and script operations shape every connection and call.

// positionIn returns the Position method of p, or nil when the file is
// absent.
func positionIn(p *connector.Properties) func(off int) (line, col int) {
	if p == nil {
		return nil
	}
	return p.Position
}

// props returns the "properties" mapping of p, where everything of
// interest sits, or nil.
func props(p *connector.Properties) *connector.Node {
	if p == nil {
		return nil
	}
	return p.Root.Get("properties")
}

// compareProperties lists the changes of apiProperties.json. Either side
// may be nil when the file is absent.
func (c *comparer) compareProperties(op, np *connector.Properties) {
	if op == nil && np == nil {
		return
	}
	o, n := props(op), props(np)
	c.file = propertiesFile(op, np)
	defer func() { c.file = "" }()
	from := len(c.changes)
	c.connection(op.Connection(), np.Connection())
	c.connectionKept(op, np, c.changes[from:])
	c.policyTemplates(get(o, "policyTemplateInstances"), get(n, "policyTemplateInstances"))
	c.scriptOperations(get(o, "scriptOperations"), get(n, "scriptOperations"))
	c.propertiesField("capabilities", CapabilitiesChanged, o, n, isDocKey)
	for _, key := range []string{"iconBrandColor", "publisher", "stackOwner"} {
		c.propertiesField(key, BrandingChanged, o, n, isDocKey)
	}
}

func propertiesFile(op, np *connector.Properties) string {
	if op != nil {
		return baseName(op.Name)
	}
	return baseName(np.Name)
}

const propsPtr = "/properties"

// propLoc locates key in the properties mapping of one side, or the mapping.
func propLoc(m *connector.Node, key string) *connector.Location {
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

func (c *comparer) propertiesField(key string, kind Kind, o, n *connector.Node, ignore func(string) bool) {
	ov, nv := get(o, key), get(n, key)
	if setKeys[key] && sameSet(stringList(ov), stringList(nv)) && (ov == nil) == (nv == nil) {
		return
	}
	if len(nodeDiffSets(ov, nv, ignore)) == 0 {
		return
	}
	ch := &Change{Kind: kind, Where: InDocument, Subject: key, Old: propLoc(o, key), New: propLoc(n, key),
		ValuePath: "properties/" + key, Before: scalarOrRender(ov), After: scalarOrRender(nv)}
	if ov != nil && nv != nil && ov.Kind() == connector.Object && nv.Kind() == connector.Object {
		ch.Details = nodeDiffSets(ov, nv, ignore) // Before and After alone say what a list or value became
	}
	if kind == CapabilitiesChanged {
		ch.Subject = "the connector"
	}
	c.emit(ch)
}

// connectionParameterRequired reads uiDefinition.constraints.required, which
// connectors write as a string or a boolean.
func connectionParameterRequired(p *connector.Node) bool {
	return boolean(get(get(p, "uiDefinition"), "constraints"), "required")
}

func connectionParameterDefault(p *connector.Node) bool {
	return get(p, "default") != nil || get(get(p, "uiDefinition"), "default") != nil
}

// equalSets compares like connector.Equivalent ignoring documentation keys,
// but takes the lists named in setKeys (and space-separated scope strings)
// as sets.
func equalSets(a, b *connector.Node) bool {
	return len(nodeDiffSets(a, b, isDocKey)) == 0
}

// isUIDocKey names the connection parameter fields that only label the
// connection dialog (connectors spell displayName in any case).
func isUIDocKey(k string) bool {
	switch strings.ToLower(k) {
	case "displayname", "tooltip", "description", "tabindex", "cleartext":
		return true
	}
	return isDocKey(k)
}

// paramsAt is where one side's connection parameters are: the pointer and
// value path of their mapping, and the parameter set they belong to.
type paramsAt struct {
	oldBase, newBase string
	vp               string // Microsoft-style path of the mapping, ending in "/"
	set              string // the set's name; "" without sets
}

func (c *comparer) connectionParameters(o, n *connector.Node, at paramsAt) {
	facts := func(f Facts) Facts { f.ParameterSet = at.set; return f }
	vp := at.vp
	removed, added := c.renamedConnectionParameters(o, n, at)
	pairs(o, func(k, ov *connector.Node) {
		p, np := ptr(at.oldBase, k.Value()), ptr(at.newBase, k.Value())
		nv := get(n, k.Value())
		if nv == nil {
			if removed[k.Value()] {
				return // reported renamed
			}
			c.emit(&Change{Kind: ConnectionParameterRemoved, Where: InDocument, Subject: k.Value(),
				Old: loc(p, k), New: c.parentLoc(at.newBase, n), ValuePath: vp + k.Value(), Before: str(ov, "type"),
				Facts: facts(Facts{Required: connectionParameterRequired(ov)})})
			return
		}
		if ot, nt := str(ov, "type"), str(nv, "type"); ot != nt {
			c.emit(&Change{Kind: ConnectionParameterTypeChanged, Where: InDocument, Subject: k.Value(),
				Old: c.fieldLoc(p, "type", ov), New: c.fieldLoc(np, "type", nv), ValuePath: vp + k.Value() + "/type",
				Before: ot, After: nt, Facts: facts(Facts{})})
			return
		}
		// The OAuth flow always creates the token of an oauthSetting
		// parameter; whether it says required means nothing.
		if or, nr := connectionParameterRequired(ov), connectionParameterRequired(nv); !or && nr && str(nv, "type") != "oauthSetting" {
			c.emit(&Change{Kind: ConnectionParameterRequiredChanged, Where: InDocument, Subject: k.Value(),
				Old: loc(p, ov), New: loc(np, nv), ValuePath: vp + k.Value(), Before: "false", After: "true",
				Facts: facts(Facts{Required: true, HasDefault: connectionParameterDefault(nv)})})
		}
		if oa, na := get(ov, "oAuthSettings"), get(nv, "oAuthSettings"); !equalSets(oa, na) {
			c.emit(&Change{Kind: OAuthSettingsChanged, Where: InDocument, Subject: k.Value(),
				Old: c.fieldLoc(p, "oAuthSettings", ov), New: c.fieldLoc(np, "oAuthSettings", nv),
				ValuePath: vp + k.Value() + "/oAuthSettings", Details: nodeDiffSets(oa, na, isDocKey), Facts: facts(Facts{})})
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
				at := func(m *connector.Node, p string) *connector.Location {
					if v := get(get(get(m, "uiDefinition"), "constraints"), "allowedValues"); v != nil {
						return loc(p+"/uiDefinition/constraints/allowedValues", v)
					}
					return loc(p, m)
				}
				c.emit(&Change{Kind: ConnectionParameterValuesRemoved, Where: InDocument, Subject: k.Value(),
					Old: at(ov, p), New: at(nv, np), ValuePath: vp + k.Value() + "/uiDefinition/constraints/allowedValues",
					Facts: facts(Facts{EnumRemoved: quoteAll(removed), EnumAdded: quoteAll(added)})})
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
			c.emit(&Change{Kind: ConnectionParameterChanged, Where: InDocument, Subject: k.Value(),
				Old: loc(p, ov), New: loc(np, nv), ValuePath: vp + k.Value(), Details: details, Facts: facts(Facts{})})
		}
	})
	pairs(n, func(k, nv *connector.Node) {
		if get(o, k.Value()) != nil || added[k.Value()] {
			return
		}
		c.emit(&Change{Kind: ConnectionParameterAdded, Where: InDocument, Subject: k.Value(),
			New: loc(ptr(at.newBase, k.Value()), k), ValuePath: vp + k.Value(), After: str(nv, "type"),
			Facts: facts(Facts{Required: connectionParameterRequired(nv), HasDefault: connectionParameterDefault(nv)})})
	})
}

// renamedConnectionParameters reports the connection parameters that went
// while one of the same type and display name came, as one parameter
// renamed (deskdirector-tech apiKey -> api_key): what existing connections
// hold under the old name is what the new one asks for. It returns the old
// and the new names it reported. Lookups by type and display name keep it
// linear.
func (c *comparer) renamedConnectionParameters(o, n *connector.Node, at paramsAt) (removed, added map[string]bool) {
	removed, added = map[string]bool{}, map[string]bool{}
	key := func(v *connector.Node) string {
		name := displayName(v)
		if name == "" {
			return ""
		}
		return str(v, "type") + "\x00" + name
	}
	come := map[string][]*connector.Node{} // new parameters absent from the old side, by key: their key nodes
	values := map[*connector.Node]*connector.Node{}
	pairs(n, func(k, nv *connector.Node) {
		if get(o, k.Value()) == nil {
			if kk := key(nv); kk != "" {
				come[kk] = append(come[kk], k)
				values[k] = nv
			}
		}
	})
	pairs(o, func(k, ov *connector.Node) {
		kk := key(ov)
		if kk == "" || get(n, k.Value()) != nil || len(come[kk]) == 0 {
			return
		}
		nk := come[kk][0]
		come[kk] = come[kk][1:]
		nv := values[nk]
		removed[k.Value()], added[nk.Value()] = true, true
		ch := &Change{Kind: ConnectionParameterRenamed, Where: InDocument, Subject: k.Value(),
			Old: loc(ptr(at.oldBase, k.Value()), k), New: loc(ptr(at.newBase, nk.Value()), nk), ValuePath: at.vp + k.Value(),
			Before: k.Value(), After: nk.Value(), Facts: Facts{ParameterSet: at.set, Required: connectionParameterRequired(nv)}}
		if or, nr := connectionParameterRequired(ov), connectionParameterRequired(nv); or != nr {
			ch.Details = []string{fmt.Sprintf("required: %t -> %t", or, nr)}
		}
		c.emit(ch)
	})
	return removed, added
}

// displayName is the label a connection parameter shows in the connection
// dialog (uiDefinition.displayName, or displayName beside type, spelled in
// any case).
func displayName(p *connector.Node) string {
	for _, m := range []*connector.Node{get(p, "uiDefinition"), p} {
		var name string
		pairs(m, func(k, v *connector.Node) {
			if name == "" && strings.EqualFold(k.Value(), "displayName") && v.IsScalar() {
				name = strings.TrimSpace(v.Value())
			}
		})
		if name != "" {
			return name
		}
	}
	return ""
}

// allowedValues lists the values a connection parameter allows
// (uiDefinition.constraints.allowedValues[].value), which is what existing
// connections store.
func allowedValues(p *connector.Node) []string {
	var out []string
	list := get(get(get(p, "uiDefinition"), "constraints"), "allowedValues")
	for i := 0; isArray(list) && i < list.Len(); i++ {
		if v := get(list.Elem(i), "value"); v != nil && v.IsScalar() {
			out = append(out, v.Value())
		}
	}
	return out
}

func (c *comparer) parentLoc(p string, n *connector.Node) *connector.Location {
	if n == nil {
		return nil
	}
	return loc(p, n)
}

// policyTemplates matches policy template instances by templateId and
// title (by order among instances of one template when titles repeat).
func (c *comparer) policyTemplates(o, n *connector.Node) {
	base := ptr(propsPtr, "policyTemplateInstances")
	type inst struct {
		key  string
		node *connector.Node
		ptr  string
	}
	list := func(seq *connector.Node) []inst {
		var out []inst
		seen := map[string]int{}
		if seq == nil || seq.Kind() != connector.Array {
			return nil
		}
		for i := range seq.Len() {
			e := seq.Elem(i)
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
	subject := func(e *connector.Node) string {
		s := str(e, "templateId")
		if t := str(e, "title"); t != "" {
			s += " (" + t + ")"
		}
		return s
	}
	emit := func(ch *Change, nodes ...*connector.Node) {
		ch.Kind, ch.Where = PolicyTemplateChanged, InDocument
		c.emitFor(ch, templateOperations(nodes...))
	}
	for _, oi := range olds {
		ni := find(news, oi.key)
		switch {
		case ni == nil:
			emit(&Change{Subject: subject(oi.node), Old: loc(oi.ptr, oi.node), New: c.parentLoc(base, n),
				ValuePath: "properties/policyTemplateInstances/" + str(oi.node, "templateId"), Before: "present", After: "removed"}, oi.node)
		case !connector.Equivalent(oi.node, ni.node, isDocKey):
			emit(&Change{Subject: subject(oi.node), Old: loc(oi.ptr, oi.node), New: loc(ni.ptr, ni.node),
				ValuePath: "properties/policyTemplateInstances/" + str(oi.node, "templateId"), Before: "present", After: "changed",
				Details: nodeDiff(oi.node, ni.node, isDocKey), Digest: digest(oi.node.Compact() + "\x00" + ni.node.Compact())}, oi.node, ni.node)
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
func templateOperations(nodes ...*connector.Node) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range nodes {
		v := get(get(n, "parameters"), "x-ms-apimTemplate-operationName")
		var ids []string
		switch {
		case v == nil:
		case v.Kind() == connector.Array:
			ids = stringList(v)
		case v.IsScalar():
			ids = strings.Split(v.Value(), ",")
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

func (c *comparer) scriptOperations(o, n *connector.Node) {
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

package diff

import (
	"sort"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Security: the security definitions, and the requirement the document
// makes of callers.

// security reports a change of the definitions and of the requirement the
// document makes, a definition renamed with identical content counting as
// the same.
func (c *comparer) security() {
	or, nr := c.old.Root, c.new.Root
	renamed := c.securityDefinitions()
	if o, n := get(or, "security"), get(nr, "security"); requirements(o, renamed) != requirements(n, nil) {
		c.emit(&Change{Kind: SecurityRequirementChanged, Where: InDocument, Subject: "security",
			Old: c.locOrParent(or, "/security", o), New: c.locOrParent(nr, "/security", n),
			ValuePath: "security", Before: o.Compact(), After: n.Compact()})
	}
}

// requirements renders a security requirement list order-insensitively,
// naming definitions by their new keys where they were renamed.
func requirements(list *connector.Node, renamed map[string]string) string {
	if list == nil {
		return ""
	}
	var alts []string
	for i := range list.Len() {
		req := list.Elem(i)
		var names []string
		pairs(req, func(k, v *connector.Node) {
			name := k.Value()
			if r, ok := renamed[name]; ok {
				name = r
			}
			scopes := stringList(v)
			sort.Strings(scopes)
			names = append(names, name+"["+strings.Join(scopes, " ")+"]")
		})
		sort.Strings(names)
		alts = append(alts, strings.Join(names, "+"))
	}
	sort.Strings(alts)
	return "{" + strings.Join(alts, "|") + "}"
}

// securityDefinitions compares the definitions by key and returns the keys
// renamed with identical content (old -> new).
func (c *comparer) securityDefinitions() map[string]string {
	od, nd := get(c.old.Root, "securityDefinitions"), get(c.new.Root, "securityDefinitions")
	const base = "/securityDefinitions"
	var removed, added []string
	renamed := map[string]string{}
	// Lookups by key, not get's scan: a hostile file may hold thousands.
	oByKey, nByKey := keyIndex(od), keyIndex(nd)
	pairs(od, func(k, o *connector.Node) {
		n := nByKey[k.Value()]
		if n == nil {
			removed = append(removed, k.Value())
			return
		}
		c.securityDefinition(k.Value(), o, n, ptr(base, k.Value()))
	})
	pairs(nd, func(k, _ *connector.Node) {
		if oByKey[k.Value()] == nil {
			added = append(added, k.Value())
		}
	})
	// A definition renamed with identical content keeps every connection.
	for i := 0; i < len(removed) && len(removed)*len(added) <= renameBudget; i++ {
		o := oByKey[removed[i]]
		for j := 0; j < len(added); j++ {
			n := nByKey[added[j]]
			if connector.Equivalent(o, n, isDocKey) {
				renamed[removed[i]] = added[j]
				c.emit(&Change{Kind: SecurityDefinitionRenamed, Where: InDocument, Subject: removed[i],
					Old: loc(ptr(base, removed[i]), o), New: loc(ptr(base, added[j]), n),
					ValuePath: "securityDefinitions/" + removed[i], Before: removed[i], After: added[j]})
				removed = append(removed[:i], removed[i+1:]...)
				added = append(added[:j], added[j+1:]...)
				i--
				break
			}
		}
	}
	for _, name := range removed {
		o := oByKey[name]
		c.emit(&Change{Kind: SecurityDefinitionRemoved, Where: InDocument, Subject: name,
			Old: loc(ptr(base, name), o), New: c.locOrParent(c.new.Root, base, nd),
			ValuePath: "securityDefinitions/" + name, Before: str(o, "type")})
	}
	for _, name := range added {
		n := nByKey[name]
		ch := &Change{Kind: SecurityDefinitionAdded, Where: InDocument, Subject: name,
			New: loc(ptr(base, name), n), ValuePath: "securityDefinitions/" + name, After: str(n, "type")}
		ch.Facts.HadNone = od == nil || od.Len() == 0
		c.emit(ch)
	}
	return renamed
}

func (c *comparer) securityDefinition(name string, o, n *connector.Node, p string) {
	vp := "securityDefinitions/" + name
	field := func(kind Kind, key string) {
		ov, nv := get(o, key), get(n, key)
		if scalarOrRender(ov) != scalarOrRender(nv) {
			c.emit(&Change{Kind: kind, Where: InDocument, Subject: name + " " + key,
				Old: c.fieldLoc(p, key, o), New: c.fieldLoc(p, key, n), ValuePath: vp + "/" + key,
				Before: scalarOrRender(ov), After: scalarOrRender(nv)})
		}
	}
	if str(o, "type") != str(n, "type") {
		c.emit(&Change{Kind: SecurityTypeChanged, Where: InDocument, Subject: name,
			Old: loc(p, o), New: loc(p, n), ValuePath: vp, Before: str(o, "type"), After: str(n, "type")})
		return
	}
	switch str(o, "type") {
	case "oauth2":
		field(SecurityFlowChanged, "flow")
		field(SecurityURLChanged, "authorizationUrl")
		field(SecurityURLChanged, "tokenUrl")
		os, ns := keys(get(o, "scopes")), keys(get(n, "scopes"))
		if !sameSet(os, ns) {
			c.emit(&Change{Kind: SecurityScopesChanged, Where: InDocument, Subject: name,
				Old: c.fieldLoc(p, "scopes", o), New: c.fieldLoc(p, "scopes", n), ValuePath: vp + "/scopes",
				Before: strings.Join(os, " "), After: strings.Join(ns, " ")})
		}
	case "apiKey":
		if str(o, "name") != str(n, "name") || str(o, "in") != str(n, "in") {
			c.emit(&Change{Kind: SecurityAPIKeyChanged, Where: InDocument, Subject: name,
				Old: loc(p, o), New: loc(p, n), ValuePath: vp,
				Before: str(o, "in") + " " + str(o, "name"), After: str(n, "in") + " " + str(n, "name")})
		}
	}
}

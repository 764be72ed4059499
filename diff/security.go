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
// renamed (old -> new): a definition gone while one of the same scheme
// came (the same type, OAuth flow, or API key location and name) is one
// definition under a new key, identical content first; what else differs
// between the two is compared as for a definition that kept its key.
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
		c.securityDefinition(k.Value(), o, n, ptr(base, k.Value()), ptr(base, k.Value()))
	})
	pairs(nd, func(k, _ *connector.Node) {
		if oByKey[k.Value()] == nil {
			added = append(added, k.Value())
		}
	})
	taken := map[string]bool{}
	rename := func(from, to string) {
		renamed[from], taken[to] = to, true
		o, n := oByKey[from], nByKey[to]
		c.emit(&Change{Kind: SecurityDefinitionRenamed, Where: InDocument, Subject: from,
			Old: loc(ptr(base, from), o), New: loc(ptr(base, to), n),
			ValuePath: "securityDefinitions/" + from, Before: from, After: to})
		c.securityDefinition(from, o, n, ptr(base, from), ptr(base, to))
	}
	// The added keys by scheme, so that pairing stays linear: identical
	// content first, then a definition of the same scheme that signs in at
	// the same place (an OAuth token or authorization URL kept: another
	// provider is a removal and an addition), each among the first few of
	// the scheme, which bounds the comparisons.
	by := map[string][]string{}
	for _, name := range added {
		k := schemeKey(nByKey[name])
		by[k] = append(by[k], name)
	}
	const identicalTries = 16
	for pass := range 2 {
		for _, name := range removed {
			if _, done := renamed[name]; done {
				continue
			}
			o := oByKey[name]
			k := schemeKey(o)
			list := by[k]
			for len(list) > 0 && taken[list[0]] {
				list = list[1:]
			}
			by[k] = list
			for i, cand := range list {
				if i == identicalTries {
					break
				}
				same := pass == 0 && connector.Equivalent(o, nByKey[cand], isDocKey) || pass > 0 && sameSignIn(o, nByKey[cand])
				if !taken[cand] && same {
					rename(name, cand)
					break
				}
			}
		}
	}
	for _, name := range removed {
		if _, ok := renamed[name]; ok {
			continue
		}
		o := oByKey[name]
		c.emit(&Change{Kind: SecurityDefinitionRemoved, Where: InDocument, Subject: name,
			Old: loc(ptr(base, name), o), New: c.locOrParent(c.new.Root, base, nd),
			ValuePath: "securityDefinitions/" + name, Before: str(o, "type")})
	}
	for _, name := range added {
		if taken[name] {
			continue
		}
		n := nByKey[name]
		ch := &Change{Kind: SecurityDefinitionAdded, Where: InDocument, Subject: name,
			New: loc(ptr(base, name), n), ValuePath: "securityDefinitions/" + name, After: str(n, "type")}
		ch.Facts.HadNone = od == nil || od.Len() == 0
		c.emit(ch)
	}
	return renamed
}

// sameSignIn reports whether two definitions of one scheme sign in at the
// same place: for OAuth, the same token URL or authorization URL (tikit's
// renamed definition kept its token URL beside an alias authorization URL).
func sameSignIn(o, n *connector.Node) bool {
	if str(o, "type") != "oauth2" {
		return true
	}
	same := func(key string) bool { v := str(o, key); return v != "" && v == str(n, key) }
	return same("tokenUrl") || same("authorizationUrl")
}

// schemeKey is what makes two security definitions one scheme: the type,
// and the OAuth flow or the API key's location and name (a header's name
// in any case, as HTTP compares header names).
func schemeKey(n *connector.Node) string {
	k := str(n, "type")
	switch k {
	case "oauth2":
		k += "\x00" + str(n, "flow")
	case "apiKey":
		k += "\x00" + strings.ToLower(str(n, "in")) + "\x00" + apiKeyName(n)
	}
	return k
}

// apiKeyName is an API key's parameter name, in lower case for a header.
func apiKeyName(n *connector.Node) string {
	if strings.EqualFold(str(n, "in"), "header") {
		return strings.ToLower(str(n, "name"))
	}
	return str(n, "name")
}

// securityDefinition compares a definition found at p in the old document
// and at np in the new one (a key renamed moves it).
func (c *comparer) securityDefinition(name string, o, n *connector.Node, p, np string) {
	vp := "securityDefinitions/" + name
	field := func(kind Kind, key string) {
		ov, nv := get(o, key), get(n, key)
		if scalarOrRender(ov) != scalarOrRender(nv) {
			c.emit(&Change{Kind: kind, Where: InDocument, Subject: name + " " + key,
				Old: c.fieldLoc(p, key, o), New: c.fieldLoc(np, key, n), ValuePath: vp + "/" + key,
				Before: scalarOrRender(ov), After: scalarOrRender(nv)})
		}
	}
	if str(o, "type") != str(n, "type") {
		c.emit(&Change{Kind: SecurityTypeChanged, Where: InDocument, Subject: name,
			Old: loc(p, o), New: loc(np, n), ValuePath: vp, Before: str(o, "type"), After: str(n, "type")})
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
				Old: c.fieldLoc(p, "scopes", o), New: c.fieldLoc(np, "scopes", n), ValuePath: vp + "/scopes",
				Before: strings.Join(os, " "), After: strings.Join(ns, " ")})
		}
	case "apiKey":
		if apiKeyName(o) != apiKeyName(n) || !strings.EqualFold(str(o, "in"), str(n, "in")) {
			c.emit(&Change{Kind: SecurityAPIKeyChanged, Where: InDocument, Subject: name,
				Old: loc(p, o), New: loc(np, n), ValuePath: vp,
				Before: str(o, "in") + " " + str(o, "name"), After: str(n, "in") + " " + str(n, "name")})
		}
	}
}

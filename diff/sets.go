package diff

import (
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// The effective connection: with connectionParameterSets, each connection
// is made with one set, and the top-level connectionParameters block is a
// placeholder no connection is made with; without sets, that block is the
// one way to connect. Sets are matched by name (a file without sets has its
// block matched with the set that shares most of its parameters), and the
// parameters of matched sets compared like connection parameters.

// connection compares how connections are made on each side.
func (c *comparer) connection(oc, nc connector.Connection) {
	if !oc.FromSets && !nc.FromSets {
		o, n := oc.Sets[0], nc.Sets[0]
		c.connectionParameters(o.Parameters, n.Parameters, paramsAt{oldBase: o.ParametersPointer, newBase: n.ParametersPointer,
			vp: "properties/connectionParameters/"})
		return
	}
	if oc.FromSets && nc.FromSets {
		// What the block says beyond its sets (the dialog's labels are
		// documentation).
		ignore := func(k string) bool { return k == "values" || isUIDocKey(k) }
		if d := nodeDiffSets(oc.Node, nc.Node, ignore); len(d) > 0 {
			c.emit(&Change{Kind: ConnectionParameterSetsChanged, Where: InDocument, Subject: "connectionParameterSets",
				Old: loc(oc.Pointer, oc.Node), New: loc(nc.Pointer, nc.Node), ValuePath: "properties/connectionParameterSets", Details: d})
		}
	}
	matched, gone, come := pairSets(oc.Sets, nc.Sets)
	if len(gone) > 0 {
		first := gone[0]
		ch := &Change{Kind: ConnectionParameterSetRemoved, Where: InDocument, Subject: setNames(gone),
			Old: setLoc(first, oc), New: loc(nc.Pointer, nc.Node), ValuePath: "properties/connectionParameterSets",
			Before: setCount(oc), After: setCount(nc)}
		for _, s := range gone {
			ch.Details = append(ch.Details, setName(s))
		}
		c.emit(ch)
	}
	for _, m := range matched {
		o, n := m[0], m[1]
		name := o.Name
		if name == "" {
			name = n.Name
		}
		if o.Node != nil && n.Node != nil {
			ignore := func(k string) bool { return k == "name" || k == "parameters" || isUIDocKey(k) }
			if d := nodeDiffSets(o.Node, n.Node, ignore); len(d) > 0 {
				c.emit(&Change{Kind: ConnectionParameterSetsChanged, Where: InDocument, Subject: name,
					Old: loc(o.Pointer, o.Node), New: loc(n.Pointer, n.Node),
					ValuePath: "properties/connectionParameterSets/" + name, Details: d})
			}
		}
		c.connectionParameters(o.Parameters, n.Parameters, paramsAt{oldBase: o.ParametersPointer, newBase: n.ParametersPointer,
			vp: "properties/connectionParameterSets/" + name + "/parameters/", set: name})
	}
	if len(come) > 0 {
		first := come[0]
		ch := &Change{Kind: ConnectionParameterSetAdded, Where: InDocument, Subject: setNames(come),
			New: setLoc(first, nc), ValuePath: "properties/connectionParameterSets",
			Before: setCount(oc), After: setCount(nc)}
		for _, s := range come {
			ch.Details = append(ch.Details, setName(s))
		}
		c.emit(ch)
	}
}

// setName names a set as sentences show it: its name, or
// connectionParameters for the block of a file without sets.
func setName(s *connector.ParameterSet) string {
	if s.Node == nil {
		return "connectionParameters"
	}
	return s.Name
}

func setNames(list []*connector.ParameterSet) string {
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = setName(s)
	}
	return strings.Join(names, ", ")
}

// setLoc locates a set, or the connection's block for the implicit one.
func setLoc(s *connector.ParameterSet, conn connector.Connection) *connector.Location {
	if s.Node != nil {
		return loc(s.Pointer, s.Node)
	}
	return loc(conn.Pointer, conn.Node)
}

// pairSets matches the old sets with the new ones: by name, exactly and
// then ignoring case; the connectionParameters block of a side without
// sets with the other side's set that shares most of its parameter names
// (none shared: no match). An empty block (a connector without
// authentication) is no way to connect that could be removed or matched.
// It returns the pairs, in old order, and the old and new sets left over.
func pairSets(olds, news []connector.ParameterSet) (pairs [][2]*connector.ParameterSet, gone, come []*connector.ParameterSet) {
	used := make([]bool, len(news))
	matchedOld := make([]bool, len(olds))
	byName, byFold := map[string]int{}, map[string][]int{}
	for j := range news {
		if news[j].Node == nil {
			continue
		}
		if _, ok := byName[news[j].Name]; !ok {
			byName[news[j].Name] = j
		}
		f := strings.ToLower(news[j].Name)
		byFold[f] = append(byFold[f], j)
	}
	match := func(i, j int) {
		used[j], matchedOld[i] = true, true
		pairs = append(pairs, [2]*connector.ParameterSet{&olds[i], &news[j]})
	}
	for i := range olds {
		if olds[i].Node == nil {
			continue
		}
		if j, ok := byName[olds[i].Name]; ok && !used[j] {
			match(i, j)
		}
	}
	for i := range olds {
		if olds[i].Node == nil || matchedOld[i] {
			continue
		}
		for _, j := range byFold[strings.ToLower(olds[i].Name)] {
			if !used[j] {
				match(i, j)
				break
			}
		}
	}
	// The block of a side without sets.
	empty := func(s *connector.ParameterSet) bool { return s.Parameters == nil || s.Parameters.Len() == 0 }
	for i := range olds {
		if olds[i].Node == nil && !empty(&olds[i]) {
			if j := closestSet(olds[i].Parameters, news, used); j >= 0 {
				match(i, j)
			}
		}
	}
	for j := range news {
		if news[j].Node == nil && !used[j] && !empty(&news[j]) {
			if i := closestSet(news[j].Parameters, olds, matchedOld); i >= 0 {
				match(i, j)
			}
		}
	}
	for i := range olds {
		if !matchedOld[i] && !(olds[i].Node == nil && empty(&olds[i])) {
			gone = append(gone, &olds[i])
		}
	}
	for j := range news {
		if !used[j] && !(news[j].Node == nil && empty(&news[j])) {
			come = append(come, &news[j])
		}
	}
	return pairs, gone, come
}

// setCount is how many sets a connection has, "none" without
// connectionParameterSets (its one block is not a set).
func setCount(conn connector.Connection) string {
	if !conn.FromSets {
		return "none"
	}
	return strconv.Itoa(len(conn.Sets))
}

// closestSet is the index of the set of sets, not taken, that shares the
// most parameter names with block (a side's connectionParameters without
// sets), or -1 when none shares one. Of sets sharing as many, one that holds
// the block as it was is the one the block became. The block is indexed
// once: a side may hold thousands of sets.
func closestSet(block *connector.Node, sets []connector.ParameterSet, taken []bool) int {
	have := keyIndex(block)
	best, most, same := -1, 0, false
	for j := range sets {
		if taken[j] {
			continue
		}
		if n := sharedKeys(have, sets[j].Parameters); n > most || n == most && n > 0 && !same {
			if eq := connector.Equivalent(block, sets[j].Parameters, nil); n > most || eq {
				best, most, same = j, n, eq
			}
		}
	}
	return best
}

// sharedKeys counts the keys of mapping b that have (a mapping's
// keyIndex) holds too.
func sharedKeys(have map[string]*connector.Node, b *connector.Node) int {
	n := 0
	pairs(b, func(k, _ *connector.Node) {
		if have[k.Value()] != nil {
			n++
		}
	})
	return n
}

// connectionKept marks the changes of the definition's security when
// apiProperties.json defines the connection on both sides and the
// comparison of the connection (changes) found nothing that existing
// connections would miss: the platform makes connections from
// apiProperties.json, so the two files disagree rather than the connection
// changing.
//
// Two exceptions keep a change what it is. An OAuth parameter added is a new
// way to sign in whatever its required flag says (the platform ignores it
// there). And without parameter sets, an API key or a user name and password
// (securestring parameters) reach the service only as the definition's
// apiKey or basic scheme says: the last definition of that scheme removed, or
// made another type, sends them nowhere.
func (c *comparer) connectionKept(op, np *connector.Properties, changes []*Change) {
	oc, nc := op.Connection(), np.Connection()
	if !oc.Defined() || !nc.Defined() {
		return
	}
	for _, ch := range changes {
		switch ch.Kind {
		case ConnectionParameterRemoved, ConnectionParameterTypeChanged, ConnectionParameterRequiredChanged,
			ConnectionParameterValuesRemoved, OAuthSettingsChanged, ConnectionParameterSetRemoved, ConnectionParameterRenamed:
			return
		case ConnectionParameterAdded:
			if ch.Facts.Required || strings.EqualFold(ch.After, "oauthSetting") {
				return
			}
		}
	}
	delivered := !oc.FromSets && !nc.FromSets && hasSecret(oc)
	left := map[string]bool{} // the schemes the new definition still has
	pairs(get(c.new.Root, "securityDefinitions"), func(_, v *connector.Node) { left[str(v, "type")] = true })
	for _, ch := range c.changes {
		switch ch.Kind {
		case SecurityDefinitionRemoved, SecurityTypeChanged:
			// The last of its scheme: nothing delivers the secret now (a
			// second apiKey definition removed beside one that stays was
			// never what the connection's key went through).
			if delivered && (ch.Before == "apiKey" || ch.Before == "basic") && !left[ch.Before] {
				continue
			}
			ch.Facts.ConnectionKept = true
		case SecurityDefinitionAdded, SecurityDefinitionRenamed,
			SecurityFlowChanged, SecurityAPIKeyChanged, SecurityScopesChanged, SecurityURLChanged, SecurityRequirementChanged:
			ch.Facts.ConnectionKept = true
		}
	}
}

// hasSecret reports whether a connection asks for a securestring parameter
// (an API key, a password) in any of its sets.
func hasSecret(conn connector.Connection) bool {
	for _, set := range conn.Sets {
		found := false
		pairs(set.Parameters, func(_, v *connector.Node) {
			found = found || strings.EqualFold(str(v, "type"), "securestring")
		})
		if found {
			return true
		}
	}
	return false
}

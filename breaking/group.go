package breaking

import (
	"slices"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// A schema cut back or rewritten is one change to its users: one finding
// per schema and operation, listing what was removed or retyped, instead of
// one per property (mavim-improve b3cdb3c659..dfcf823859 had 144 removals
// for 10 body schemas). Findings of one grouping rule, judged alike (level,
// certification, hosts, reasons), about properties of one object schema
// (the same old "properties" mapping), are grouped per operation they
// reach; operations that lose the same properties share one finding, as
// identical changes across operations always have.

// cutBackDoc says so in the catalog of the rules whose findings are grouped.
const cutBackDoc = "Properties of one schema changed alike are one finding per schema and operation that names them " +
	"(mavim-improve b3cdb3c659..dfcf823859: 144 removals, 10 body schemas); fix repairs them one by one."

// groupedRules are the rules whose findings about several properties of
// one schema are grouped.
var groupedRules = map[string]bool{
	RequestBodyPropertyRemoved:    true,
	ResponsePropertyRemoved:       true,
	RequestBodyTypeChanged:        true,
	ResponsePropertyTypeChanged:   true,
	ResponsePropertyFormatChanged: true,
}

// propertySlot returns the "properties" mapping a finding's old pointer
// sits in and the property's name (its type or format, for a type or format
// change), or ok false for anything else.
func propertySlot(f *Finding) (container, name string, ok bool) {
	if f.Old == nil {
		return "", "", false
	}
	p := f.Old.Pointer
	switch f.Kind {
	case diff.TypeChanged:
		p = strings.TrimSuffix(p, "/type")
	case diff.FormatChanged:
		p = strings.TrimSuffix(p, "/format")
	case diff.PropertyRemoved:
	default:
		return "", "", false
	}
	i := strings.LastIndexByte(p, '/')
	if i < 0 || !strings.HasSuffix(p[:i], "/properties") {
		return "", "", false
	}
	name = connector.UnescapeToken(p[i+1:])
	if !strings.HasSuffix(f.Subject, "/"+name) || !strings.HasSuffix(f.ValuePath, "/"+name) {
		return "", "", false
	}
	return p[:i], name, true
}

// groupCutBacks groups, per operation, the findings of a grouping rule
// about properties of one schema, judged alike. A finding whose operations
// are all grouped goes; one grouped in some of its operations keeps the
// others.
func groupCutBacks(fs []Finding) []Finding {
	type slot struct {
		key  string // what the findings share besides the operation
		name string
	}
	slots := make([]slot, len(fs))
	buckets := map[string][]int{} // key + operation -> findings
	var order []string
	for i := range fs {
		f := &fs[i]
		if !groupedRules[f.Rule] || len(f.Merged) > 0 || len(f.Operations) == 0 {
			continue
		}
		container, name, ok := propertySlot(f)
		if !ok {
			continue
		}
		key := strings.Join([]string{f.Rule, f.Level.String(), f.Certification.String(), f.File, string(f.Where),
			f.Kind.String(), container, strings.Join(f.Reasons, "\x01"), hostList(f.Hosts)}, "\x00")
		slots[i] = slot{key, name}
		for _, op := range f.Operations {
			b := key + "\x00" + op
			if _, ok := buckets[b]; !ok {
				order = append(order, b)
			}
			buckets[b] = append(buckets[b], i)
		}
	}
	// Operations whose bucket holds the same findings share one group.
	type group struct {
		members []int
		ops     []string
		at      int // the first member's index: where the group goes
	}
	groups := map[string]*group{}
	var groupOrder []string
	grouped := map[int]map[string]bool{} // finding -> operations it is grouped in
	for _, b := range order {
		members := buckets[b]
		if len(members) < 2 {
			continue
		}
		op := b[strings.LastIndexByte(b, 0)+1:]
		var sig strings.Builder
		sig.WriteString(slots[members[0]].key)
		for _, m := range members {
			sig.WriteString("\x00")
			sig.WriteString(fs[m].Old.Pointer)
			sig.WriteString("\x00")
			sig.WriteString(fs[m].ValuePath)
			if grouped[m] == nil {
				grouped[m] = map[string]bool{}
			}
			grouped[m][op] = true
		}
		g, ok := groups[sig.String()]
		if !ok {
			g = &group{members: members, at: members[0]}
			groups[sig.String()] = g
			groupOrder = append(groupOrder, sig.String())
		}
		g.ops = append(g.ops, op)
	}
	if len(groups) == 0 {
		return fs
	}
	at := map[int][]*group{}
	for _, s := range groupOrder {
		g := groups[s]
		at[g.at] = append(at[g.at], g)
	}
	out := make([]Finding, 0, len(fs))
	for i, f := range fs {
		for _, g := range at[i] {
			out = append(out, cutBack(fs, g.members, g.ops))
		}
		if ops := grouped[i]; len(ops) > 0 {
			var rest []string
			for _, op := range f.Operations {
				if !ops[op] {
					rest = append(rest, op)
				}
			}
			if len(rest) == 0 {
				continue
			}
			f.Operations, f.Operation, f.Count = rest, rest[0], len(rest)
			f.ValuePath = retarget(f.ValuePath, fs[i].Operation, rest[0])
		}
		out = append(out, f)
	}
	return out
}

// cutBack is the one finding for the members (indexes into fs) in the
// operations ops.
func cutBack(fs []Finding, members []int, ops []string) Finding {
	first := fs[members[0]]
	_, name, _ := propertySlot(&first)
	g := first
	g.Subject = strings.TrimSuffix(first.Subject, "/"+name)
	g.ValuePath = retarget(strings.TrimSuffix(first.ValuePath, "/"+name), first.Operation, ops[0])
	g.Operations, g.Operation, g.Count = ops, ops[0], len(ops)
	g.Parts = make([]Finding, len(members))
	g.Details = make([]string, len(members))
	g.Before, g.After = "", ""
	for i, m := range members {
		p := fs[m]
		g.Parts[i] = p
		// The path below the body or response, as users know the field.
		field := p.Subject
		if j := strings.IndexByte(field, '/'); j >= 0 {
			field = field[j+1:]
		}
		switch {
		case p.Kind == diff.PropertyRemoved && p.After != "":
			field += " (renamed to " + p.After + ")"
		case p.Kind != diff.PropertyRemoved:
			field += ": " + orNone(p.Before) + " -> " + orNone(p.After)
		}
		g.Details[i] = field
	}
	ch := diff.Change{}
	if first.Change != nil {
		ch = *first.Change
	}
	ch.Subject, ch.ValuePath, ch.Before, ch.After, ch.Details = g.Subject, g.ValuePath, "", "", g.Details
	// What the schema lost names the finding (its id): accepting this cut
	// back must not accept a later one of other properties.
	names := slices.Clone(g.Details)
	slices.Sort(names)
	ch.Digest = hashID(append([]string{"parts"}, names...)...)
	g.Change = &ch
	return g
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func hostList(hs []Host) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(string(h))
		b.WriteByte(',')
	}
	return b.String()
}

// Ungrouped returns the findings with each group of a schema cut back
// replaced by the findings it stands for, once each, with every operation
// they reach: the shape a tool that repairs one property at a time works
// on (connectordiff fix).
func Ungrouped(fs []Finding) []Finding {
	var out []Finding
	at := map[string]int{}
	add := func(f Finding) {
		// A finding partly grouped left the rest of its operations (and
		// a value path naming one of them) behind: the part has them all.
		k := f.Rule + "\x00" + f.Kind.String() + "\x00" + pointer(f.Old) + "\x00" + pointer(f.New) + "\x00" + f.Level.String()
		if i, ok := at[k]; ok {
			if len(f.Operations) > len(out[i].Operations) {
				out[i] = f
			}
			return
		}
		at[k] = len(out)
		out = append(out, f)
	}
	for _, f := range fs {
		if len(f.Parts) == 0 {
			add(f)
			continue
		}
		for _, p := range f.Parts {
			add(p)
		}
	}
	return out
}

// groupSchemaPointer is the pointer of the schema whose properties a
// grouped finding is about, in the old document.
func groupSchemaPointer(f *Finding) (string, bool) {
	if len(f.Parts) == 0 {
		return "", false
	}
	container, _, ok := propertySlot(&f.Parts[0])
	if !ok {
		return "", false
	}
	return strings.TrimSuffix(container, "/properties"), true
}

// sharedNewPointer is the new-side pointer every part has (the properties
// mapping the removed ones are missing from), or "".
func sharedNewPointer(parts []Finding) string {
	shared := ""
	for i, p := range parts {
		np := pointer(p.New)
		if np == "" || i > 0 && np != shared {
			return ""
		}
		shared = np
	}
	return shared
}

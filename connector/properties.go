package connector

import "strconv"

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

// ParameterSet is one way to create a connection: a set of
// connectionParameterSets, or, in a file without sets, the
// connectionParameters block, which is then the only way.
type ParameterSet struct {
	// Name is the set's name, made unique ("name #2" for a second set of
	// the same name, "#3" for the third set when it has none); "" for the
	// connectionParameters block of a file without sets.
	Name string
	// Node is the set's object (nil for the connectionParameters block),
	// found at Pointer.
	Node    *Node
	Pointer string
	// Parameters is the mapping of its parameters (nil when absent), found
	// at ParametersPointer.
	Parameters        *Node
	ParametersPointer string
}

// Connection is how apiProperties.json says connections are made.
type Connection struct {
	// Sets are the ways to create a connection, in the file's order.
	Sets []ParameterSet
	// FromSets reports that the file has connectionParameterSets: each
	// connection is made with one set, and the top-level
	// connectionParameters block is a placeholder that no connection is
	// made with.
	FromSets bool
	// Pointer locates connectionParameterSets (or connectionParameters
	// without sets), or the properties mapping that would hold it.
	Pointer string
	// Node is the node at Pointer, nil when neither is declared.
	Node *Node
}

// Defined reports whether the file defines a connection: parameter sets,
// or connection parameters.
func (c Connection) Defined() bool {
	return c.FromSets || len(c.Sets) == 1 && c.Sets[0].Parameters != nil && c.Sets[0].Parameters.Len() > 0
}

// Connection reads how the file says connections are made (nil-safe: a
// missing file defines none). A connectionParameterSets whose values are
// not a list of sets counts as absent.
func (p *Properties) Connection() Connection {
	if p == nil {
		return Connection{Pointer: "/properties", Sets: []ParameterSet{{ParametersPointer: "/properties/connectionParameters"}}}
	}
	props := p.Root.Get("properties")
	const base = "/properties"
	if sets := props.Get("connectionParameterSets"); sets != nil {
		values := sets.Get("values")
		var out []ParameterSet
		seen := map[string]int{}
		for i := 0; values != nil && values.Kind() == Array && i < values.Len(); i++ {
			v := values.Elem(i)
			if v.Kind() != Object {
				continue
			}
			name := ""
			if n := v.Get("name"); n != nil && n.IsScalar() {
				name = n.Value()
			}
			if name == "" {
				name = "#" + strconv.Itoa(i+1)
			}
			if seen[name]++; seen[name] > 1 {
				name += " #" + strconv.Itoa(seen[name])
			}
			ptr := base + "/connectionParameterSets/values/" + strconv.Itoa(i)
			out = append(out, ParameterSet{Name: name, Node: v, Pointer: ptr,
				Parameters: v.Get("parameters"), ParametersPointer: ptr + "/parameters"})
		}
		if len(out) > 0 {
			return Connection{Sets: out, FromSets: true, Pointer: base + "/connectionParameterSets", Node: sets}
		}
	}
	params := props.Get("connectionParameters")
	c := Connection{Pointer: base + "/connectionParameters", Node: params,
		Sets: []ParameterSet{{Parameters: params, ParametersPointer: base + "/connectionParameters"}}}
	if params == nil {
		c.Pointer, c.Node = base, props
	}
	return c
}

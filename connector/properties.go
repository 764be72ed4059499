package connector

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

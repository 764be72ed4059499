package diff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The files of a connector folder, matched without regard to case.
const (
	DefinitionFile = "apiDefinition.swagger.json"
	PropertiesFile = "apiProperties.json"
	ScriptFile     = "script.csx"
)

// Connector is a whole connector: its definition, and its properties and
// script when it has them.
type Connector struct {
	Definition *Document
	Properties *Properties // nil when the folder has no apiProperties.json
	Script     *Script     // nil when the folder has no script.csx
}

// LoadConnector reads a connector folder: apiDefinition.swagger.json (which
// must exist), apiProperties.json and script.csx (either may be missing).
// File names are matched without regard to case, as Windows checkouts of
// connector repositories differ in case.
func LoadConnector(dir string, opts LoadOptions) (*Connector, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, ioError(dir, err)
	}
	find := func(name string) string {
		for _, e := range entries {
			if !e.IsDir() && strings.EqualFold(e.Name(), name) {
				return filepath.Join(dir, e.Name())
			}
		}
		return ""
	}
	defPath := find(DefinitionFile)
	if defPath == "" {
		return nil, &LoadError{File: dir, Msg: fmt.Sprintf("no %s in this folder", DefinitionFile), Err: errors.New("not a connector folder")}
	}
	c := &Connector{}
	if c.Definition, err = LoadFile(defPath, opts); err != nil {
		return nil, err
	}
	if p := find(PropertiesFile); p != "" {
		if c.Properties, err = LoadPropertiesFile(p, opts); err != nil {
			return nil, err
		}
	}
	if p := find(ScriptFile); p != "" {
		data, err := readFile(p, opts)
		if err != nil {
			return nil, err
		}
		c.Script = NewScript(p, data)
	}
	return c, nil
}

// CompareConnectors lists the changes between two versions of a whole
// connector: the definition's (as Compare), then apiProperties.json's, then
// script.csx's, each carrying the file it is in.
func CompareConnectors(ctx context.Context, old, new *Connector) ([]*Change, error) {
	c := newComparer(ctx, old.Definition, new.Definition)
	c.file = baseName(old.Definition.Name)
	c.document()
	if err := c.operations(); err != nil {
		return nil, err
	}
	resolveLocations(c.changes, &old.Definition.text, &new.Definition.text)
	c.file = ""
	from := len(c.changes)
	c.compareProperties(old.Properties, new.Properties)
	resolveLocations(c.changes[from:], old.Properties.source(), new.Properties.source())
	c.compareScript(old.Script, new.Script)
	return c.changes, nil
}

package diff

import (
	"context"
	"fmt"

	"github.com/connectordiff/connectordiff/connector"
)

// CompareConnectors lists the changes between two versions of a whole
// connector: the definition's (as Compare), then apiProperties.json's, then
// script.csx's, each carrying the file it is in.
func CompareConnectors(ctx context.Context, old, new *connector.Folder) ([]*Change, error) {
	c := newComparer(ctx, old.Definition, new.Definition)
	c.file = baseName(old.Definition.Name)
	c.document()
	if err := c.operations(); err != nil {
		return nil, err
	}
	resolveLocations(c.changes, old.Definition.Position, new.Definition.Position)
	c.file = ""
	from := len(c.changes)
	c.compareProperties(old.Properties, new.Properties)
	resolveLocations(c.changes[from:], positionIn(old.Properties), positionIn(new.Properties))
	c.compareScript(old.Script, new.Script)
	if c.check(); c.err != nil {
		return nil, c.err
	}
	return c.changes, nil
}

// ConnectorAdded lists the one change of a connector that appeared: nothing
// existing can break, but the report says what came.
func ConnectorAdded(c *connector.Folder) []*Change {
	d := c.Definition
	return []*Change{{Kind: ConnectorAppeared, Where: InDocument, Subject: d.Title(), File: baseName(d.Name),
		New: &connector.Location{Pointer: "", Line: 1, Column: 1}, ValuePath: "connector",
		After: fmt.Sprintf("%d operations", len(d.OperationList()))}}
}

// ConnectorRemoved lists the one change of a connector that went: it
// reaches every one of its operations, each of which existing flows and
// apps may call.
func ConnectorRemoved(c *connector.Folder) []*Change {
	d := c.Definition
	ch := &Change{Kind: ConnectorDisappeared, Where: InDocument, Subject: d.Title(), File: baseName(d.Name),
		Old: &connector.Location{Pointer: "", Line: 1, Column: 1}, ValuePath: "connector",
		Before: fmt.Sprintf("%d operations", len(d.OperationList()))}
	for _, o := range d.OperationList() {
		ch.Operations = append(ch.Operations, opRef(o))
	}
	return []*Change{ch}
}

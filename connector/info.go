package connector

// VersionAt locates info.version in the document, or returns nil when it
// has none.
func (d *Document) VersionAt() *Location {
	v := get(get(d.Root, "info"), "version")
	if v == nil {
		return nil
	}
	line, col := d.lineCol(v.start)
	return &Location{Pointer: "/info/version", Line: line, Column: col}
}

// Deprecated reports whether the operation with identifier id (its
// operationId) is marked deprecated: true.
func (d *Document) Deprecated(id string) bool {
	o, ok := d.byID[id]
	return ok && o.Deprecated
}

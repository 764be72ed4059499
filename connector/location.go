package connector

import "fmt"

// Location is a place in a loaded file: the file, a JSON pointer, and the
// line and column (1-based, columns in characters) in the file as read.
// A line and column mean nothing without the file: a finding in
// apiProperties.json has its position in apiProperties.json, not in the
// definition.
type Location struct {
	// File names the file the place is in, as a comparison names it (see
	// diff.Change.File): "" for the definition of a pair of lone
	// definitions; the file's name inside the connector folder (the
	// definition's, apiProperties.json, script.csx) when folders were
	// compared; a policy file's path for a finding about it. It is not in
	// the JSON form: a finding there says its file beside its locations.
	File    string `json:"-"`
	Pointer string `json:"pointer"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`

	at *Node // the node located, until Line and Column are filled in from it
}

// At locates node n under pointer p, leaving its line and column to
// Resolve: most locations a comparison makes are never reported, and those
// that are cost a look-up in the line table.
func At(p string, n *Node) *Location {
	return &Location{Pointer: p, at: n}
}

// Resolve fills in the line and column of a location made by At, with
// position, the Position method of the Document or Properties its node
// belongs to; a nil position leaves them 0. A location resolved already,
// or nil, is left as it is.
func (l *Location) Resolve(position func(off int) (line, col int)) {
	if l == nil || l.at == nil {
		return
	}
	if position != nil {
		l.Line, l.Column = position(int(l.at.start))
	}
	l.at = nil
}

// In records that l is in file, unless it names its file already; nil is
// left as it is.
func (l *Location) In(file string) {
	if l != nil && l.File == "" {
		l.File = file
	}
}

// String is "line:column", led by "file:" when the location names its file.
func (l *Location) String() string {
	if l == nil {
		return "-"
	}
	if l.File != "" {
		return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
	}
	return fmt.Sprintf("%d:%d", l.Line, l.Column)
}

package connector

import "fmt"

// Location is a place in a loaded file: a JSON pointer, and the line and
// column (1-based, columns in characters) in the file as read.
type Location struct {
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

func (l *Location) String() string {
	if l == nil {
		return "-"
	}
	return fmt.Sprintf("%d:%d", l.Line, l.Column)
}

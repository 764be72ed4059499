package diff

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Limits on the comparison. Comparing two schemas costs each pair once (see
// walk.go), but a pull request can still ask for work that grows faster
// than its size: many operations reaching one long chain of schemas, wide
// allOf ancestries flattened at every level. So the comparison counts its
// steps and stops, with an error that says where it was, past a budget
// proportional to the two documents' size; it stops the same way when its
// context is done, and past MaxChanges changes. It never answers with what
// it found so far.

// WorkPerByte is the comparison's budget, in steps (a schema pair entered, a
// property compared, a change reached by an operation...) per byte of the
// two documents; WorkFloor is added, so that small documents whose YAML
// aliases expand them have room. The real connectors of the corpus need at
// most 0.02 steps per byte, the hostile shapes of hostile_schema_test.go
// (diamonds, chains of 40,000 links, nesting at the parsers' limit) 0.2.
const (
	WorkPerByte = 8
	WorkFloor   = 1 << 24
)

// MaxChanges is the most changes one comparison of a connector reports
// (the real connector with the most has 230); past it the comparison fails
// with ErrTooManyChanges.
const MaxChanges = 100_000

// ErrWorkBudget: a comparison needed more steps than its budget allows.
var ErrWorkBudget = errors.New("the comparison needs more work than its budget allows")

// ErrTooManyChanges: a comparison found more than MaxChanges changes.
var ErrTooManyChanges = errors.New("too many changes")

// StopError says why a comparison stopped before it was done and where it
// was: the pair of schemas it was comparing (or the operation), located in
// the old document and named in the new one. Err is ErrWorkBudget,
// ErrTooManyChanges or the context's error.
type StopError struct {
	File         string // the old document
	Line, Column int    // 0 when the comparison was not at a node
	Pointer      string
	NewFile      string
	NewPointer   string
	Operation    string // the old operation's id, when at one
	Msg          string
	Err          error
}

func (e *StopError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	switch {
	case e.Pointer != "" || e.NewPointer != "":
		fmt.Fprintf(&b, "comparing %s with %s %s", pointerText(e.Pointer), e.NewFile, pointerText(e.NewPointer))
		if e.Operation != "" {
			fmt.Fprintf(&b, " (operation %s)", e.Operation)
		}
		b.WriteString(": ")
	case e.Operation != "":
		fmt.Fprintf(&b, "comparing operation %s: ", e.Operation)
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *StopError) Unwrap() error { return e.Err }

func pointerText(p string) string {
	if p == "" {
		return "the root"
	}
	return p
}

// workBudget is the steps a comparison of old and new may take.
func workBudget(old, new *connector.Document) int64 {
	return WorkPerByte*(int64(len(old.Source()))+int64(len(new.Source()))) + WorkFloor
}

// checkEvery is how many steps pass between two looks at the context.
const checkEvery = 1 << 12

// step counts n steps of work, and stops the comparison past its budget.
func (c *comparer) step(n int) {
	c.steps += int64(n)
	c.sinceCheck += n
	if c.sinceCheck >= checkEvery {
		c.check()
	}
}

// check stops the comparison when its budget is spent or its context done.
func (c *comparer) check() {
	c.sinceCheck = 0
	switch {
	case c.err != nil:
	case c.steps > c.budget:
		c.stop(fmt.Sprintf("the comparison needs more than %d steps, its budget for documents of this size (%d per byte, plus %d); "+
			"schemas shaped to make comparing them slow?", c.budget, WorkPerByte, WorkFloor), ErrWorkBudget, nil)
	case c.ctx.Err() != nil:
		err := c.ctx.Err()
		if cause := context.Cause(c.ctx); cause != nil {
			err = cause
		}
		c.stop("the comparison was stopped before it was done: "+err.Error(), err, nil)
	}
}

// stop ends the comparison with a StopError located at the pair being
// compared, else at ch (a change), else at the operation.
func (c *comparer) stop(msg string, err error, ch *Change) {
	if c.err != nil {
		return
	}
	e := &StopError{File: c.old.Name, NewFile: c.new.Name, Msg: msg, Err: err}
	if c.cur != nil {
		e.Operation = c.cur.ID
	}
	at := func(l *connector.Location, d *connector.Document) (string, int, int) {
		if l == nil {
			return "", 0, 0
		}
		r := *l // a copy: the change keeps its location unresolved until the end
		r.Resolve(d.Position)
		return r.Pointer, r.Line, r.Column
	}
	f := c.top()
	if f == nil {
		f = c.touching
	}
	switch {
	case f != nil:
		e.Pointer, e.NewPointer = f.op.String(), f.np.String()
		e.Line, e.Column = lineCol(c.old, f.o)
	case ch != nil && ch.File != "" && ch.File != baseName(c.old.Name):
		// apiProperties.json or script.csx, named as findings name them
		e.File, e.NewFile = ch.File, ch.File
		e.Pointer, e.NewPointer = pointerOf(ch.Old), pointerOf(ch.New)
	case ch != nil && ch.Old != nil:
		e.Pointer, e.Line, e.Column = at(ch.Old, c.old)
		e.NewPointer, _, _ = at(ch.New, c.new)
	case ch != nil && ch.New != nil:
		e.File = c.new.Name
		e.Pointer, e.Line, e.Column = at(ch.New, c.new)
		e.NewPointer = e.Pointer
	case c.cur != nil && c.old.Operation(c.cur.ID) == c.cur:
		e.Pointer, e.NewPointer = c.cur.Pointer, c.cur.Pointer
		e.Line, e.Column = lineCol(c.old, c.cur.Node)
	}
	c.err = e
}

// lineCol returns the line and column of node n of d.
func lineCol(d *connector.Document, n *connector.Node) (int, int) {
	start, _ := d.Span(n)
	return d.Position(start)
}

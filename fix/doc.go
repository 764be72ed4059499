// Package fix turns a breaking connector update into a compatible one, the
// way Microsoft asks publishers to: it keeps what existing flows and apps use
// (an operation, its id, its route, an input, an output, an enum value) and
// keeps the new shape beside it, versioned with x-ms-api-annotation where the
// operation itself changed.
//
// It plans from findings, as go/analysis suggested fixes do: each breaking
// finding of the comparison (its rule, its change, the pointers of both
// sides) maps to a remedy, or to the reason none is mechanical. A remedy is a
// list of JSON Patch operations (RFC 6902) on the new document, whose values
// are text copied from the old document (re-indented to the new one's style)
// or small generated values. Apply turns the operations into byte edits at
// the nodes' spans, so that everything the operations do not touch keeps its
// bytes: key order, indentation, line endings, escapes.
//
// The package decides and edits; it does not compare. The root package's
// connectordiff.Fix runs the rounds (compare, plan, apply, compare again)
// and proves the result.
package fix

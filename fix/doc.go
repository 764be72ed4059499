// Package fix turns a breaking connector update into a compatible one, the
// way Microsoft asks publishers to: it keeps what existing flows and apps use
// (an operation, its id, its route, an input, an output, an enum value) and
// keeps the new shape beside it, versioned with x-ms-api-annotation where the
// operation itself changed.
//
// It plans from findings, as go/analysis suggested fixes do: each breaking
// finding of the comparison (its rule, its change, the pointers of both
// sides) maps to the remedy its rule's row prescribes (breaking.Remedy; the
// in-place plans are in remedies.go), or to the reason none is mechanical. A remedy is a list of JSON Patch operations (RFC 6902)
// on the new document, whose values are text copied from the old document
// or small generated values. Apply turns a batch of operations into byte
// edits at the nodes' spans, laid out in the edited document's own style
// (indentation unit, line endings, one-line or one-member-per-line
// containers), so that everything the operations do not touch keeps its
// bytes.
//
// Three kinds of remedy:
//   - in place: an edit where the change is (a parameter, property, response,
//     schema or enum value put back; a default; a body parameter's name);
//   - restore: an operation of the old document put back on its route,
//     deprecated and hidden, or an operationId put back;
//   - version: the old operation put back on its old route as revision N of
//     its family, deprecated and hidden, and the current one renamed
//     <Id>V<N+1> (or <Id>_V<N+1>, the connector's convention) as revision
//     N+1, when the change cannot be undone without losing the new shape. A
//     route holds one operation, so this needs the new shape to have a route
//     of its own: the one the update gave it, or Options.VersionPath.
//
// Text copied from the old document keeps its references valid: a
// definition (or parameter, or response) the current document has the same,
// references included, is shared; one it lacks or has otherwise is copied,
// under its own name or, when taken, a suffixed one (Task_V1).
//
// Run drives it: rounds of compare (package breaking judges the update),
// plan and apply, then the proof that the result breaks only what it
// reports unfixed and takes nothing away from the new definition. The
// planner itself decides and edits; it does not compare.
package fix

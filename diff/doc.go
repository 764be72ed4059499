// Package diff is the neutral half of connectordiff: it loads two Swagger 2.0
// connector definitions and lists what changed between them, without judging
// whether a change breaks anyone (package breaking does that).
//
// Loading is lenient where real connector files are messy (a byte order
// mark, trailing commas, Windows-1252 bytes, raw control characters in
// strings, Unicode spaces) and records each repair as a Note; anything else
// is a LoadError with file, line and column. Only local $refs are followed.
//
// Comparison identifies operations by operationId (or "METHOD path" when
// they have none), parameters by (name, in) after merging path-item
// parameters, and walks schemas through $ref, allOf, items and
// additionalProperties in their direction: request parameters and bodies,
// responses per status code, and webhook payloads (x-ms-notification-content
// on the operation or its path item). Each Change carries its old and new
// JSON pointer with line and column, the operations it reaches, Microsoft's
// value path, and the facts a policy weighs.
package diff

// Package connector reads Power Platform connectors and models them: the
// Swagger 2.0 definition, apiProperties.json and script.csx, with locations.
//
// Loading is lenient where real connector files are messy (a byte order
// mark, trailing commas, Windows-1252 bytes, raw control characters in
// strings, Unicode spaces) and records each repair as a Note; anything else
// is a LoadError with file, line and column, wrapping one of the sentinel
// errors (ErrSyntax, ErrNotSwagger2, ErrEmpty, ErrTooLarge...). Input is
// hostile until proven otherwise: size, nesting and YAML aliases are
// bounded (limits.go), only local $refs are followed, and nothing is read
// because a document names it.
//
// A Document is a tree of compact Nodes over the text it was read from,
// each with its span, so that line and column are computed only for what is
// reported; its operations are indexed as the comparison and fix both see
// them (Operations, Operation: identifiers, routes, parameters merged
// from the path item, references resolved). Equal and Equivalent are the
// one node equality. A Folder is a whole connector as its folder holds it.
package connector

// Package connectordiff tells whether an update to a Microsoft Power Platform
// connector breaks the flows and apps that already use it.
//
// A connector's apiDefinition.swagger.json is Swagger 2.0 with x-ms-*
// extensions. Flows store an action's operationId, its parameter names and
// the property paths of its outputs; Logic Apps also store method and path.
// Compare loads the old and the new definition, lists what changed (package
// diff, which judges nothing), and classifies each change with a table of
// rules (package breaking) into breaking changes, warnings and notes, each
// located in both files. Package report renders a Result for people and
// machines.
//
//	res, err := connectordiff.Compare(ctx, oldBytes, newBytes)
//	if err != nil { ... }            // unreadable input, with file:line:column
//	if res.Max() >= breaking.Breaking { ... }
package connectordiff

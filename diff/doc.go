// Package diff is the neutral comparison: it lists what changed between two
// connectors that package connector loaded, judging nothing (breaking does).
//
// Operations are identified by operationId (or "METHOD path" when they have
// none), parameters by (name, in) after merging path-item parameters, and
// schemas are walked through $ref, allOf, items and additionalProperties in
// their direction: request parameters and bodies, responses per status code,
// and webhook payloads (x-ms-notification-content on the operation or its
// path item). Each Change has a Kind, its old and new JSON pointer with line
// and column, the operations it reaches, Microsoft's value path, and the
// Facts a policy weighs.
//
// The files follow the areas compared: operations and routes
// (operations.go), parameters (parameters.go), bodies and schemas
// (schema.go, objects.go, and walk.go and identical.go for how the walk is
// kept linear), responses and webhooks (responses.go), security
// (security.go) and connections (connections.go, apiProperties.json;
// script.go, script.csx), and Microsoft's extensions (extensions.go). The
// comparison's limits are in budget.go.
package diff

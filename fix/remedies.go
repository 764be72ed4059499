package fix

import (
	"github.com/connectordiff/connectordiff/breaking"
)

// how says which kind of remedy a rule gets.
type how int

const (
	// notBreaking: the rule never breaks users, so there is nothing to
	// repair.
	notBreaking how = iota
	// restoreOperation: the old operation is put back, deprecated and
	// hidden.
	restoreOperation
	// restoreID: the old operationId is put back.
	restoreID
	// versionOperation: the old operation is put back under its old id and
	// route as the old revision of an x-ms-api-annotation family, and the
	// new shape becomes the next revision under a new id.
	versionOperation
	// inPlace: an edit where the change is (a value, a property, a
	// parameter put back), or versioning when the edit cannot keep the new
	// shape.
	inPlace
	// human: no mechanical remedy; the rule's remediation says what to do.
	human
)

// remedy is how fix treats the findings of one rule.
type remedy struct {
	how how
	// doc says what fix does, for the rule catalog.
	doc  string
	plan func(pl *planner, it *item) outcome
}

// versionDoc is what the catalog says of a change that needs an operation of
// its own.
const versionDoc = "Versions the operation when the old and the new shape can each have a route: the old operation comes back " +
	"under its old operationId, method and path, deprecated and hidden, as revision N of its `x-ms-api-annotation` family, and the " +
	"new shape becomes revision N+1 as `<OperationId>V<N+1>` (or the connector's own `_V<N+1>` naming), each keeping the " +
	"definitions it uses (old ones copied where they differ). A route holds one operation, so the new shape needs a route of " +
	"its own: the one the update gave it, or, under `--version-path /v2`, the old path under a prefix the backend serves the " +
	"new shape at. Otherwise it is left to you."

// remedies is the table of what fix does for each rule that can break
// users (or the validator); rules not listed are never breaking, and rules
// listed as human have no mechanical remedy.
var remedies = map[string]remedy{
	"operation-removed": {how: restoreOperation,
		doc: "Restores the operation from the old definition, with deprecated: true and x-ms-visibility: internal (advanced under " +
			"--profile certification, whose validator reports a hidden operation), its referenced definitions copied or renamed " +
			"where the new ones differ. Left to you when another operation now holds its route."},
	"operation-id-changed": {how: restoreID,
		doc: "Puts the old operationId back (and points x-ms-dynamic-* lookups that named the new one at it). The new id is " +
			"dropped: it could only live on as an alias on a route of its own."},
	"operation-path-changed":   {how: versionOperation, doc: versionDoc},
	"operation-method-changed": {how: versionOperation, doc: versionDoc},
	"operation-made-internal": {how: inPlace, plan: planOperationVisible,
		doc: "Breaking only for the validator: replaces x-ms-visibility: internal with advanced, which Microsoft recommends for " +
			"de-emphasising an operation."},
	"trigger-changed": {how: human, doc: "Left to you: a trigger's kind decides how runs fire and what they output; add the new " +
		"trigger as a new operation."},
	"trigger-mechanism-changed": {how: human, doc: "Left to you: existing subscriptions or polling states belong to the old mechanism."},
	"parameter-removed": {how: inPlace, plan: planParameterRemoved,
		doc: "Restores the parameter in the operation (optional, so new flows need not fill it), its references copied where " +
			"needed. A path parameter, or a body beside form data, needs the old route: " + versionDoc},
	"parameter-renamed": {how: inPlace, plan: planParameterRenamed,
		doc: "Puts the old name back on a body parameter, whose name only keys what flows store. Any other parameter's name is " +
			"what the backend receives: " + versionDoc},
	"parameter-location-changed": {how: inPlace, plan: needsVersion, doc: versionDoc},
	"parameter-required-added": {how: inPlace, plan: planRequiredParameter,
		doc: "Gives the parameter a default when one is safe (the only value its enum allows). Otherwise, or under --profile " +
			"certification (the validator reports a required input even with a default), it needs the old shape kept: " + versionDoc +
			" You may instead make it optional, or give it a default the backend accepts (and x-ms-visibility: internal if users " +
			"never need to change it)."},
	"parameter-became-required": {how: inPlace, plan: planRequiredParameter,
		doc: "Gives the parameter the default it had in the old definition, or the only value its enum allows. Otherwise, or " +
			"under --profile certification: " + versionDoc},
	"parameter-type-changed":   {how: inPlace, plan: needsVersion, doc: versionDoc},
	"parameter-format-changed": {how: inPlace, plan: needsVersion, doc: versionDoc},
	"parameter-enum-narrowed": {how: inPlace, plan: planEnumNarrowed,
		doc: "Adds the removed values back to the enum (and to x-ms-enum-values, when the input has them). An enum put on an " +
			"input that was free cannot be undone without losing the new shape: " + versionDoc},
	"parameter-made-internal": {how: inPlace, plan: planMadeInternal,
		doc: "Gives the hidden input the default it had in the old definition; without one, shows it again as " +
			"x-ms-visibility: advanced."},
	"dynamic-values-target-removed": {how: inPlace, plan: planLookupRemoved,
		doc: "Restores the lookup operation from the old definition, as it was (lookups may call internal operations)."},
	"request-body-property-removed": {how: inPlace, plan: planPropertyRemoved,
		doc: "Restores the property in the request schema, optional; the backend may ignore it. A renamed property carries a " +
			"value the backend now expects under the new name: " + versionDoc},
	"request-restructured": {how: inPlace, plan: needsVersion, doc: versionDoc},
	"request-body-required-added": {how: inPlace, plan: planRequiredProperty,
		doc: "Gives the property the default it had in the old definition, or the only value its enum allows. Otherwise, or " +
			"under --profile certification: " + versionDoc},
	"request-body-type-changed": {how: inPlace, plan: needsVersion, doc: versionDoc},
	"response-removed": {how: inPlace, plan: planResponseRemoved,
		doc: "Restores the old success responses that the operation no longer declares."},
	"response-schema-removed": {how: inPlace, plan: planSchemaRemoved,
		doc: "Restores the schema of the response (or webhook payload) from the old definition."},
	"response-property-removed": {how: inPlace, plan: planPropertyRemoved,
		doc: "Restores a removed optional output in the response schema (flows that read it get no value rather than failing). " +
			"A required, renamed or moved output is one flows rely on: " + versionDoc},
	"response-restructured":            {how: inPlace, plan: needsVersion, doc: versionDoc},
	"response-property-type-changed":   {how: inPlace, plan: needsVersion, doc: versionDoc},
	"response-property-format-changed": {how: inPlace, plan: needsVersion, doc: "Breaking only for the validator. " + versionDoc},
	"schemes-changed":                  {how: human, doc: "Left to you: whether the backend still serves https is not in the definition."},
	"security-changed": {how: human, doc: "Left to you: Microsoft does not allow a new authentication type in an update; publish a " +
		"new connector for it."},
	"version-decreased": {how: inPlace, plan: planVersionDecreased,
		doc: "Sets info.version above the old one (its last number plus one)."},
	// Rules of comparisons between repository revisions (the repository
	// gate): fix compares two definitions of one connector, so they never
	// reach it, and the catalog says so.
	"deprecated-operation-removed": {how: human, doc: "Left to you: the operation was deprecated for the whole deprecation " +
		"window, so putting it back would undo a removal its users were told of. Microsoft's validator still reports the deletion; " +
		"to pass it, restore the operation (connectordiff fix restores an operation removed before the window ends)."},
	"acceptance-expired":                  {how: human, doc: "Left to you: renew the acceptance in the policy file, or remove it."},
	"connector-removed":                   {how: human, doc: "Left to you: fix repairs an update of one connector's definition, not a connector removed."},
	"connection-parameter-removed":        {how: human, doc: "Left to you: fix edits the definition, not apiProperties.json."},
	"connection-parameter-required-added": {how: human, doc: "Left to you: fix edits the definition, not apiProperties.json."},
	"connection-parameter-type-changed":   {how: human, doc: "Left to you: fix edits the definition, not apiProperties.json."},
	"connection-parameter-values-removed": {how: human, doc: "Left to you: fix edits the definition, not apiProperties.json."},
}

// Describe says what connectordiff fix does for findings of a rule, for the
// rule catalog.
func Describe(rule string) string {
	if r, ok := remedies[rule]; ok {
		return r.doc
	}
	if r, ok := breaking.Lookup(rule); ok && r.Level < breaking.Breaking && r.Certification < breaking.Breaking {
		return "Nothing to repair: the rule is never breaking."
	}
	return "Left to you: no mechanical remedy."
}

// Fixable reports whether fix has a mechanical remedy for some findings of
// the rule.
func Fixable(rule string) bool {
	r, ok := remedies[rule]
	return ok && r.how != human && r.how != notBreaking
}

package breaking

import (
	"strings"
	"unicode"

	"github.com/connectordiff/connectordiff/diff"
)

// Rule is one policy decision: which changes it covers, how serious they are
// by default, and what to tell the publisher. Rule ids are stable API: tools,
// suppressions and level overrides refer to them.
type Rule struct {
	// ID is the rule's stable kebab-case identifier.
	ID string
	// Level is the default level of a change the rule covers.
	Level Level
	// Summary is one line for listings.
	Summary string
	// Doc says what existing flows and apps store that the change breaks, or
	// why it is harmless.
	Doc string
	// Remediation says how to make the update without breaking users.
	Remediation string

	// match reports whether the rule covers a change.
	match func(c *diff.Change) bool
	// ceiling, when set, lowers the level for circumstances that make the
	// change less harmful, and says why.
	ceiling func(c *diff.Change) (Level, string)
}

func kind(k diff.Kind) func(*diff.Change) bool {
	return func(c *diff.Change) bool { return c.Kind == k }
}

func internalCeiling(l Level) func(c *diff.Change) (Level, string) {
	return func(c *diff.Change) (Level, string) {
		if c.Facts.Internal {
			return l, "it is x-ms-visibility: internal, so no user sets it"
		}
		return Breaking, ""
	}
}

// internalConstraints explains why the constraints of an internal input do
// not matter: when such a field later becomes visible, they never bound a user.
const internalConstraints = "it is internal: its old constraints never bound a user"

// encodingFormats change how a value is written on the wire; the others only
// describe its content.
var encodingFormats = map[string]bool{"byte": true, "binary": true, "date": true, "date-time": true,
	"int32": true, "int64": true, "float": true, "double": true}

var wideningFormats = map[[2]string]bool{{"int32", "int64"}: true, {"float", "double"}: true, {"date", "date-time"}: true}

// inputTypeCeiling judges a type change of something callers send.
func inputTypeCeiling(c *diff.Change) (Level, string) {
	switch {
	case c.Facts.Internal:
		return Info, internalConstraints
	case c.Before == "integer" && c.After == "number":
		return Warning, "integer to number widens what is accepted"
	case c.Before == "":
		return Warning, "the value was untyped before"
	case c.After == "":
		return Info, "the value is untyped now and accepts anything"
	}
	return Breaking, ""
}

// inputFormatCeiling judges a format change of something callers send.
func inputFormatCeiling(c *diff.Change) (Level, string) {
	switch {
	case c.Facts.Internal:
		return Info, internalConstraints
	case c.After == "":
		return Warning, "the format was removed, which loosens the input"
	case wideningFormats[[2]string{c.Before, c.After}]:
		return Warning, c.Before + " to " + c.After + " widens what is accepted"
	case !encodingFormats[c.Before] && !encodingFormats[c.After]:
		return Warning, "a descriptive format changes validation, not the encoding"
	}
	return Breaking, ""
}

// requiredCeiling judges an input that became required or was added required.
func requiredCeiling(c *diff.Change) (Level, string) {
	f := c.Facts
	switch {
	case f.NotificationURL:
		return Info, "it is a notification URL the runtime fills in"
	case f.ReadOnly:
		return Info, "it is readOnly"
	case f.Internal && f.HasDefault:
		return Info, "it is internal with a default, which the runtime sends"
	case f.HasDefault:
		return Warning, "it has a default, which the designer fills in"
	case f.Body && f.BodyRuntimeBuilt:
		return Warning, "every body property is internal with a default or a notification URL"
	case f.Body && f.BodyAlreadySent:
		return Warning, "the body already had a required property, so working flows send a body"
	}
	return Breaking, ""
}

func request(c *diff.Change) bool { return c.Where.Request() }
func output(c *diff.Change) bool  { return c.Where.Output() }

// never matches no single change: the rule judges the update as a whole.
func never(*diff.Change) bool { return false }

// rules is the policy table. Order matters only where two rules could match
// the same change: the first wins. The last rule catches anything new.
var rules = []Rule{
	// Operations.
	{
		ID: "operation-removed", Level: Breaking, Summary: "An operation was removed.",
		Doc: "Flows, Logic Apps and Power Apps formulas call an action or trigger by its operationId. Once it is gone, " +
			"every saved flow that uses it fails to load or run, including operations that were already deprecated. " +
			"Operations that were x-ms-visibility: internal in the old version never appear in a user's flow, so their removal is a warning.",
		Remediation: "Keep the operation (mark it deprecated: true and, if you must hide it, x-ms-visibility: advanced) and add its replacement under a new operationId.",
		match:       kind(diff.OperationRemoved),
	},
	{
		ID: "operation-id-changed", Level: Breaking, Summary: "An operation kept its method and path but got a new operationId.",
		Doc: "Flows store the operationId, not the path. To existing flows a renamed operation is a removed one; " +
			"Microsoft's validator reports it as \"The operation has been deleted\". It also breaks script.csx routing on Context.OperationId.",
		Remediation: "Restore the old operationId. If the new name is needed, add a second operation (a new path or a family revision) and deprecate the old one.",
		match:       kind(diff.OperationIDChanged),
	},
	{
		ID: "operation-path-changed", Level: Breaking, Summary: "An operation's URL (basePath + path) changed.",
		Doc: "Logic Apps store the method and path of each connector action, so a new path breaks them, and Microsoft's validator " +
			"reports it as an error (\"The path template has been changed for the operation\"). Power Automate stores the operationId only, " +
			"which is why the hand-labelled guide calls this a warning; lower the level to warning if your users are on Power Automate alone.",
		Remediation: "Keep the old path; serve the new URL from a new operation, or route the old path to it in the backend or a policy.",
		match:       kind(diff.OperationPathChanged),
	},
	{
		ID: "operation-method-changed", Level: Breaking, Summary: "An operation's HTTP method changed.",
		Doc: "Logic Apps store the method of each connector action beside its path; Microsoft's validator reports a method change as an error. " +
			"Power Automate keys actions by operationId alone, so there it is a warning.",
		Remediation: "Keep the old method, and add a new operation for the new one.",
		match:       kind(diff.OperationMethodChanged),
	},
	{
		ID: "operation-deprecated", Level: Info, Summary: "An operation was marked deprecated.",
		Doc:         "Deprecation hides the operation in the designer; flows and apps that already use it keep working.",
		Remediation: "None needed. Give users at least 30 days' notice before removing it, and name the replacement in the description.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.OperationDeprecatedChanged && c.After == "true"
		},
	},
	{
		ID: "operation-made-internal", Level: Warning, Summary: "An operation was hidden with x-ms-visibility: internal.",
		Doc: "Existing flows keep running, but the designer no longer shows the action, so they cannot be edited; Microsoft's validator " +
			"reports \"The operation has been hidden. This change breaks the designer for existing flows.\"",
		Remediation: "Use deprecated: true (and x-ms-visibility: advanced) instead of internal for an operation users may have in flows.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.OperationVisibilityChanged && c.After == "internal"
		},
	},
	{
		ID: "operation-added", Level: Info, Summary: "An operation was added.",
		Doc:         "New operations break nothing.",
		Remediation: "None needed.",
		match:       kind(diff.OperationAdded),
	},
	{
		ID: "trigger-changed", Level: Breaking, Summary: "x-ms-trigger was added, removed, or changed between single and batch.",
		Doc: "A trigger's kind fixes the shape of its output (an object for single, an array for batch) and how runs fan out. " +
			"Flows built on the old kind reference outputs that no longer exist, and an action that became a trigger (or the reverse) disappears from where users placed it.",
		Remediation: "Add a new trigger operation with the new behaviour and deprecate the old one.",
		match:       kind(diff.TriggerChanged),
	},

	{
		ID: "trigger-mechanism-changed", Level: Breaking, Summary: "A trigger changed between webhook and polling.",
		Doc: "A webhook trigger registers a callback when the flow is saved (x-ms-notification-content, a notification URL input); " +
			"a polling trigger is called on a schedule and follows Location and Retry-After. Existing flows hold a subscription " +
			"or a polling state of the old kind, which the new one neither honours nor cleans up.",
		Remediation: "Add the new trigger as a new operation and deprecate the old one.",
		match:       kind(diff.TriggerMechanismChanged),
	},
	{
		ID: "trigger-hint-changed", Level: Info, Summary: "x-ms-trigger-hint changed.",
		Doc:         "The hint is text the designer shows while a trigger waits; it changes nothing that runs.",
		Remediation: "None needed.",
		match:       kind(diff.TriggerHintChanged),
	},
	{
		ID: "capabilities-changed", Level: Warning, Summary: "Capabilities changed (x-ms-capabilities, or capabilities in apiProperties.json).",
		Doc: "Capabilities switch platform behaviour such as chunked transfer, test connections, or whether the connector offers actions " +
			"and triggers; flows that relied on the old behaviour may fail on large payloads or lose triggers.",
		Remediation: "Check that every existing flow still works with the new capabilities.",
		match:       kind(diff.CapabilitiesChanged),
	},
	{
		ID: "annotation-family-crowded", Level: Warning, Summary: "An x-ms-api-annotation family gained non-deprecated operations beyond what the validator allows.",
		Doc: "Microsoft's versioning keeps one current revision per family beside at most one older one; the validator rejects " +
			"families with more than two non-deprecated operations (\"Extra operations must be deprecated\").",
		Remediation: "Deprecate the older revisions of the family.",
		match:       kind(diff.FamilyCrowded),
	},
	{
		ID: "annotation-revision-repeated", Level: Warning, Summary: "Two operations of an x-ms-api-annotation family share a revision.",
		Doc:         "Revisions order the versions of an operation; the validator requires them to be unique within a family.",
		Remediation: "Give the new operation the next revision number.",
		match:       kind(diff.RevisionRepeated),
	},
	{
		ID: "versioned-operation-replaces-original", Level: Warning, Summary: "A _V2-style operation was added while the operation it versions was removed.",
		Doc: "Versioning an operation keeps the old one so existing flows keep working (Microsoft's operational versioning); " +
			"replacing it breaks every flow that uses it (reported as operation-removed).",
		Remediation: "Keep the old operation, deprecated and x-ms-visibility: advanced, beside the new version.",
		match:       kind(diff.VersionReplacesOriginal),
	},
	{
		ID: "pageable-changed", Level: Warning, Summary: "x-ms-pageable was added, removed or changed.",
		Doc: "Paging decides whether the runtime follows nextLink and how many items an action returns; flows that count or " +
			"process the items see different results.",
		Remediation: "Keep the paging contract, or add a new operation with the new one.",
		match:       kind(diff.PageableChanged),
	},
	{
		ID: "consumes-changed", Level: Warning, Summary: "The media types an operation's body accepts changed.",
		Doc: "The runtime sends the body in a media type the operation declares; when the old and the new lists share none, " +
			"the backend receives the stored body in a form it did not before. A change that keeps a common type is safe.",
		Remediation: "Keep accepting the old media type.",
		match:       kind(diff.ConsumesChanged),
		ceiling: func(c *diff.Change) (Level, string) {
			if !c.Facts.Disjoint {
				return Info, "a media type accepted before still is"
			}
			return Warning, ""
		},
	},

	// Parameters.
	{
		ID: "parameter-removed", Level: Breaking, Summary: "A parameter was removed.",
		Doc: "Flows store parameter values by name. A removed parameter drops the user's value (or the request fails validation), " +
			"even when the parameter was optional. An internal parameter carries no user value, so removing it is a warning.",
		Remediation: "Keep the parameter; if the backend no longer needs it, mark it x-ms-visibility: advanced and ignore it in a policy or script.",
		match:       kind(diff.ParameterRemoved),
		ceiling:     internalCeiling(Warning),
	},
	{
		ID: "parameter-renamed", Level: Breaking, Summary: "A parameter was renamed.",
		Doc: "The parameter name is the key under which flows store the user's value (for the body, the prefix of every body field). " +
			"After a rename the stored value no longer reaches the parameter.",
		Remediation: "Keep the old name and change only x-ms-summary, which is what users see.",
		match:       kind(diff.ParameterRenamed),
		ceiling:     internalCeiling(Warning),
	},
	{
		ID: "parameter-location-changed", Level: Breaking, Summary: "A parameter moved to another location (query, path, header, body, formData).",
		Doc: "Power Automate stores the value by name and sends it where the new definition says, so it keeps working there; " +
			"Logic Apps store the path and query they send, and Microsoft's validator reports the move as an error " +
			"(\"Existing flows will continue to send the parameter in the old location\").",
		Remediation: "Keep the parameter where it was; accept both locations in the backend before moving it.",
		match:       kind(diff.ParameterLocationChanged),
		ceiling:     internalCeiling(Warning),
	},
	{
		ID: "parameter-required-added", Level: Breaking, Summary: "A required parameter was added.",
		Doc: "Existing flows do not send the new parameter, so their calls fail validation. With a default the designer fills it in " +
			"(a warning); an internal parameter with a default, or a notification URL, is sent by the runtime (safe).",
		Remediation: "Make the new parameter optional, or give it a default.",
		match:       func(c *diff.Change) bool { return c.Kind == diff.ParameterAdded && c.Facts.Required },
		ceiling:     requiredCeiling,
	},
	{
		ID: "parameter-added", Level: Info, Summary: "An optional parameter was added.",
		Doc:         "Existing flows simply do not send it.",
		Remediation: "None needed; make sure the backend's behaviour without it is unchanged.",
		match:       func(c *diff.Change) bool { return c.Kind == diff.ParameterAdded && !c.Facts.Required },
	},
	{
		ID: "parameter-became-required", Level: Breaking, Summary: "An optional parameter became required.",
		Doc: "Flows that never set the parameter now fail validation. With a default the designer fills it in (a warning); " +
			"a body that working flows already send, because it had a required property, is a warning too.",
		Remediation: "Keep the parameter optional, or give it a default the backend accepts.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.ParameterRequiredChanged && c.After == "true"
		},
		ceiling: requiredCeiling,
	},
	{
		ID: "parameter-type-changed", Level: Breaking, Summary: "A parameter's type changed.",
		Doc: "Values stored in flows were entered for the old type; they stop validating or are sent differently. " +
			"integer to number and untyped to typed are warnings; typed to untyped is safe.",
		Remediation: "Keep the old type and add a new parameter (or operation) for the new one.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.TypeChanged && c.Where == diff.InParameter
		},
		ceiling: inputTypeCeiling,
	},
	{
		ID: "parameter-format-changed", Level: Breaking, Summary: "A parameter's format changed.",
		Doc: "An encoding format (byte, binary, date, date-time, int32, int64, float, double) decides what a stored value must look like; " +
			"adding or changing one breaks stored values. Widening (int32 to int64, float to double, date to date-time), removing a format " +
			"and descriptive formats (uri, email, uuid) are warnings.",
		Remediation: "Keep the old format, or widen it only.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.FormatChanged && c.Where == diff.InParameter
		},
		ceiling: inputFormatCeiling,
	},
	{
		ID: "parameter-enum-narrowed", Level: Breaking, Summary: "An input's enum lost values, or an enum was put on an input that was free.",
		Doc: "Flows store the value the user picked or typed; a value no longer in the list fails validation (a recased value counts as " +
			"removed), and so may any value once a free input gets an enum (Microsoft's validator: \"The list of enum values has been added " +
			"to the input field. Existing flows may use values outside of this list.\"). Dropping only values the type can never take, " +
			"such as \"\" on a boolean, is a warning.",
		Remediation: "Keep the old values (mark them deprecated in the description) and map them in the backend; offer choices for a free input through x-ms-dynamic-values instead of an enum.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.EnumChanged && request(c) &&
				(c.Facts.EnumIntroduced || len(c.Facts.EnumRemoved) > 0 || len(c.Facts.EnumImpossible) > 0)
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Facts.Internal {
				return Info, internalConstraints
			}
			if !c.Facts.EnumIntroduced && len(c.Facts.EnumRemoved) == 0 {
				return Warning, "only values the type can never take were removed"
			}
			return Breaking, ""
		},
	},
	{
		ID: "parameter-enum-added", Level: Info, Summary: "An input accepts more values: enum values added, or the enum removed.",
		Doc:         "Every value a flow stored is still accepted.",
		Remediation: "None needed.",
		match:       func(c *diff.Change) bool { return c.Kind == diff.EnumChanged && request(c) },
	},
	{
		ID: "parameter-default-changed", Level: Warning, Summary: "The default of an input changed.",
		Doc: "Flows that never set the input, and every call for an internal constant, now send a different value, " +
			"so behaviour changes without any edit to the flow.",
		Remediation: "Make sure the backend treats the old and the new default alike, or keep the old default.",
		match:       func(c *diff.Change) bool { return c.Kind == diff.DefaultChanged && request(c) },
	},
	{
		ID: "parameter-made-internal", Level: Breaking, Summary: "An input was hidden with x-ms-visibility: internal.",
		Doc: "Users can no longer see or set the input. A required input without a default then has no value at all (breaking); " +
			"with a default, or when optional, flows lose the value they stored (a warning).",
		Remediation: "Give a hidden required input a default, or keep it visible (x-ms-visibility: advanced hides it less).",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.VisibilityChanged && request(c) && c.After == "internal"
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Facts.Internal {
				return Info, "it sits inside an internal input"
			}
			if !c.Facts.Required || c.Facts.HasDefault {
				return Warning, "it is optional or has a default"
			}
			return Breaking, ""
		},
	},
	{
		ID: "url-encoding-changed", Level: Warning, Summary: "x-ms-url-encoding changed between single and double.",
		Doc:         "Stored path values are encoded differently on the wire, which some backends decode differently.",
		Remediation: "Keep the encoding, or check the backend decodes both forms the same.",
		match:       kind(diff.URLEncodingChanged),
	},
	{
		ID: "collection-format-changed", Level: Warning, Summary: "An array parameter's collectionFormat changed.",
		Doc:         "The same stored list is serialised differently (csv, multi, pipes...), so the backend may read it differently.",
		Remediation: "Keep the collectionFormat, or accept both forms in the backend.",
		match:       kind(diff.CollectionFormatChanged),
	},
	{
		ID: "dynamic-values-target-removed", Level: Breaking, Summary: "A dynamic lookup calls an operation that no longer exists.",
		Doc: "x-ms-dynamic-values, -list, -tree, -schema and -properties make the designer call another operation for choices or schema. " +
			"When that operation is gone, the picker and the dynamic schema fail for every flow that uses the input.",
		Remediation: "Keep the lookup operation (it can stay internal), or point the extension at its replacement.",
		match:       kind(diff.DynamicTargetRemoved),
		ceiling:     internalCeiling(Info),
	},
	{
		ID: "dynamic-schema-changed", Level: Warning, Summary: "A dynamic schema lookup (x-ms-dynamic-schema or -properties) changed.",
		Doc: "The designer builds input fields and output tokens from these lookups; a new operation, parameters or value-path " +
			"changes which fields and outputs a saved flow finds when it is opened or run.",
		Remediation: "Check that the new lookup returns the same schema for existing inputs.",
		match:       func(c *diff.Change) bool { return c.Kind == diff.DynamicChanged && c.Facts.DynamicSchema },
		ceiling:     internalCeiling(Info),
	},
	{
		ID: "dynamic-values-changed", Level: Warning, Summary: "A dynamic lookup (x-ms-dynamic-*) changed.",
		Doc: "The designer builds pickers and dynamic fields from these lookups; a new operation, parameters, value-path or value-collection " +
			"changes what users see and what dynamic outputs exist, though stored values are still sent.",
		Remediation: "Check that the new lookup returns the same values and schema for existing inputs.",
		match:       kind(diff.DynamicChanged),
		ceiling:     internalCeiling(Info),
	},

	{
		ID: "input-constraint-tightened", Level: Warning, Summary: "A validation keyword of an input now accepts less (maxLength, maximum, pattern...).",
		Doc:         "Values stored in flows that passed the old constraint may fail the new one; whether any do depends on the data.",
		Remediation: "Keep the old bound, or check in the backend instead of the definition.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.ConstraintChanged && request(c) && c.Facts.Tightened
		},
		ceiling: internalCeiling(Info),
	},
	{
		ID: "output-constraint-loosened", Level: Warning, Summary: "A validation keyword of an output now allows more.",
		Doc:         "Flows that relied on the old bound (a length, a range) may meet values they do not handle.",
		Remediation: "Tell users about the wider range.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.ConstraintChanged && output(c) && !c.Facts.Tightened
		},
	},
	{
		ID: "constraint-relaxed", Level: Info, Summary: "A validation keyword changed in the harmless direction (an input accepts more, an output less).",
		Doc:         "Everything a flow sent or handled before still works.",
		Remediation: "None needed.",
		match:       kind(diff.ConstraintChanged),
	},
	{
		ID: "read-only-changed", Level: Warning, Summary: "A property's readOnly flag changed.",
		Doc: "A request property that became readOnly is no longer sent, so the value flows store for it is dropped. " +
			"Other readOnly changes do not affect saved flows.",
		Remediation: "Keep the property writable while flows may set it.",
		match:       kind(diff.ReadOnlyChanged),
		ceiling: func(c *diff.Change) (Level, string) {
			if !request(c) || c.After != "true" {
				return Info, "no value a flow sends is dropped"
			}
			return internalCeiling(Info)(c)
		},
	},
	{
		ID: "discriminator-changed", Level: Warning, Summary: "A schema's discriminator changed.",
		Doc:         "The discriminator decides which subtype a payload is read as; flows see other properties for the same data.",
		Remediation: "Keep the discriminator.",
		match:       kind(diff.DiscriminatorChanged),
		ceiling:     internalCeiling(Info),
	},
	{
		ID: "request-additional-properties-removed", Level: Warning, Summary: "A request body object no longer accepts additional properties.",
		Doc: "The designer offered free key-value pairs for this object; the pairs flows stored are no longer part of the schema " +
			"and may be dropped or rejected.",
		Remediation: "Keep additionalProperties on the request schema.",
		match:       kind(diff.AdditionalPropsRemoved),
		ceiling:     internalCeiling(Info),
	},
	{
		ID: "produces-changed", Level: Warning, Summary: "The media types an operation returns changed.",
		Doc: "When the old and the new lists share none, the response arrives in a format flows do not parse the same way. " +
			"A change that keeps a common type is safe.",
		Remediation: "Keep returning the old media type.",
		match:       kind(diff.ProducesChanged),
		ceiling: func(c *diff.Change) (Level, string) {
			if !c.Facts.Disjoint {
				return Info, "a media type returned before still is"
			}
			return Warning, ""
		},
	},

	// Request bodies.
	{
		ID: "request-body-property-removed", Level: Breaking, Summary: "A property of a request body was removed.",
		Doc: "Power Automate stores body fields as <bodyName>/<property>; the user's value for a removed (or renamed, or moved) property " +
			"is no longer sent. A readOnly property was never sent (safe); an internal one carries no user value (a warning).",
		Remediation: "Keep the property; ignore it in the backend if it is no longer used.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.PropertyRemoved && c.Where == diff.InRequestBody
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Facts.ReadOnly {
				return Info, "it was readOnly, so callers never sent it"
			}
			return internalCeiling(Warning)(c)
		},
	},
	{
		ID: "request-body-required-added", Level: Breaking, Summary: "A request body property is new and required, or became required.",
		Doc: "Existing flows do not send it, so their calls fail validation. With a default it is a warning; " +
			"internal with a default, or a notification URL, is safe.",
		Remediation: "Make the property optional, or give it a default.",
		match: func(c *diff.Change) bool {
			return c.Where == diff.InRequestBody && c.Facts.Required &&
				(c.Kind == diff.PropertyAdded || c.Kind == diff.PropertyRequiredChanged && c.After == "true")
		},
		ceiling: requiredCeiling,
	},
	{
		ID: "request-body-type-changed", Level: Breaking, Summary: "The type or format of a request body property changed.",
		Doc: "Values stored in flows were entered for the old type; they stop validating or are sent differently. " +
			"integer to number, untyped to typed, format widening and descriptive formats are warnings; typed to untyped is safe.",
		Remediation: "Keep the old type and add a new property (or operation) for the new one.",
		match: func(c *diff.Change) bool {
			return (c.Kind == diff.TypeChanged || c.Kind == diff.FormatChanged) && c.Where == diff.InRequestBody
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Kind == diff.FormatChanged {
				return inputFormatCeiling(c)
			}
			return inputTypeCeiling(c)
		},
	},
	{
		ID: "request-body-property-added", Level: Info, Summary: "An optional request body property was added.",
		Doc:         "Existing flows simply do not send it.",
		Remediation: "None needed.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.PropertyAdded && c.Where == diff.InRequestBody
		},
	},
	{
		ID: "requirement-relaxed", Level: Info, Summary: "A required input became optional.",
		Doc:         "Every flow that sent the input still may.",
		Remediation: "None needed.",
		match: func(c *diff.Change) bool {
			return (c.Kind == diff.ParameterRequiredChanged || c.Kind == diff.PropertyRequiredChanged) && request(c) && c.After == "false"
		},
	},

	// Responses and webhook payloads.
	{
		ID: "response-removed", Level: Breaking, Summary: "A success response was removed.",
		Doc: "The designer builds an action's outputs from its success response; flows reference them as dynamic content. " +
			"With no success response left, every reference breaks. Removing one 2xx code while another remains, or a response " +
			"whose schema named no properties, is a warning.",
		Remediation: "Keep the success response and its schema.",
		match:       kind(diff.ResponseRemoved),
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Facts.Secondary {
				return Warning, "another success response remains"
			}
			if !c.Facts.NamedProperties {
				return Warning, "its schema named no properties a flow could reference"
			}
			return Breaking, ""
		},
	},
	{
		ID: "response-schema-removed", Level: Breaking, Summary: "The schema of a success response (or webhook payload) was removed.",
		Doc: "Flows reference the properties of the schema as dynamic content; without it they are gone. A schema that named no properties, " +
			"or one on a secondary success code while the primary keeps its schema, is a warning.",
		Remediation: "Keep the schema.",
		match:       kind(diff.ResponseSchemaRemoved),
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Facts.Secondary {
				return Warning, "the primary success response keeps its schema"
			}
			if !c.Facts.NamedProperties {
				return Warning, "it named no properties a flow could reference"
			}
			return Breaking, ""
		},
	},
	{
		ID: "response-property-removed", Level: Breaking, Summary: "A property of a response or webhook payload was removed, renamed or moved.",
		Doc: "Flows reference outputs by path (outputs()?['body/x']); a removed, renamed or re-wrapped property yields nothing. " +
			"Microsoft's validator: \"The output field has been deleted. Existing flows may be broken if they are using this field.\"",
		Remediation: "Keep the property (it can be x-ms-visibility: advanced), and add the new shape beside it or in a new operation.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.PropertyRemoved && output(c)
		},
	},
	{
		ID: "response-property-type-changed", Level: Breaking, Summary: "The type of a response or webhook payload property changed.",
		Doc: "Flows use outputs as the declared type (a string in a condition, an array in apply-to-each), and the runtime checks payloads " +
			"against the schema. integer to number is a warning; a schema that named no properties becoming untyped is safe.",
		Remediation: "Keep the old type; add a new property or operation for the new shape.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.TypeChanged && output(c)
		},
		ceiling: func(c *diff.Change) (Level, string) {
			switch {
			case c.Before == "integer" && c.After == "number" || c.Before == "number" && c.After == "integer":
				return Warning, "integer and number are both numbers to a flow"
			case c.After == "" && !c.Facts.NamedProperties:
				return Info, "the old schema named no properties, and the new one is untyped"
			case c.Before == "":
				return Warning, "the output was untyped before"
			}
			return Breaking, ""
		},
	},
	{
		ID: "response-property-format-changed", Level: Info, Summary: "The format of a response or webhook payload property changed.",
		Doc: "The value keeps its type, so flow references still resolve. Microsoft's validator still reports it (\"The type format has been " +
			"changed for the output field\"); raise this rule to warning or breaking to match it.",
		Remediation: "Check that downstream expressions do not parse the value in the old format.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.FormatChanged && output(c)
		},
	},
	{
		ID: "response-enum-widened", Level: Warning, Summary: "An output can take values it could not before.",
		Doc:         "Flows that branch on an output's values (a switch, a condition) meet values they do not handle.",
		Remediation: "Tell users about the new values.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.EnumChanged && output(c) && (len(c.Facts.EnumAdded) > 0 && !c.Facts.EnumIntroduced || c.Facts.EnumDropped)
		},
	},
	{
		ID: "response-enum-narrowed", Level: Info, Summary: "An output takes fewer values (enum values removed or an enum introduced).",
		Doc:         "Every value a flow can now receive was possible before.",
		Remediation: "None needed.",
		match:       func(c *diff.Change) bool { return c.Kind == diff.EnumChanged && output(c) },
	},
	{
		ID: "response-property-made-internal", Level: Warning, Summary: "An output property was hidden with x-ms-visibility: internal.",
		Doc:         "The property disappears from dynamic content, so flows cannot pick it again when edited; saved references keep working.",
		Remediation: "Use x-ms-visibility: advanced to de-emphasise an output.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.VisibilityChanged && output(c) && c.After == "internal"
		},
	},
	{
		ID: "response-property-became-optional", Level: Warning, Summary: "An output property is no longer required, so responses may omit it.",
		Doc: "Flows that read the property without a null check (body('x')['p'] rather than ?['p']) or pass it on to a required " +
			"input fail when a response leaves it out.",
		Remediation: "Keep returning the property, or tell users to handle its absence.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.PropertyRequiredChanged && output(c) && c.After == "false"
		},
	},
	{
		ID: "response-property-added", Level: Info, Summary: "A property was added to a response or webhook payload.",
		Doc:         "Returning more data breaks nothing.",
		Remediation: "None needed.",
		match:       func(c *diff.Change) bool { return c.Kind == diff.PropertyAdded && output(c) },
	},
	{
		ID: "response-header-removed", Level: Warning, Summary: "A response header was removed.",
		Doc:         "Flows can reference response headers as outputs.",
		Remediation: "Keep the header in the definition while the backend still sends it.",
		match:       kind(diff.ResponseHeaderRemoved),
	},

	// Document level.
	{
		ID: "host-changed", Level: Warning, Summary: "The host (or x-ms-parameterized-host) changed.",
		Doc: "Flows do not store the address: the runtime calls whatever the definition says. Existing flows keep working as long as " +
			"the new host serves the same API.",
		Remediation: "Make sure the new host serves every operation before the update is published.",
		match:       kind(diff.HostChanged),
	},
	{
		ID: "base-path-changed", Level: Warning, Summary: "The basePath changed and moved the URL of surviving operations.",
		Doc: "Flows do not store the base path, but every moved operation now calls another URL. A basePath change that every path " +
			"compensates (same effective URLs) is not reported.",
		Remediation: "Make sure the backend serves the new URLs, or compensate in the paths.",
		match:       kind(diff.BasePathChanged),
	},
	{
		ID: "schemes-changed", Level: Breaking, Summary: "The schemes changed.",
		Doc:         "Losing https (or every scheme) leaves no way to call the API as before. Dropping only http is a warning; adding a scheme is safe.",
		Remediation: "Keep https.",
		match:       kind(diff.SchemesChanged),
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Facts.HTTPSLost {
				return Breaking, ""
			}
			if c.After == "" {
				return Warning, "the list was removed, so clients use the scheme that served the definition"
			}
			if len(missing(c.Before, c.After)) > 0 {
				return Warning, "https remains"
			}
			return Info, "schemes were only added"
		},
	},
	{
		ID: "security-changed", Level: Breaking, Summary: "Authentication changed: a definition's type, OAuth flow or API key changed, or a definition was added or removed.",
		Doc: "Existing connections were created for the old authentication; Microsoft does not allow changing the auth type in an update. " +
			"Connections cannot authenticate the new way until every user recreates them.",
		Remediation: "Keep the authentication; publish a new connector for a new auth type.",
		match: func(c *diff.Change) bool {
			switch c.Kind {
			case diff.SecurityTypeChanged, diff.SecurityFlowChanged, diff.SecurityAPIKeyChanged,
				diff.SecurityDefinitionRemoved, diff.SecurityDefinitionAdded:
				return true
			}
			return false
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Kind == diff.SecurityDefinitionAdded && !c.Facts.HadNone {
				return Warning, "connections already had a definition"
			}
			return Breaking, ""
		},
	},
	{
		ID: "oauth-scopes-changed", Level: Warning, Summary: "The OAuth scopes changed.",
		Doc:         "Existing connections keep the tokens they were granted; operations that need a new scope fail until users sign in again.",
		Remediation: "Tell users to re-consent, or request the new scopes only where needed.",
		match:       kind(diff.SecurityScopesChanged),
		ceiling: func(c *diff.Change) (Level, string) {
			if len(missing(c.After, c.Before)) == 0 {
				return Info, "scopes were only removed, which existing tokens still cover"
			}
			return Warning, ""
		},
	},
	{
		ID: "oauth-url-changed", Level: Warning, Summary: "An OAuth authorizationUrl or tokenUrl changed.",
		Doc:         "Existing connections refresh tokens at the token URL; a new identity endpoint may not honour tokens issued by the old one.",
		Remediation: "Make sure the new endpoints accept existing refresh tokens.",
		match:       kind(diff.SecurityURLChanged),
	},
	{
		ID: "security-requirement-changed", Level: Warning, Summary: "The top-level security requirement changed.",
		Doc:         "Which definition a call uses changes while the definitions stay the same.",
		Remediation: "Check that existing connections still satisfy the requirement.",
		match:       kind(diff.SecurityRequirementChanged),
	},
	{
		ID: "security-definition-renamed", Level: Info, Summary: "A security definition got a new key with the same content.",
		Doc:         "Connections are unaffected by the key.",
		Remediation: "None needed.",
		match:       kind(diff.SecurityDefinitionRenamed),
	},

	{
		ID: "visibility-changed", Level: Info, Summary: "x-ms-visibility changed other than to internal.",
		Doc:         "important, advanced and none only decide how prominently the designer shows an input or output; saved flows are unaffected.",
		Remediation: "None needed.",
		match: func(c *diff.Change) bool {
			return (c.Kind == diff.VisibilityChanged || c.Kind == diff.OperationVisibilityChanged) && c.After != "internal"
		},
	},

	// The update as a whole (see Policy.Judge): these rules weigh info.version
	// against the other findings, not a single change.
	{
		ID: "version-not-bumped", Level: Warning, Summary: "A breaking update kept the old info.version.",
		Doc: "Publishers, reviewers and users tell connector releases apart by info.version; a breaking update under the old " +
			"number looks like the version they already tested. Only updates with a breaking finding are checked.",
		Remediation: "Raise info.version (the major part, for a breaking update) and say in the release notes what breaks.",
		match:       never,
	},
	{
		ID: "version-decreased", Level: Breaking, Summary: "info.version went down.",
		Doc: "A lower version than the published one reads as a rollback: release tooling, certification and users that compare " +
			"versions take the update for an older connector.",
		Remediation: "Give the update a version above the published one.",
		match:       never,
	},

	// apiProperties.json and script.csx.
	{
		ID: "connection-parameter-removed", Level: Breaking, Summary: "A connection parameter was removed (apiProperties.json).",
		Doc: "Existing connections were created with a value for it, which policies and the definition may use (such as a host or an API key); " +
			"connections made before the update no longer match the connector.",
		Remediation: "Keep the connection parameter.",
		match:       kind(diff.ConnectionParameterRemoved),
	},
	{
		ID: "connection-parameter-required-added", Level: Breaking, Summary: "A connection parameter is new and required, or became required.",
		Doc:         "Existing connections have no value for it, so every flow using them fails until users edit or recreate the connection.",
		Remediation: "Make the new connection parameter optional, with a default the connector handles.",
		match: func(c *diff.Change) bool {
			return c.Kind == diff.ConnectionParameterAdded && c.Facts.Required || c.Kind == diff.ConnectionParameterRequiredChanged
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Facts.HasDefault {
				return Warning, "it has a default"
			}
			return Breaking, ""
		},
	},
	{
		ID: "connection-parameter-type-changed", Level: Breaking, Summary: "A connection parameter's type changed (string, securestring, oauthSetting...).",
		Doc: "The type fixes how the connection stores and sends the value; changing it, and above all changing between an API key " +
			"and OAuth, changes the authentication type, which Microsoft does not allow in an update.",
		Remediation: "Keep the type; publish a new connector for a new authentication type.",
		match:       kind(diff.ConnectionParameterTypeChanged),
	},
	{
		ID: "connection-parameter-added", Level: Info, Summary: "An optional connection parameter was added.",
		Doc:         "Existing connections simply have no value for it.",
		Remediation: "Make sure the connector works without it.",
		match:       kind(diff.ConnectionParameterAdded),
	},
	{
		ID: "connection-parameter-changed", Level: Warning, Summary: "A connection parameter's allowed values or metadata changed.",
		Doc:         "Existing connections keep the value they were created with, which may no longer be one the dialog offers.",
		Remediation: "Keep the values existing connections may hold.",
		match:       kind(diff.ConnectionParameterChanged),
	},
	{
		ID: "oauth-settings-changed", Level: Warning, Summary: "The OAuth settings of a connection changed (identity provider, client id, scopes...).",
		Doc: "Existing connections hold tokens from the old identity provider and client registration, consented to the old scopes; " +
			"a new client or provider may not refresh them, and new scopes need users to sign in again.",
		Remediation: "Keep the client registration and provider; tell users to re-consent when scopes grow.",
		match:       kind(diff.OAuthSettingsChanged),
	},
	{
		ID: "connection-parameter-sets-changed", Level: Warning, Summary: "connectionParameterSets changed.",
		Doc:         "Each set is a way to create a connection; existing connections were made with one of the old sets and its values.",
		Remediation: "Keep the existing sets and their parameters.",
		match:       kind(diff.ConnectionParameterSetsChanged),
	},
	{
		ID: "policy-template-changed", Level: Warning, Summary: "A policy template instance was added, removed or changed (apiProperties.json).",
		Doc: "Policies rewrite requests and responses at run time (hosts, headers, routes, array or object conversions) for the operations " +
			"they name; the definition no longer describes what existing flows get.",
		Remediation: "Check every operation the policy applies to with an existing flow.",
		match:       kind(diff.PolicyTemplateChanged),
	},
	{
		ID: "script-operations-changed", Level: Warning, Summary: "The operations routed through script.csx changed (scriptOperations).",
		Doc:         "Requests of the named operations now run through, or no longer run through, custom code that may reshape them.",
		Remediation: "Check each named operation with an existing flow.",
		match:       kind(diff.ScriptOperationsChanged),
	},
	{
		ID: "script-changed", Level: Warning, Summary: "script.csx changed.",
		Doc: "Custom code cannot be judged statically: the operations it routes on (Context.OperationId == \"X\" and similar) " +
			"may behave differently for existing flows.",
		Remediation: "Test the named operations with existing flows before publishing.",
		match:       kind(diff.ScriptChanged),
	},
	{
		ID: "branding-changed", Level: Info, Summary: "iconBrandColor, publisher or stackOwner changed.",
		Doc:         "Branding is what Microsoft counts as a minor update; flows are unaffected.",
		Remediation: "None needed.",
		match:       kind(diff.BrandingChanged),
	},

	// Anything else: recorded, never judged serious.
	{
		ID: "other-change", Level: Info, Summary: "A change no other rule covers.",
		Doc:         "Visibility promotions, un-deprecation, relaxed output requirements and similar changes do not affect saved flows.",
		Remediation: "None needed.",
		match:       func(*diff.Change) bool { return true },
	},
}

// missing lists the items of before that after lacks, ignoring case. The
// lists are rendered as Before and After: comma-separated (schemes) or
// space-separated (scopes).
func missing(before, after string) []string {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	}
	have := map[string]bool{}
	for _, s := range split(after) {
		have[strings.ToLower(s)] = true
	}
	var out []string
	for _, s := range split(before) {
		if !have[strings.ToLower(s)] {
			out = append(out, s)
		}
	}
	return out
}

// Rules returns the rule table in its fixed order.
func Rules() []Rule {
	out := make([]Rule, len(rules))
	copy(out, rules)
	return out
}

// Lookup returns the rule with the given id.
func Lookup(id string) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

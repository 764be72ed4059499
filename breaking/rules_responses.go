package breaking

import "github.com/connectordiff/connectordiff/diff"

// responseRules judge what a caller receives: responses and webhook
// payloads.
var responseRules = []Rule{
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
}

package breaking

import "github.com/connectordiff/connectordiff/diff"

// responseRules judge what a caller receives: responses and webhook
// payloads.
var responseRules = []Rule{
	{
		ID: ResponseRemoved, Level: Breaking, Summary: "A success response was removed.",
		validatorSeesInternal: true,
		Doc: "The designer builds an action's outputs from its success response; flows reference them as dynamic content. " +
			"With no success response left, every reference breaks. Removing one 2xx code while another remains, or a response " +
			"whose schema named no properties, is a warning.",
		Remediation: "Keep the success response and its schema.",
		Remedy: Remedy{Kind: RemedyRestoreResponse,
			Doc: "Restores the old success responses that the operation no longer declares."},
		ReleaseNotes: []ReleaseNote{removed("the action's outputs ({subject-text}).")},
		TakesAway:    true,
		OldSide:      true,
		match:        kind(diff.ResponseRemoved),
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
		ID: ResponseSchemaRemoved, Level: Breaking, Summary: "The schema of a success response (or webhook payload) was removed.",
		validatorSeesInternal: true,
		Doc: "Flows reference the properties of the schema as dynamic content; without it they are gone. A schema that named no properties, " +
			"or one on a secondary success code while the primary keeps its schema, is a warning.",
		Remediation: "Keep the schema.",
		Remedy: Remedy{Kind: RemedyRestoreResponseSchema,
			Doc: "Restores the schema of the response (or webhook payload) from the old definition."},
		ReleaseNotes: []ReleaseNote{removed("the action's outputs ({subject-text}).")},
		TakesAway:    true,
		OldSide:      true,
		match:        kind(diff.ResponseSchemaRemoved),
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
		ID: ResponsePropertyRemoved, Level: Breaking, Summary: "A property of a response or webhook payload was removed, renamed or moved.",
		validatorSeesInternal: true,
		Doc: "Flows reference outputs by path (outputs()?['body/x']); a removed, renamed or re-wrapped property yields nothing. " +
			"Microsoft's validator: \"The output field has been deleted. Existing flows may be broken if they are using this field.\" " +
			cutBackDoc,
		Remediation: "Keep the property (it can be x-ms-visibility: advanced), and add the new shape beside it or in a new operation.",
		Remedy: Remedy{Kind: RemedyRestoreProperty,
			Doc: "Restores a removed optional output in the response schema (flows that read it get no value rather than failing). " +
				"A required, renamed or moved output is one flows rely on: " + versionDoc},
		ReleaseNotes: []ReleaseNote{
			removed("outputs {parts}.").onlyIf(grouped),
			changed("output {field} renamed to {after}.").onlyIf(renamed),
			removed("output {field}."),
		},
		TakesAway: true,
		OldSide:   true,
		match: func(c *diff.Change) bool {
			return c.Kind == diff.PropertyRemoved && output(c)
		},
		ValidatorMessage: validatorOutputDeleted,
	},
	{
		ID: ResponseRestructured, Level: Breaking,
		validatorSeesInternal: true,
		Summary:               "Output properties moved under a new parent (or out of one), or the schema no longer declares them.",
		Doc: "Flows reference outputs by path, so every reference to a moved property finds nothing: one change that breaks as many " +
			"references as properties moved. A schema replaced by one that declares no properties (a bare object) leaves flows " +
			"no output to pick, and Power Apps drops fields a schema does not declare. Reported once, listing what moved where, " +
			"instead of once per property.",
		Remediation: "Keep the old properties where they were (they can be x-ms-visibility: advanced) and add the new shape beside them, " +
			"or in a new operation.",
		Remedy: versionShape,
		ReleaseNotes: []ReleaseNote{changed("outputs are no longer described: {moved}.").onlyIf(undeclared),
			changed("outputs moved: {moved}.")},
		TakesAway:        true,
		match:            func(c *diff.Change) bool { return c.Kind == diff.SchemaRestructured && output(c) },
		ValidatorMessage: validatorOutputDeleted,
	},
	{
		ID: ResponsePropertyTypeChanged, Level: Breaking, Summary: "The type of a response or webhook payload property changed.",
		validatorSeesInternal: true,
		Doc: "Flows use outputs as the declared type (a string in a condition, an array in apply-to-each), and the runtime checks payloads " +
			"against the schema. integer to number is a warning; an output that becomes untyped, when the old schema named no properties, " +
			"still carries the same value (safe), and an untyped output that gains a type only adds outputs (safe). Microsoft's validator " +
			"reports every one of these as an error, on internal operations too: integer to number (#1250), string to untyped (#3151), " +
			"an untyped or {} output gaining a type (#1743; DOMAIN.md, \"where the validator is stricter\"). " + cutBackDoc,
		Remediation:  "Keep the old type; add a new property or operation for the new shape.",
		Remedy:       versionShape,
		ReleaseNotes: outputTypeNotes,
		TakesAway:    true,
		match: func(c *diff.Change) bool {
			return c.Kind == diff.TypeChanged && output(c)
		},
		ceiling: func(c *diff.Change) (Level, string) {
			switch {
			case c.Before == "integer" && c.After == "number" || c.Before == "number" && c.After == "integer":
				return Warning, "integer and number are both numbers to a flow"
			case c.After == "" && !c.Facts.NamedProperties && (c.Before == "object" || c.Before == "array"):
				return Info, "the old schema named no properties, and the new one is untyped"
			case c.After == "" && !c.Facts.NamedProperties:
				return Info, "an untyped output still carries the same value"
			case c.Before == "":
				return Info, "the output was untyped before, so a type only adds outputs"
			}
			return Breaking, ""
		},
		// #1250 (integer to number), #3151 (string to untyped), #1743 (an
		// untyped root gaining type: object): all errors.
		certCeiling:      noCeiling,
		ValidatorMessage: validatorOutputType,
	},
	{
		ID: ResponsePropertyFormatChanged, Summary: "The format of a response or webhook payload property changed.",
		validatorSeesInternal: true,
		Hosts:                 PerHost{PowerAutomate: Info, PowerApps: Warning, LogicApps: Info},
		HostNotes: map[Host]string{
			PowerAutomate: "A flow reads the value with the type it had; the format only describes its content.",
			PowerApps: "A formula reads outputs as typed values: a string of format date is a Date, date-time (or date-no-tz) a DateTime, " +
				"byte or binary a Blob, any other a Text (Power Fx connector library, OpenApiExtensions.cs). A format change between these " +
				"changes the value's type once the maker refreshes the data source; whether a published app notices before that is not " +
				"documented, hence a warning. Other format changes (int32 to int64) keep the type.",
			LogicApps: "A workflow reads the value with the type it had.",
		},
		Certification: Breaking, // #807, #836, #1743, #3863: any output format change is an error
		Doc: "The value keeps its JSON type, so flow references still resolve; Power Apps types some formats (dates, binary) " +
			"differently. Microsoft's validator reports every output format change as an error, int32 to int64 and date-time to none included.",
		Remediation: "Keep the old format; add a new property for a value in a new format.",
		Remedy: Remedy{Kind: RemedyVersionShape,
			Doc: "Breaking only for the validator. " + versionDoc},
		ReleaseNotes: outputTypeNotes,
		match: func(c *diff.Change) bool {
			return c.Kind == diff.FormatChanged && output(c)
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if powerFxType(c.Before) == powerFxType(c.After) {
				return Info, "the value keeps its type in Power Apps too"
			}
			return Breaking, ""
		},
		certCeiling:      noCeiling,
		ValidatorMessage: validatorOutputFormat,
	},
	{
		ID: ResponseEnumWidened, Level: Warning, Summary: "An output can take values it could not before.",
		Doc:         "Flows that branch on an output's values (a switch, a condition) meet values they do not handle.",
		Remediation: "Tell users about the new values.",
		ReleaseNotes: []ReleaseNote{
			changed("output {field} may take any value now.").onlyIf(noValuesAdded),
			changed("output {field} may also be {added-values}."),
		},
		match: func(c *diff.Change) bool {
			return c.Kind == diff.EnumChanged && output(c) && (len(c.Facts.EnumAdded) > 0 && !c.Facts.EnumIntroduced || c.Facts.EnumDropped)
		},
	},
	{
		ID: ResponseEnumNarrowed, Level: Info, Summary: "An output takes fewer values (enum values removed or an enum introduced).",
		Doc:         "Every value a flow can now receive was possible before.",
		Remediation: "None needed.",
		match:       func(c *diff.Change) bool { return c.Kind == diff.EnumChanged && output(c) },
	},
	{
		ID: ResponsePropertyMadeInternal, Summary: "An output property was hidden with x-ms-visibility: internal.",
		Hosts: PerHost{PowerAutomate: Info, PowerApps: Warning, LogicApps: Info},
		HostNotes: map[Host]string{
			PowerAutomate: "The value still arrives, so saved references keep working; the property is only hidden when the flow is edited.",
			PowerApps: "The Power Fx connector library drops an internal output that is required without a default from the record " +
				"type, so formulas that read it stop compiling once the maker refreshes the data source; an optional one stays.",
			LogicApps: "The value still arrives; the property is only hidden in the designer.",
		},
		Doc:          "The value still arrives, so saved references keep working; the property no longer shows among the outputs a maker picks.",
		Remediation:  "Use x-ms-visibility: advanced to de-emphasise an output.",
		ReleaseNotes: []ReleaseNote{changed("output {field} is no longer shown in dynamic content.")},
		match: func(c *diff.Change) bool {
			return c.Kind == diff.VisibilityChanged && output(c) && c.After == "internal"
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if !c.Facts.Required || c.Facts.HasDefault {
				return Info, "it is optional or has a default, so Power Apps keeps it too"
			}
			return Breaking, ""
		},
	},
	{
		ID: ResponsePropertyBecameOptional, Level: Warning, Summary: "An output property is no longer required, so responses may omit it.",
		Doc: "Flows that read the property without a null check (body('x')['p'] rather than ?['p']) or pass it on to a required " +
			"input fail when a response leaves it out.",
		Remediation:  "Keep returning the property, or tell users to handle its absence.",
		ReleaseNotes: []ReleaseNote{changed("output {field} may now be missing.")},
		match: func(c *diff.Change) bool {
			return c.Kind == diff.PropertyRequiredChanged && output(c) && c.After == "false"
		},
	},
	{
		ID: ResponsePropertyAdded, Level: Info, Summary: "A property was added to a response or webhook payload.",
		Doc:          "Returning more data breaks nothing.",
		Remediation:  "None needed.",
		ReleaseNotes: []ReleaseNote{added("output {field}.")},
		match:        func(c *diff.Change) bool { return c.Kind == diff.PropertyAdded && output(c) },
	},
	{
		ID: ResponseHeaderRemoved, Level: Warning, Summary: "A response header was removed.",
		ReleaseNotes: []ReleaseNote{removed("output header {header}.")},
		TakesAway:    true,
		Doc:          "Flows can reference response headers as outputs.",
		Remediation:  "Keep the header in the definition while the backend still sends it.",
		OldSide:      true,
		match:        kind(diff.ResponseHeaderRemoved),
	},
}

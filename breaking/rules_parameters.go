package breaking

import "github.com/connectordiff/connectordiff/diff"

// parameterRules judge what a caller sends: parameters, request bodies and
// the constraints on them.
var parameterRules = []Rule{
	{
		ID: ParameterRemoved, Level: Breaking, Summary: "A parameter was removed.",
		validatorSeesInternal: true,
		certCeiling:           noCeiling, // the validator judges internal parameters like visible ones (#3117, #2615, #1090)
		Doc: "Flows store parameter values by name. A removed parameter drops the user's value (or the request fails validation), " +
			"even when the parameter was optional. An internal parameter carries no user value, so removing it is a warning.",
		Remediation: "Keep the parameter; if the backend no longer needs it, mark it x-ms-visibility: advanced and ignore it in a policy or script.",
		Remedy: Remedy{Kind: RemedyRestoreParameter,
			Doc: "Restores the parameter in the operation (optional, so new flows need not fill it), its references copied where " +
				"needed. A path parameter, or a body beside form data, needs the old route: " + versionDoc},
		ReleaseNotes: []ReleaseNote{removed("input {field}.")},
		TakesAway:    true,
		OldSide:      true,
		match:        kind(diff.ParameterRemoved),
		ceiling:      internalCeiling(Warning),
	},
	{
		ID: ParameterRenamed, Level: Breaking, Summary: "A parameter was renamed.",
		validatorSeesInternal: true,
		certCeiling:           noCeiling,
		Doc: "The parameter name is the key under which flows store the user's value (for the body, the prefix of every body field). " +
			"After a rename the stored value no longer reaches the parameter.",
		Remediation: "Keep the old name and change only x-ms-summary, which is what users see.",
		Remedy: Remedy{Kind: RemedyRestoreParameterName,
			Doc: "Puts the old name back on a body parameter, whose name only keys what flows store. Any other parameter's name is " +
				"what the backend receives: " + versionDoc},
		ReleaseNotes: []ReleaseNote{changed("input {before} renamed to {after}.")},
		TakesAway:    true,
		match:        kind(diff.ParameterRenamed),
		ceiling:      internalCeiling(Warning),
	},
	{
		ID: ParameterLocationChanged, Summary: "A parameter moved to another location (query, path, header, body, formData).",
		validatorSeesInternal: true,
		certCeiling:           noCeiling,
		Hosts:                 PerHost{PowerAutomate: Warning, PowerApps: Warning, LogicApps: Breaking},
		HostNotes: map[Host]string{
			PowerAutomate: "A flow action stores parameter values by name only, and the runtime sends each where the current definition says.",
			PowerApps:     "A formula passes values by position and name, not location.",
			LogicApps:     "An ApiConnection action stores the path, queries and headers it sends, so the value stays in the old location.",
		},
		Doc: "Which hosts break depends on what they store: Logic Apps keep the request's path, queries and headers; Power Automate and " +
			"Power Apps only the value under its name.",
		Remediation:      "Keep the parameter where it was; accept both locations in the backend before moving it.",
		Remedy:           versionShape,
		ReleaseNotes:     []ReleaseNote{changed("input {field} is now sent in the {after-text} (was the {before-text}).")},
		TakesAway:        true,
		match:            kind(diff.ParameterLocationChanged),
		ceiling:          internalCeiling(Warning),
		ValidatorMessage: validatorLocationChanged,
	},
	{
		ID: ParameterRequiredAdded, Level: Breaking, Summary: "A required parameter was added.",
		validatorSeesInternal: true,
		Doc: "Existing flows do not send the new parameter, so their calls fail validation. With a default the designer fills it in " +
			"(a warning); an internal parameter with a default, or a notification URL, is sent by the runtime (safe). Microsoft's " +
			"validator reports it even then, internal with a default included: \"" + validatorRequiredDefault + "\" (#1890, #2338; " +
			"DOMAIN.md, \"where the validator is stricter\"), so certification keeps it breaking.",
		Remediation: "Make the new parameter optional, or give it a default.",
		Remedy: Remedy{Kind: RemedyDefaultRequiredParameter,
			Doc: "Gives the parameter a default when one is safe (the only value its enum allows). Otherwise, or under --profile " +
				"certification (the validator reports a required input even with a default), it needs the old shape kept: " + versionDoc +
				" You may instead make it optional, or give it a default the backend accepts (and x-ms-visibility: internal if users " +
				"never need to change it)."},
		ReleaseNotes:     []ReleaseNote{added("required input {field}.")},
		match:            func(c *diff.Change) bool { return c.Kind == diff.ParameterAdded && c.Facts.Required },
		ceiling:          requiredCeiling,
		certCeiling:      requiredCertCeiling,
		ValidatorMessage: validatorRequiredParam,
		validatorFor: func(c *diff.Change) string {
			switch {
			case c.Facts.HasDefault:
				return validatorRequiredDefault
			case c.Facts.Body:
				return validatorRequiredField
			}
			return validatorRequiredParam
		},
	},
	{
		ID: ParameterAdded, Level: Info, Summary: "An optional parameter was added.",
		Doc:          "Existing flows simply do not send it.",
		Remediation:  "None needed; make sure the backend's behaviour without it is unchanged.",
		ReleaseNotes: []ReleaseNote{added("optional input {field}.")},
		match:        func(c *diff.Change) bool { return c.Kind == diff.ParameterAdded && !c.Facts.Required },
	},
	{
		ID: ParameterBecameRequired, Level: Breaking, Summary: "An optional parameter became required.",
		validatorSeesInternal: true,
		Doc: "Flows that never set the parameter now fail validation. With a default the designer fills it in (a warning); " +
			"a body that working flows already send, because it had a required property, is a warning too.",
		Remediation: "Keep the parameter optional, or give it a default the backend accepts.",
		Remedy: Remedy{Kind: RemedyDefaultRequiredParameter,
			Doc: "Gives the parameter the default it had in the old definition, or the only value its enum allows. Otherwise, or " +
				"under --profile certification: " + versionDoc},
		ReleaseNotes: []ReleaseNote{changed("input {field} is now required.")},
		match: func(c *diff.Change) bool {
			return c.Kind == diff.ParameterRequiredChanged && c.After == "true"
		},
		ceiling:          requiredCeiling,
		certCeiling:      requiredCertCeiling,
		ValidatorMessage: validatorMadeRequired,
	},
	{
		ID: ParameterTypeChanged, Level: Breaking, Summary: "A parameter's type changed.",
		validatorSeesInternal: true,
		certCeiling:           inputTypeCertCeiling,
		Doc: "Values stored in flows were entered for the old type; they stop validating or are sent differently. " +
			"integer to number and untyped to typed are warnings; typed to untyped is safe. Microsoft's validator reports typed " +
			"to untyped as a type change (an object input that loses its type: #3546, #480), on internal inputs too, so " +
			"certification calls it breaking (DOMAIN.md, \"where the validator is stricter\").",
		Remediation:  "Keep the old type and add a new parameter (or operation) for the new one.",
		Remedy:       versionShape,
		ReleaseNotes: inputTypeNotes,
		TakesAway:    true,
		match: func(c *diff.Change) bool {
			return c.Kind == diff.TypeChanged && c.Where == diff.InParameter
		},
		ceiling:          inputTypeCeiling,
		ValidatorMessage: validatorInputType,
	},
	{
		ID: ParameterFormatChanged, Level: Breaking, Summary: "A parameter's format changed.",
		Doc: "An encoding format (byte, binary, date, date-time, int32, int64, float, double) decides what a stored value must look like; " +
			"adding or changing one breaks stored values. Widening (int32 to int64, float to double, date to date-time), removing a format " +
			"and descriptive formats (uri, email, uuid) are warnings.",
		Remediation:  "Keep the old format, or widen it only.",
		Remedy:       versionShape,
		ReleaseNotes: inputTypeNotes,
		match: func(c *diff.Change) bool {
			return c.Kind == diff.FormatChanged && c.Where == diff.InParameter
		},
		ceiling: inputFormatCeiling,
	},
	{
		ID: ParameterEnumNarrowed, Level: Breaking, Summary: "An input's enum lost values, or an enum was put on an input that was free.",
		validatorSeesInternal: true,
		certCeiling:           noCeiling, // #2539, whatever the visibility
		Doc: "Flows store the value the user picked or typed; a value no longer in the list fails validation (a recased value counts as " +
			"removed), and so may any value once a free input gets an enum (Microsoft's validator: \"The list of enum values has been added " +
			"to the input field. Existing flows may use values outside of this list.\"). Dropping only values the type can never take, " +
			"such as \"\" on a boolean, is a warning.",
		Remediation: "Keep the old values (mark them deprecated in the description) and map them in the backend; offer choices for a free input through x-ms-dynamic-values instead of an enum.",
		Remedy: Remedy{Kind: RemedyRestoreEnumValues,
			Doc: "Adds the removed values back to the enum (and to x-ms-enum-values, when the input has them). An enum put on an " +
				"input that was free cannot be undone without losing the new shape: " + versionDoc},
		ReleaseNotes: []ReleaseNote{
			changed("input {field} now accepts only listed values.").onlyIf(noValuesRemoved),
			changed("input {field} no longer accepts {removed-values}."),
		},
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
		// The validator compares the lists as written: an impossible value
		// removed is a value removed.
		ValidatorMessage: validatorEnumRemoved,
		validatorFor: func(c *diff.Change) string {
			if c.Facts.EnumIntroduced {
				return validatorEnumAdded
			}
			return validatorEnumRemoved
		},
	},
	{
		ID: ParameterEnumAdded, Level: Info, Summary: "An input accepts more values: enum values added, or the enum removed.",
		Doc:         "Every value a flow stored is still accepted.",
		Remediation: "None needed.",
		ReleaseNotes: []ReleaseNote{
			changed("input {field} accepts any value now.").onlyIf(noValuesAdded),
			changed("input {field} also accepts {added-values}."),
		},
		match: func(c *diff.Change) bool { return c.Kind == diff.EnumChanged && request(c) },
	},
	{
		ID: ParameterDefaultChanged, Level: Warning, Summary: "The default of an input changed.",
		Doc: "Flows that never set the input, and every call for an internal constant, now send a different value, " +
			"so behaviour changes without any edit to the flow.",
		Remediation:  "Make sure the backend treats the old and the new default alike, or keep the old default.",
		ReleaseNotes: []ReleaseNote{changed("default of input {field} is now {after-or-none} (was {before-or-none}).")},
		match:        func(c *diff.Change) bool { return c.Kind == diff.DefaultChanged && request(c) },
	},
	{
		ID: ParameterMadeInternal, Level: Breaking, Summary: "An input was hidden with x-ms-visibility: internal.",
		Doc: "Users can no longer see or set the input. A required input without a default then has no value at all, and the " +
			"runtime ignores the values of optional internal inputs, so flows lose the value they stored (both breaking; " +
			"[SV] InternalPropertyWithDefaultOptional, DOMAIN.md: \"Optional internal fields are ignored\"). A required input " +
			"with a default is sent with that default: a warning.",
		Remediation: "Give a hidden required input a default, or keep it visible (x-ms-visibility: advanced hides it less).",
		Remedy: Remedy{Kind: RemedyUnhideInput,
			Doc: "Gives the hidden input the default it had in the old definition; without one, shows it again as " +
				"x-ms-visibility: advanced."},
		ReleaseNotes: []ReleaseNote{changed("input {field} is no longer shown.")},
		match: func(c *diff.Change) bool {
			return c.Kind == diff.VisibilityChanged && request(c) && c.After == "internal"
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Facts.Internal {
				return Info, "it sits inside an internal input"
			}
			if c.Facts.Required && c.Facts.HasDefault {
				return Warning, "it is required with a default, which the runtime sends"
			}
			return Breaking, ""
		},
	},
	{
		ID: URLEncodingChanged, Level: Warning, Summary: "x-ms-url-encoding changed between single and double.",
		Doc:          "Stored path values are encoded differently on the wire, which some backends decode differently.",
		Remediation:  "Keep the encoding, or check the backend decodes both forms the same.",
		ReleaseNotes: messageNote,
		match:        kind(diff.URLEncodingChanged),
	},
	{
		ID: CollectionFormatChanged, Level: Warning, Summary: "An array parameter's collectionFormat changed.",
		Doc:          "The same stored list is serialised differently (csv, multi, pipes...), so the backend may read it differently.",
		Remediation:  "Keep the collectionFormat, or accept both forms in the backend.",
		ReleaseNotes: messageNote,
		match:        kind(diff.CollectionFormatChanged),
	},
	{
		ID: DynamicValuesTargetRemoved, Level: Breaking, Summary: "A dynamic lookup calls an operation that no longer exists.",
		Doc: "x-ms-dynamic-values, -list, -tree, -schema and -properties make the designer call another operation for choices or schema. " +
			"When that operation is gone, the picker and the dynamic schema fail for every flow that uses the input.",
		Remediation: "Keep the lookup operation (it can stay internal), or point the extension at its replacement.",
		Remedy: Remedy{Kind: RemedyRestoreLookup,
			Doc: "Restores the lookup operation from the old definition, as it was (lookups may call internal operations)."},
		ReleaseNotes: []ReleaseNote{changed("the choices or fields offered for {field} come from a different lookup.")},
		TakesAway:    true,
		match:        kind(diff.DynamicTargetRemoved),
		ceiling:      internalCeiling(Info),
	},
	{
		ID: DynamicSchemaChanged, Level: Warning, Summary: "A dynamic schema lookup (x-ms-dynamic-schema or -properties) changed.",
		Doc: "The designer builds input fields and output tokens from these lookups; a new operation, parameters or value-path " +
			"changes which fields and outputs a saved flow finds when it is opened or run.",
		Remediation:  "Check that the new lookup returns the same schema for existing inputs.",
		ReleaseNotes: []ReleaseNote{changed("the choices or fields offered for {field} come from a different lookup.")},
		match:        func(c *diff.Change) bool { return c.Kind == diff.DynamicChanged && c.Facts.DynamicSchema },
		ceiling:      internalCeiling(Info),
	},
	{
		ID: DynamicValuesChanged, Level: Warning, Summary: "A dynamic lookup (x-ms-dynamic-*) changed.",
		Doc: "The designer builds pickers and dynamic fields from these lookups; a new operation, parameters, value-path or value-collection " +
			"changes what users see and what dynamic outputs exist, though stored values are still sent.",
		Remediation:  "Check that the new lookup returns the same values and schema for existing inputs.",
		ReleaseNotes: []ReleaseNote{changed("the choices or fields offered for {field} come from a different lookup.")},
		match:        kind(diff.DynamicChanged),
		ceiling:      internalCeiling(Info),
	},

	{
		ID: InputConstraintTightened, Level: Warning, Summary: "A validation keyword of an input now accepts less (maxLength, maximum, pattern...).",
		Doc:          "Values stored in flows that passed the old constraint may fail the new one; whether any do depends on the data.",
		Remediation:  "Keep the old bound, or check in the backend instead of the definition.",
		ReleaseNotes: messageNote,
		match: func(c *diff.Change) bool {
			return c.Kind == diff.ConstraintChanged && request(c) && c.Facts.Tightened
		},
		ceiling: internalCeiling(Info),
	},
	{
		ID: OutputConstraintLoosened, Level: Warning, Summary: "A validation keyword of an output now allows more.",
		Doc:          "Flows that relied on the old bound (a length, a range) may meet values they do not handle.",
		Remediation:  "Tell users about the wider range.",
		ReleaseNotes: messageNote,
		match: func(c *diff.Change) bool {
			return c.Kind == diff.ConstraintChanged && output(c) && !c.Facts.Tightened
		},
	},
	{
		ID: ConstraintRelaxed, Level: Info, Summary: "A validation keyword changed in the harmless direction (an input accepts more, an output less).",
		Doc:         "Everything a flow sent or handled before still works.",
		Remediation: "None needed.",
		match:       kind(diff.ConstraintChanged),
	},
	{
		ID: ReadOnlyChanged, Level: Warning, Summary: "A property's readOnly flag changed.",
		Doc: "A request property that became readOnly is no longer sent, so the value flows store for it is dropped. " +
			"Other readOnly changes do not affect saved flows.",
		Remediation:  "Keep the property writable while flows may set it.",
		ReleaseNotes: messageNote,
		match:        kind(diff.ReadOnlyChanged),
		ceiling: func(c *diff.Change) (Level, string) {
			if !request(c) || c.After != "true" {
				return Info, "no value a flow sends is dropped"
			}
			return internalCeiling(Info)(c)
		},
	},
	{
		ID: DiscriminatorChanged, Level: Warning, Summary: "A schema's discriminator changed.",
		Doc:          "The discriminator decides which subtype a payload is read as; flows see other properties for the same data.",
		Remediation:  "Keep the discriminator.",
		ReleaseNotes: messageNote,
		match:        kind(diff.DiscriminatorChanged),
		ceiling:      internalCeiling(Info),
	},
	{
		ID: RequestAdditionalPropertiesRemoved, Level: Warning, Summary: "A request body object no longer accepts additional properties.",
		Doc: "The designer offered free key-value pairs for this object; the pairs flows stored are no longer part of the schema " +
			"and may be dropped or rejected.",
		Remediation:  "Keep additionalProperties on the request schema.",
		ReleaseNotes: messageNote,
		OldSide:      true,
		match:        kind(diff.AdditionalPropertiesRemoved),
		ceiling:      internalCeiling(Info),
	},
	{
		ID: ProducesChanged, Level: Warning, Summary: "The media types an operation returns changed.",
		Certification: Breaking, // #3082: the validator reports produces it no longer finds
		Doc: "Each operation returns its own produces list, or else the document's. When the old and the new effective lists " +
			"share none, the response arrives in a format flows do not parse the same way; a change that keeps a common type is " +
			"safe. Microsoft's validator compares each operation's effective list and reports a media type dropped, an operation " +
			"that loses its own list included (\"produces option has been removed\", #3082): breaking under certification.",
		Remediation: "Keep returning the old media type; keep an operation's own produces list when the document's differs.",
		Remedy: Remedy{Kind: RemedyManual,
			Doc: "Breaking only for the validator. Left to you: which media types the backend returns is not in the definition; " +
				"put the operation's old produces list back if it still returns them."},
		ReleaseNotes:          messageNote,
		validatorSeesInternal: true,
		match:                 kind(diff.ProducesChanged),
		ceiling: func(c *diff.Change) (Level, string) {
			switch {
			case c.After == "":
				return Info, "the platform fills in an absent list"
			case !c.Facts.Disjoint:
				return Info, "a media type returned before still is"
			}
			return Warning, ""
		},
		certCeiling: func(c *diff.Change) (Level, string) {
			if len(missing(c.Before, c.After)) == 0 {
				return Info, "every media type returned before still is"
			}
			return Breaking, ""
		},
		validatorFor: func(c *diff.Change) string {
			if c.Facts.FallsBack {
				return "produces option has been removed"
			}
			return ""
		},
	},

	// Request bodies.
	{
		ID: RequestBodyPropertyRemoved, Level: Breaking, Summary: "A property of a request body was removed.",
		validatorSeesInternal: true,
		certCeiling:           readOnlyCertCeiling,
		Doc: "Power Automate stores body fields as <bodyName>/<property>; the user's value for a removed (or renamed, or moved) property " +
			"is no longer sent. A readOnly property was never sent (safe); an internal one carries no user value (a warning). " +
			cutBackDoc,
		Remediation: "Keep the property; ignore it in the backend if it is no longer used.",
		Remedy: Remedy{Kind: RemedyRestoreProperty,
			Doc: "Restores the property in the request schema, optional; the backend may ignore it. A renamed property carries a " +
				"value the backend now expects under the new name: " + versionDoc},
		ReleaseNotes: []ReleaseNote{
			removed("inputs {parts}.").onlyIf(grouped),
			changed("input {field} renamed to {after}.").onlyIf(renamed),
			removed("input {field}."),
		},
		TakesAway: true,
		OldSide:   true,
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
		ID: RequestRestructured, Level: Breaking,
		validatorSeesInternal: true,
		certCeiling:           readOnlyCertCeiling,
		Summary:               "Request body properties moved under a new parent (or out of one), or the body schema no longer declares them.",
		Doc: "Power Automate stores body fields as <bodyName>/<path>; after a move, the stored values no longer reach the fields " +
			"(and a flow holding a field the operation no longer declares fails to save). Reported once, listing what moved where. " +
			"readOnly properties were never sent (safe); internal ones carry no user value (a warning).",
		Remediation: "Keep the old shape; accept the new one in a new operation.",
		Remedy:      versionShape,
		ReleaseNotes: []ReleaseNote{changed("inputs are no longer described: {moved}.").onlyIf(undeclared),
			changed("inputs moved: {moved}.")},
		TakesAway: true,
		match:     func(c *diff.Change) bool { return c.Kind == diff.SchemaRestructured && request(c) },
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Facts.ReadOnly {
				return Info, "every moved property was readOnly, so callers never sent it"
			}
			return internalCeiling(Warning)(c)
		},
	},
	{
		ID: RequestBodyPropertyMoved, Level: Breaking, Summary: "A request body property became a header, query or path parameter.",
		Doc: "Power Automate stores body fields as <bodyName>/<property>; once the value is a parameter of its own, the stored " +
			"value no longer reaches it, and a required parameter fails validation. One finding, instead of a property removed " +
			"and a parameter added (the shape of workpoint's WorkPointUrl, moved to a required header). A readOnly property was " +
			"never sent (safe); an internal one carries no user value (a warning); but a required parameter without a default " +
			"stays breaking whatever the property was, since existing flows do not send it.",
		Remediation:           "Keep accepting the body property; add the parameter as optional, or in a new operation.",
		Remedy:                versionShape,
		ReleaseNotes:          []ReleaseNote{changed("input {field} is now sent as parameter {after-text}; flows must set it again.")},
		TakesAway:             true,
		validatorSeesInternal: true,
		match:                 kind(diff.PropertyBecameParameter),
		ceiling: func(c *diff.Change) (Level, string) {
			switch {
			case c.Facts.NotificationURL:
				return Info, "it is a notification URL the runtime fills in"
			case c.Facts.Required && !c.Facts.HasDefault:
				// Whatever the property was, existing flows do not send
				// the parameter it became.
				return Breaking, ""
			case c.Facts.ReadOnly:
				return Info, "it was readOnly, so callers never sent it"
			}
			return internalCeiling(Warning)(c)
		},
		certCeiling: func(c *diff.Change) (Level, string) {
			if c.Facts.Required { // the validator reports a required input added, default or not
				return Breaking, ""
			}
			return readOnlyCertCeiling(c)
		},
		validatorFor: func(c *diff.Change) string {
			if c.Facts.Required {
				return validatorRequiredParam
			}
			return ""
		},
	},
	{
		ID: RequestBodyRequiredAdded, Level: Breaking, Summary: "A request body property is new and required, or became required.",
		validatorSeesInternal: true,
		Doc: "Existing flows do not send it, so their calls fail validation. With a default it is a warning; " +
			"internal with a default, or a notification URL, is safe. Microsoft's validator reports it even then: \"" +
			validatorRequiredDefault + "\" (#1890, #2338), so certification keeps it breaking.",
		Remediation: "Make the property optional, or give it a default.",
		Remedy: Remedy{Kind: RemedyDefaultRequiredProperty,
			Doc: "Gives the property the default it had in the old definition, or the only value its enum allows. Otherwise, or " +
				"under --profile certification: " + versionDoc},
		ReleaseNotes: []ReleaseNote{
			added("required input {field}.").onlyIf(propertyAdded),
			changed("input {field} is now required."),
		},
		match: func(c *diff.Change) bool {
			return c.Where == diff.InRequestBody && c.Facts.Required &&
				(c.Kind == diff.PropertyAdded || c.Kind == diff.PropertyRequiredChanged && c.After == "true")
		},
		ceiling:          requiredCeiling,
		certCeiling:      requiredCertCeiling,
		ValidatorMessage: validatorRequiredField,
		validatorFor: func(c *diff.Change) string {
			switch {
			case c.Kind == diff.PropertyRequiredChanged:
				return validatorMadeRequired
			case c.Facts.HasDefault:
				return validatorRequiredDefault
			}
			return validatorRequiredField
		},
	},
	{
		ID: RequestBodyTypeChanged, Level: Breaking, Summary: "The type or format of a request body property changed.",
		validatorSeesInternal: true,
		certCeiling: func(c *diff.Change) (Level, string) {
			if c.Kind == diff.FormatChanged {
				return inputFormatCeiling(c)
			}
			return inputTypeCertCeiling(c)
		},
		Doc: "Values stored in flows were entered for the old type; they stop validating or are sent differently. " +
			"integer to number, untyped to typed, format widening and descriptive formats are warnings; typed to untyped is safe. " +
			"Microsoft's validator reports typed to untyped as a type change (an object that loses its type: #3546, #480), on " +
			"internal properties too, so certification calls it breaking (DOMAIN.md, \"where the validator is stricter\"). " + cutBackDoc,
		Remediation:  "Keep the old type and add a new property (or operation) for the new one.",
		Remedy:       versionShape,
		ReleaseNotes: inputTypeNotes,
		TakesAway:    true,
		match: func(c *diff.Change) bool {
			return (c.Kind == diff.TypeChanged || c.Kind == diff.FormatChanged) && c.Where == diff.InRequestBody
		},
		ceiling: func(c *diff.Change) (Level, string) {
			if c.Kind == diff.FormatChanged {
				return inputFormatCeiling(c)
			}
			return inputTypeCeiling(c)
		},
		validatorFor: func(c *diff.Change) string {
			if c.Kind == diff.TypeChanged {
				return validatorInputType
			}
			return "" // no public pull request quotes the validator on an input format
		},
	},
	{
		ID: RequestBodyPropertyAdded, Level: Info, Summary: "An optional request body property was added.",
		Doc:          "Existing flows simply do not send it.",
		Remediation:  "None needed.",
		ReleaseNotes: []ReleaseNote{added("optional input {field}.")},
		match: func(c *diff.Change) bool {
			return c.Kind == diff.PropertyAdded && c.Where == diff.InRequestBody
		},
	},
	{
		ID: RequirementRelaxed, Summary: "A required input became optional.",
		Hosts: PerHost{PowerAutomate: Info, PowerApps: Warning, LogicApps: Info},
		HostNotes: map[Host]string{
			PowerAutomate: "A flow stores values by name; every flow that sent the input still may.",
			PowerApps: "A formula passes required inputs by position and optional ones in a record at the end (Power Fx connector library, " +
				"ArgumentMapper.cs), so the operation's signature changes and formulas stop compiling once the maker refreshes the " +
				"data source. Whether a published app is affected before that is not documented, hence a warning.",
			LogicApps: "An action stores the request it sends; an optional input may still be sent.",
		},
		Certification: Info, // the validator speaks of flows, which this breaks none of
		Doc: "Every flow that sent the input still may; only Power Apps formulas, which pass required inputs by position, notice. " +
			"Microsoft's validator has no message for an input made optional (DOMAIN.md, section 3: its messages speak of " +
			"flows, none of which this breaks), so certification gives it info.",
		Remediation:  "None needed for flows. Tell app makers to refresh the data source and pass the input in the record of optional ones.",
		ReleaseNotes: []ReleaseNote{changed("input {field} is now optional.")},
		match: func(c *diff.Change) bool {
			return (c.Kind == diff.ParameterRequiredChanged || c.Kind == diff.PropertyRequiredChanged) && request(c) && c.After == "false"
		},
		ceiling: internalCeiling(Info),
	},
}

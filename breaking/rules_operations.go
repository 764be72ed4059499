package breaking

import "github.com/connectordiff/connectordiff/diff"

// operationRules judge operations: their ids, routes, visibility, triggers
// and the extensions that version them.
var operationRules = []Rule{
	{
		ID: OperationRemoved, Level: Breaking, Summary: "An operation was removed.",
		Doc: "Flows, Logic Apps and Power Apps formulas call an action or trigger by its operationId. Once it is gone, " +
			"every saved flow that uses it fails to load or run, including operations that were already deprecated. " +
			"Operations that were x-ms-visibility: internal in the old version never appear in a user's flow, so their removal is a warning.",
		Remediation: "Keep the operation (mark it deprecated: true and, if you must hide it, x-ms-visibility: advanced) and add its replacement under a new operationId.",
		Remedy: Remedy{Kind: RemedyRestoreOperation,
			Doc: "Restores the operation from the old definition, with deprecated: true and x-ms-visibility: internal (advanced under " +
				"--profile certification, whose validator reports a hidden operation), its referenced definitions copied or renamed " +
				"where the new ones differ. Left to you when another operation now holds its route."},
		ReleaseNotes:          []ReleaseNote{removed("this action is no longer available.")},
		TakesAway:             true,
		OldSide:               true,
		match:                 kind(diff.OperationRemoved),
		ValidatorMessage:      validatorOperationDeleted,
		validatorSeesInternal: true, // PowerPlatformConnectors #3470: reported for an internal operation too
	},
	{
		ID: OperationIDChanged, Level: Breaking, Summary: "An operation kept its method and path but got a new operationId.",
		Doc: "Flows store the operationId, not the path. To existing flows a renamed operation is a removed one; " +
			"Microsoft's validator reports it as \"The operation has been deleted\". It also breaks script.csx routing on Context.OperationId.",
		Remediation: "Restore the old operationId. If the new name is needed, add a second operation (a new path or a family revision) and deprecate the old one.",
		Remedy: Remedy{Kind: RemedyRestoreOperationID,
			Doc: "Puts the old operationId back (and points x-ms-dynamic-* lookups that named the new one at it). The new id is " +
				"dropped: it could only live on as an alias on a route of its own."},
		ReleaseNotes:          []ReleaseNote{changed("renamed to {after}; flows must pick the action again.")},
		TakesAway:             true,
		match:                 kind(diff.OperationIDChanged),
		ValidatorMessage:      validatorOperationDeleted,
		validatorSeesInternal: true,
	},
	{
		ID: OperationPathChanged, Summary: "An operation's route changed: its URL (basePath + path), or its URL and method together.",
		Hosts: PerHost{PowerAutomate: Warning, PowerApps: Warning, LogicApps: Breaking},
		HostNotes: map[Host]string{
			PowerAutomate: "A flow action stores the operationId and its parameter values by name, and the runtime builds the URL from the current definition.",
			PowerApps:     "A formula calls Connector.OperationId(...); the URL comes from the current definition.",
			LogicApps:     "An ApiConnection action stores the method and path it calls (\"path\": \"/items/@{encodeURIComponent(...)}\"), so a new route misses the backend.",
		},
		Doc: "Which hosts break depends on what they store: Logic Apps keep each action's method and path, Power Automate and Power Apps " +
			"only the operationId. A trailing slash added or removed is a warning everywhere: the route is the same to most backends.",
		Remediation:           "Keep the old route; serve the new URL from a new operation, or route the old path to it in the backend or a policy.",
		Remedy:                versionRoute,
		ReleaseNotes:          []ReleaseNote{changed("now calls {after} (was {before}).")},
		TakesAway:             true,
		match:                 kind(diff.OperationPathChanged),
		ceiling:               trailingSlashCeiling,
		ValidatorMessage:      "The path template has been changed for the operation.",
		validatorSeesInternal: true, // #3499: reported on an internal operation
	},
	{
		ID: OperationMethodChanged, Summary: "An operation's HTTP method changed (its path did not).",
		Hosts: PerHost{PowerAutomate: Warning, PowerApps: Warning, LogicApps: Breaking},
		HostNotes: map[Host]string{
			PowerAutomate: "A flow action stores the operationId, not the method.",
			PowerApps:     "A formula calls the operation by its operationId, not its method.",
			LogicApps:     "An ApiConnection action stores the method beside the path it calls.",
		},
		Doc: "Logic Apps store the method of each connector action beside its path; Power Automate and Power Apps key actions by " +
			"operationId alone. No public pull request shows the validator on a method change, and without evidence that it is " +
			"laxer than users, certification judges as users do (breaking): DOMAIN.md, \"where the validator is stricter\", finds no " +
			"change the validator accepts that connectordiff calls breaking.",
		Remediation:  "Keep the old method, and add a new operation for the new one.",
		Remedy:       versionRoute,
		ReleaseNotes: []ReleaseNote{changed("now calls {after} (was {before}).")},
		TakesAway:    true,
		match:        kind(diff.OperationMethodChanged),
	},
	{
		ID: OperationDeprecated, Level: Info, Summary: "An operation was marked deprecated.",
		Doc:          "Deprecation hides the operation in the designer; flows and apps that already use it keep working.",
		Remediation:  "None needed. Give users at least 30 days' notice before removing it, and name the replacement in the description.",
		ReleaseNotes: []ReleaseNote{deprecated("this action is deprecated and hidden from new flows; existing flows keep working.")},
		match: func(c *diff.Change) bool {
			return c.Kind == diff.OperationDeprecatedChanged && c.After == "true"
		},
	},
	{
		ID: OperationMadeInternal, Level: Warning, Summary: "An operation was hidden with x-ms-visibility: internal.",
		Certification:    Breaking, // #720, #4215: logged as an error
		ValidatorMessage: "The operation has been hidden. This change breaks the designer for existing flows.",
		Doc: "Existing flows keep running, but the designer no longer shows the action, so they cannot be edited. Microsoft's validator " +
			"reports it as an error.",
		Remediation: "Use deprecated: true (and x-ms-visibility: advanced) instead of internal for an operation users may have in flows.",
		Remedy: Remedy{Kind: RemedyUnhideOperation,
			Doc: "Breaking only for the validator: replaces x-ms-visibility: internal with advanced, which Microsoft recommends for " +
				"de-emphasising an operation."},
		ReleaseNotes: []ReleaseNote{changed("this action is no longer shown in the designer.")},
		match: func(c *diff.Change) bool {
			return c.Kind == diff.OperationVisibilityChanged && c.After == "internal"
		},
	},
	{
		ID: OperationAdded, Level: Info, Summary: "An operation was added.",
		Doc:          "New operations break nothing.",
		Remediation:  "None needed.",
		ReleaseNotes: []ReleaseNote{added("new action.")},
		match:        kind(diff.OperationAdded),
	},
	{
		ID: TriggerChanged, Level: Breaking, Summary: "x-ms-trigger was added, removed, or changed between single and batch.",
		Doc: "A trigger's kind fixes the shape of its output (an object for single, an array for batch) and how runs fan out. " +
			"Flows built on the old kind reference outputs that no longer exist, and an action that became a trigger (or the reverse) disappears from where users placed it.",
		Remediation: "Add a new trigger operation with the new behaviour and deprecate the old one.",
		Remedy: Remedy{Kind: RemedyManual,
			Doc: "Left to you: a trigger's kind decides how runs fire and what they output; add the new " +
				"trigger as a new operation."},
		ReleaseNotes: []ReleaseNote{changed("the trigger works differently now: {message}.")},
		match:        kind(diff.TriggerChanged),
	},

	{
		ID: TriggerMechanismChanged, Level: Breaking, Summary: "A trigger changed between webhook and polling.",
		Doc: "A webhook trigger registers a callback when the flow is saved (x-ms-notification-content, a notification URL input); " +
			"a polling trigger is called on a schedule and follows Location and Retry-After. Existing flows hold a subscription " +
			"or a polling state of the old kind, which the new one neither honours nor cleans up.",
		Remediation: "Add the new trigger as a new operation and deprecate the old one.",
		Remedy: Remedy{Kind: RemedyManual,
			Doc: "Left to you: existing subscriptions or polling states belong to the old mechanism."},
		ReleaseNotes: []ReleaseNote{changed("the trigger works differently now: {message}.")},
		match:        kind(diff.TriggerMechanismChanged),
	},
	{
		ID: TriggerHintChanged, Level: Info, Summary: "x-ms-trigger-hint changed.",
		Doc:         "The hint is text the designer shows while a trigger waits; it changes nothing that runs.",
		Remediation: "None needed.",
		match:       kind(diff.TriggerHintChanged),
	},
	{
		ID: CapabilitiesChanged, Level: Warning, Summary: "Capabilities changed (x-ms-capabilities, or capabilities in apiProperties.json).",
		Doc: "Capabilities switch platform behaviour such as chunked transfer, test connections, or whether the connector offers actions " +
			"and triggers; flows that relied on the old behaviour may fail on large payloads or lose triggers.",
		Remediation:  "Check that every existing flow still works with the new capabilities.",
		ReleaseNotes: []ReleaseNote{changed("the declared capabilities changed.")},
		match:        kind(diff.CapabilitiesChanged),
	},
	{
		ID: AnnotationFamilyCrowded, Level: Warning, Summary: "An x-ms-api-annotation family gained non-deprecated operations beyond what the validator allows.",
		Doc: "Microsoft's versioning keeps one current revision per family beside at most one older one; the validator rejects " +
			"families with more than two non-deprecated operations (\"Extra operations must be deprecated\").",
		Remediation: "Deprecate the older revisions of the family.",
		match:       kind(diff.FamilyCrowded),
	},
	{
		ID: AnnotationRevisionRepeated, Level: Warning, Summary: "Two operations of an x-ms-api-annotation family share a revision.",
		Doc:         "Revisions order the versions of an operation; the validator requires them to be unique within a family.",
		Remediation: "Give the new operation the next revision number.",
		match:       kind(diff.RevisionRepeated),
	},
	{
		ID: VersionedOperationReplacesOriginal, Level: Warning, Summary: "A _V2-style operation was added while the operation it versions was removed.",
		Doc: "Versioning an operation keeps the old one so existing flows keep working (Microsoft's operational versioning); " +
			"replacing it breaks every flow that uses it (reported as operation-removed).",
		Remediation: "Keep the old operation, deprecated and x-ms-visibility: advanced, beside the new version.",
		match:       kind(diff.VersionReplacesOriginal),
	},
	{
		ID: PageableChanged, Level: Warning, Summary: "x-ms-pageable was added, removed or changed.",
		Doc: "Paging decides whether the runtime follows nextLink and how many items an action returns; flows that count or " +
			"process the items see different results.",
		Remediation:  "Keep the paging contract, or add a new operation with the new one.",
		ReleaseNotes: []ReleaseNote{changed("paging of the results changed.")},
		match:        kind(diff.PageableChanged),
	},
	{
		ID: ConsumesChanged, Level: Warning, Summary: "The media types an operation's body accepts changed.",
		Doc: "The runtime sends the body in a media type the operation declares; when the old and the new lists share none, " +
			"the backend receives the stored body in a form it did not before. A change that keeps a common type is safe.",
		Remediation:  "Keep accepting the old media type.",
		ReleaseNotes: messageNote,
		match:        kind(diff.ConsumesChanged),
		ceiling: func(c *diff.Change) (Level, string) {
			if !c.Facts.Disjoint {
				return Info, "a media type accepted before still is"
			}
			return Warning, ""
		},
	},
}

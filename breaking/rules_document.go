package breaking

import "github.com/connectordiff/connectordiff/diff"

// documentRules judge the connector as a whole: host, security, versions,
// apiProperties.json and script.csx.
var documentRules = []Rule{
	{
		ID: HostChanged, Level: Warning, Summary: "The host (or x-ms-parameterized-host) changed.",
		Doc: "Flows do not store the address: the runtime calls whatever the definition says. Existing flows keep working as long as " +
			"the new host serves the same API.",
		Remediation:  "Make sure the new host serves every operation before the update is published.",
		ReleaseNotes: []ReleaseNote{changed("the service address changed ({message}).")},
		match:        kind(diff.HostChanged),
	},
	{
		ID: BasePathChanged, Level: Warning, Summary: "The basePath changed and moved the URL of surviving operations.",
		Doc: "Flows do not store the base path, but every moved operation now calls another URL. A basePath change that every path " +
			"compensates (same effective URLs) is not reported.",
		Remediation:  "Make sure the backend serves the new URLs, or compensate in the paths.",
		ReleaseNotes: []ReleaseNote{changed("the service address changed ({message}).")},
		match:        kind(diff.BasePathChanged),
	},
	{
		ID: SchemesChanged, Level: Breaking, Summary: "The schemes changed.",
		Doc:         "Losing https (or every scheme) leaves no way to call the API as before. Dropping only http is a warning; adding a scheme is safe.",
		Remediation: "Keep https.",
		Remedy: Remedy{Kind: RemedyManual,
			Doc: "Left to you: whether the backend still serves https is not in the definition."},
		ReleaseNotes: []ReleaseNote{changed("the service address changed ({message}).")},
		match:        kind(diff.SchemesChanged),
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
		ID: SecurityChanged, Level: Breaking, Summary: "Authentication changed: a definition's type, OAuth flow or API key changed, or a definition was added or removed.",
		Doc: "Existing connections were created for the old authentication; Microsoft does not allow changing the auth type in an update. " +
			"Connections cannot authenticate the new way until every user recreates them. The platform makes connections from " +
			"apiProperties.json where it defines them (connection parameters or sets): when a whole connector is compared and " +
			"that connection did not change, the definition's securityDefinitions only describe it for the designer, and an " +
			"edit there is a warning that says the two files disagree (DOMAIN.md, \"Connection parameter sets\"); an API key that " +
			"moves (another header, or from the query to a header) is still sent where the definition says, so its warning asks " +
			"whether the backend accepts it there. An API key's header name is compared ignoring case, as HTTP does.",
		Remediation: "Keep the authentication; publish a new connector for a new auth type.",
		Remedy: Remedy{Kind: RemedyManual,
			Doc: "Left to you: Microsoft does not allow a new authentication type in an update; publish a " +
				"new connector for it."},
		ReleaseNotes: []ReleaseNote{changed("authentication changed: existing connections must be recreated.")},
		match: func(c *diff.Change) bool {
			switch c.Kind {
			case diff.SecurityTypeChanged, diff.SecurityFlowChanged, diff.SecurityAPIKeyChanged,
				diff.SecurityDefinitionRemoved, diff.SecurityDefinitionAdded:
				return true
			}
			return false
		},
		ceiling: func(c *diff.Change) (Level, string) {
			switch {
			case c.Facts.ConnectionKept && c.Kind == diff.SecurityAPIKeyChanged:
				// The connection keeps the key; the definition still says
				// where the platform sends it.
				return Warning, "connections keep their key, as apiProperties.json's connection did not change; it is now sent where " +
					"the definition says: make sure the backend accepts it there"
			case c.Facts.ConnectionKept:
				return Warning, "apiProperties.json defines the connection, which did not change: the definition's securityDefinitions disagree with it"
			case c.Kind == diff.SecurityDefinitionAdded && !c.Facts.HadNone:
				return Warning, "connections already had a definition"
			}
			return Breaking, ""
		},
	},
	{
		ID: OAuthScopesChanged, Level: Warning, Summary: "The OAuth scopes changed.",
		Doc:          "Existing connections keep the tokens they were granted; operations that need a new scope fail until users sign in again.",
		Remediation:  "Tell users to re-consent, or request the new scopes only where needed.",
		ReleaseNotes: []ReleaseNote{changed("sign-in settings changed; users may need to sign in again.")},
		match:        kind(diff.SecurityScopesChanged),
		ceiling: func(c *diff.Change) (Level, string) {
			if len(missing(c.After, c.Before)) == 0 {
				return Info, "scopes were only removed, which existing tokens still cover"
			}
			return Warning, ""
		},
	},
	{
		ID: OAuthURLChanged, Level: Warning, Summary: "An OAuth authorizationUrl or tokenUrl changed.",
		Doc:          "Existing connections refresh tokens at the token URL; a new identity endpoint may not honour tokens issued by the old one.",
		Remediation:  "Make sure the new endpoints accept existing refresh tokens.",
		ReleaseNotes: messageNote,
		match:        kind(diff.SecurityURLChanged),
	},
	{
		ID: SecurityRequirementChanged, Level: Warning, Summary: "The top-level security requirement changed.",
		Doc:          "Which definition a call uses changes while the definitions stay the same.",
		Remediation:  "Check that existing connections still satisfy the requirement.",
		ReleaseNotes: []ReleaseNote{changed("the sign-in the actions use changed; users may need to sign in again or recreate their connections.")},
		match:        kind(diff.SecurityRequirementChanged),
	},
	{
		ID: SecurityDefinitionRenamed, Level: Info, Summary: "A security definition got a new key with the same content.",
		Doc:         "Connections are unaffected by the key.",
		Remediation: "None needed.",
		match:       kind(diff.SecurityDefinitionRenamed),
	},

	{
		ID: VisibilityChanged, Level: Info, Summary: "x-ms-visibility changed other than to internal.",
		Doc:         "important, advanced and none only decide how prominently the designer shows an input or output; saved flows are unaffected.",
		Remediation: "None needed.",
		match: func(c *diff.Change) bool {
			return (c.Kind == diff.VisibilityChanged || c.Kind == diff.OperationVisibilityChanged) && c.After != "internal"
		},
	},

	// The update as a whole (see Policy.Judge): these rules weigh info.version
	// against the other findings, not a single change.
	{
		ID: VersionNotBumped, Level: Info, Summary: "A breaking update kept the old info.version.",
		Doc: "Publishers, reviewers and users tell connector releases apart by info.version; a breaking update under the old " +
			"number looks like the version they already tested. Only updates with a breaking finding are checked. It is release " +
			"hygiene: nothing a flow or app stores depends on info.version, and the certification updates page ([CU], DOMAIN.md) " +
			"asks for none, so it is info by default (it was a warning, on 272 of 975 updates of the public history, and " +
			"inherited every false breaking finding); raise it with --level version-not-bumped=warning or in a policy file. " +
			"A version that goes down stays breaking (version-decreased).",
		Remediation: "Raise info.version (the major part, for a breaking update) and say in the release notes what breaks.",
		match:       never,
	},
	{
		ID: VersionDecreased, Level: Breaking, Summary: "info.version went down.",
		Doc: "A lower version than the published one reads as a rollback: release tooling, certification and users that compare " +
			"versions take the update for an older connector.",
		Remediation: "Give the update a version above the published one.",
		Remedy: Remedy{Kind: RemedyRaiseVersion,
			Doc: "Sets info.version above the old one (its last number plus one)."},
		match: never,
	},

	// apiProperties.json and script.csx.
	{
		ID: DeprecatedOperationRemoved, Level: Warning,
		Summary: "An operation removed after it had been deprecated for the deprecation window (30 days by default).",
		Doc: "Flows that still use it break, but their makers had the deprecation notice Microsoft asks for. Reported only when " +
			"revisions of a repository are compared, where the history says since when the operation was deprecated; the " +
			"finding names that date. Microsoft's validator still reports the deletion.",
		Remediation: "Tell the remaining users, and check the connector's telemetry before removing it.",
		Remedy: Remedy{Kind: RemedyManual,
			Doc: "Left to you: the operation was deprecated for the whole deprecation " +
				"window, so putting it back would undo a removal its users were told of. Microsoft's validator still reports the deletion; " +
				"to pass it, restore the operation (connectordiff fix restores an operation removed before the window ends)."},
		ReleaseNotes:          []ReleaseNote{removed("this deprecated action is no longer available.")},
		OldSide:               true,
		match:                 never,
		Certification:         Breaking,
		ValidatorMessage:      validatorOperationDeleted,
		validatorSeesInternal: true,
	},
	{
		ID: AcceptanceExpired, Level: Breaking, Summary: "An accepted change in the policy file has expired.",
		Doc: "A reviewer accepted a breaking change until a date that has passed: the findings it covered count again, and " +
			"the gate fails until the acceptance is renewed or removed.",
		Remediation: "Renew the acceptance with a new expires date and reason, or remove it.",
		Remedy: Remedy{Kind: RemedyManual,
			Doc: "Left to you: renew the acceptance in the policy file, or remove it."},
		match: never,
	},
	{
		ID: AcceptanceStale, Level: Warning, Summary: "An accepted change in the policy file matched no finding.",
		Doc:         "The change it accepted is no longer there (or was spelled differently): a stale acceptance would hide a later break.",
		Remediation: "Remove the acceptance, or correct its rule, connector, operation or location.",
		match:       never,
	},
	{
		ID: AcceptanceAdded, Level: Warning, Summary: "The change adds an accepted change to a policy file.",
		Doc: "A pull request that accepts its own breaking changes passes the gate once the acceptance is in; the acceptance is " +
			"the part of the change a reviewer must read. Under --policy-from base the pull request's policy is not applied, " +
			"and this finding lists what it would accept once merged.",
		Remediation: "Review the acceptance like code: the reason, the scope (connector, operation, value path) and the expiry date.",
		match:       never,
	},
	{
		ID: PolicyChanged, Level: Warning, Summary: "The change alters a policy file: a profile, level, window or policy source.",
		Doc: "Levels, the profile and the deprecation window decide what fails the gate, so a pull request that changes them " +
			"changes its own judgement. Under --policy-from base the change is listed and not applied.",
		Remediation: "Review the policy change like code, or make it in a pull request of its own.",
		match:       never,
	},
	{
		ID: ConnectorRemoved, Level: Breaking, Summary: "A whole connector was removed from the repository.",
		Doc: "Every flow, app and Logic App that uses any of its operations, or a connection to it, stops working. " +
			"Reported when revisions of a repository are compared.",
		Remediation: "Deprecate the connector (its title and every operation) and keep it published until its users have moved.",
		Remedy: Remedy{Kind: RemedyManual,
			Doc: "Left to you: fix repairs an update of one connector's definition, not a connector removed."},
		ReleaseNotes: []ReleaseNote{removed("the connector and all its actions are no longer available.")},
		OldSide:      true,
		match:        kind(diff.ConnectorDisappeared),
	},
	{
		ID: ConnectorAdded, Level: Info, Summary: "A connector was added to the repository.",
		Doc:          "Nothing existing uses it yet.",
		Remediation:  "None needed.",
		ReleaseNotes: []ReleaseNote{added("new connector.")},
		match:        kind(diff.ConnectorAppeared),
	},
	{
		ID: ConnectionParameterRemoved, Level: Breaking, Summary: "A connection parameter was removed (apiProperties.json).",
		Doc: "Existing connections were created with a value for it, which policies and the definition may use (such as a host or an API key); " +
			"connections made before the update no longer match the connector.",
		Remediation:  "Keep the connection parameter.",
		Remedy:       connectionLeft,
		ReleaseNotes: []ReleaseNote{removed("connection setting {subject}.")},
		OldSide:      true,
		match:        kind(diff.ConnectionParameterRemoved),
	},
	{
		ID: ConnectionParameterRequiredAdded, Level: Breaking, Summary: "A connection parameter is new and required, or became required.",
		Doc:          "Existing connections have no value for it, so every flow using them fails until users edit or recreate the connection.",
		Remediation:  "Make the new connection parameter optional, with a default the connector handles.",
		Remedy:       connectionLeft,
		ReleaseNotes: []ReleaseNote{changed("connection setting {subject} is required; existing connections must be edited.")},
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
		ID: ConnectionParameterTypeChanged, Level: Breaking, Summary: "A connection parameter's type changed (string, securestring, oauthSetting...).",
		Doc: "The type fixes how the connection stores and sends the value; changing it, and above all changing between an API key " +
			"and OAuth, changes the authentication type, which Microsoft does not allow in an update.",
		Remediation:  "Keep the type; publish a new connector for a new authentication type.",
		Remedy:       connectionLeft,
		ReleaseNotes: []ReleaseNote{changed("connection setting {subject} is now of type {after} (was {before}).")},
		match:        kind(diff.ConnectionParameterTypeChanged),
	},
	{
		ID: ConnectionParameterAdded, Level: Info, Summary: "An optional connection parameter was added.",
		Doc:          "Existing connections simply have no value for it.",
		Remediation:  "Make sure the connector works without it.",
		ReleaseNotes: []ReleaseNote{added("optional connection setting {subject}.")},
		match:        kind(diff.ConnectionParameterAdded),
	},
	{
		ID: ConnectionParameterValuesRemoved, Level: Breaking,
		Summary: "A connection parameter no longer allows values it allowed (apiProperties.json).",
		Doc: "Existing connections store the value the user picked when creating them (a region, an API host); a value no longer " +
			"allowed is one those connections still hold, and the connector or its policies no longer handle it, as a narrowed " +
			"input enum breaks stored inputs.",
		Remediation:  "Keep the old values allowed (label them as legacy) and map them in a policy or the backend.",
		Remedy:       connectionLeft,
		ReleaseNotes: []ReleaseNote{changed("connection setting {subject} no longer accepts {removed-values}; connections created with them must be edited.")},
		OldSide:      true,
		match:        kind(diff.ConnectionParameterValuesRemoved),
	},
	{
		ID: ConnectionParameterChanged, Level: Warning, Summary: "A connection parameter's allowed values or metadata changed.",
		Doc:          "Existing connections keep the value they were created with, which may no longer be one the dialog offers.",
		Remediation:  "Keep the values existing connections may hold.",
		ReleaseNotes: []ReleaseNote{changed("connection setting {subject} changed ({detail-names}).")},
		match:        kind(diff.ConnectionParameterChanged),
	},
	{
		ID: OAuthSettingsChanged, Level: Warning, Summary: "The OAuth settings of a connection changed (identity provider, client id, scopes...).",
		Doc: "Existing connections hold tokens from the old identity provider and client registration, consented to the old scopes; " +
			"a new client or provider may not refresh them, and new scopes need users to sign in again.",
		Remediation:  "Keep the client registration and provider; tell users to re-consent when scopes grow.",
		ReleaseNotes: []ReleaseNote{changed("sign-in settings changed; users may need to sign in again.")},
		match:        kind(diff.OAuthSettingsChanged),
	},
	{
		ID: ConnectionParameterSetsChanged, Level: Warning, Summary: "A connection parameter set's settings changed (beyond its parameters and labels).",
		Doc: "Each set is a way to create a connection; existing connections were made with one of the old sets and its values. " +
			"Its parameters are judged one by one (connection-parameter-*), a set removed or added by its own rules; this rule " +
			"covers what else a set, or the connectionParameterSets block, says (metadata such as allowSharing).",
		Remediation:  "Keep the existing sets and their settings.",
		ReleaseNotes: []ReleaseNote{changed("the ways to create a connection changed.")},
		match:        kind(diff.ConnectionParameterSetsChanged),
	},
	{
		ID: ConnectionParameterRenamed, Level: Breaking, Summary: "A connection parameter was renamed: the same type and display name under a new name.",
		Doc: "Existing connections hold the value under the old name; policies and the definition read the new one, which those " +
			"connections lack. One finding, instead of a parameter removed and another added (deskdirector-tech apiKey -> api_key).",
		Remediation:  "Keep the old name; change only the display name, which is what users see.",
		Remedy:       connectionLeft,
		ReleaseNotes: []ReleaseNote{changed("connection setting {before} renamed to {after}; existing connections must be edited.")},
		match:        kind(diff.ConnectionParameterRenamed),
	},
	{
		ID: ConnectionParameterSetRemoved, Level: Breaking, Summary: "Connection parameter sets were removed: ways to create a connection are gone.",
		Doc: "With connectionParameterSets, each connection is made with one set (DOMAIN.md, \"Connection parameter sets\"): " +
			"removing a set breaks every connection made with it, which users must recreate with another. Reported once, " +
			"naming the sets. A connector that moves from connectionParameters to sets keeps its connections when one set " +
			"holds the old parameters.",
		Remediation:  "Keep every set existing connections may use; add new ways to connect as new sets.",
		Remedy:       connectionLeft,
		ReleaseNotes: []ReleaseNote{removed("ways to connect: {subject-text}; connections made with them must be recreated.")},
		OldSide:      true,
		match:        kind(diff.ConnectionParameterSetRemoved),
	},
	{
		ID: ConnectionParameterSetAdded, Level: Info, Summary: "Connection parameter sets were added: new ways to create a connection.",
		Doc:          "Existing connections were made with another set, which is unchanged.",
		Remediation:  "None needed.",
		ReleaseNotes: []ReleaseNote{added("ways to connect: {subject-text}.")},
		match:        kind(diff.ConnectionParameterSetAdded),
	},
	{
		ID: PolicyTemplateChanged, Level: Warning, Summary: "A policy template instance was added, removed or changed (apiProperties.json).",
		Doc: "Policies rewrite requests and responses at run time (hosts, headers, routes, array or object conversions) for the operations " +
			"they name; the definition no longer describes what existing flows get.",
		Remediation:  "Check every operation the policy applies to with an existing flow.",
		ReleaseNotes: []ReleaseNote{changed("requests are processed differently at run time (policy {subject-text}).")},
		match:        kind(diff.PolicyTemplateChanged),
	},
	{
		ID: ScriptOperationsChanged, Level: Warning, Summary: "The operations routed through script.csx changed (scriptOperations).",
		Doc:          "Requests of the named operations now run through, or no longer run through, custom code that may reshape them.",
		Remediation:  "Check each named operation with an existing flow.",
		ReleaseNotes: []ReleaseNote{changed("whether the connector's custom code handles this action changed.")},
		match:        kind(diff.ScriptOperationsChanged),
	},
	{
		ID: ScriptChanged, Level: Warning, Summary: "script.csx changed.",
		Doc: "Custom code cannot be judged statically: the operations it routes on (Context.OperationId == \"X\" and similar) " +
			"may behave differently for existing flows.",
		Remediation:  "Test the named operations with existing flows before publishing.",
		ReleaseNotes: []ReleaseNote{changed("the connector's custom code changed ({details}).")},
		match:        kind(diff.ScriptChanged),
	},
	{
		ID: BrandingChanged, Level: Info, Summary: "iconBrandColor, publisher or stackOwner changed.",
		Doc:         "Branding is what Microsoft counts as a minor update; flows are unaffected.",
		Remediation: "None needed.",
		match:       kind(diff.BrandingChanged),
	},
}

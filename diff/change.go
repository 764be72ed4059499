package diff

import (
	"fmt"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// Where says in which part of an operation a change sits, which is also its
// direction: what a caller sends (Parameter, RequestBody) or receives
// (Response, Webhook).
type Where string

// The places a change can sit.
const (
	InDocument    Where = "document"
	InOperation   Where = "operation"
	InParameter   Where = "parameter"
	InRequestBody Where = "request-body"
	InResponse    Where = "response"
	InWebhook     Where = "webhook"
)

// Request reports whether w is on the sending side of a call.
func (w Where) Request() bool { return w == InParameter || w == InRequestBody }

// Output reports whether w is on the receiving side (responses and webhook
// payloads), whose properties flows reference as dynamic content.
func (w Where) Output() bool { return w == InResponse || w == InWebhook }

// OperationRef names an operation a change reaches.
type OperationRef struct {
	// ID is the operation's identifier in the old document (the new one for
	// an added operation): its operationId, or "METHOD path" when it has none.
	ID string
	// Internal is true when the operation is x-ms-visibility: internal in the
	// old document, so it never appears in a user's flow.
	Internal bool
}

// Facts are the neutral circumstances of a change that a policy may weigh.
// Each is false or empty when it does not apply.
type Facts struct {
	// Internal: the parameter or property is x-ms-visibility: internal (in
	// the old document for removals and changes, the new one for additions),
	// or sits inside one that is.
	Internal bool
	// Required: the parameter or property is required (new side for
	// additions and required changes, old side for removals).
	Required bool
	// HasDefault: the parameter or property has a default value (new side).
	HasDefault bool
	// ReadOnly: the property is readOnly (old side).
	ReadOnly bool
	// NotificationURL: the property carries x-ms-notification-url: true and
	// is filled by the runtime.
	NotificationURL bool
	// NamedProperties: the old schema had named properties (directly, or
	// through allOf or array items).
	NamedProperties bool
	// Secondary: a response change on a success code other than the primary
	// one while the primary keeps its schema, or a success code removed
	// while another success code remains.
	Secondary bool
	// BodyAlreadySent: a body parameter became required while its schema
	// already had a visible required property, so working flows send a body.
	BodyAlreadySent bool
	// BodyRuntimeBuilt: a body parameter became required while every one of
	// its properties is internal with a default or a notification URL.
	BodyRuntimeBuilt bool
	// EnumIntroduced / EnumDropped: the enum restriction appeared or went.
	EnumIntroduced bool
	EnumDropped    bool
	// EnumRemoved / EnumAdded: values no longer / newly allowed, normalised
	// to the declared type. EnumImpossible lists removed values that the
	// declared type could never take (such as "" on a boolean).
	EnumRemoved    []string
	EnumAdded      []string
	EnumImpossible []string
	// HTTPSLost: the schemes no longer include https (or are all gone).
	HTTPSLost bool
	// Body: the parameter is the body parameter.
	Body bool
	// Disjoint: the old and the new media types have nothing in common.
	Disjoint bool
	// Tightened: a constraint now accepts less than before (a lower
	// maximum, a new pattern...); otherwise it accepts more.
	Tightened bool
	// DynamicSchema: only x-ms-dynamic-schema or -properties changed, which
	// drive dynamic fields and outputs rather than value pickers.
	DynamicSchema bool
	// HadNone: a security definition was added where the old document had
	// none at all.
	HadNone bool
	// MethodChanged: a route change changed the method as well as the path
	// (Before and After then read "METHOD path").
	MethodChanged bool
	// BecameRequired: a renamed parameter is also required now, which it
	// was not before.
	BecameRequired bool
	// Moved lists, for a restructured schema, each property that moved and
	// where to ("name -> task/name"), or, when the new schema declares no
	// properties at all (Undeclared), each property it no longer declares.
	Moved      []string
	Undeclared bool
}

// Change is one difference between the old and the new document.
type Change struct {
	Kind  Kind
	Where Where
	// Subject is what changed: an operation, parameter, property, status
	// code, or definition name, as the message shows it.
	Subject string
	// Operations lists every operation the change reaches, in old-document
	// order; empty for document-level changes.
	Operations []OperationRef
	// Old and New locate the change in each document. Old is nil for
	// additions; New is the nearest surviving counterpart for removals.
	Old, New *connector.Location
	// ValuePath is the location in the form Microsoft's validator uses, such
	// as operation/GetItem/parameter/id or
	// operation/GetItem/responses/200/schema/name.
	ValuePath string
	// Before and After are the changed values, rendered compactly.
	Before, After string
	// Details names what changed inside a compound value, one entry each,
	// such as "parameters.folder: \"a\" -> \"b\"".
	Details []string
	// File names the connector file the change is in (apiProperties.json,
	// script.csx) when a whole connector folder is compared; empty for a
	// single definition.
	File  string
	Facts Facts
}

// Operation returns the first operation the change reaches, or "".
func (c *Change) Operation() string {
	if len(c.Operations) == 0 {
		return ""
	}
	return c.Operations[0].ID
}

// Describe says in one line what changed, with no judgement.
func (c *Change) Describe() string {
	s := c.Subject
	switch c.Kind {
	case OperationRemoved:
		return fmt.Sprintf("operation %s removed", s)
	case OperationAdded:
		return fmt.Sprintf("operation %s added", s)
	case OperationIDChanged:
		return fmt.Sprintf("operationId %s changed to %s (%s)", c.Before, c.After, s)
	case OperationPathChanged:
		if c.Facts.MethodChanged {
			return fmt.Sprintf("route of %s changed: %s -> %s", s, c.Before, c.After)
		}
		return fmt.Sprintf("path of %s changed: %s -> %s", s, c.Before, c.After)
	case OperationMethodChanged:
		return fmt.Sprintf("method of %s changed: %s -> %s", s, c.Before, c.After)
	case OperationDeprecatedChanged:
		return fmt.Sprintf("operation %s deprecated: %s -> %s", s, c.Before, c.After)
	case OperationVisibilityChanged:
		return fmt.Sprintf("operation %s x-ms-visibility: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case TriggerChanged:
		return fmt.Sprintf("x-ms-trigger of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case PageableChanged:
		return fmt.Sprintf("x-ms-pageable of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case ConsumesChanged:
		return fmt.Sprintf("media types %s accepts: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case TriggerMechanismChanged:
		return fmt.Sprintf("trigger %s changed from %s to %s", s, c.Before, c.After)
	case TriggerHintChanged:
		return fmt.Sprintf("x-ms-trigger-hint of %s changed", s)
	case CapabilitiesChanged:
		if len(c.Details) == 0 {
			return fmt.Sprintf("capabilities of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
		}
		return fmt.Sprintf("capabilities of %s changed%s", s, details(c.Details))
	case FamilyCrowded:
		return fmt.Sprintf("x-ms-api-annotation family %s has %s non-deprecated operations%s", s, c.After, details(c.Details))
	case RevisionRepeated:
		return fmt.Sprintf("x-ms-api-annotation family %s repeats revision %s%s", s, c.After, details(c.Details))
	case VersionReplacesOriginal:
		return fmt.Sprintf("operation %s appears while %s, which it versions, was removed", c.After, c.Before)
	case ConstraintChanged:
		return fmt.Sprintf("%s of %s: %s -> %s", c.Details[0], s, orNone(c.Before), orNone(c.After))
	case ReadOnlyChanged:
		return fmt.Sprintf("readOnly of %s: %s -> %s", s, c.Before, c.After)
	case DiscriminatorChanged:
		return fmt.Sprintf("discriminator of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case AdditionalPropertiesRemoved:
		return fmt.Sprintf("%s no longer accepts additional properties", s)
	case ProducesChanged:
		return fmt.Sprintf("media types %s returns: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case ConnectionParameterRemoved:
		return fmt.Sprintf("connection parameter %s (%s) removed", s, c.Before)
	case ConnectionParameterAdded:
		req := "optional"
		if c.Facts.Required {
			req = "required"
		}
		return fmt.Sprintf("%s connection parameter %s (%s) added", req, s, c.After)
	case ConnectionParameterTypeChanged:
		return fmt.Sprintf("type of connection parameter %s: %s -> %s", s, c.Before, c.After)
	case ConnectionParameterRequiredChanged:
		return fmt.Sprintf("connection parameter %s became required", s)
	case ConnectionParameterValuesRemoved:
		msg := fmt.Sprintf("connection parameter %s no longer allows %s", s, shortList(c.Facts.EnumRemoved))
		if len(c.Facts.EnumAdded) > 0 {
			msg += "; now allows " + shortList(c.Facts.EnumAdded)
		}
		return msg
	case ConnectionParameterChanged:
		return fmt.Sprintf("connection parameter %s changed%s", s, details(c.Details))
	case OAuthSettingsChanged:
		return fmt.Sprintf("OAuth settings of connection parameter %s changed%s", s, details(c.Details))
	case ConnectionParameterSetsChanged:
		return fmt.Sprintf("connectionParameterSets changed%s", details(c.Details))
	case PolicyTemplateChanged:
		return fmt.Sprintf("policy template %s %s%s", s, c.After, details(c.Details))
	case ScriptOperationsChanged:
		return fmt.Sprintf("scriptOperations changed%s", details(c.Details))
	case BrandingChanged:
		return fmt.Sprintf("%s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case ConnectorAppeared:
		return fmt.Sprintf("connector %s added, with %s", orNone(s), c.After)
	case ConnectorDisappeared:
		return fmt.Sprintf("connector %s removed, with its %s", orNone(s), c.Before)
	case ScriptChanged:
		return fmt.Sprintf("%s %s%s", s, c.After, details(c.Details))
	case ParameterRemoved:
		return fmt.Sprintf("parameter %s removed", s)
	case ParameterAdded:
		req := "optional"
		if c.Facts.Required {
			req = "required"
		}
		return fmt.Sprintf("%s parameter %s added", req, s)
	case ParameterRenamed:
		return fmt.Sprintf("parameter %s renamed to %s%s", c.Before, c.After, details(c.Details))
	case ParameterLocationChanged:
		return fmt.Sprintf("parameter %s moved: in %s -> in %s", s, c.Before, c.After)
	case ParameterRequiredChanged:
		return fmt.Sprintf("parameter %s required: %s -> %s", s, c.Before, c.After)
	case CollectionFormatChanged:
		return fmt.Sprintf("collectionFormat of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case URLEncodingChanged:
		return fmt.Sprintf("x-ms-url-encoding of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case VisibilityChanged:
		return fmt.Sprintf("x-ms-visibility of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case DynamicChanged:
		what := "dynamic values"
		if c.Facts.DynamicSchema {
			what = "dynamic schema"
		}
		return fmt.Sprintf("%s of %s changed%s", what, s, details(c.Details))
	case DynamicTargetRemoved:
		return fmt.Sprintf("dynamic values of %s call operation %s, which no longer exists", s, c.Before)
	case TypeChanged:
		return fmt.Sprintf("type of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case FormatChanged:
		return fmt.Sprintf("format of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case EnumChanged:
		var parts []string
		switch {
		case c.Facts.EnumIntroduced:
			parts = append(parts, "enum introduced: "+shortList(c.Facts.EnumAdded))
		case c.Facts.EnumDropped:
			parts = append(parts, "enum restriction removed")
		}
		if len(c.Facts.EnumRemoved) > 0 {
			parts = append(parts, "values removed: "+shortList(c.Facts.EnumRemoved))
		}
		if len(c.Facts.EnumImpossible) > 0 {
			parts = append(parts, "impossible values removed: "+shortList(c.Facts.EnumImpossible))
		}
		if len(c.Facts.EnumAdded) > 0 && !c.Facts.EnumIntroduced {
			parts = append(parts, "values added: "+shortList(c.Facts.EnumAdded))
		}
		return fmt.Sprintf("enum of %s: %s", s, strings.Join(parts, "; "))
	case DefaultChanged:
		return fmt.Sprintf("default of %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case PropertyRemoved:
		if c.After != "" {
			return fmt.Sprintf("property %s renamed to %s", s, c.After)
		}
		return fmt.Sprintf("property %s removed", s)
	case PropertyAdded:
		if c.Where.Output() {
			return fmt.Sprintf("property %s added", s)
		}
		req := "optional"
		if c.Facts.Required {
			req = "required"
		}
		return fmt.Sprintf("%s property %s added", req, s)
	case SchemaRestructured:
		if c.Facts.Undeclared {
			return fmt.Sprintf("schema of %s no longer declares its %d properties: %s", s, len(c.Facts.Moved), shortList(c.Facts.Moved))
		}
		return fmt.Sprintf("%s moved in %s: %s", plural(len(c.Facts.Moved), "property", "properties"), s, shortList(c.Facts.Moved))
	case PropertyRequiredChanged:
		return fmt.Sprintf("property %s required: %s -> %s", s, c.Before, c.After)
	case ResponseRemoved:
		return fmt.Sprintf("success response %s removed", s)
	case ResponseAdded:
		return fmt.Sprintf("response %s added", s)
	case ResponseSchemaRemoved:
		return fmt.Sprintf("schema of %s removed", s)
	case ResponseHeaderRemoved:
		return fmt.Sprintf("response header %s removed", s)
	case HostChanged:
		return fmt.Sprintf("host: %s -> %s", orNone(c.Before), orNone(c.After))
	case BasePathChanged:
		return fmt.Sprintf("basePath: %s -> %s (moves %d operation URLs)", orNone(c.Before), orNone(c.After), len(c.Operations))
	case SchemesChanged:
		return fmt.Sprintf("schemes: %s -> %s", orNone(c.Before), orNone(c.After))
	case SecurityDefinitionRemoved:
		return fmt.Sprintf("security definition %s (%s) removed", s, c.Before)
	case SecurityDefinitionAdded:
		return fmt.Sprintf("security definition %s (%s) added", s, c.After)
	case SecurityDefinitionRenamed:
		return fmt.Sprintf("security definition %s renamed to %s", c.Before, c.After)
	case SecurityTypeChanged:
		return fmt.Sprintf("security definition %s type: %s -> %s", s, c.Before, c.After)
	case SecurityFlowChanged:
		return fmt.Sprintf("security definition %s OAuth flow: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case SecurityAPIKeyChanged:
		return fmt.Sprintf("security definition %s API key: %s -> %s", s, c.Before, c.After)
	case SecurityScopesChanged:
		return fmt.Sprintf("security definition %s scopes: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case SecurityURLChanged:
		return fmt.Sprintf("security definition %s: %s -> %s", s, orNone(c.Before), orNone(c.After))
	case SecurityRequirementChanged:
		return fmt.Sprintf("security requirement: %s -> %s", orNone(c.Before), orNone(c.After))
	}
	return fmt.Sprintf("%s %s: %s -> %s", c.Kind, s, orNone(c.Before), orNone(c.After))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// shortList joins values for a message; the complete lists stay in Facts.
func shortList(v []string) string {
	const show = 10
	if len(v) > show {
		return fmt.Sprintf("%s and %d more", strings.Join(v[:show], ", "), len(v)-show)
	}
	return strings.Join(v, ", ")
}

// details renders Details after a message, shortened to a few entries.
func details(d []string) string {
	if len(d) == 0 {
		return ""
	}
	const show = 4
	if len(d) > show {
		return fmt.Sprintf(": %s; and %d more", strings.Join(d[:show], "; "), len(d)-show)
	}
	return ": " + strings.Join(d, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

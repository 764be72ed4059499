package diff

import (
	"fmt"
	"strings"
)

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

package diff

import (
	"strconv"
	"strings"
	"unicode"
)

// Kind names what changed, without judging it. The breaking package maps
// kinds (plus the facts a change carries) to rules; a kind is not a rule,
// and is not spelled like one.
type Kind uint8

// The kinds of change the comparison reports.
const (
	OperationRemoved Kind = iota + 1
	OperationAdded
	OperationIDChanged
	OperationPathChanged
	OperationMethodChanged
	OperationDeprecatedChanged
	OperationVisibilityChanged
	TriggerChanged
	PageableChanged
	ConsumesChanged

	ParameterRemoved
	ParameterAdded
	ParameterRenamed
	ParameterLocationChanged
	ParameterRequiredChanged
	CollectionFormatChanged
	URLEncodingChanged
	VisibilityChanged
	DynamicChanged
	DynamicTargetRemoved
	TypeChanged
	FormatChanged
	EnumChanged
	DefaultChanged
	PropertyRemoved
	PropertyAdded
	PropertyRequiredChanged
	SchemaRestructured
	ResponseRemoved
	ResponseAdded
	ResponseSchemaRemoved
	ResponseHeaderRemoved
	HostChanged
	BasePathChanged
	SchemesChanged
	SecurityDefinitionRemoved
	SecurityDefinitionAdded
	SecurityDefinitionRenamed
	SecurityTypeChanged
	SecurityFlowChanged
	SecurityAPIKeyChanged
	SecurityScopesChanged
	SecurityURLChanged
	SecurityRequirementChanged

	TriggerMechanismChanged
	TriggerHintChanged
	CapabilitiesChanged
	FamilyCrowded
	RevisionRepeated
	VersionReplacesOriginal
	ConstraintChanged
	ReadOnlyChanged
	DiscriminatorChanged
	AdditionalPropertiesRemoved
	ProducesChanged
	PropertyBecameParameter

	// apiProperties.json and script.csx.
	ConnectionParameterRemoved
	ConnectionParameterAdded
	ConnectionParameterTypeChanged
	ConnectionParameterRequiredChanged
	ConnectionParameterChanged
	ConnectionParameterValuesRemoved
	OAuthSettingsChanged
	ConnectionParameterSetsChanged
	ConnectionParameterRenamed
	ConnectionParameterSetRemoved
	ConnectionParameterSetAdded
	PolicyTemplateChanged
	ScriptOperationsChanged
	BrandingChanged
	ScriptChanged

	// Whole connectors, when a repository's revisions are compared.
	ConnectorAppeared
	ConnectorDisappeared

	numKinds // one past the last kind
)

// kindNames are the kinds as Go spells them.
var kindNames = [numKinds]string{
	OperationRemoved:                   "OperationRemoved",
	OperationAdded:                     "OperationAdded",
	OperationIDChanged:                 "OperationIDChanged",
	OperationPathChanged:               "OperationPathChanged",
	OperationMethodChanged:             "OperationMethodChanged",
	OperationDeprecatedChanged:         "OperationDeprecatedChanged",
	OperationVisibilityChanged:         "OperationVisibilityChanged",
	TriggerChanged:                     "TriggerChanged",
	PageableChanged:                    "PageableChanged",
	ConsumesChanged:                    "ConsumesChanged",
	ParameterRemoved:                   "ParameterRemoved",
	ParameterAdded:                     "ParameterAdded",
	ParameterRenamed:                   "ParameterRenamed",
	ParameterLocationChanged:           "ParameterLocationChanged",
	ParameterRequiredChanged:           "ParameterRequiredChanged",
	CollectionFormatChanged:            "CollectionFormatChanged",
	URLEncodingChanged:                 "URLEncodingChanged",
	VisibilityChanged:                  "VisibilityChanged",
	DynamicChanged:                     "DynamicChanged",
	DynamicTargetRemoved:               "DynamicTargetRemoved",
	TypeChanged:                        "TypeChanged",
	FormatChanged:                      "FormatChanged",
	EnumChanged:                        "EnumChanged",
	DefaultChanged:                     "DefaultChanged",
	PropertyRemoved:                    "PropertyRemoved",
	PropertyAdded:                      "PropertyAdded",
	PropertyRequiredChanged:            "PropertyRequiredChanged",
	SchemaRestructured:                 "SchemaRestructured",
	ResponseRemoved:                    "ResponseRemoved",
	ResponseAdded:                      "ResponseAdded",
	ResponseSchemaRemoved:              "ResponseSchemaRemoved",
	ResponseHeaderRemoved:              "ResponseHeaderRemoved",
	HostChanged:                        "HostChanged",
	BasePathChanged:                    "BasePathChanged",
	SchemesChanged:                     "SchemesChanged",
	SecurityDefinitionRemoved:          "SecurityDefinitionRemoved",
	SecurityDefinitionAdded:            "SecurityDefinitionAdded",
	SecurityDefinitionRenamed:          "SecurityDefinitionRenamed",
	SecurityTypeChanged:                "SecurityTypeChanged",
	SecurityFlowChanged:                "SecurityFlowChanged",
	SecurityAPIKeyChanged:              "SecurityAPIKeyChanged",
	SecurityScopesChanged:              "SecurityScopesChanged",
	SecurityURLChanged:                 "SecurityURLChanged",
	SecurityRequirementChanged:         "SecurityRequirementChanged",
	TriggerMechanismChanged:            "TriggerMechanismChanged",
	TriggerHintChanged:                 "TriggerHintChanged",
	CapabilitiesChanged:                "CapabilitiesChanged",
	FamilyCrowded:                      "FamilyCrowded",
	RevisionRepeated:                   "RevisionRepeated",
	VersionReplacesOriginal:            "VersionReplacesOriginal",
	ConstraintChanged:                  "ConstraintChanged",
	ReadOnlyChanged:                    "ReadOnlyChanged",
	DiscriminatorChanged:               "DiscriminatorChanged",
	AdditionalPropertiesRemoved:        "AdditionalPropertiesRemoved",
	ProducesChanged:                    "ProducesChanged",
	PropertyBecameParameter:            "PropertyBecameParameter",
	ConnectionParameterRemoved:         "ConnectionParameterRemoved",
	ConnectionParameterAdded:           "ConnectionParameterAdded",
	ConnectionParameterTypeChanged:     "ConnectionParameterTypeChanged",
	ConnectionParameterRequiredChanged: "ConnectionParameterRequiredChanged",
	ConnectionParameterChanged:         "ConnectionParameterChanged",
	ConnectionParameterValuesRemoved:   "ConnectionParameterValuesRemoved",
	OAuthSettingsChanged:               "OAuthSettingsChanged",
	ConnectionParameterSetsChanged:     "ConnectionParameterSetsChanged",
	ConnectionParameterRenamed:         "ConnectionParameterRenamed",
	ConnectionParameterSetRemoved:      "ConnectionParameterSetRemoved",
	ConnectionParameterSetAdded:        "ConnectionParameterSetAdded",
	PolicyTemplateChanged:              "PolicyTemplateChanged",
	ScriptOperationsChanged:            "ScriptOperationsChanged",
	BrandingChanged:                    "BrandingChanged",
	ScriptChanged:                      "ScriptChanged",
	ConnectorAppeared:                  "ConnectorAppeared",
	ConnectorDisappeared:               "ConnectorDisappeared",
}

// String returns the kind's Go name, such as "OperationRemoved".
func (k Kind) String() string {
	if k > 0 && k < numKinds {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// hyphenated returns the kind's name in lower-case words joined by hyphens
// (OperationRemoved is operation-removed, SecurityAPIKeyChanged is
// security-apikey-changed), as the message of
// ErrTooManyChanges has always named the last change: that message keeps
// its words.
func (k Kind) hyphenated() string {
	name := k.String()
	var b strings.Builder
	for i, r := range name {
		// A word starts at an upper-case letter after a lower-case one, or
		// at the last of a run of upper-case letters followed by a lower-case
		// one (the "K" of "APIKey").
		if i > 0 && unicode.IsUpper(r) {
			prev := rune(name[i-1])
			next := rune(0)
			if i+1 < len(name) {
				next = rune(name[i+1])
			}
			if unicode.IsLower(prev) || unicode.IsUpper(prev) && unicode.IsLower(next) {
				b.WriteByte('-')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return oneWord.Replace(b.String())
}

// oneWord joins the names the old spelling wrote as one word.
var oneWord = strings.NewReplacer("o-auth", "oauth", "api-key", "apikey")

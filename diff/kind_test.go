package diff

import (
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
)

// oldSpelling is how each kind was spelled when kinds were strings: the
// message of ErrTooManyChanges still names the last change so.
var oldSpelling = map[Kind]string{
	OperationRemoved:                   "operation-removed",
	OperationAdded:                     "operation-added",
	OperationIDChanged:                 "operation-id-changed",
	OperationPathChanged:               "operation-path-changed",
	OperationMethodChanged:             "operation-method-changed",
	OperationDeprecatedChanged:         "operation-deprecated-changed",
	OperationVisibilityChanged:         "operation-visibility-changed",
	TriggerChanged:                     "trigger-changed",
	PageableChanged:                    "pageable-changed",
	ConsumesChanged:                    "consumes-changed",
	ParameterRemoved:                   "parameter-removed",
	ParameterAdded:                     "parameter-added",
	ParameterRenamed:                   "parameter-renamed",
	ParameterLocationChanged:           "parameter-location-changed",
	ParameterRequiredChanged:           "parameter-required-changed",
	CollectionFormatChanged:            "collection-format-changed",
	URLEncodingChanged:                 "url-encoding-changed",
	VisibilityChanged:                  "visibility-changed",
	DynamicChanged:                     "dynamic-changed",
	DynamicTargetRemoved:               "dynamic-target-removed",
	TypeChanged:                        "type-changed",
	FormatChanged:                      "format-changed",
	EnumChanged:                        "enum-changed",
	DefaultChanged:                     "default-changed",
	PropertyRemoved:                    "property-removed",
	PropertyAdded:                      "property-added",
	PropertyRequiredChanged:            "property-required-changed",
	SchemaRestructured:                 "schema-restructured",
	ResponseRemoved:                    "response-removed",
	ResponseAdded:                      "response-added",
	ResponseSchemaRemoved:              "response-schema-removed",
	ResponseHeaderRemoved:              "response-header-removed",
	HostChanged:                        "host-changed",
	BasePathChanged:                    "base-path-changed",
	SchemesChanged:                     "schemes-changed",
	SecurityDefinitionRemoved:          "security-definition-removed",
	SecurityDefinitionAdded:            "security-definition-added",
	SecurityDefinitionRenamed:          "security-definition-renamed",
	SecurityTypeChanged:                "security-type-changed",
	SecurityFlowChanged:                "security-flow-changed",
	SecurityAPIKeyChanged:              "security-apikey-changed",
	SecurityScopesChanged:              "security-scopes-changed",
	SecurityURLChanged:                 "security-url-changed",
	SecurityRequirementChanged:         "security-requirement-changed",
	TriggerMechanismChanged:            "trigger-mechanism-changed",
	TriggerHintChanged:                 "trigger-hint-changed",
	CapabilitiesChanged:                "capabilities-changed",
	FamilyCrowded:                      "family-crowded",
	RevisionRepeated:                   "revision-repeated",
	VersionReplacesOriginal:            "version-replaces-original",
	ConstraintChanged:                  "constraint-changed",
	ReadOnlyChanged:                    "read-only-changed",
	DiscriminatorChanged:               "discriminator-changed",
	AdditionalPropertiesRemoved:        "additional-properties-removed",
	ProducesChanged:                    "produces-changed",
	PropertyBecameParameter:            "property-became-parameter",
	ConnectionParameterRemoved:         "connection-parameter-removed",
	ConnectionParameterAdded:           "connection-parameter-added",
	ConnectionParameterTypeChanged:     "connection-parameter-type-changed",
	ConnectionParameterRequiredChanged: "connection-parameter-required-changed",
	ConnectionParameterChanged:         "connection-parameter-changed",
	ConnectionParameterValuesRemoved:   "connection-parameter-values-removed",
	OAuthSettingsChanged:               "oauth-settings-changed",
	ConnectionParameterSetsChanged:     "connection-parameter-sets-changed",
	ConnectionParameterRenamed:         "connection-parameter-renamed",
	ConnectionParameterSetRemoved:      "connection-parameter-set-removed",
	ConnectionParameterSetAdded:        "connection-parameter-set-added",
	PolicyTemplateChanged:              "policy-template-changed",
	ScriptOperationsChanged:            "script-operations-changed",
	BrandingChanged:                    "branding-changed",
	ScriptChanged:                      "script-changed",
	ConnectorAppeared:                  "connector-appeared",
	ConnectorDisappeared:               "connector-disappeared",
}

func TestKindNames(t *testing.T) {
	seen := map[string]bool{}
	for k := Kind(1); k < numKinds; k++ {
		name := k.String()
		assert.True(t, token.IsExported(name) && token.IsIdentifier(name), "kind %d is named %q", k, name)
		assert.False(t, seen[name], "%s named twice", name)
		seen[name] = true
		assert.Equal(t, oldSpelling[k], k.hyphenated(), "%s", name)
	}
	assert.Len(t, oldSpelling, int(numKinds)-1, "every kind has its old spelling")
	assert.Equal(t, "Kind(0)", Kind(0).String())
	assert.Equal(t, "Kind(200)", Kind(200).String())
}

package connectortest

import (
	"testing"

	"github.com/connectordiff/connectordiff/connectordifftest"
)

const published = "testdata/published/apiDefinition.swagger.json"

// The update adds an optional parameter and an operation: nothing a saved
// flow uses changes.
func TestUpdateKeepsFlowsWorking(t *testing.T) {
	connectordifftest.AssertCompatible(t, published, "apiDefinition.swagger.json")
}

// A planned major update names the breaking changes it makes on purpose;
// any other one fails the test.
func TestPlannedBreakingChanges(t *testing.T) {
	connectordifftest.AssertFindings(t, "../../testdata/example/old.json", "../../testdata/example/new.json",
		[]string{"operation-id-changed", "parameter-enum-narrowed", "response-property-removed", "request-body-required-added"})
}

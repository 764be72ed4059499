// Package connectordifftest checks connector updates from Go tests, in the
// spirit of net/http/httptest: one line makes a test fail when an update of
// apiDefinition.swagger.json would break existing flows. It sits above the
// library's API, beside the facade it calls.
//
//	func TestUpdateKeepsFlowsWorking(t *testing.T) {
//		connectordifftest.AssertCompatible(t, "testdata/published/apiDefinition.swagger.json", "apiDefinition.swagger.json")
//	}
//
// A failure prints one line per breaking finding, as file:line:column: rule:
// message [operations]. The helpers take a TB, the two methods of
// *testing.T they need, so they work with plain testing, testify suites
// and fakes alike.
package connectordifftest

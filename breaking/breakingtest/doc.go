// Package breakingtest checks connector updates from Go tests, in the spirit
// of net/http/httptest: one line makes a test fail when an update of
// apiDefinition.swagger.json would break existing flows.
//
//	func TestUpdateKeepsFlowsWorking(t *testing.T) {
//		breakingtest.AssertCompatible(t, "testdata/published/apiDefinition.swagger.json", "apiDefinition.swagger.json")
//	}
//
// A failure prints one line per breaking finding, as file:line:column: rule:
// message [operations]. The helpers take a TB, the two methods of
// *testing.T they need, so they work with plain testing, testify suites
// and fakes alike.
package breakingtest

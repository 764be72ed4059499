// Package connectortest shows how a connector repository tests its own
// updates with connectordifftest: the definition being edited,
// apiDefinition.swagger.json, against the published one kept in
// testdata/published (in a real repository, a copy taken from the last
// release, or from the main branch by the CI job).
package connectortest

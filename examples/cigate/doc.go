// Command cigate is a CI gate for a connector repository: it fails the job
// when an update breaks existing flows, annotates the changed file on the
// platform it runs on (GitHub Actions or Azure Pipelines, else plain text),
// and leaves a SARIF file for code scanning.
//
//	go run ./examples/cigate base/apiDefinition.swagger.json apiDefinition.swagger.json
//
// Exit status: 0 compatible, 1 breaking, 2 unreadable input.
package main

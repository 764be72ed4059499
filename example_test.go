package connectordiff_test

import (
	"context"
	"fmt"
	"os"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/report"
)

// Compare an update of a connector and list what breaks existing flows.
func Example() {
	old, _ := os.ReadFile("testdata/example/old.json")
	new, _ := os.ReadFile("testdata/example/new.json")
	res, err := connectordiff.Compare(context.Background(), old, new)
	if err != nil {
		fmt.Println(err) // unreadable input, located as file:line:column
		return
	}
	for _, f := range res.Findings() {
		if f.Level == breaking.Breaking {
			fmt.Printf("%s %s: %s\n", f.Operation, f.Rule, report.Message(f))
		}
	}
	fmt.Println("breaking:", res.Max() >= breaking.Breaking)
	// Output:
	// ListTasks parameter-enum-narrowed: enum of parameter status (query): values removed: "archived"
	// ListTasks response-property-removed: property response 200/items/assignee removed
	// CreateTask request-body-required-added: required property body/projectId added
	// GetTask operation-id-changed: operationId GetTask changed to GetTaskById (GET /tasks/{taskId})
	// breaking: true
}

// Lower a rule for users who only run Power Automate, which stores the
// operationId and not the path.
func ExampleWithLevel() {
	old := []byte(`{"swagger": "2.0", "info": {"title": "T", "version": "1"},
	  "paths": {"/items": {"get": {"operationId": "GetItems", "responses": {"200": {"description": "ok"}}}}}}`)
	new := []byte(`{"swagger": "2.0", "info": {"title": "T", "version": "1"},
	  "paths": {"/v2/items": {"get": {"operationId": "GetItems", "responses": {"200": {"description": "ok"}}}}}}`)
	res, _ := connectordiff.Compare(context.Background(), old, new,
		connectordiff.WithLevel("operation-path-changed", breaking.Warning))
	for _, f := range res.Findings() {
		fmt.Println(f.Level, f.Rule, f.Operation)
	}
	// Output:
	// warning operation-path-changed GetItems
}

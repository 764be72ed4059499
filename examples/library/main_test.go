package main

import "fmt"

// run prints the text report and says whether the update breaks flows.
func Example() {
	code := run("../../testdata/example/old.json", "../../testdata/example/new.json")
	fmt.Println("exit status", code)
	// Output:
	// ../../testdata/example/old.json (Contoso Tasks 1.0, 4 operations) -> ../../testdata/example/new.json (Contoso Tasks 1.1, 4 operations)
	//
	// ListTasks
	//   BREAKING  parameter-enum-narrowed      19:71 → 19:71  enum of parameter status (query): values removed: "archived"
	//             how to avoid: Keep the old values (mark them deprecated in the description) and map them in the backend; offer choices for a free input through x-ms-dynamic-values instead of an enum.
	//   BREAKING  response-property-removed    72:9 → 71:21   property response 200/items/assignee removed [also CreateTask]
	//             how to avoid: Keep the property (it can be x-ms-visibility: advanced), and add the new shape beside it or in a new operation.
	//
	// CreateTask
	//   BREAKING  request-body-required-added  - → 65:9       required property body/projectId added
	//             how to avoid: Make the property optional, or give it a default.
	//
	// GetTask
	//   BREAKING  operation-id-changed         38:14 → 39:14  operationId GetTask changed to GetTaskById (GET /tasks/{taskId})
	//             how to avoid: Restore the old operationId. If the new name is needed, add a second operation (a new path or a family revision) and deprecate the old one.
	//
	// Connector-wide
	//   WARNING   oauth-scopes-changed         83:17 → 85:17  security definition oauth2-auth scopes: tasks.read tasks.write -> tasks.read tasks.write projects.read
	//             how to avoid: Tell users to re-consent, or request the new scopes only where needed.
	//
	// BREAKING: existing flows or apps will break (4 breaking, 1 warning, 2 info; --verbose lists info)
	// exit status 1
}

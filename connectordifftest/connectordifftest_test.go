package connectordifftest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connectordifftest"
)

const (
	exampleOld = "../testdata/example/old.json"
	exampleNew = "../testdata/example/new.json"
)

// fakeT records what a helper reports instead of failing the test.
type fakeT struct {
	helper int
	errors []string
}

func (f *fakeT) Helper() { f.helper++ }
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func TestAssertCompatibleReportsEachBreakingFinding(t *testing.T) {
	ft := &fakeT{}
	assert.False(t, connectordifftest.AssertCompatible(ft, exampleOld, exampleNew))
	assert.Equal(t, []string{
		exampleNew + `:19:71: parameter-enum-narrowed: enum of parameter status (query): values removed: "archived" [ListTasks]`,
		exampleOld + `:72:9: response-property-removed: property response 200/items/assignee removed [ListTasks, CreateTask]`,
		exampleNew + `:65:9: request-body-required-added: required property body/projectId added [CreateTask]`,
		exampleNew + `:39:14: operation-id-changed: operationId GetTask changed to GetTaskById (GET /tasks/{taskId}) [GetTask]`,
	}, ft.errors, "one line per breaking finding; the warning is not one")
	assert.Positive(t, ft.helper, "failures point at the caller")
}

func TestAssertCompatiblePasses(t *testing.T) {
	ft := &fakeT{}
	assert.True(t, connectordifftest.AssertCompatible(ft, exampleOld, exampleOld))
	assert.Empty(t, ft.errors)

	// Options apply: with every breaking rule of the example lowered, it passes.
	ft = &fakeT{}
	var opts []connectordiff.Option
	for _, id := range []string{"parameter-enum-narrowed", "response-property-removed", "request-body-required-added", "operation-id-changed"} {
		opts = append(opts, connectordiff.WithLevel(id, breaking.Warning))
	}
	assert.True(t, connectordifftest.AssertCompatible(ft, exampleOld, exampleNew, opts...))
	assert.Empty(t, ft.errors)
}

func TestAssertCompatibleReportsUnreadableInput(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("{\n  \"swagger\": \"2.0\"\n  \"info\": {}\n}\n"), 0o600))
	ft := &fakeT{}
	assert.False(t, connectordifftest.AssertCompatible(ft, exampleOld, bad))
	require.Len(t, ft.errors, 1)
	assert.Contains(t, ft.errors[0], bad+":3:3:")
}

func TestAssertFindings(t *testing.T) {
	all := []string{"parameter-enum-narrowed", "response-property-removed", "request-body-required-added", "operation-id-changed"}
	t.Run("exactly as expected", func(t *testing.T) {
		ft := &fakeT{}
		assert.True(t, connectordifftest.AssertFindings(ft, exampleOld, exampleNew, append(all, "oauth-scopes-changed")))
		assert.Empty(t, ft.errors)
	})
	t.Run("options apply to the comparison", func(t *testing.T) {
		ft := &fakeT{}
		// With the enum rule off, the finding the test expects is gone.
		assert.False(t, connectordifftest.AssertFindings(ft, exampleOld, exampleNew, all,
			connectordiff.WithLevel("parameter-enum-narrowed", breaking.Off)))
		assert.Equal(t, []string{`connectordifftest: expected a finding of rule parameter-enum-narrowed in ` + exampleOld + ` -> ` +
			exampleNew + `, found none`}, ft.errors)
	})
	t.Run("unexpected and missing", func(t *testing.T) {
		ft := &fakeT{}
		assert.False(t, connectordifftest.AssertFindings(ft, exampleOld, exampleNew, append(all[1:], "operation-removed", "no-such-rule")))
		assert.Equal(t, []string{
			`connectordifftest: expected a finding of rule operation-removed in ` + exampleOld + ` -> ` + exampleNew + `, found none`,
			`connectordifftest: unknown rule id "no-such-rule" (see ` + "`connectordiff rules`" + `)`,
			exampleNew + `:19:71: parameter-enum-narrowed: enum of parameter status (query): values removed: "archived" [ListTasks] (unexpected)`,
		}, ft.errors)
	})
}

// The helpers take *testing.T itself.
func TestWithARealT(t *testing.T) {
	connectordifftest.AssertCompatible(t, exampleOld, exampleOld)
	connectordifftest.AssertFindings(t, exampleOld, exampleNew,
		[]string{"parameter-enum-narrowed", "response-property-removed", "request-body-required-added", "operation-id-changed"})
}

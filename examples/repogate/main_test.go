package main

import (
	"bytes"
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/connectordiff/connectordiff/internal/escape/escapetest"
	"github.com/connectordiff/connectordiff/internal/gittest"
)

func TestGate(t *testing.T) {
	r := gittest.New(t)
	r.CopyFolder("../../testdata/connector/old", "connectors/contoso")
	r.Commit(time.Time{}, "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.Write("connectors/contoso/apiDefinition.swagger.json", `{"swagger": "2.0", "info": {"title": "Contoso Tasks", "version": "2.0"}, "paths": {}}`)
	r.Commit(time.Time{}, "remove every operation")

	var out, errOut bytes.Buffer
	code := gate(context.Background(), &out, &errOut, r.Dir, "main", "feature")
	assert.Equal(t, 1, code, errOut.String())
	assert.Contains(t, out.String(), "connectors/contoso changed breaking\n")
	assert.Contains(t, out.String(), "\n  operation-removed: operation ListTasks (GET /tasks) removed\n")

	out.Reset()
	assert.Equal(t, 0, gate(context.Background(), &out, &errOut, r.Dir, "main", "main"))
	assert.Empty(t, out.String(), "nothing changed")
	assert.Equal(t, 2, gate(context.Background(), &out, &errOut, t.TempDir(), "main", "HEAD"))
}

// A pull request names a connector's folder and operation to write commands
// into the CI log; the gate's lines show them escaped.
func TestGateEscapesNames(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("folder names with line breaks")
	}
	const folder = "connectors/x\n::error title=INJECTED::owned\n##vso[task.prependpath]evil\nz"
	r := gittest.New(t)
	r.Write(folder+"/apiDefinition.swagger.json", `{"swagger": "2.0", "info": {"title": "T", "version": "1.0"}, "paths": {"/a": {"get": {`+
		`"operationId": "##vso[task.setvariable variable=X]1", "responses": {"200": {"description": "ok"}}}}}}`)
	r.Commit(time.Time{}, "base")
	r.Git(time.Time{}, "checkout", "-q", "-b", "feature")
	r.Write(folder+"/apiDefinition.swagger.json", `{"swagger": "2.0", "info": {"title": "T", "version": "2.0"}, "paths": {}}`)
	r.Commit(time.Time{}, "remove the operation")

	var out, errOut bytes.Buffer
	assert.Equal(t, 1, gate(context.Background(), &out, &errOut, r.Dir, "main", "feature"), errOut.String())
	assert.Equal(t, `connectors/x\n::error title=INJECTED::owned\n\x23#vso[task.prependpath]evil\nz changed breaking`+"\n"+
		`  operation-removed: operation \x23#vso[task.setvariable variable=X]1 (GET /a) removed`+"\n", out.String())
	for _, line := range escapetest.Lines(out.String()) {
		assert.Empty(t, escapetest.Commands(line), "%q", line)
	}
}

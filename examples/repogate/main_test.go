package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

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

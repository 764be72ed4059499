package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
)

func TestWriteComment(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, writeComment(context.Background(), &buf, "../../testdata/example/old.json", "../../testdata/example/new.json"))
	comment := buf.String()
	assert.True(t, strings.HasPrefix(comment, marker+"## ❌ connectordiff: BREAKING, existing flows or apps will break\n"), comment)
	assert.Contains(t, comment, "[operation-id-changed]("+connectordiff.RulesURL()+"#operation-id-changed)")
	assert.True(t, strings.HasPrefix(connectordiff.RulesURL(), "https://"), "a comment on another repository needs absolute links")
	assert.Contains(t, comment, "| 4 | 1 | 2 |")
	assert.Less(t, len(comment), 65000)
}

func TestWriteCommentReportsUnreadableInput(t *testing.T) {
	err := writeComment(context.Background(), &bytes.Buffer{}, "../../testdata/example/old.json", "missing.json")
	assert.ErrorContains(t, err, "missing.json")
}

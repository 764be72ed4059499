package connectordiff_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/corpus"
	"github.com/connectordiff/connectordiff/report"
)

// corpusPair returns the corpus pair named name, or skips.
func corpusPair(t *testing.T, name string) corpus.Pair {
	t.Helper()
	for _, p := range corpus.Pairs(t) {
		if p.Name == name {
			return p
		}
	}
	t.Skipf("corpus pair %s not found", name)
	return corpus.Pair{}
}

// mavim-improve b3cdb3c659..dfcf823859 cut back 10 body schemas (144
// body-property removals when each was a finding): each schema lost is one
// finding per schema and operation, which names what it lost, and the
// findings, ungrouped, are every removal there was.
func TestCorpusCutBackIsOneFindingPerSchema(t *testing.T) {
	p := corpusPair(t, "certified--mavim-improve/b3cdb3c659..dfcf823859")
	res, err := connectordiff.CompareDirs(context.Background(), filepath.Join(p.Dir, "old"), filepath.Join(p.Dir, "new"))
	require.NoError(t, err)
	var grouped, removals []breaking.Finding
	for _, f := range res.Findings() {
		if f.Rule == breaking.RequestBodyPropertyRemoved {
			grouped = append(grouped, f)
		}
	}
	removals = breaking.Ungrouped(grouped)
	assert.Len(t, removals, 144, "every removal is in a group")
	assert.Len(t, grouped, 13, "one finding per schema and operation: 13 operations lost body properties")
	for _, f := range grouped {
		if len(f.Parts) == 0 {
			continue
		}
		msg := report.Message(f)
		assert.Contains(t, msg, "properties removed from "+f.Subject+": ", msg)
		assert.Len(t, f.Details, len(f.Parts))
	}
}

// encodian d0ee210b71..d707a4cd8e renamed "pdfPrivilegesAllowModifyAnnotations "
// without its trailing space: the message shows the space.
func TestCorpusStraySpaceIsQuoted(t *testing.T) {
	p := corpusPair(t, "certified--encodian/d0ee210b71..d707a4cd8e")
	res, err := connectordiff.CompareDirs(context.Background(), filepath.Join(p.Dir, "old"), filepath.Join(p.Dir, "new"))
	require.NoError(t, err)
	var said []string
	for _, f := range res.Findings() {
		if m := report.Message(f); strings.Contains(m, "pdfPrivilegesAllowModifyAnnotations") {
			said = append(said, m)
		}
	}
	require.NotEmpty(t, said)
	assert.Contains(t, strings.Join(said, "\n"), `"pdfPrivilegesAllowModifyAnnotations " renamed to pdfPrivilegesAllowModifyAnnotations`)
}

package connectordiff_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/report"
)

// connectorFiles reads testdata/connector/<side> into memory.
func connectorFiles(t *testing.T, side string) connectordiff.ConnectorFiles {
	t.Helper()
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "connector", side, name))
		require.NoError(t, err)
		return data
	}
	return connectordiff.ConnectorFiles{Definition: read(connector.DefinitionFile), Properties: read(connector.PropertiesFile),
		Script: read(connector.ScriptFile)}
}

// rulesOf lists each finding as "rule level".
func rulesOf(res *breaking.Result) []string {
	var out []string
	for _, f := range res.Findings() {
		out = append(out, f.Rule+" "+f.Level.String())
	}
	return out
}

// Whole connectors compare the same from folders, from memory and from any
// fs.FS; no temporary folder is needed.
func TestCompareConnectorsFromMemoryAndFS(t *testing.T) {
	ctx := context.Background()
	fromDisk, err := connectordiff.CompareDirs(ctx, "testdata/connector/old", "testdata/connector/new")
	require.NoError(t, err)
	old, new := connectorFiles(t, "old"), connectorFiles(t, "new")
	fromMemory, err := connectordiff.CompareConnectors(ctx, old, new, connectordiff.WithNames("old", "new"))
	require.NoError(t, err)
	assert.Equal(t, rulesOf(fromDisk), rulesOf(fromMemory))
	assert.Contains(t, rulesOf(fromMemory), "connection-parameter-required-added breaking")
	assert.Contains(t, rulesOf(fromMemory), "script-changed warning")

	fsys := fstest.MapFS{
		"v1/apiDefinition.swagger.json": {Data: old.Definition},
		"v1/apiProperties.json":         {Data: old.Properties},
		"v1/script.csx":                 {Data: old.Script},
		"v2/ApiDefinition.Swagger.json": {Data: new.Definition}, // case differs, as in Windows checkouts
		"v2/apiProperties.json":         {Data: new.Properties},
		"v2/script.csx":                 {Data: new.Script},
	}
	fromFS, err := connectordiff.CompareFS(ctx, fsys, "v1", fsys, "v2")
	require.NoError(t, err)
	assert.Equal(t, rulesOf(fromDisk), rulesOf(fromFS))
	assert.Equal(t, "v1", fromFS.Connectors[0].Old.File)
	assert.True(t, fromFS.Connectors[0].New.Folder)
	def, ok := fromFS.Connectors[0].New.Source("")
	require.True(t, ok)
	assert.Equal(t, "ApiDefinition.Swagger.json", def.Name, "the file as the folder names it")
	props, ok := fromFS.Connectors[0].New.Source("APIPROPERTIES.JSON")
	require.True(t, ok)
	assert.Equal(t, string(new.Properties), props.Text)

	// A single definition from an fs.FS.
	single, err := connectordiff.CompareFS(ctx, fsys, "v1/apiDefinition.swagger.json", fsys, "v2/ApiDefinition.Swagger.json")
	require.NoError(t, err)
	assert.False(t, single.Connectors[0].Old.Folder)
	assert.Equal(t, []string{"ListTasks", "CreateTask", "GetTask", "DeleteTask"}, single.Connectors[0].Old.OperationIDs)

	_, err = connectordiff.CompareFS(ctx, fsys, "v1", fsys, "v2/script.csx")
	assert.ErrorContains(t, err, "not a file and a folder")
	_, err = connectordiff.CompareFS(ctx, fsys, "v1", fsys, "v3")
	assert.ErrorContains(t, err, "v3: file does not exist")
}

func TestResultFilters(t *testing.T) {
	ctx := context.Background()
	res, err := connectordiff.CompareFiles(ctx, "testdata/example/old.json", "testdata/example/new.json")
	require.NoError(t, err)
	assert.Len(t, res.Breaking(), res.Summary.Breaking)
	assert.Len(t, res.AtLeast(breaking.Warning), res.Summary.Breaking+res.Summary.Warning)
	assert.Len(t, res.AtLeast(breaking.Info), len(res.Findings()))
	for _, f := range res.Breaking() {
		assert.Equal(t, breaking.Breaking, f.Level)
	}
	assert.True(t, res.Fails(breaking.Breaking))
	assert.True(t, res.Fails(breaking.Info))
	assert.False(t, res.Fails(breaking.Never))
	assert.True(t, res.Fails(breaking.Off), "the zero threshold is the default, breaking")

	same, err := connectordiff.CompareFiles(ctx, "testdata/example/old.json", "testdata/example/old.json")
	require.NoError(t, err)
	assert.Empty(t, same.Breaking())
	assert.False(t, same.Fails(breaking.Info))
	assert.False(t, same.Fails(breaking.Off))
	src, ok := same.Connectors[0].Old.Source("")
	require.True(t, ok)
	assert.Equal(t, "old.json", src.Name)
}

// A connector folder never reads through a symbolic link that leaves it.
func TestFolderSymlinkOutsideIsRefused(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.json")
	require.NoError(t, os.WriteFile(outside, []byte(`{"properties": {}}`), 0o600))
	dir := t.TempDir()
	for _, side := range []string{"old", "new"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, side), 0o755))
		data, err := os.ReadFile("testdata/example/old.json")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, side, connector.DefinitionFile), data, 0o644))
	}
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "new", connector.PropertiesFile)))
	_, err := connectordiff.CompareDirs(context.Background(), filepath.Join(dir, "old"), filepath.Join(dir, "new"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "apiProperties.json")
	assert.Contains(t, err.Error(), "escapes")
}

// One option family serves every entry point; an option that only one of
// them takes is an error elsewhere, not silently ignored.
func TestOptionOfAnotherEntryPointIsAnError(t *testing.T) {
	ctx := context.Background()
	old, err := os.ReadFile("testdata/example/old.json")
	require.NoError(t, err)
	_, err = connectordiff.Compare(ctx, old, old, connectordiff.Staged())
	assert.ErrorContains(t, err, "Staged is an option of CompareRevisions only")
	_, err = connectordiff.CompareFiles(ctx, "testdata/example/old.json", "testdata/example/old.json", connectordiff.FixOnly("operation-removed"))
	assert.ErrorContains(t, err, "FixOnly is an option of Fix only")
	_, err = connectordiff.Fix(ctx, old, old, connectordiff.DeprecationDays(10))
	assert.ErrorContains(t, err, "DeprecationDays is an option of CompareRevisions only")
	_, err = connectordiff.CompareRevisions(ctx, t.TempDir(), "main", "", connectordiff.FixHide("advanced"))
	assert.ErrorContains(t, err, "FixHide is an option of Fix only")

	// The options every entry point takes are taken by each.
	common := []connectordiff.Option{connectordiff.WithProfile(breaking.ProfilePowerApps),
		connectordiff.WithLevel("operation-removed", breaking.Warning), connectordiff.WithMaxBytes(1 << 20)}
	res, err := connectordiff.Compare(ctx, old, old, common...)
	require.NoError(t, err)
	assert.Equal(t, breaking.ProfilePowerApps, res.Profile)
	_, err = connectordiff.Fix(ctx, old, old, append(common, connectordiff.FixHide("advanced"))...)
	require.NoError(t, err)
}

// A finding's locations name the file they are in, so a position in
// apiProperties.json or script.csx cannot be read as a line of the
// definition; a pair of lone definitions leaves it empty.
func TestLocationsNameTheirFile(t *testing.T) {
	ctx := context.Background()
	res, err := connectordiff.CompareDirs(ctx, "testdata/connector/old", "testdata/connector/new")
	require.NoError(t, err)
	c := res.Connectors[0]
	files := map[string]bool{}
	for _, f := range res.Findings() {
		for _, loc := range []*connector.Location{f.Old, f.New} {
			if loc == nil {
				continue
			}
			require.NotEmpty(t, loc.File, "%s: %s", f.Rule, loc)
			assert.Equal(t, f.File, loc.File, "%s", f.Rule)
			files[loc.File] = true
		}
		if f.Rule == breaking.ConnectionParameterRequiredAdded {
			props, ok := c.New.Source(connector.PropertiesFile)
			require.True(t, ok)
			line := splitLines(props.Text)[f.New.Line-1]
			assert.Contains(t, line, `"tenant"`, "the line is apiProperties.json's")
			assert.Equal(t, "apiProperties.json:15:7", f.New.String())
			assert.Equal(t, filepath.Join("testdata", "connector", "new", "apiProperties.json"), report.Locate(&c, f).File)
		}
	}
	assert.Equal(t, map[string]bool{"apiDefinition.swagger.json": true, "apiProperties.json": true, "script.csx": true}, files)

	single, err := connectordiff.CompareFiles(ctx, "testdata/connector/old/apiDefinition.swagger.json", "testdata/connector/new/apiDefinition.swagger.json")
	require.NoError(t, err)
	for _, f := range single.Findings() {
		if f.New != nil {
			assert.Empty(t, f.New.File, "%s: a lone definition names no file", f.Rule)
			assert.NotContains(t, f.New.String(), ".json")
		}
	}
}

func splitLines(s string) []string { return strings.Split(s, "\n") }

// A threshold means the same to every entry point: the zero value is the
// default, breaking, for Result.Fails and report.Options.FailOn alike, and
// Never (the command's --fail-on off) fails nothing.
func TestZeroThresholdIsBreakingEverywhere(t *testing.T) {
	for _, level := range []breaking.Level{breaking.Warning, breaking.Breaking} {
		res := breaking.Pair(breaking.ConnectorResult{Status: breaking.StatusChanged, Findings: []breaking.Finding{
			{Rule: breaking.ParameterRemoved, Level: level, Subject: "p", Operation: "Op", Operations: []string{"Op"}}}})
		for _, threshold := range []breaking.Level{breaking.Off, breaking.Info, breaking.Warning, breaking.Breaking, breaking.Never} {
			var junit bytes.Buffer
			require.NoError(t, report.JUnit(&junit, res, report.Options{FailOn: threshold}))
			assert.Equal(t, res.Fails(threshold), strings.Contains(junit.String(), "<failure"),
				"a %s finding at threshold %s", level, threshold)
		}
		assert.Equal(t, res.Fails(breaking.Breaking), res.Fails(breaking.Off), "a %s finding", level)
		assert.False(t, res.Fails(breaking.Never))
	}
	off, err := breaking.ParseThreshold("off")
	require.NoError(t, err)
	assert.Equal(t, breaking.Never, off, "--fail-on off never fails; it is not the zero threshold")
}

// Summary prints as words, not as nested numbers.
func TestSummaryString(t *testing.T) {
	s := breaking.Summary{Counts: breaking.Counts{Breaking: 9, Warning: 1}, Certification: breaking.Counts{Breaking: 2, Warning: 3, Info: 1},
		Accepted: 2, AcceptedInChange: 1}
	assert.Equal(t, "9 breaking, 1 warning, 0 info; certification: 2 breaking, 3 warnings, 1 info; 2 accepted (1 by this change)", fmt.Sprint(s))
	assert.Equal(t, "0 breaking, 0 warnings, 0 info; certification: 0 breaking, 0 warnings, 0 info", breaking.Summary{}.String())
}

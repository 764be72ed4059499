package connectordifftest

import (
	"context"
	"slices"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/logsafe"
	"github.com/connectordiff/connectordiff/report"
)

// TB is the part of testing.TB the helpers use.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// AssertCompatible compares the definitions at oldPath and newPath and
// reports an error on t for each breaking finding, one line each. It
// returns whether the update is compatible. An unreadable definition is an
// error too.
func AssertCompatible(t TB, oldPath, newPath string, opts ...connectordiff.Option) bool {
	t.Helper()
	res, err := connectordiff.CompareFiles(context.Background(), oldPath, newPath, opts...)
	if err != nil {
		t.Errorf("connectordifftest: %s", logsafe.Line(err.Error()))
		return false
	}
	ok := true
	for i := range res.Connectors {
		c := &res.Connectors[i]
		for _, f := range c.Breaking() {
			t.Errorf("%s", report.Line(c, f))
			ok = false
		}
	}
	return ok
}

// AssertFindings checks an update whose breaking changes are intended: each
// of ruleIDs must be found (at any level), and every breaking finding must
// be of one of ruleIDs. It reports one line per missing rule and per
// unexpected breaking finding, and returns whether all was as expected.
// opts adjust the comparison, as for AssertCompatible.
func AssertFindings(t TB, oldPath, newPath string, ruleIDs []string, opts ...connectordiff.Option) bool {
	t.Helper()
	res, err := connectordiff.CompareFiles(context.Background(), oldPath, newPath, opts...)
	if err != nil {
		t.Errorf("connectordifftest: %s", logsafe.Line(err.Error()))
		return false
	}
	ok := true
	for _, id := range ruleIDs {
		if _, known := breaking.Lookup(id); !known {
			t.Errorf("connectordifftest: unknown rule id %q (see `connectordiff rules`)", id)
			ok = false
			continue
		}
		if !slices.ContainsFunc(res.Findings(), func(f breaking.Finding) bool { return f.Rule == id }) {
			t.Errorf("connectordifftest: expected a finding of rule %s in %s -> %s, found none", id, oldPath, newPath)
			ok = false
		}
	}
	for i := range res.Connectors {
		c := &res.Connectors[i]
		for _, f := range c.Breaking() {
			if !slices.Contains(ruleIDs, f.Rule) {
				t.Errorf("%s (unexpected)", report.Line(c, f))
				ok = false
			}
		}
	}
	return ok
}

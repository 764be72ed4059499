package breaking

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/connectordiff/connectordiff/connector"
)

// Versions is the info.version of the old and the new document, with where
// each is written (nil when absent), for the rules that weigh an update as a
// whole.
type Versions struct {
	Old, New     string
	OldAt, NewAt *connector.Location
	// File names the definition when a connector folder was compared (as
	// Change.File does); empty for a lone definition.
	File string
}

// versionFindings applies the version rules to the findings of an update:
// version-not-bumped when one of them that no reviewer accepted breaks and
// info.version did not change, version-decreased when it went down.
func (p *Policy) versionFindings(findings []Finding, v Versions) []Finding {
	var out []Finding
	worst := maxLevel(findings)
	order, comparable := compareVersions(v.Old, v.New)
	add := func(topic Topic) {
		v.OldAt.In(v.File) // info.version is in the definition
		v.NewAt.In(v.File)
		if f, ok := p.Finding(Finding{Topic: topic, ValuePath: "info/version", Old: v.OldAt, New: v.NewAt,
			Before: v.Old, After: v.New, File: v.File}); ok {
			out = append(out, f)
		}
	}
	switch {
	case comparable && order > 0: // old > new
		add(TopicVersionDecreased)
	case worst >= Breaking && v.New != "" && (v.Old == v.New || comparable && order == 0):
		add(TopicVersionNotBumped)
	}
	return out
}

// compareVersions orders two version strings by their numbers, -1 when a
// is lower, 1 when it is higher ("1.2.10" >
// "1.2.9", "2" == "2.0", "v1.3" > "1.2.0"). Versions without a number do not
// compare.
func compareVersions(a, b string) (order int, ok bool) {
	na, nb := versionNumbers(a), versionNumbers(b)
	if len(na) == 0 || len(nb) == 0 {
		return 0, false
	}
	for i := 0; i < max(len(na), len(nb)); i++ {
		var x, y uint64
		if i < len(na) {
			x = na[i]
		}
		if i < len(nb) {
			y = nb[i]
		}
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		}
	}
	return 0, true
}

// versionNumbers lists the numbers of a version string in order, stopping at
// a pre-release or build suffix ("1.2.0-beta.3" is 1, 2, 0).
func versionNumbers(s string) []uint64 {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "-+ "); i > 0 {
		s = s[:i]
	}
	var out []uint64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) {
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return nil
		}
		out = append(out, n)
	}
	return out
}

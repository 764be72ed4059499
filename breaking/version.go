package breaking

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
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

// Judge classifies each change, as Classify, then applies the rules that
// weigh the update as a whole: a breaking update must raise info.version
// (version-not-bumped), and no update may lower it (version-decreased).
// Updates without a breaking finding are never asked for a new version.
func (p *Policy) Judge(changes []*diff.Change, v Versions) []Finding {
	out := p.Classify(changes)
	return append(out, p.VersionFindings(out, v)...)
}

// VersionFindings applies the version rules to the findings of an update:
// version-not-bumped when one of them breaks and info.version did not
// change, version-decreased when it went down. It ignores version findings
// among them, so that findings judged again (a removal that turned out to
// be past its deprecation window) can be checked again.
func (p *Policy) VersionFindings(findings []Finding, v Versions) []Finding {
	var out []Finding
	worst := Off
	for _, f := range findings {
		if f.Rule != VersionNotBumped && f.Rule != VersionDecreased {
			worst = max(worst, f.Level)
		}
	}
	order, comparable := compareVersions(v.Old, v.New)
	add := func(id, msg string) {
		r, _ := Lookup(id)
		if level := p.levels[id]; level > Off {
			out = append(out, Finding{Rule: id, Level: level, Message: msg, ValuePath: "info/version",
				Old: v.OldAt, New: v.NewAt, Before: v.Old, After: v.New, Remediation: r.Remediation, File: v.File,
				Hosts: r.breaks(Breaking), Certification: r.Certification, ValidatorMessage: r.ValidatorMessage})
		}
	}
	switch {
	case comparable && order > 0: // old > new
		add(VersionDecreased, "info.version went down: "+v.Old+" -> "+v.New)
	case worst >= Breaking && v.New != "" && (v.Old == v.New || comparable && order == 0):
		add(VersionNotBumped, "info.version is still "+orNone(v.New)+" although the update breaks users")
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
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

package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut *junitText    `xml:"system-out"`
}

// junitText is CDATA, so the lines read as written; visible has already
// removed every character XML cannot hold.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// JUnit writes a JUnit XML report for CI test views: one test case per
// operation, which fails when a finding that reaches the operation is at
// opts.FailOn or above; findings below it (down to opts.MinLevel) go to the
// case's system-out. Document-level findings make a "(document)" case. The
// operations without findings are listed (as passing cases) when
// opts.OldSource and opts.NewSource are given; otherwise only the operations
// with findings are. A finding reaching several operations is listed in each.
func JUnit(w io.Writer, r *connectordiff.Result, opts Options) error {
	failOn, min := opts.failOn(), opts.minLevel()
	byOp := map[string][]breaking.Finding{}
	var order []string
	add := func(op string) {
		if _, ok := byOp[op]; !ok {
			byOp[op] = nil
			order = append(order, op)
		}
	}
	for _, f := range r.Findings {
		if f.Level < min && f.Level < failOn {
			continue
		}
		ops := f.Operations
		if len(ops) == 0 {
			ops = []string{""}
		}
		for _, op := range ops {
			add(op)
			byOp[op] = append(byOp[op], f)
		}
	}
	// Cases: the document first, then every operation in document order
	// when the sources say which, then any the sources did not name.
	var names []string
	if _, ok := byOp[""]; ok {
		names = append(names, "")
	}
	seen := map[string]bool{"": true}
	for _, op := range append(operationIDs(opts.OldSource), operationIDs(opts.NewSource)...) {
		if !seen[op] {
			seen[op] = true
			names = append(names, op)
		}
	}
	for _, op := range order {
		if !seen[op] {
			seen[op] = true
			names = append(names, op)
		}
	}
	if len(names) == 0 {
		names = []string{""} // no findings and no sources: one passing case
	}

	class := "connectordiff"
	if t := strings.TrimSpace(r.New.Title); t != "" {
		class += "." + visible(t)
	}
	suite := junitSuite{Name: visible(fmt.Sprintf("%s -> %s", describe(r.Old), describe(r.New)))}
	for _, op := range names {
		c := junitCase{Name: visible(groupTitle(op)), Classname: class}
		var failed, passed []string
		for _, f := range byOp[op] {
			line := junitLine(r, f)
			if f.Level >= failOn {
				failed = append(failed, line)
			} else {
				passed = append(passed, line)
			}
		}
		if len(failed) > 0 {
			c.Failure = &junitFailure{
				Message: fmt.Sprintf("%s at level %s or above", plural(len(failed), "finding"), failOn),
				Type:    failOn.String(),
				Text:    strings.Join(failed, "\n"),
			}
			suite.Failures++
		}
		if len(passed) > 0 {
			c.SystemOut = &junitText{strings.Join(passed, "\n")}
		}
		suite.Cases = append(suite.Cases, c)
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "connectordiff", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitLine is one finding as a compiler-style line: file:line:column:
// level rule: message.
func junitLine(r *connectordiff.Result, f breaking.Finding) string {
	s := Locate(r, f)
	pos := s.File
	if s.Line > 0 {
		pos += fmt.Sprintf(":%d:%d", s.Line, s.Column)
	}
	return visible(fmt.Sprintf("%s: %s %s: %s", pos, f.Level, f.Rule, f.Message))
}

// operationIDs lists a document's operations, or nothing when src is empty
// or unreadable (the comparison already reported why).
func operationIDs(src []byte) []string {
	if len(src) == 0 {
		return nil
	}
	d, err := diff.Load("", src, diff.LoadOptions{MaxBytes: int64(len(src)) + 1})
	if err != nil {
		return nil
	}
	return d.Operations()
}

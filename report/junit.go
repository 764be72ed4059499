package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/escape"
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
	Error     *junitFailure `xml:"error"`
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
// opts.FailOn or above (none fails with breaking.Never); findings below it
// (down to opts.MinLevel) go to the case's system-out. Connector-wide
// findings make a case of their own per file. Every operation of both
// documents is a case, passing when nothing reaches it. A finding reaching
// several operations is listed in each. A repository's report has a test
// suite per connector, and one for the policy's own findings.
func JUnit(w io.Writer, r *breaking.Result, opts Options) error {
	if r.IsPair() {
		c := connectorSection(&r.Connectors[0])
		return writeJUnit(w, []junitSuite{junitSuiteOf(c, visible(fmt.Sprintf("%s -> %s", describe(c.old), describe(c.new))), opts)})
	}
	var suites []junitSuite
	for i := range r.Connectors {
		c := &r.Connectors[i]
		name := visible(connectorName(c) + " (" + string(c.Status) + ")")
		if c.Status == breaking.StatusError {
			// One case in error: the connector could not be compared.
			suites = append(suites, junitSuite{Name: name, Tests: 1, Errors: 1, Cases: []junitCase{{Name: "compare",
				Classname: "connectordiff", Error: &junitFailure{Message: visible(unreadText(c)), Type: "error", Text: visible(c.Error)}}}})
			continue
		}
		suites = append(suites, junitSuiteOf(repoSection(r, c, opts), name, opts))
	}
	if len(r.PolicyFindings) > 0 {
		suites = append(suites, junitSuiteOf(policySection(r), "policy", opts))
	}
	return writeJUnit(w, suites)
}

// junitSuiteOf is the test suite of one comparison, named name.
func junitSuiteOf(r *section, name string, opts Options) junitSuite {
	failOn, min := opts.failOn(), opts.minLevel()
	type caseKey struct{ op, doc string }
	byCase := map[caseKey][]breaking.Finding{}
	var docCases, opCases []caseKey
	add := func(k caseKey, f breaking.Finding) {
		if _, ok := byCase[k]; !ok {
			if k.op == "" {
				docCases = append(docCases, k)
			} else {
				opCases = append(opCases, k)
			}
		}
		byCase[k] = append(byCase[k], f)
	}
	for _, f := range r.findings {
		if f.Level < min && f.Level < failOn {
			continue
		}
		if f.Operation == "" {
			g := group{}
			if !isDefinition(r, f) {
				g.file = f.File
			}
			add(caseKey{doc: g.title()}, f)
			continue
		}
		for _, op := range f.Operations {
			add(caseKey{op: op}, f)
		}
	}
	// Cases: the connector-wide ones first, then every operation in document
	// order (old, then those only the new document has), then any other an
	// operation list did not name.
	names := docCases
	seen := map[caseKey]bool{}
	for _, op := range append(append([]string{}, r.old.OperationIDs...), r.new.OperationIDs...) {
		if k := (caseKey{op: op}); !seen[k] {
			seen[k] = true
			names = append(names, k)
		}
	}
	for _, k := range opCases {
		if !seen[k] {
			seen[k] = true
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		names = []caseKey{{doc: group{}.title()}} // nothing at all: one passing case
	}

	class := "connectordiff"
	if t := strings.TrimSpace(r.new.Title); t != "" {
		class += "." + visible(t)
	}
	suite := junitSuite{Name: name}
	for _, k := range names {
		c := junitCase{Name: visible(k.op + k.doc), Classname: class}
		var failed, passed []string
		for _, f := range byCase[k] {
			line := junitLine(r, f)
			if f.Level >= failOn && f.Accepted == nil {
				if acceptable(r, f) {
					line += "\n  to accept it on record: " + visible(r.accept([]string{f.ID}))
				}
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
	return suite
}

// writeJUnit writes the suites under one testsuites element.
func writeJUnit(w io.Writer, suites []junitSuite) error {
	doc := junitSuites{Name: "connectordiff", Suites: suites}
	for _, s := range suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	buf.WriteString("\n")
	// Names and messages read as the documents have them; no line is a CI
	// command.
	return escape.WriteMarkup(w, buf.Bytes())
}

// junitLine is one finding as a compiler-style line: file:line:column:
// level rule: message.
func junitLine(r *section, f breaking.Finding) string {
	s := reviewSite(r, f)
	pos := s.File
	if s.Line > 0 {
		pos += fmt.Sprintf(":%d:%d", s.Line, s.Column)
	}
	return visible(fmt.Sprintf("%s: %s %s: %s", pos, f.Level, f.Rule, Message(f)))
}

package report

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff/internal/escape"
)

// Document text (titles, versions, names, enum values, descriptions), file
// and folder names, revisions and policy text reach every report, and all of
// them are written by whoever opens a pull request. Each format escapes them
// for its own syntax, after one of two first steps:
//
//   - the formats people and logs read (text, Markdown, changelog, the
//     github and azure annotations) pass each through inert
//     (logsafe.Line): one line, nothing hidden, and no CI command ("##vso[",
//     "##[", a leading "::"), written as visible escapes; and a stream-level
//     net (inertLines) catches what a renderer forgot;
//   - the formats programs read (JSON, SARIF, HTML, JUnit XML) pass each
//     through visible (nothing hidden, except in JSON, which keeps the text
//     whole) and then the whole output through escape.JSON or escape.Markup,
//     which neutralise commands in the format's own escapes (\u0023, &#35;),
//     so that the values decode to the document's text.

// inert makes document text one visible line that no terminal or CI system
// acts on: see logsafe.Line.
func inert(s string) string { return escape.Line(s) }

// visible returns s on one line with nothing hidden: newlines, tabs and
// other control characters, bidirectional overrides and invalid UTF-8 are
// written as escapes. Commands are left to the format's own encoding.
func visible(s string) string { return escape.Visible(s) }

// inertLines runs write with a writer that passes its lines on to w with
// any CI command that slipped into them neutralised, keeping the commands at
// the start of a line that keep reports (see escape.Writer).
func inertLines(w io.Writer, keep func(line string) int, write func(w io.Writer) error) error {
	net := escape.NewWriter(w, keep)
	err := write(net)
	if ferr := net.Flush(); err == nil {
		err = ferr
	}
	return err
}

// truncate shortens s to at most max runes, marking the cut.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	runes := []rune(s)
	return string(runes[:max-1]) + "…"
}

// githubCommand keeps the workflow commands the github format writes: a
// line that starts "::error ", "::warning " or "::notice ".
func githubCommand(line string) int {
	for _, c := range []string{"::error ", "::warning ", "::notice "} {
		if strings.HasPrefix(line, c) {
			return len(c)
		}
	}
	return 0
}

// azureCommand keeps the logging commands the azure format writes: a line
// that starts "##vso[task.logissue ".
func azureCommand(line string) int {
	const c = "##vso[task.logissue "
	if strings.HasPrefix(line, c) {
		return len(c)
	}
	return 0
}

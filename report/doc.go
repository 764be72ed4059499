// Package report renders a breaking.Result, a pair's or a repository's, for
// people and machines, and a fix's summary. It only presents: every
// judgement was made by package breaking.
//
// Formats (Render, or each function directly; each lays out a pair and a
// repository): Text for a terminal, JSON for programs, Markdown for a
// pull-request comment (capped to fit one), SARIF 2.1.0 for code scanning,
// JUnit XML for CI test views, GitHub and Azure for workflow annotations on
// the changed file, HTML for one self-contained page with the old and new
// lines side by side, and Changelog for release notes. RulesText,
// RulesMarkdown and RulesJSON write the rule catalog (docs/rules.md).
//
// Document text (names, enum values, titles), file and folder names,
// revisions and policy text may be hostile. The formats people and logs
// read pass each through logsafe.Line (one line, control characters and
// bidirectional overrides as escapes, no GitHub or Azure command), then
// escape it for their own syntax; JSON, SARIF, HTML and JUnit keep the text
// and neutralise commands in their own escapes (\u0023, &#35;). No line of
// any format is a CI command but the github and azure formats' own. Output
// is deterministic: the same Result renders to the same bytes.
package report

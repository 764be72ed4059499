package report

// MarkdownText is document, path or commit text as the Markdown formats
// show it inline (in a table cell, a heading, a list): made one inert
// line (logsafe.Line), then escaped so that Markdown reads no syntax in it.
// Renderers outside this package (connectordiff history's) use it to
// escape as this package's Markdown does.
func MarkdownText(s string) string { return md(inert(s)) }

// RuleLink is the address of a rule's section of the rule catalog that
// opts name (the running version's when opts.RulesURL is empty).
func RuleLink(opts Options, id string) string { return opts.ruleLink(id) }

package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/internal/escape"
)

// Snippet geometry: lines of context each side, and the widest line shown
// (minified connector files are one line of megabytes).
const (
	snippetContext = 3
	snippetWidth   = 160
)

type htmlReport struct {
	Title, Verdict, Sentence string
	Breaking                 bool
	// Counts are the finding counts, and Certification the validator's
	// line, when it differs.
	Counts        breaking.Counts
	Certification string
	Hidden        string
	// Repo is set for a repository comparison: the revisions compared and
	// a table of its connectors come first, and each connector has a
	// heading.
	Repo       bool
	Range      string
	Rows       []htmlRow
	Connectors []htmlConnector
	Rules      []breaking.Rule
}

// htmlConnector is one comparison of the page.
type htmlConnector struct {
	Heading, ID string // for a repository comparison
	Old, New    string
	Error       string // why the connector could not be compared, if it could not
	Notes       []string
	Groups      []htmlGroup
}

// htmlRow is a connector in the table of a repository comparison.
type htmlRow struct {
	Folder, ID, Status, Verdict string
	Breaking                    bool
	Counts                      breaking.Counts
}

type htmlGroup struct {
	Title    string
	Findings []htmlFinding
}

type htmlFinding struct {
	Level, Label, Rule, Message, Where, Remediation string
	Others                                          []string
	Connectorwide                                   bool
	Accepted                                        string
	Old, New                                        htmlSnippet

	// ID is the finding's id; Accept, the command that accepts it on
	// record ("" when nothing is to accept).
	ID, Accept string
}

type htmlSnippet struct {
	File  string
	Where string // "line 19, column 71", or why there is no snippet
	Lines []htmlLine
}

type htmlLine struct {
	N      int
	Text   string
	Marked bool
}

// HTML writes the report as one self-contained page (inline CSS, no
// script, no external asset): the verdict, the counts, and per operation
// each finding with the lines around it in the old and the new document
// side by side, then the documentation of every rule used, which the
// findings link to by fragment. Snippets come from the sources the Result
// carries; where it has none (a Result built by hand), the page says where
// to look instead. Document text is shown with nothing hidden, and
// no line of the page is a CI command (see escape.Markup). A repository's
// page leads with a table of the connectors linking to their sections.
func HTML(w io.Writer, r *breaking.Result, opts Options) error {
	if !r.IsPair() {
		return repoHTML(w, r, opts)
	}
	c := connectorSection(&r.Connectors[0])
	word, sentence := verdictWord(r.Profile, r.Summary.Breaks())
	rep := htmlReport{
		Title:   visible(fmt.Sprintf("connectordiff: %s, %s -> %s", word, describe(c.old), describe(c.new))),
		Verdict: word, Sentence: sentence, Breaking: r.Summary.Breaks(), Counts: r.Summary.Counts,
		Certification: certificationLine(r),
	}
	if opts.minLevel() > breaking.Info && r.Summary.Info > 0 {
		rep.Hidden = plural(r.Summary.Info, "info finding") + " not listed (--verbose lists them)."
	}
	used := map[string]bool{}
	rep.Connectors = []htmlConnector{htmlConnectorOf(c, opts, used)}
	return writeHTML(w, rep, used)
}

func writeHTML(w io.Writer, rep htmlReport, used map[string]bool) error {
	for _, rule := range breaking.Rules() {
		if used[rule.ID] {
			rep.Rules = append(rep.Rules, rule)
		}
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, rep); err != nil {
		return err
	}
	return escape.WriteMarkup(w, buf.Bytes())
}

// htmlConnectorOf lays out one comparison's notes and findings, noting the
// rules it uses in used.
func htmlConnectorOf(r *section, opts Options, used map[string]bool) htmlConnector {
	hc := htmlConnector{Old: visible(describe(r.old)), New: visible(describe(r.new))}
	for _, side := range []breaking.DocumentInfo{r.old, r.new} {
		for _, n := range side.Notes {
			hc.Notes = append(hc.Notes, visible(noteLine(side, n)))
		}
	}
	// Each file's lines, split once: the definition, and in a folder
	// comparison apiProperties.json and script.csx too.
	lines := map[string][]string{}
	linesOf := func(side breaking.DocumentInfo, sideName string, file string) []string {
		src, ok := side.Source(file)
		if !ok {
			return nil
		}
		key := sideName + "\x00" + src.Name
		if l, ok := lines[key]; ok {
			return l
		}
		l := splitLines(src.Text)
		lines[key] = l
		return l
	}
	for _, g := range groupFindings(r, opts.minLevel()) {
		hg := htmlGroup{Title: visible(g.title())}
		for _, sf := range g.findings {
			f := sf.Finding
			used[f.Rule] = true
			hf := htmlFinding{Level: f.Level.String(), Label: levelLabel(r, f), Rule: visible(f.Rule), Message: visible(sf.text), Where: visible(where(r, f)),
				Remediation: visible(f.Remediation),
				Old:         snippet(sideFile(r.old, fileOf(f.Old, f)), f.Old, linesOf(r.old, "old", fileOf(f.Old, f)), "added: not in the old document"),
				New:         snippet(sideFile(r.new, fileOf(f.New, f)), f.New, linesOf(r.new, "new", fileOf(f.New, f)), "not in the new document"),
			}
			hf.ID, hf.Accept = visible(f.ID), visible(acceptLine(r, sf))
			if f.Accepted != nil {
				hf.Level = "accepted"
				hf.Accepted = visible(f.Accepted.Reason + " (" + f.Accepted.By + ")")
			}
			others := f.Operations
			if f.Operation != "" && len(others) > 0 {
				others = others[1:]
			}
			hf.Connectorwide = f.Operation == ""
			for _, op := range others {
				hf.Others = append(hf.Others, visible(op))
			}
			hg.Findings = append(hg.Findings, hf)
		}
		hc.Groups = append(hc.Groups, hg)
	}
	return hc
}

// splitLines splits a source into lines, without their line ends.
func splitLines(src string) []string {
	if len(src) == 0 {
		return nil
	}
	return strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
}

// snippet quotes the lines around loc in a document.
func snippet(file string, loc *connector.Location, lines []string, absent string) htmlSnippet {
	sn := htmlSnippet{File: visible(file)}
	if loc == nil {
		sn.Where = absent
		return sn
	}
	line, col := loc.Line, loc.Column
	if line <= 0 {
		sn.Where = "no line known"
		return sn
	}
	sn.Where = fmt.Sprintf("line %d, column %d", line, col)
	if line > len(lines) {
		return sn // no source given (or not this one): the position is all we have
	}
	for n := max(1, line-snippetContext); n <= min(len(lines), line+snippetContext); n++ {
		sn.Lines = append(sn.Lines, htmlLine{N: n, Text: clip(lines[n-1], col), Marked: n == line})
	}
	return sn
}

// clip returns a source line fit for the page: valid UTF-8, tabs as spaces,
// nothing hidden, and at most snippetWidth runes, keeping column col (1-based,
// in runes) in view.
func clip(s string, col int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\t", "    ")
	s = visible(s)
	if utf8.RuneCountInString(s) <= snippetWidth {
		return s
	}
	runes := []rune(s)
	start := max(0, min(col-1-snippetWidth/3, len(runes)-snippetWidth))
	end := min(len(runes), start+snippetWidth)
	out := string(runes[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(runes) {
		out += "…"
	}
	return out
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"upper": strings.ToUpper,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 80rem; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.5rem; } h1.breaking { color: #b42318; } h1.safe { color: #1a7f37; }
h2 { font-size: 1.15rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; margin-top: 2rem; }
table.counts td, table.counts th { padding: .2rem .8rem; text-align: right; border: 1px solid #d0d7de; }
table.counts { border-collapse: collapse; }
.finding { border: 1px solid #d0d7de; border-left-width: 6px; border-radius: 6px; padding: .6rem .9rem; margin: 1rem 0; }
.finding.breaking { border-left-color: #d1242f; } .finding.warning { border-left-color: #d4a72c; } .finding.info { border-left-color: #0969da; }
.finding.accepted { border-left-color: #8c959f; } .accepted .level { color: #59636e; }
table.connectors { border-collapse: collapse; margin: 1rem 0; } table.connectors td, table.connectors th { padding: .2rem .8rem; border: 1px solid #d0d7de; text-align: left; }
tr.breaking td:nth-child(3) { color: #b42318; font-weight: 600; }
section.connector > h2 { font-size: 1.3rem; border-bottom: 2px solid #d0d7de; }
.level { font-weight: 700; font-size: .8rem; letter-spacing: .05em; }
.breaking .level { color: #d1242f; } .warning .level { color: #9a6700; } .info .level { color: #0969da; }
.where { color: #59636e; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .6rem; margin: .6rem 0; }
.side { min-width: 0; }
.side h3 { font-size: .85rem; margin: 0 0 .2rem; font-weight: 600; }
pre { margin: 0; background: #f6f8fa; border-radius: 4px; padding: .3rem 0; overflow-x: auto; font-size: .8rem; }
pre span { display: block; padding: 0 .5rem; white-space: pre; }
pre span.mark { background: #fff1c2; }
pre b { display: inline-block; min-width: 3.5em; color: #8c959f; font-weight: 400; user-select: none; }
.none { color: #59636e; font-style: italic; font-size: .85rem; }
.fix { margin: .3rem 0 0; }
dt { font-family: ui-monospace, monospace; font-weight: 700; margin-top: 1rem; }
</style>
</head>
<body>
<h1 class="{{if .Breaking}}breaking{{else}}safe{{end}}">{{.Verdict}}: {{.Sentence}}</h1>
{{- with .Range}}
<p class="range">{{.}}</p>
{{- end}}
{{- if not .Repo}}{{with index .Connectors 0}}
<p>{{.Old}} &rarr; {{.New}}</p>{{end}}{{end}}
<table class="counts"><tr><th>breaking</th><th>warning</th><th>info</th></tr>
<tr><td>{{.Counts.Breaking}}</td><td>{{.Counts.Warning}}</td><td>{{.Counts.Info}}</td></tr></table>
{{with .Certification}}<p>{{.}}</p>{{end}}
{{with .Hidden}}<p class="none">{{.}}</p>{{end}}
{{- if .Repo}}
<table class="connectors"><tr><th>connector</th><th>status</th><th>verdict</th><th>breaking</th><th>warning</th></tr>
{{- range .Rows}}
<tr class="{{if .Breaking}}breaking{{else}}safe{{end}}"><td><a href="#{{.ID}}">{{.Folder}}</a></td><td>{{.Status}}</td><td>{{.Verdict}}</td>{{if eq .Status "error"}}<td>–</td><td>–</td>{{else}}<td>{{.Counts.Breaking}}</td><td>{{.Counts.Warning}}</td>{{end}}</tr>
{{- end}}
</table>
{{- end}}
{{- range .Connectors}}
<section class="connector"{{with .ID}} id="{{.}}"{{end}}>
{{- with .Heading}}
<h2>{{.}}</h2>
{{- end}}
{{- with .Error}}
<p class="error" style="color: #b42318"><strong>Could not be compared:</strong> {{.}}</p>
{{- else}}{{if $.Repo}}
<p>{{.Old}} &rarr; {{.New}}</p>
{{- end}}{{end}}
{{- if .Notes}}
<details><summary>{{len .Notes}} note(s) on the input</summary>
<ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>
</details>
{{- end}}
{{- range .Groups}}
<section>
{{if $.Repo}}<h3>{{.Title}}</h3>{{else}}<h2>{{.Title}}</h2>{{end}}
{{- range .Findings}}
<div class="finding {{.Level}}">
<div><span class="level">{{.Label}}</span> <a href="#rule-{{.Rule}}">{{.Rule}}</a> <span class="where">{{.Where}}</span>{{with .ID}} <code class="id" title="finding id">{{.}}</code>{{end}}</div>
<p>{{.Message}}</p>
{{- with .Accepted}}
<p class="accepted"><strong>Accepted:</strong> {{.}}</p>
{{- end}}
{{- if .Others}}
<details><summary>reaches {{len .Others}} {{if .Connectorwide}}operation(s){{else}}other operation(s){{end}}</summary><p>{{range $i, $o := .Others}}{{if $i}}, {{end}}{{$o}}{{end}}</p></details>
{{- end}}
<div class="sides">
{{- template "side" .Old}}
{{- template "side" .New}}
</div>
<p class="fix"><strong>How to avoid it:</strong> {{.Remediation}}</p>
{{- with .Accept}}
<p class="accept"><strong>To accept it on record</strong> (in the pull request's checkout, with the reason): <code>{{.}}</code></p>
{{- end}}
</div>
{{- end}}
</section>
{{- end}}
</section>
{{- end}}
{{- if .Rules}}
<section>
<h2>Rules</h2>
<dl>
{{- range .Rules}}
<dt id="rule-{{.ID}}">{{.ID}} ({{.Level}})</dt>
<dd><p>{{.Summary}} {{.Doc}}</p><p><strong>How to avoid it:</strong> {{.Remediation}}</p></dd>
{{- end}}
</dl>
</section>
{{- end}}
<p class="none">Generated by connectordiff.</p>
</body>
</html>
{{define "side"}}
<div class="side"><h3>{{.File}} <span class="where">{{.Where}}</span></h3>
{{- if .Lines}}
<pre>{{range .Lines}}<span{{if .Marked}} class="mark"{{end}}><b>{{.N}}</b>{{.Text}}</span>{{end}}</pre>
{{- end}}
</div>
{{- end}}
`))

package history

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/escape"
	"github.com/connectordiff/connectordiff/report"
)

// htmlWriter writes the history as one self-contained page (inline CSS, no
// script, no external asset, as report's HTML): a timeline per connector,
// each version a dot coloured by its verdict, whose verdict links to its
// findings listed below the timeline; the deprecations and removals with
// the days between them; and, for more than one connector, an overview of
// the connectors by number of breaking updates. The page is written as it
// comes: the overview, known only at the end, is written last and shown
// first (CSS order). Text is shown with nothing hidden (escape.Visible),
// escaped by html/template, and no line of the page is a CI command
// (escape.Markup).
type htmlWriter struct {
	w    io.Writer
	min  breaking.Level
	opts report.Options
	h    *Header
}

func newHTML(w io.Writer, opts report.Options) *htmlWriter {
	return &htmlWriter{w: w, min: minLevel(opts), opts: opts}
}

func visible(s string) string { return escape.Visible(s) }

// execute runs one of the page's templates and writes its markup.
func (p *htmlWriter) execute(name string, data any) error {
	var buf bytes.Buffer
	if err := historyTemplate.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	return escape.WriteMarkup(p.w, buf.Bytes())
}

type htmlHead struct {
	Title, Range, Profile, Commits string
}

func (p *htmlWriter) Begin(h *Header) error {
	p.h = h
	return p.execute("head", htmlHead{Title: visible("connectordiff history: " + rangeText(h)), Range: visible(rangeText(h)),
		Profile: string(h.Profile), Commits: plural(h.Commits, "first-parent commit")})
}

type htmlConnector struct {
	ID, Folder, Title, Summary string
	Versions                   []htmlVersion
	Deprecations               []htmlDeprecation
	Window                     int
	// Short is set when a removal came before the window ended.
	Short bool
}

type htmlVersion struct {
	ID, Date, Commit, Verdict, Counts, Author, Subject, Version, Moved, Error string
	// Rules names the rules of the version's findings at the least level
	// shown, with the operations they reach.
	Rules []string
	// Findings are listed below the timeline when there are any to show;
	// the verdict links to them.
	Findings []htmlFinding
}

type htmlFinding struct {
	Level, Rule, RuleLink, Message, Where string
}

type htmlDeprecation struct {
	Operation, Deprecated, Removed, Days string
	Short                                bool // removed before the window ended
}

func (p *htmlWriter) Connector(c *Connector) error {
	hc := htmlConnector{ID: fmt.Sprintf("c%d", c.Index), Folder: visible(c.Folder), Title: visible(c.Title), Window: p.h.Window,
		Summary: fmt.Sprintf("%s, %d breaking", plural(len(c.Versions), "version"), c.BreakingUpdates())}
	for i := range c.Versions {
		v := &c.Versions[i]
		hv := htmlVersion{ID: fmt.Sprintf("%s-v%d", hc.ID, i), Date: day(*v), Commit: short(v.Commit), Verdict: string(v.Verdict),
			Counts: countsText(v.Counts, p.min), Author: visible(v.Author), Subject: visible(v.Subject), Version: visible(v.InfoVersion),
			Moved: visible(v.OldFolder), Error: visible(v.Error)}
		if v.Verdict != Added {
			for _, r := range rulesOf(v, p.min) {
				s := r.rule
				if len(r.ops) > 0 {
					s += " (" + listOps(r.ops, textOps) + ")"
				}
				hv.Rules = append(hv.Rules, visible(s))
			}
			for _, f := range v.Findings {
				if f.Level < p.min {
					continue
				}
				hv.Findings = append(hv.Findings, htmlFinding{Level: f.Level.String(), Rule: visible(f.Rule),
					RuleLink: report.RuleLink(p.opts, f.Rule), Message: visible(f.Message), Where: visible(findingWhere(f))})
			}
		}
		hc.Versions = append(hc.Versions, hv)
	}
	for _, d := range c.Deprecations {
		hd := htmlDeprecation{Operation: visible(d.Operation), Deprecated: "never", Removed: "not removed", Days: "–"}
		if d.Deprecated != nil {
			hd.Deprecated = d.Deprecated.Date.Format("2006-01-02") + " " + short(d.Deprecated.Commit)
		}
		if d.Removed != nil {
			hd.Removed = d.Removed.Date.Format("2006-01-02") + " " + short(d.Removed.Commit)
		}
		if days, ok := d.Days(); ok {
			hd.Days, hd.Short = fmt.Sprint(days), days < p.h.Window
			hc.Short = hc.Short || hd.Short
		}
		hc.Deprecations = append(hc.Deprecations, hd)
	}
	return p.execute("connector", hc)
}

// findingWhere says where a finding is: its file when not the definition,
// its line in the new (or old) version, and the operations it reaches.
func findingWhere(f Finding) string {
	s := f.File
	switch {
	case f.New != nil && f.New.Line > 0:
		s += fmt.Sprintf(" new line %d", f.New.Line)
	case f.Old != nil && f.Old.Line > 0:
		s += fmt.Sprintf(" old line %d", f.Old.Line)
	}
	if len(f.Operations) > 0 {
		s += " · " + listOps(f.Operations, textOps)
	}
	return strings.TrimPrefix(strings.TrimSpace(s), "· ")
}

type htmlTally struct {
	ID, Folder         string
	Breaking, Versions int
	Removed            bool
	Bar                int // width of the bar, in pixels: 120 for the most
}

type htmlEnd struct {
	Show bool
	// Rows are the connectors with a breaking update, the most first;
	// More those past the first overviewRows, folded.
	Rows, More []htmlTally
	Totals     string
}

// overviewRows is how many connectors the overview shows unfolded.
const overviewRows = 25

func (p *htmlWriter) End(s *Summary) error {
	e := htmlEnd{Show: len(s.Tallies) > 1, Totals: fmt.Sprintf("%s, %s, %s in %s.", plural(len(s.Tallies), "connector"),
		plural(s.Versions, "version"), plural(s.BreakingUpdates, "breaking update"), plural(s.Commits, "first-parent commit"))}
	rows := byBreaking(s.Tallies)
	for _, t := range rows {
		e.Rows = append(e.Rows, htmlTally{ID: fmt.Sprintf("c%d", t.Index), Folder: visible(t.Folder), Breaking: t.Breaking,
			Versions: t.Versions, Removed: t.Removed, Bar: 120 * t.Breaking / rows[0].Breaking})
	}
	if len(e.Rows) > overviewRows {
		e.Rows, e.More = e.Rows[:overviewRows], e.Rows[overviewRows:]
	}
	return p.execute("end", e)
}

var historyTemplate = template.Must(template.New("history").Parse(`
{{- define "head" -}}
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 80rem; padding: 0 1rem; color: #1f2328; }
main { display: flex; flex-direction: column; }
main > header { order: -2; } main > .overview { order: -1; }
h1 { font-size: 1.5rem; margin-bottom: .3rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; margin: 2rem 0 .4rem; }
h2 .title { font-weight: 400; color: #59636e; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.meta, .none { color: #59636e; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
ol.timeline { list-style: none; margin: .4rem 0 .4rem .5rem; padding: 0 0 0 1.2rem; border-left: 3px solid #d0d7de; }
ol.timeline li { position: relative; margin: .5rem 0; }
ol.timeline li::before { content: ""; position: absolute; left: -1.72rem; top: .3rem; width: .8rem; height: .8rem; border-radius: 50%; background: #8c959f; border: 2px solid #fff; }
li.breaking::before { background: #d1242f !important; } li.removed::before { background: #6e40c9 !important; }
li.safe::before { background: #1a7f37 !important; } li.added::before { background: #0969da !important; } li.error::before { background: #d4a72c !important; }
.verdict { display: inline-block; min-width: 5.5em; font-weight: 700; font-size: .8rem; letter-spacing: .04em; text-transform: uppercase; }
.verdict.breaking { color: #d1242f; } .verdict.removed { color: #6e40c9; } .verdict.safe { color: #1a7f37; }
.verdict.added { color: #0969da; } .verdict.error { color: #9a6700; }
li.breaking { background: #ffebe9; border-radius: 4px; padding: .1rem .4rem; margin-left: -.4rem; }
.date { font-variant-numeric: tabular-nums; color: #59636e; margin-right: .4rem; }
.who { color: #59636e; } .rules { font-size: .85rem; }
.error-text { color: #9a6700; font-family: ui-monospace, monospace; font-size: .85rem; }
table { border-collapse: collapse; margin: .4rem 0; }
td, th { padding: .2rem .7rem; border: 1px solid #d0d7de; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.short td.n { color: #d1242f; font-weight: 600; }
.bar { display: inline-block; height: .7rem; background: #d1242f; border-radius: 2px; }
.update { border: 1px solid #d0d7de; border-left: 6px solid #8c959f; border-radius: 6px; padding: .4rem .8rem; margin: .6rem 0; }
.update.breaking { border-left-color: #d1242f; } .update.removed { border-left-color: #6e40c9; } .update.safe { border-left-color: #d4a72c; }
.update h4 { margin: .2rem 0 .4rem; font-size: .95rem; }
.update ul { margin: 0; padding-left: 1.2rem; }
.level { font-weight: 700; font-size: .75rem; letter-spacing: .05em; text-transform: uppercase; }
.level.breaking { color: #d1242f; } .level.warning { color: #9a6700; } .level.info { color: #0969da; }
.where { color: #59636e; font-size: .85rem; }
</style>
</head>
<body>
<main>
<header>
<h1>Connector history</h1>
<p class="meta">{{.Range}} · {{.Commits}} · profile {{.Profile}}</p>
</header>
{{end}}

{{- define "connector"}}
<section class="connector" id="{{.ID}}">
<h2>{{.Folder}}{{with .Title}} <span class="title">{{.}}</span>{{end}}</h2>
<p class="meta">{{.Summary}}</p>
<ol class="timeline">
{{- range .Versions}}
<li class="{{.Verdict}}" id="{{.ID}}"><span class="date">{{.Date}}</span> <code>{{.Commit}}</code>
{{if .Findings}}<a class="verdict {{.Verdict}}" href="#{{.ID}}-findings">{{.Verdict}}</a>{{else}}<span class="verdict {{.Verdict}}">{{.Verdict}}</span>{{end}}
{{- if .Error}} <span class="error-text">{{.Error}}</span>{{else}} {{.Counts}}{{end}}
{{- with .Version}} · version <code>{{.}}</code>{{end}}
{{- with .Moved}} · moved from <code>{{.}}</code>{{end}}
<div class="who">{{.Author}}: {{.Subject}}</div>
{{- if .Rules}}
<div class="rules">{{range $i, $r := .Rules}}{{if $i}}; {{end}}{{$r}}{{end}}</div>
{{- end}}
</li>
{{- end}}
</ol>
{{- if .Deprecations}}
<h3>Deprecations and removals</h3>
<table><tr><th>operation</th><th>deprecated</th><th>removed</th><th>days between</th></tr>
{{- range .Deprecations}}
<tr{{if .Short}} class="short"{{end}}><td><code>{{.Operation}}</code></td><td>{{.Deprecated}}</td><td>{{.Removed}}</td><td class="n">{{.Days}}</td></tr>
{{- end}}
</table>
{{- if .Short}}
<p class="none">Days in red: removed less than {{.Window}} days after it was deprecated (the policy's window).</p>
{{- end}}
{{- end}}
{{- range .Versions}}{{if .Findings}}
<div class="update {{.Verdict}}" id="{{.ID}}-findings">
<h4><a href="#{{.ID}}">{{.Date}} <code>{{.Commit}}</code></a> {{.Verdict}}: {{.Subject}}</h4>
<ul>
{{- range .Findings}}
<li><span class="level {{.Level}}">{{.Level}}</span> <a href="{{.RuleLink}}">{{.Rule}}</a>: {{.Message}} <span class="where">{{.Where}}</span></li>
{{- end}}
</ul>
</div>
{{- end}}{{end}}
</section>
{{end}}

{{- define "tallies"}}
<table><tr><th>connector</th><th>breaking updates</th><th>versions</th><th></th></tr>
{{- range .}}
<tr><td><a href="#{{.ID}}">{{.Folder}}</a>{{if .Removed}} (removed){{end}}</td><td class="n">{{.Breaking}}</td><td class="n">{{.Versions}}</td><td><span class="bar" style="width: {{.Bar}}px"></span></td></tr>
{{- end}}
</table>
{{- end}}

{{- define "end"}}
{{- if .Show}}
<section class="overview" id="overview">
<h2>Connectors by breaking updates</h2>
<p class="meta">{{.Totals}}</p>
{{- if .Rows}}
{{- template "tallies" .Rows}}
{{- with .More}}
<details><summary>{{len .}} more connectors with breaking updates</summary>
{{- template "tallies" .}}
</details>
{{- end}}
{{- else}}
<p class="none">No connector had a breaking update.</p>
{{- end}}
</section>
{{- else}}
<p class="meta">{{.Totals}}</p>
{{- end}}
</main>
<p class="none">Generated by connectordiff.</p>
</body>
</html>
{{end}}`))

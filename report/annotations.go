package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
)

// GitHub writes GitHub Actions workflow commands, which the runner turns
// into annotations on the file and line:
//
//	::error file=new.json,line=19,col=71,title=parameter-enum-narrowed::enum of parameter ...
//
// Breaking findings are errors, warnings warnings, info and accepted
// findings notices; a connector that could not be compared is an error at
// the place its file fails. One annotation says each change, however many
// places it is in (as the text report does). GitHub shows at most
// githubPerKind annotations of each kind per step and drops the rest
// silently: the most important of each kind are written (connectors that
// could not be compared first, then as the reports order findings, the
// breaking ones first), and when some are left out, a notice says how many
// and where every finding is. A plain verdict line comes last, over every
// connector of a repository's. Document text in the commands is escaped
// (see logsafe.Line), then escaped as the runner reads commands.
func GitHub(w io.Writer, r *breaking.Result, opts Options) error {
	return inertLines(w, githubCommand, func(w io.Writer) error {
		p := &printer{w: w}
		byKind := map[string][]string{}
		for _, c := range r.Unread() {
			byKind["error"] = append(byKind["error"], githubUnread(c))
		}
		for _, s := range sections(r, opts) {
			for kind, lines := range githubLines(s, opts) {
				byKind[kind] = append(byKind[kind], lines...)
			}
		}
		limit := githubPerKind
		over := len(byKind["error"]) > limit || len(byKind["warning"]) > limit || len(byKind["notice"]) > limit
		var left []string
		for _, kind := range []string{"error", "warning", "notice"} {
			keep := limit
			if kind == "notice" && over {
				keep-- // room for the notice that says what was left out
			}
			lines := byKind[kind]
			if len(lines) > keep {
				left = append(left, plural(len(lines)-keep, kind))
				lines = lines[:keep]
			}
			for _, l := range lines {
				p.f("%s", l)
			}
		}
		if len(left) > 0 {
			p.f("::notice title=connectordiff::%s", ghData(fmt.Sprintf("%s not shown as annotations (GitHub shows %d of each kind "+
				"per step): every finding is in the job summary, in code scanning (the SARIF upload) and in this step's log "+
				"with --format text", strings.Join(left, ", "), githubPerKind)))
			p.f("\n")
		}
		p.f("connectordiff: %s\n", verdictLine(r))
		return p.err
	})
}

// githubPerKind is how many annotations of each kind (error, warning,
// notice) GitHub shows for one step.
const githubPerKind = 10

// verdictLine is the verdict of the annotation formats: "BREAKING: existing
// flows or apps will break (1 breaking, 0 warnings, 0 info)".
func verdictLine(r *breaking.Result) string {
	if !r.IsPair() {
		word, sentence := repoVerdict(r)
		return fmt.Sprintf("%s: %s (%s)", word, sentence, repoCounts(r))
	}
	word, sentence := verdictWord(r.Profile, r.Summary.Breaks())
	return fmt.Sprintf("%s: %s (%s)", word, sentence, counts(r))
}

// githubLines writes a workflow command per change of r at opts.MinLevel or
// above, in the reports' order, by kind of annotation; accepted findings
// are notices.
func githubLines(r *section, opts Options) map[string][]string {
	out := map[string][]string{}
	for _, g := range groupFindings(r, opts.minLevel()) {
		for _, f := range g.findings {
			cmd := map[breaking.Level]string{breaking.Breaking: "error", breaking.Warning: "warning", breaking.Info: "notice"}[f.Level]
			if f.Accepted != nil {
				cmd = "notice"
			}
			s := reviewSite(r, f.Finding)
			out[cmd] = append(out[cmd], githubCommandLine(cmd, s.File, s.Line, s.Column, f.Rule, annotationText(r, f)))
		}
	}
	return out
}

// githubUnread is the error annotation of a connector that could not be
// compared: at the place its file fails when that is in the new version,
// else on its folder.
func githubUnread(c *breaking.ConnectorResult) string {
	file, line, col := c.Folder, 0, 0
	if at := c.ErrorAt; at != nil {
		file, line, col = at.File, at.Line, at.Column
	}
	return githubCommandLine("error", file, line, col, "connector-error", inert(c.Folder+": "+unreadText(c)))
}

func githubCommandLine(cmd, file string, line, col int, title, text string) string {
	props := []string{"file=" + ghProperty(inert(filepath.ToSlash(file)))}
	if line > 0 {
		props = append(props, fmt.Sprintf("line=%d", line))
		if col > 0 {
			props = append(props, fmt.Sprintf("col=%d", col))
		}
	}
	props = append(props, "title="+ghProperty(inert(title)))
	return fmt.Sprintf("::%s %s::%s\n", cmd, strings.Join(props, ","), ghData(text))
}

// Azure writes Azure Pipelines logging commands, one per breaking or warning
// finding at opts.MinLevel or above, as the PowerPlatformConnectors
// validation pipeline does:
//
//	##vso[task.logissue type=error;sourcepath=new.json;linenumber=19;columnnumber=71;code=parameter-enum-narrowed]enum of ...
//
// Azure Pipelines has no level below warning, so info findings are left
// out. A connector that could not be compared is an error at the place its
// file fails, first. A plain verdict line comes last, over every connector of a
// repository's. Document text in the commands is escaped (see
// logsafe.Line), then escaped as the agent reads commands.
func Azure(w io.Writer, r *breaking.Result, opts Options) error {
	return inertLines(w, azureCommand, func(w io.Writer) error {
		p := &printer{w: w}
		for _, c := range r.Unread() {
			props := []string{"type=error", "sourcepath=" + azProperty(inert(filepath.ToSlash(c.Folder)))}
			if at := c.ErrorAt; at != nil {
				props[1] = "sourcepath=" + azProperty(inert(filepath.ToSlash(at.File)))
				if at.Line > 0 {
					props = append(props, fmt.Sprintf("linenumber=%d", at.Line))
					if at.Column > 0 {
						props = append(props, fmt.Sprintf("columnnumber=%d", at.Column))
					}
				}
			}
			props = append(props, "code=connector-error")
			p.f("##vso[task.logissue %s]%s\n", strings.Join(props, ";"), azData(inert(c.Folder+": "+unreadText(c))))
		}
		for _, s := range sections(r, opts) {
			azureLines(p, s, opts)
		}
		p.f("connectordiff: %s\n", verdictLine(r))
		return p.err
	})
}

// azureLines writes a logging command per breaking or warning finding of r
// (Azure Pipelines has no lower level); accepted findings are left out.
func azureLines(p *printer, r *section, opts Options) {
	for _, f := range r.findings {
		if f.Level < opts.minLevel() || f.Level < breaking.Warning || f.Accepted != nil {
			continue
		}
		typ := "warning"
		if f.Level == breaking.Breaking {
			typ = "error"
		}
		s := reviewSite(r, f)
		props := []string{"type=" + typ, "sourcepath=" + azProperty(inert(filepath.ToSlash(s.File)))}
		if s.Line > 0 {
			props = append(props, fmt.Sprintf("linenumber=%d", s.Line))
			if s.Column > 0 {
				props = append(props, fmt.Sprintf("columnnumber=%d", s.Column))
			}
		}
		props = append(props, "code="+azProperty(inert(f.Rule)))
		p.f("##vso[task.logissue %s]%s\n", strings.Join(props, ";"), azData(annotationText(r, shownFinding{Finding: f, text: Message(f), ids: []string{f.ID}})))
	}
}

// annotationText is a finding's message for an annotation, as the
// reports show it (a change in several places once, saying in how many):
// the message, the operations it reaches, how to avoid it on a second line,
// and for a break a reviewer may accept, the command that does on a third.
func annotationText(r *section, f shownFinding) string {
	s := f.text
	if f.Accepted != nil {
		s = "accepted (" + f.Accepted.By + ": " + f.Accepted.Reason + "): " + s
	}
	if len(f.Operations) > 0 {
		s += " [operations: " + listOps(f.Operations, 10) + "]"
	}
	s = inert(s)
	if f.Remediation != "" {
		s += "\nHow to avoid it: " + inert(f.Remediation)
	}
	if cmd := acceptLine(r, f); cmd != "" {
		s += "\nTo accept it on record: " + inert(cmd)
	}
	return s
}

// counts is "4 breaking, 1 warning, 2 info", saying in how many changes
// where the report shows fewer lines than findings (see countsInChanges).
func counts(r *breaking.Result) string {
	return countsInChanges(r.Summary.Counts, changeCounts(sections(r, Options{})...))
}

// ghData and ghProperty escape as @actions/core does: a command ends at a
// line break, and a property at a comma or colon.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// azData and azProperty escape as azure-pipelines-task-lib does: a command
// ends at a line break, a property at a semicolon and the property list at a
// closing bracket.
func azData(s string) string {
	return strings.NewReplacer("%", "%AZP25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func azProperty(s string) string {
	return strings.NewReplacer("%", "%AZP25", "\r", "%0D", "\n", "%0A", "]", "%5D", ";", "%3B").Replace(s)
}

package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
)

// GitHub writes GitHub Actions workflow commands, one per finding at
// opts.MinLevel or above, which the runner turns into annotations on the
// file and line:
//
//	::error file=new.json,line=19,col=71,title=parameter-enum-narrowed::enum of parameter ...
//
// Breaking findings are errors, warnings warnings, info notices. A plain
// verdict line comes last, over every connector of a repository's. Document
// text in the commands is escaped (see logsafe.Line), then escaped as the
// runner reads commands.
func GitHub(w io.Writer, r *breaking.Result, opts Options) error {
	return inertLines(w, githubCommand, func(w io.Writer) error {
		p := &printer{w: w}
		for _, s := range sections(r) {
			githubLines(p, s, opts)
		}
		p.f("connectordiff: %s\n", verdictLine(r))
		return p.err
	})
}

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

// githubLines writes a workflow command per finding of r; accepted findings
// are notices.
func githubLines(p *printer, r *section, opts Options) {
	for _, f := range r.findings {
		if f.Level < opts.minLevel() {
			continue
		}
		cmd := map[breaking.Level]string{breaking.Breaking: "error", breaking.Warning: "warning", breaking.Info: "notice"}[f.Level]
		if f.Accepted != nil {
			cmd = "notice"
		}
		s := reviewSite(r, f)
		props := []string{"file=" + ghProperty(inert(filepath.ToSlash(s.File)))}
		if s.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", s.Line))
			if s.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", s.Column))
			}
		}
		props = append(props, "title="+ghProperty(inert(f.Rule)))
		p.f("::%s %s::%s\n", cmd, strings.Join(props, ","), ghData(annotationText(f)))
	}
}

// Azure writes Azure Pipelines logging commands, one per breaking or warning
// finding at opts.MinLevel or above, as the PowerPlatformConnectors
// validation pipeline does:
//
//	##vso[task.logissue type=error;sourcepath=new.json;linenumber=19;columnnumber=71;code=parameter-enum-narrowed]enum of ...
//
// Azure Pipelines has no level below warning, so info findings are left
// out. A plain verdict line comes last, over every connector of a
// repository's. Document text in the commands is escaped (see
// logsafe.Line), then escaped as the agent reads commands.
func Azure(w io.Writer, r *breaking.Result, opts Options) error {
	return inertLines(w, azureCommand, func(w io.Writer) error {
		p := &printer{w: w}
		for _, s := range sections(r) {
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
		p.f("##vso[task.logissue %s]%s\n", strings.Join(props, ";"), azData(annotationText(f)))
	}
}

// annotationText is a finding's message for an annotation: the message, the
// operations it reaches, and how to avoid it on a second line.
func annotationText(f breaking.Finding) string {
	s := Message(f)
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
	return s
}

// counts is "4 breaking, 1 warning, 2 info".
func counts(r *breaking.Result) string {
	return r.Summary.Counts.String()
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

package report

import "github.com/connectordiff/connectordiff/breaking"

// section is one part of a report: a connector's findings with the two
// sides they are located in, or a repository comparison's policy findings,
// which have no sides (each names its policy file).
type section struct {
	profile  breaking.Profile
	old, new breaking.DocumentInfo
	findings []breaking.Finding
	summary  breaking.Summary
	// accept words the command that accepts findings by their ids; nil
	// where nothing can be accepted (a pair has no policy file, and the
	// policy's own findings are fixed in the policy).
	accept func(ids []string) string
}

func connectorSection(c *breaking.ConnectorResult) *section {
	return &section{profile: c.Profile, old: c.Old, new: c.New, findings: c.Findings, summary: c.Summary}
}

// repoSection is connector c of repository result r, whose breaks can be
// accepted on record.
func repoSection(r *breaking.Result, c *breaking.ConnectorResult, opts Options) *section {
	s := connectorSection(c)
	s.accept = func(ids []string) string { return AcceptCommand(r, opts, ids) }
	return s
}

func policySection(r *breaking.Result) *section {
	return &section{profile: r.Profile, findings: r.PolicyFindings, summary: breaking.SummaryOf(r.PolicyFindings)}
}

// sections lists every connector's section, then the policy's when it has
// findings. Counting needs no accept commands: Options{} does for it.
func sections(r *breaking.Result, opts Options) []*section {
	out := make([]*section, 0, len(r.Connectors)+1)
	for i := range r.Connectors {
		if r.IsPair() {
			out = append(out, connectorSection(&r.Connectors[i]))
		} else {
			out = append(out, repoSection(r, &r.Connectors[i], opts))
		}
	}
	if len(r.PolicyFindings) > 0 {
		out = append(out, policySection(r))
	}
	return out
}

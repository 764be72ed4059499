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
}

func connectorSection(c *breaking.ConnectorResult) *section {
	return &section{profile: c.Profile, old: c.Old, new: c.New, findings: c.Findings, summary: c.Summary}
}

func policySection(r *breaking.Result) *section {
	return &section{profile: r.Profile, findings: r.PolicyFindings, summary: breaking.SummaryOf(r.PolicyFindings)}
}

// sections lists every connector's section, then the policy's when it has
// findings.
func sections(r *breaking.Result) []*section {
	out := make([]*section, 0, len(r.Connectors)+1)
	for i := range r.Connectors {
		out = append(out, connectorSection(&r.Connectors[i]))
	}
	if len(r.PolicyFindings) > 0 {
		out = append(out, policySection(r))
	}
	return out
}

package report

import (
	"fmt"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
)

// A repository's reports print, for each breaking finding no one accepted,
// the command a reviewer runs in the pull request's checkout to accept it
// on record (`connectordiff accept`), which writes the acceptance into the
// policy file, where it is reviewed like code.

// AcceptReasonPlaceholder stands for the reason in the accept commands the
// reports print: the reviewer writes why the break is acceptable, and
// `connectordiff accept` refuses the placeholder itself.
const AcceptReasonPlaceholder = "<why this break is acceptable>"

// AcceptCommand is the command that accepts the findings ids of r on
// record: `connectordiff accept`, the arguments that find the change again
// (opts.AcceptArgs, or --base as r names it), the reason to write, then
// the ids. Every argument is quoted for a POSIX shell where it needs to be.
func AcceptCommand(r *breaking.Result, opts Options, ids []string) string {
	args := opts.AcceptArgs
	if args == nil && r.Range != nil {
		args = []string{"--base", r.Range.Base}
		if r.Range.Head == "(staged)" {
			args = append(args, "--staged")
		}
	}
	words := []string{"connectordiff", "accept"}
	for _, a := range args {
		words = append(words, shellQuote(a))
	}
	words = append(words, "--reason", shellQuote(AcceptReasonPlaceholder))
	for _, id := range ids {
		words = append(words, shellQuote(id))
	}
	return strings.Join(words, " ")
}

// shellQuote quotes s for a POSIX shell unless it is made of characters
// no shell reads as syntax.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// acceptable reports whether a report of s offers to accept f: a breaking
// finding of a repository's connector that no one accepted.
func acceptable(s *section, f breaking.Finding) bool {
	return s.accept != nil && f.Level == breaking.Breaking && f.Accepted == nil
}

// acceptLine is the accept command for a finding as shown, which stands
// for ids (each copy of the same change in other places), or "".
func acceptLine(s *section, f shownFinding) string {
	if !acceptable(s, f.Finding) {
		return ""
	}
	return s.accept(f.ids)
}

// acceptNote says when an acceptance takes effect: at once, or, when the
// policy is read from the base revision, once the pull request is merged.
func acceptNote(r *breaking.Result) string {
	if r.PolicyFrom == breaking.PolicyFromBase {
		return "The policy is read from the base revision, so an acceptance takes effect once the pull request is merged."
	}
	return "The acceptance goes into the policy file (the connector folder's own, else the root's), reviewed with the pull request; the gate passes once nothing else breaks."
}

// unpublishedLines name the connectors a policy declares not published
// yet, whose breaks are listed as warnings.
func unpublishedLines(r *breaking.Result) []string {
	var out []string
	for i := range r.Connectors {
		c := &r.Connectors[i]
		if c.Unpublished != "" {
			out = append(out, fmt.Sprintf("%s is not published yet (published: false, %s): its breaks are listed as warnings",
				connectorName(c), c.Unpublished))
		}
	}
	return out
}

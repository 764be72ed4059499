package gate

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// history is what the repository comparison knows beyond two versions:
// the history, for deprecation windows.
type history struct {
	repo *gitrepo.Repo
	base string    // the merge base commit
	now  time.Time // when the change is judged: the clock's time, never a commit's
	days int       // the deprecation window
}

// maxHistory bounds how many versions of a definition the history is read
// for, looking for when an operation was first deprecated.
const maxHistory = 200

// deprecationWindows turns the removal of an operation that the history
// shows deprecated for at least the window into the warning
// deprecated-operation-removed, naming the date it was deprecated.
func (g *history) deprecationWindows(ctx context.Context, c *breaking.ConnectorResult, j judgedConnector) error {
	if j.base == nil || g.days <= 0 {
		return nil
	}
	var removed []int
	for i, f := range c.Findings {
		if f.Rule == breaking.OperationRemoved && f.Operation != "" && j.base.Definition.Deprecated(f.Operation) {
			removed = append(removed, i)
		}
	}
	if len(removed) == 0 {
		return nil
	}
	file := j.base.Files[0].Name
	defPath := path.Join(oldFolder(c), file)
	revs, err := g.repo.History(ctx, g.base, defPath, maxHistory)
	if err != nil {
		return err
	}
	// Load each version once, newest first, while it is needed.
	var versions []*connector.Document
	version := func(i int) (*connector.Document, error) {
		for len(versions) <= i {
			t, err := g.repo.Tree(ctx, revs[len(versions)].Commit)
			if err != nil {
				return nil, err
			}
			data, err := connector.ReadFileFS(t, defPath, defPath, connector.LoadOptions{})
			t.Close()
			var d *connector.Document
			if err == nil {
				d, _ = connector.Load(defPath, data, connector.LoadOptions{}) // an unreadable old version ends the search
			}
			versions = append(versions, d)
		}
		return versions[i], nil
	}
	// A commit's date is what its author set. Along the first-parent line a
	// commit was received no later than any commit after it, nor than now,
	// so each date is capped by those: a forged date can only shorten a
	// deprecation window, never lengthen one.
	received := make([]time.Time, len(revs))
	latest := g.now
	for i, r := range revs {
		if r.Time.Before(latest) {
			latest = r.Time
		}
		received[i] = latest
	}
	for _, fi := range removed {
		f := &c.Findings[fi]
		// The deprecation date is when the branch received the oldest
		// version of the unbroken run, newest first, in which the operation
		// is deprecated.
		var since time.Time
		for i := range revs {
			d, err := version(i)
			if err != nil {
				return err
			}
			if d == nil || !d.Deprecated(f.Operation) {
				break
			}
			since = received[i]
		}
		if since.IsZero() {
			continue
		}
		days := int(g.now.Sub(since).Hours() / 24)
		if days < g.days {
			f.Message += fmt.Sprintf(" (deprecated since %s, %d days before the removal: less than the %d-day window)",
				since.Format("2006-01-02"), days, g.days)
			continue
		}
		msg := fmt.Sprintf("%s, deprecated since %s (%d days before the removal)", strings.TrimSuffix(f.Message, "."),
			since.Format("2006-01-02"), days)
		nf, ok := j.policy.Finding(breaking.DeprecatedOperationRemoved, msg, f.ValuePath, f.File, f.Old, f.New)
		if !ok {
			c.Findings[fi].Level = breaking.Off
			continue
		}
		nf.Operation, nf.Operations, nf.Change = f.Operation, f.Operations, f.Change
		nf.Before, nf.After = since.Format("2006-01-02"), ""
		*f = nf
	}
	// Drop findings a policy turned off, and ask again for a new version:
	// the removals may have been all that broke.
	kept := c.Findings[:0]
	for _, f := range c.Findings {
		if f.Level != breaking.Off && f.Rule != breaking.VersionNotBumped && f.Rule != breaking.VersionDecreased {
			kept = append(kept, f)
		}
	}
	c.Findings = append(kept, j.policy.VersionFindings(kept, j.versions)...)
	return nil
}

// oldFolder is the connector's folder in the base.
func oldFolder(c *breaking.ConnectorResult) string {
	if c.OldFolder != "" {
		return c.OldFolder
	}
	return c.Folder
}

// applyAcceptances marks the findings each accepted change covers (a
// folder's acceptances cover its own connector only), and returns the
// findings about the acceptances themselves: expired ones (whose findings
// count again) and ones that matched nothing.
func applyAcceptances(policy *breaking.Policy, connectors []breaking.ConnectorResult, accept []*scopedAcceptance, now time.Time) []breaking.Finding {
	var out []breaking.Finding
	for _, a := range accept {
		a.lapsed = a.expired(now)
		for ci := range connectors {
			if a.only >= 0 && a.only != ci {
				continue
			}
			c := &connectors[ci]
			title := c.New.Title
			if title == "" {
				title = c.Old.Title
			}
			for fi := range c.Findings {
				f := &c.Findings[fi]
				if f.Accepted != nil || !a.matches(*f, c.Folder, title) {
					continue
				}
				a.matched++
				if a.lapsed {
					continue
				}
				acc := &breaking.Accepted{Reason: a.Reason, By: fmt.Sprintf("%s:%d:%d", a.File, a.At.Line, a.At.Column), InChange: a.inChange}
				if a.Expires != nil {
					acc.Expires = a.Expires.Format("2006-01-02")
				}
				f.Accepted = acc
			}
		}
		at := &connector.Location{Line: a.At.Line, Column: a.At.Column}
		switch {
		case a.matched > 0 && a.lapsed:
			if f, ok := policy.Finding(breaking.AcceptanceExpired, fmt.Sprintf("the accepted change %s expired on %s; the %d findings it covered count again",
				a.Acceptance, a.Expires.Format("2006-01-02"), a.matched), "accept", a.File, nil, at); ok {
				out = append(out, f)
			}
		case a.matched == 0:
			if f, ok := policy.Finding(breaking.AcceptanceStale, fmt.Sprintf("the accepted change %s matched no finding", a.Acceptance), "accept", a.File, nil, at); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// sortPolicyFindings orders the policy's own findings by file and place.
func sortPolicyFindings(fs []breaking.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.New.Line < b.New.Line || a.New.Line == b.New.Line && a.New.Column < b.New.Column
	})
}

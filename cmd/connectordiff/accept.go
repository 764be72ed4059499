package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/gitrepo"
	"github.com/connectordiff/connectordiff/logsafe"
	"github.com/connectordiff/connectordiff/report"
)

// acceptFlags are the flags of `connectordiff accept`: those of a
// repository comparison, which find the findings again, and the
// acceptance's own.
type acceptFlags struct {
	compareFlags
	reason, expires            string
	rule, operation, connector string
}

func newAccept(e env) *cobra.Command {
	var fl acceptFlags
	cmd := &cobra.Command{
		Use:   "accept --base REV --reason TEXT [--expires YYYY-MM-DD] ID... | accept --rule RULE --operation OP [--connector F] --reason TEXT",
		Short: "Accept a breaking change on record, in the policy file, for review with the pull request",
		Long: `Accept breaking changes on record: write the acceptance into the policy file, the connector folder's
own .connectordiff.yaml when it has one, the root's otherwise (or the file --config names), keeping the
file's comments, order and layout; the change to it is the new entry only, reviewed like code.

By id: the ids are those the reports give (JSON id, SARIF partialFingerprints, the accept commands the
reports print; a unique prefix of 6 digits or more will do). The command compares the repository again,
with --base and the other flags the gate was given (the reports' accept commands repeat them), and the
work tree as the head: run it in the pull request's checkout. It names the rule of each finding in the
entry, and refuses an id that matches no finding, matches several, or is accepted already.

By rule: --rule and --operation (and --connector, a folder or glob or title) accept that rule's findings
for that operation, without comparing anything.

--reason is required: say why the break is acceptable. --expires makes the acceptance end after that day.`,
		Example: `  connectordiff accept --base origin/main --reason 'announced in the June release notes' 3f2a9c1b7e4d5a6b
  connectordiff accept --rule operation-removed --operation ListTasksV1 --connector connectors/contoso \
    --reason 'deprecated since 2025-06' --expires 2026-12-31`,
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.deprecationDaysSet = cmd.Flags().Changed("deprecation-days")
			return runAccept(cmd.Context(), e, fl, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.reason, "reason", "", "why the break is acceptable (required); reviewers and later readers see it")
	f.StringVar(&fl.expires, "expires", "", "the last day the acceptance holds, YYYY-MM-DD (default: no end)")
	f.StringVar(&fl.rule, "rule", "", "accept this rule's findings (with --operation) instead of findings by id")
	f.StringVar(&fl.operation, "operation", "", "with --rule: the operationId whose findings are accepted")
	f.StringVar(&fl.connector, "connector", "", "with --rule: the connector, as its folder from the repository's root, a glob, or its title")
	f.StringVar(&fl.base, "base", "", "with ids: the revision the gate compared with (the pull request's target branch)")
	f.StringVar(&fl.head, "head", "", "with ids: compare with this revision instead of the work tree")
	f.BoolVar(&fl.staged, "staged", false, "with ids: compare the staged files instead of the work tree")
	f.StringVarP(&fl.dir, "dir", "C", "", "run in this folder of the repository")
	f.StringVar(&fl.config, "config", "", "the root policy file (default: "+gate.ConfigFile+" at the repository's root)")
	f.StringVar(&fl.policyFrom, "policy-from", "", "with ids: whose policy files apply, head or base, as the gate was given")
	f.StringVar(&fl.now, "now", "", "with ids: judge as of this time, as the gate was given")
	f.IntVar(&fl.deprecationDays, "deprecation-days", 0, "with ids: the deprecation window, as the gate was given")
	f.StringVar(&fl.profile, "profile", "", "with ids: the profile, as the gate was given")
	f.StringArrayVar(&fl.levels, "level", nil, "with ids: a rule's level, RULE=LEVEL, as the gate was given; repeatable")
	f.Int64Var(&fl.maxBytes, "max-bytes", 0, "largest input accepted, in bytes (default 64 MiB)")
	f.IntVar(&fl.maxConnectors, "max-connectors", 0, "with ids: the most connector folders a change may touch, as the gate was given")
	return cmd
}

// minIDPrefix is the shortest prefix of an id the command takes.
const minIDPrefix = 6

var hexRE = regexp.MustCompile(`^[0-9a-f]+$`)

// accepting is one acceptance to write, and the policy file it goes to.
type accepting struct {
	file   string // on disk
	shown  string // as messages name it
	a      breaking.Acceptance
	what   string // what it accepts, for the summary
	folder string // the connector's folder, "" for the root's file
}

func runAccept(ctx context.Context, e env, fl acceptFlags, ids []string) error {
	reason := strings.TrimSpace(fl.reason)
	switch {
	case reason == "":
		return errors.New("--reason: say why the break is acceptable; reviewers read it")
	case strings.Contains(reason, report.AcceptReasonPlaceholder):
		return fmt.Errorf("--reason: replace %s with the reason", report.AcceptReasonPlaceholder)
	}
	var expires *time.Time
	if fl.expires != "" {
		t, err := time.Parse(time.DateOnly, fl.expires)
		if err != nil || t.Format(time.DateOnly) != fl.expires {
			return fmt.Errorf("--expires %q: want a date as YYYY-MM-DD", fl.expires)
		}
		today := time.Now()
		if fl.now != "" {
			if today, err = parseNow(fl.now); err != nil {
				return err
			}
		}
		if t.Add(24 * time.Hour).Before(today) {
			return fmt.Errorf("--expires %s is past: the acceptance would accept nothing", fl.expires)
		}
		expires = &t
	}
	byRule := fl.rule != "" || fl.operation != "" || fl.connector != ""
	switch {
	case byRule && len(ids) > 0:
		return errors.New("accept takes ids, or --rule and --operation, not both")
	case !byRule && len(ids) == 0:
		return errors.New("accept takes the ids of the findings to accept (the reports give them), or --rule and --operation")
	case byRule && (fl.rule == "" || fl.operation == ""):
		return errors.New("--rule and --operation go together: the acceptance speaks for one operation")
	case !byRule && fl.base == "":
		return errors.New("accepting by id compares the repository again: give --base as the gate was given (the reports' accept commands do)")
	}
	dir, opts, err := fl.revisionOptions(e, nil, nil)
	if err != nil {
		return err
	}
	repo, err := gitrepo.Open(ctx, dir)
	if err != nil {
		return err
	}
	top := repo.Top
	if top == "" {
		return errors.New("accept writes a policy file of the work tree: this repository has none")
	}
	root := filepath.Join(top, gate.ConfigFile)
	if fl.config != "" {
		root = fl.configPath(e)
	}
	var todo []accepting
	var source breaking.PolicySource
	if byRule {
		if _, ok := breaking.Lookup(fl.rule); !ok {
			return fmt.Errorf("--rule: unknown rule id %s (see `connectordiff rules`)", fl.rule)
		}
		if _, err := path.Match(fl.connector, ""); err != nil {
			return fmt.Errorf("--connector: %q is not a valid pattern", fl.connector)
		}
		a := breaking.Acceptance{Rule: fl.rule, Operation: fl.operation, Connector: fl.connector, Reason: reason, Expires: expires}
		what := fl.rule + " for " + fl.operation
		file, folder := root, ""
		if own := ownPolicy(top, fl.connector, true); own != "" {
			file, folder, a.Connector = own, fl.connector, ""
		}
		todo = append(todo, accepting{file: file, a: a, what: what, folder: folder})
	} else {
		judging, err := fl.options()
		if err != nil {
			return err
		}
		rr, err := connectordiff.CompareRevisions(ctx, dir, fl.base, fl.head, append(judging, opts...)...)
		if err != nil {
			return err
		}
		source = rr.PolicyFrom
		found, err := findIDs(rr, ids)
		if err != nil {
			return err
		}
		for _, f := range found {
			a := breaking.Acceptance{ID: f.finding.ID, Rule: f.finding.Rule, Reason: reason, Expires: expires}
			what := f.finding.Rule
			if len(f.finding.Operations) > 0 {
				what += " in " + strings.Join(f.finding.Operations, ", ")
			}
			file, folder := root, ""
			if own := ownPolicy(top, f.folder, false); own != "" {
				file, folder = own, f.folder
			}
			todo = append(todo, accepting{file: file, a: a, what: f.finding.ID + " (" + f.folder + ": " + what + ")", folder: folder})
		}
	}
	for i := range todo {
		todo[i].shown = todo[i].file
		if rel, err := filepath.Rel(top, todo[i].file); err == nil && !strings.HasPrefix(rel, "..") {
			todo[i].shown = filepath.ToSlash(rel)
		}
	}
	if err := writeAcceptances(top, todo); err != nil {
		return err
	}
	for _, t := range todo {
		fmt.Fprintf(e.stdout, "%s: accepted %s\n", logsafe.Line(t.shown), logsafe.Line(t.what))
	}
	if source == breaking.PolicyFromBase {
		fmt.Fprintln(e.stderr, "connectordiff: note: the gate reads the policy from the base revision (policyFrom: base), so the acceptance takes effect once the pull request is merged")
	}
	return nil
}

// foundFinding is a finding an id named, and its connector's folder.
type foundFinding struct {
	finding breaking.Finding
	folder  string
}

// findIDs looks up each id, or unique prefix of one, among the findings of
// the connectors of rr. An id that names nothing, several findings, a
// finding about the policy itself or one accepted already is an error.
func findIDs(rr *breaking.Result, ids []string) ([]foundFinding, error) {
	var all []foundFinding
	for _, c := range rr.Connectors {
		for _, f := range c.Findings {
			all = append(all, foundFinding{f, c.Folder})
		}
	}
	seen := map[string]bool{}
	var out []foundFinding
	var errs []error
	for _, id := range ids {
		want := strings.ToLower(strings.TrimSpace(id))
		if len(want) < minIDPrefix || len(want) > breaking.IDLength || !hexRE.MatchString(want) {
			errs = append(errs, fmt.Errorf("%s: not a finding's id (%d hexadecimal digits, or at least the first %d)",
				logsafe.Line(id), breaking.IDLength, minIDPrefix))
			continue
		}
		var match []foundFinding
		for _, f := range all {
			if strings.HasPrefix(f.finding.ID, want) {
				match = append(match, f)
			}
		}
		policy := false
		for _, f := range rr.PolicyFindings {
			policy = policy || strings.HasPrefix(f.ID, want)
		}
		switch {
		case len(match) == 0 && policy:
			errs = append(errs, fmt.Errorf("%s: a finding about the policy file itself: change the policy file instead", want))
		case len(match) == 0:
			errs = append(errs, fmt.Errorf("%s: no finding has this id in %s (%d findings); is the checkout up to date with the pull request, "+
				"and are --base and the other flags the gate's?", want, logsafe.Line(describeRange(rr)), len(all)))
		case len(match) > 1:
			errs = append(errs, fmt.Errorf("%s: %d findings' ids start so: give more of the id", want, len(match)))
		case match[0].finding.Accepted != nil:
			errs = append(errs, fmt.Errorf("%s: accepted already, by %s", match[0].finding.ID, logsafe.Line(match[0].finding.Accepted.By)))
		case !seen[match[0].finding.ID]:
			seen[match[0].finding.ID] = true
			out = append(out, match[0])
		}
	}
	return out, errors.Join(errs...)
}

// describeRange names what was compared, for messages.
func describeRange(rr *breaking.Result) string {
	if rr.Range == nil {
		return "the change"
	}
	head := rr.Range.Head
	if head == "" {
		head = "the work tree"
	}
	return rr.Range.Base + "..." + head
}

// ownPolicy is the policy file of the connector in folder (from the
// repository's root) when it has one in the work tree, else "". A folder
// given as --connector may be a pattern or a title, which the root's file
// speaks for.
func ownPolicy(top, folder string, given bool) string {
	if folder == "" || given && strings.ContainsAny(folder, "*?[\\") || path.IsAbs(folder) || path.Clean(folder) != folder ||
		folder == ".." || strings.HasPrefix(folder, "../") {
		return ""
	}
	p := filepath.Join(top, filepath.FromSlash(folder), gate.ConfigFile)
	if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() {
		return p
	}
	return ""
}

// writeAcceptances adds each acceptance to its file, every file checked
// before any is written: the file and the folders above it up to the
// repository's root are no symbolic links (a checkout's link could point
// anywhere, ~/.bashrc included), and each edit keeps what the file says.
func writeAcceptances(top string, todo []accepting) error {
	edited := map[string][]byte{}
	var order []string
	for _, t := range todo {
		data, ok := edited[t.file]
		if !ok {
			if err := noLinks(top, t.file); err != nil {
				return err
			}
			var err error
			data, err = os.ReadFile(t.file)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			order = append(order, t.file)
		}
		out, err := gate.AddAcceptance(t.shown, data, t.a)
		if err != nil {
			return err
		}
		edited[t.file] = out
	}
	for _, file := range order {
		data := edited[file]
		if err := writeFile(file, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return err
		}
	}
	return nil
}

// noLinks checks that no part of file from the repository's root down is
// a symbolic link; a file outside the repository (--config elsewhere) is
// checked itself only.
func noLinks(top, file string) error {
	rel, err := filepath.Rel(top, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		rel, top = filepath.Base(file), filepath.Dir(file)
	}
	p := top
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link: connectordiff does not write a policy file through links", p)
		}
	}
	return nil
}

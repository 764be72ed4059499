package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"time"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/gitrepo"
	"github.com/connectordiff/connectordiff/logsafe"
)

// runRevisions compares the connectors of a git repository that changed
// since the merge base with --base, and writes one report over all of them.
func runRevisions(ctx context.Context, e env, fl compareFlags, paths []string) error {
	rs, err := fl.reportSetup()
	if err != nil {
		return err
	}
	dir, opts, err := fl.revisionOptions(e, rs.opts, paths)
	if err != nil {
		return err
	}
	if pr := newProgress(e.stderr); pr != nil {
		opts = append(opts, connectordiff.Progress(pr.update))
		defer pr.done()
	}
	rr, err := connectordiff.CompareRevisions(ctx, dir, fl.base, fl.head, opts...)
	if err != nil && (rr == nil || !errors.Is(err, gate.ErrIncomplete)) {
		return err
	}
	rs.report.AcceptArgs = fl.acceptArgs()
	if fl.head != "" && fl.config == "" {
		for _, p := range uncommittedPolicies(ctx, dir, rr) {
			fmt.Fprintf(e.stderr, "connectordiff: note: %s has uncommitted changes, which --head %s does not see: "+
				"policy files are read from the revisions compared\n", logsafe.Line(p), logsafe.Line(fl.head))
		}
	}
	// A connector that could not be compared is in the reports (status
	// error), beside every other one judged; the run still exits 2.
	if err := writeOutputs(rs.outputs, e.stdout, rr, rs.report, rs.color); err != nil {
		return err
	}
	if unread := rr.Unread(); len(unread) > 0 {
		// One line per connector, the first saying what became of the rest.
		errs := []error{fmt.Errorf("%s (%d of %d connectors could not be compared: status error in the report, beside the others judged)",
			unread[0].Error, len(unread), len(rr.Connectors))}
		for _, c := range unread[1:] {
			errs = append(errs, errors.New(c.Error))
		}
		return errors.Join(errs...)
	}
	if rr.Fails(rs.failOn) {
		return errFindings
	}
	return nil
}

// revisionOptions turns the flags of a repository comparison into the
// folder it runs in and the library's options, over opts (the judging
// flags').
func (fl compareFlags) revisionOptions(e env, opts []connectordiff.Option, paths []string) (string, []connectordiff.Option, error) {
	dir := fl.dir
	if dir == "" {
		dir = e.dir
	} else if e.dir != "" && !filepath.IsAbs(dir) {
		dir = filepath.Join(e.dir, dir)
	}
	if dir == "" {
		dir = "."
	}
	opts = append(opts, connectordiff.Paths(paths...), connectordiff.MaxConnectors(fl.maxConnectors))
	if fl.deprecationDaysSet {
		opts = append(opts, connectordiff.DeprecationDays(fl.deprecationDays))
	}
	if fl.staged {
		if fl.head != "" {
			return "", nil, fmt.Errorf("--staged compares the staged files; it takes no --head")
		}
		opts = append(opts, connectordiff.Staged())
	}
	if fl.config != "" {
		opts = append(opts, connectordiff.PolicyFile(fl.configPath(e)))
	}
	if fl.policyFrom != "" {
		src, err := breaking.ParsePolicySource(fl.policyFrom)
		if err != nil {
			return "", nil, fmt.Errorf("--policy-from: %w", err)
		}
		opts = append(opts, connectordiff.PolicyFrom(src))
	}
	if fl.now != "" {
		at, err := parseNow(fl.now)
		if err != nil {
			return "", nil, err
		}
		opts = append(opts, connectordiff.Now(func() time.Time { return at }))
	}
	return dir, opts, nil
}

// configPath is the file --config names, from the folder the command runs
// in.
func (fl compareFlags) configPath(e env) string {
	if e.dir != "" && !filepath.IsAbs(fl.config) {
		return filepath.Join(e.dir, fl.config)
	}
	return fl.config
}

// acceptArgs are the flags of this comparison that `connectordiff accept`
// needs to find its findings again, as the reports print them: those that
// change which findings there are. --head and -C are left out: a reviewer
// runs the command in the pull request's checkout, whose work tree is the
// head.
func (fl compareFlags) acceptArgs() []string {
	args := []string{"--base", fl.base}
	if fl.staged {
		args = append(args, "--staged")
	}
	if fl.config != "" {
		args = append(args, "--config", fl.config)
	}
	if fl.policyFrom != "" {
		args = append(args, "--policy-from", fl.policyFrom)
	}
	if fl.profile != "" {
		args = append(args, "--profile", fl.profile)
	}
	for _, l := range fl.levels {
		args = append(args, "--level", l)
	}
	if fl.now != "" {
		args = append(args, "--now", fl.now)
	}
	if fl.deprecationDaysSet {
		args = append(args, "--deprecation-days", strconv.Itoa(fl.deprecationDays))
	}
	if fl.maxConnectors != 0 {
		args = append(args, "--max-connectors", strconv.Itoa(fl.maxConnectors))
	}
	if fl.maxBytes != 0 {
		args = append(args, "--max-bytes", strconv.FormatInt(fl.maxBytes, 10))
	}
	return args
}

// progress shows "comparing connectors: 12 of 40" on a terminal's stderr,
// from the first second on, and clears it at the end.
type progress struct {
	w     io.Writer
	start time.Time
	shown bool
	what  string // what is counted ("" for comparing connectors)
}

// newProgress returns a progress line for w when w is a terminal, else nil.
// It writes to the terminal itself, past the line-by-line net on stderr,
// which would hold back a line that "\r" keeps rewriting: the line holds
// only numbers.
func newProgress(w io.Writer) *progress {
	if net, ok := w.(interface{ Unwrap() io.Writer }); ok {
		w = net.Unwrap()
	}
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progress{w: w, start: time.Now()}
}

func (p *progress) update(done, total int) {
	if time.Since(p.start) < time.Second {
		return
	}
	p.shown = true
	fmt.Fprintf(p.w, "\r%s: %d of %d", cmp.Or(p.what, "comparing connectors"), done, total)
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// parseNow reads --now: a day (its start, UTC) or an RFC 3339 time.
func parseNow(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--now %q: want YYYY-MM-DD or an RFC 3339 time such as 2026-12-07T10:00:00Z", s)
	}
	return t, nil
}

// uncommittedPolicies lists the policy files of the comparison (the root's
// and those of the connectors compared) whose copy in the work tree differs
// from the head revision's: a comparison of commits does not see them, and
// says so rather than apply a policy its user did not mean.
func uncommittedPolicies(ctx context.Context, dir string, rr *breaking.Result) []string {
	if rr == nil || rr.Range == nil || rr.Range.HeadCommit == "" {
		return nil
	}
	repo, err := gitrepo.Open(ctx, dir)
	if err != nil || repo.Top == "" {
		return nil
	}
	head, err := repo.Tree(ctx, rr.Range.HeadCommit)
	if err != nil {
		return nil
	}
	defer head.Close()
	work, err := repo.WorkTree(ctx)
	if err != nil {
		return nil
	}
	defer work.Close()
	files := []string{gate.ConfigFile}
	for _, c := range rr.Connectors {
		files = append(files, path.Join(c.Folder, gate.ConfigFile))
	}
	var out []string
	for _, f := range files {
		inWork, err := readSmall(work, f)
		if err != nil {
			continue
		}
		if inHead, err := readSmall(head, f); err != nil || !bytes.Equal(inWork, inHead) {
			out = append(out, f)
		}
	}
	return out
}

// readSmall reads a policy file, or its first MiB, which is enough to tell
// two copies apart.
func readSmall(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 1<<20))
}

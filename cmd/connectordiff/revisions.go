package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
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
	if err != nil {
		return err
	}
	rs.report.AcceptArgs = fl.acceptArgs()
	if err := writeOutputs(rs.outputs, e.stdout, rr, rs.report, rs.color); err != nil {
		return err
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

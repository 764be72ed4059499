package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/connectordiff/connectordiff"
)

// runRevisions compares the connectors of a git repository that changed
// since the merge base with --base, and writes one report over all of them.
func runRevisions(ctx context.Context, e env, fl compareFlags, paths []string) error {
	rs, err := fl.reportSetup()
	if err != nil {
		return err
	}
	dir := fl.dir
	if dir == "" {
		dir = e.dir
	} else if e.dir != "" && !filepath.IsAbs(dir) {
		dir = filepath.Join(e.dir, dir)
	}
	if dir == "" {
		dir = "."
	}
	ropts := []connectordiff.RepoOption{connectordiff.Paths(paths...), connectordiff.MaxConnectors(fl.maxConnectors)}
	if fl.deprecationDaysSet {
		ropts = append(ropts, connectordiff.DeprecationDays(fl.deprecationDays))
	}
	if fl.staged {
		if fl.head != "" {
			return fmt.Errorf("--staged compares the staged files; it takes no --head")
		}
		ropts = append(ropts, connectordiff.Staged())
	}
	if fl.config != "" {
		cfg := fl.config
		if e.dir != "" && !filepath.IsAbs(cfg) {
			cfg = filepath.Join(e.dir, cfg)
		}
		ropts = append(ropts, connectordiff.PolicyFile(cfg))
	}
	if pr := newProgress(e.stderr); pr != nil {
		ropts = append(ropts, connectordiff.Progress(pr.update))
		defer pr.done()
	}
	rr, err := connectordiff.CompareRevisions(ctx, dir, fl.base, fl.head, rs.opts, ropts...)
	if err != nil {
		return err
	}
	if err := writeRepoOutputs(rs.outputs, e.stdout, rr, rs.report, rs.color); err != nil {
		return err
	}
	if rr.Fails(rs.failOn) {
		return errFindings
	}
	return nil
}

// progress shows "comparing connectors: 12 of 40" on a terminal's stderr,
// from the first second on, and clears it at the end.
type progress struct {
	w     io.Writer
	start time.Time
	shown bool
}

// newProgress returns a progress line for w when w is a terminal, else nil.
func newProgress(w io.Writer) *progress {
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
	fmt.Fprintf(p.w, "\rcomparing connectors: %d of %d", done, total)
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/escape"
	"github.com/connectordiff/connectordiff/report"
)

// runBatch compares every pair --pairs lists in one process and writes one
// JSON report a line, in the order of the pairs; a pair that cannot be read
// gets a line {"old", "new", "status": "error", "error"} and the batch goes
// on, as a repository comparison goes on past a connector it cannot read. The exit status
// is 2 when any pair failed, else 1 when any reached --fail-on.
func runBatch(ctx context.Context, e env, fl compareFlags) error {
	failOn, err := breaking.ParseThreshold(fl.failOn)
	if err != nil {
		return fmt.Errorf("--fail-on: %w", err)
	}
	if len(fl.formats) > 0 {
		return errors.New("--pairs writes JSON lines; it takes no --format")
	}
	opts, err := fl.options()
	if err != nil {
		return err
	}
	var in io.Reader = e.stdin
	if fl.pairs != "-" {
		p := fl.pairs
		if e.dir != "" && !filepath.IsAbs(p) {
			p = filepath.Join(e.dir, p)
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	pairs, err := readPairs(in)
	if err != nil {
		return fmt.Errorf("--pairs %s: %w", fl.pairs, err)
	}
	if e.dir != "" {
		for i := range pairs {
			for _, p := range []*string{&pairs[i].Old, &pairs[i].New} {
				if !filepath.IsAbs(*p) {
					*p = filepath.Join(e.dir, *p)
				}
			}
		}
	}
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	failed, reached := 0, false
	err = connectordiff.CompareEach(ctx, pairs, func(_ int, r connectordiff.PairResult) error {
		if r.Err != nil {
			failed++
			// As a repository's report lists a connector it could not read:
			// status error and the located message.
			line, _ := json.Marshal(struct {
				Old    string          `json:"old"`
				New    string          `json:"new"`
				Status breaking.Status `json:"status"`
				Error  string          `json:"error"`
			}{r.Old, r.New, breaking.StatusError, r.Err.Error()})
			_, err := w.Write(append(escape.JSON(line), '\n'))
			return err
		}
		reached = reached || r.Result.Fails(failOn)
		return report.JSON(w, r.Result, report.Options{Compact: true})
	}, opts...)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	switch {
	case err != nil:
		return err
	case failed > 0:
		return fmt.Errorf("%d of %d pairs could not be compared (see their \"error\" lines)", failed, len(pairs))
	case reached:
		return errFindings
	}
	return nil
}

// readPairs reads the --pairs list, one a line: either OLD and NEW separated
// by a tab, or a JSON object {"old": "...", "new": "..."}. Blank lines and
// lines starting with # are skipped. Errors name the line.
func readPairs(r io.Reader) ([]connectordiff.Pair, error) {
	var out []connectordiff.Pair
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var p connectordiff.Pair
		if strings.HasPrefix(line, "{") {
			if err := json.Unmarshal([]byte(line), &p); err != nil {
				return nil, fmt.Errorf("line %d: %v", n, err)
			}
		} else if old, new, ok := strings.Cut(line, "\t"); ok {
			p = connectordiff.Pair{Old: strings.TrimSpace(old), New: strings.TrimSpace(new)}
		}
		if p.Old == "" || p.New == "" {
			return nil, fmt.Errorf(`line %d: want OLD<tab>NEW or {"old": "...", "new": "..."}, got %q`, n, line)
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/logsafe"
	"github.com/connectordiff/connectordiff/report"
)

func main() {
	dir := flag.String("C", ".", "the repository")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: repogate [-C DIR] BASE HEAD")
		os.Exit(2)
	}
	os.Exit(gate(context.Background(), os.Stdout, os.Stderr, *dir, flag.Arg(0), flag.Arg(1)))
}

func gate(ctx context.Context, stdout, stderr io.Writer, dir, base, head string) int {
	rr, err := connectordiff.CompareRevisions(ctx, dir, base, head)
	if err != nil {
		fmt.Fprintln(stderr, logsafe.Line(err.Error()))
		return 2
	}
	// Folder names and messages come from the pull request: logsafe.Line
	// keeps each on its line, and keeps CI commands out of the log.
	for _, c := range rr.Connectors {
		fmt.Fprintf(stdout, "%s %s %s\n", logsafe.Line(c.Folder), c.Status, c.Max())
		for _, f := range c.Breaking() {
			if f.Accepted == nil {
				fmt.Fprintf(stdout, "  %s: %s\n", f.Rule, logsafe.Line(report.Message(f)))
			}
		}
	}
	if rr.Fails(breaking.Breaking) {
		return 1
	}
	return 0
}

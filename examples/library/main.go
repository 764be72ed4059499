package main

import (
	"context"
	"fmt"
	"os"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/logsafe"
	"github.com/connectordiff/connectordiff/report"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: library OLD NEW")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1], os.Args[2]))
}

// run is the five lines.
func run(oldPath, newPath string) int {
	res, err := connectordiff.CompareFiles(context.Background(), oldPath, newPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, logsafe.Line(err.Error())) // file:line:column: cause, escaped for the log
		return 2
	}
	report.Text(os.Stdout, res, report.Options{Explain: true})
	if len(res.Breaking()) > 0 {
		return 1
	}
	return 0
}

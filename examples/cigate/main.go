package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/logsafe"
	"github.com/connectordiff/connectordiff/report"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: cigate OLD NEW")
		os.Exit(2)
	}
	os.Exit(gate(context.Background(), os.Stdout, os.Stderr, os.Getenv, os.Args[1], os.Args[2]))
}

// sarifFile is where the gate leaves its SARIF log, for
// github/codeql-action/upload-sarif or a build artifact.
const sarifFile = "connectordiff.sarif"

// gate judges the update and returns the exit status. getenv says which CI
// system it runs on; the environment is passed in so tests can choose.
func gate(ctx context.Context, stdout, stderr io.Writer, getenv func(string) string, oldPath, newPath string) int {
	res, err := connectordiff.CompareFiles(ctx, oldPath, newPath)
	if err != nil {
		fmt.Fprintln(stderr, logsafe.Line(err.Error())) // it quotes the file's name and values
		return 2
	}
	format := report.FormatText
	switch {
	case getenv("GITHUB_ACTIONS") == "true":
		format = report.FormatGitHub
	case getenv("TF_BUILD") == "True": // set by Azure Pipelines
		format = report.FormatAzure
	}
	if err := report.Render(stdout, format, res, report.Options{}); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if dir := getenv("CONNECTORDIFF_SARIF_DIR"); dir != "" {
		if err := writeSARIF(dir+string(os.PathSeparator)+sarifFile, res); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
	}
	if res.Max() >= breaking.Breaking {
		return 1
	}
	return 0
}

func writeSARIF(path string, res *breaking.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.SARIF(f, res, report.Options{MinLevel: breaking.Info}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

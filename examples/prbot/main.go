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
		fmt.Fprintln(os.Stderr, "usage: prbot OLD NEW > comment.md")
		os.Exit(2)
	}
	if err := writeComment(context.Background(), os.Stdout, os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "prbot:", logsafe.Line(err.Error()))
		os.Exit(2)
	}
}

// marker lets the bot find its own earlier comment and edit it instead of
// adding another on every push.
const marker = "<!-- connectordiff-comment -->\n"

// writeComment writes the Markdown comment for an update.
func writeComment(ctx context.Context, w io.Writer, oldPath, newPath string) error {
	res, err := connectordiff.CompareFiles(ctx, oldPath, newPath)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, marker); err != nil {
		return err
	}
	// The rule links point at the catalog of the running version, which is
	// absolute: the comment is read on the connector's repository.
	return report.Markdown(w, res, report.Options{
		MinLevel: breaking.Warning,
		MaxChars: report.DefaultMaxChars - len(marker),
	})
}

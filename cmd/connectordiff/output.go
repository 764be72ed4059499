package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/report"
)

// output is one requested report: a format and the file it goes to, or
// stdout when path is empty.
type output struct {
	format report.Format
	path   string
}

func formatNames() string {
	var names []string
	for _, f := range report.Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// parseOutputs reads the --format values: each a comma-separated list of
// FORMAT or FORMAT=FILE. No value means text on stdout.
func parseOutputs(values []string) ([]output, error) {
	var outs []output
	toStdout := ""
	files := map[string]bool{}
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			name, path, _ := strings.Cut(item, "=")
			f, err := report.ParseFormat(name)
			if err != nil {
				return nil, fmt.Errorf("--format %q: %w", item, err)
			}
			path = strings.TrimSpace(path)
			switch {
			case path == "" && toStdout != "":
				return nil, fmt.Errorf("--format: %s and %s both go to stdout; give one of them a file, as %s=FILE", toStdout, f, f)
			case path == "":
				toStdout = string(f)
			case files[path]:
				return nil, fmt.Errorf("--format: two reports go to %s", path)
			default:
				files[path] = true
			}
			outs = append(outs, output{format: f, path: path})
		}
	}
	if len(outs) == 0 {
		outs = []output{{format: report.FormatText}}
	}
	return outs, nil
}

// colorMode is the --color setting.
type colorMode int

const (
	colorAuto colorMode = iota
	colorAlways
	colorNever
)

func parseColor(s string) (colorMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto", "":
		return colorAuto, nil
	case "always":
		return colorAlways, nil
	case "never":
		return colorNever, nil
	}
	return colorAuto, fmt.Errorf("--color %q: want auto, always or never", s)
}

// useColor decides colour for a text report written to w: always and never
// win; auto colours only a terminal on stdout, and never when NO_COLOR is
// set to anything (https://no-color.org).
func useColor(mode colorMode, w io.Writer) bool {
	switch mode {
	case colorAlways:
		return true
	case colorNever:
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok || f != os.Stdout {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// writeOutputs renders every requested report of a result, a pair's or a
// repository's; a failed file does not stop the others, and every failure
// is returned.
func writeOutputs(outs []output, stdout io.Writer, res *breaking.Result, opts report.Options, mode colorMode) error {
	var errs []error
	for _, o := range outs {
		opts := opts
		render := func(w io.Writer) error { return report.Render(w, o.format, res, opts) }
		if o.path == "" {
			opts.Color = o.format == report.FormatText && useColor(mode, stdout)
			if err := render(stdout); err != nil {
				errs = append(errs, fmt.Errorf("writing the %s report: %w", o.format, err))
			}
			continue
		}
		opts.Color = o.format == report.FormatText && mode == colorAlways
		if err := writeFile(o.path, render); err != nil {
			errs = append(errs, fmt.Errorf("writing the %s report: %w", o.format, err))
		}
	}
	return errors.Join(errs...)
}

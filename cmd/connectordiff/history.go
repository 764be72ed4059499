package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/history"
	"github.com/connectordiff/connectordiff/report"
)

type historyFlags struct {
	dir, since, until string
	config            string
	profile           string
	levels            []string
	formats           []string
	verbose           bool
	rulesURL          string
	maxBytes          int64
}

func newHistory(e env) *cobra.Command {
	var fl historyFlags
	cmd := &cobra.Command{
		Use:   "history [PATH...]",
		Short: "Judge every version of a repository's connectors along its history, as a timeline",
		Long: `For each connector of a git repository (a folder holding apiDefinition.swagger.json), list every
version along the first-parent history of --until (default HEAD): each commit that changed its definition,
apiProperties.json or script.csx, following folder renames git would detect. Each version is judged against
the version before it with today's profile and rule levels (the policy files of --until, and --profile and
--level over them), as compare OLD_REV:FOLDER NEW_REV:FOLDER judges it: added, breaking, safe, removed, or
error (the version cannot be read, with the file, line and column). Each operation is followed from its
deprecation to its removal, with the days between.

PATHs are connector folders or folders that hold them (default: every connector). --since REV starts after
REV: the first version of each connector is judged against its state at REV.

Formats: text (a timeline per connector, one line per version), json (every connector's versions, oldest
first, with their findings), markdown, and html (one self-contained page: a timeline per connector, breaking
updates linking to their findings, deprecations and removals with the days between them, and the connectors
by number of breaking updates). The history is read from git's objects and written as it is judged: memory
holds a few connectors' versions at a time, whatever the length of the history.`,
		Example: `  connectordiff history certified-connectors/Foo
  connectordiff history --format json --since v2024.01 > history.json
  connectordiff history -C PowerPlatformConnectors --format text,html=history.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHistory(cmd.Context(), e, fl, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.dir, "dir", "C", "", "run in this folder of the repository")
	f.StringVar(&fl.since, "since", "", "start after this revision (default: the root commit)")
	f.StringVar(&fl.until, "until", "", "end at this revision (default HEAD), whose policy files apply")
	f.StringVar(&fl.config, "config", "", "the root policy file (default: "+gate.ConfigFile+" in --until's tree)")
	f.StringVar(&fl.profile, "profile", "", "whose answer: users (the worst over every host), power-automate, power-apps, "+
		"logic-apps, or certification (Microsoft's breaking-change validator)")
	f.StringArrayVar(&fl.levels, "level", nil, "set a rule's level, as RULE=LEVEL ("+breaking.LevelWords+"); repeatable")
	f.StringArrayVar(&fl.formats, "format", nil, "output formats, comma-separated, each FORMAT or FORMAT=FILE: text, json, "+
		"markdown or html; at most one without =FILE, which goes to stdout (default text); each FILE is written whole or not at all")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "name info findings too in text, markdown and html (json lists every finding)")
	f.StringVar(&fl.rulesURL, "rules-url", "", "the rule catalog that reports link rule ids to (default: this version's docs/rules.md on GitHub)")
	f.Int64Var(&fl.maxBytes, "max-bytes", 0, "largest file accepted, in bytes (default 64 MiB)")
	return cmd
}

func runHistory(ctx context.Context, e env, fl historyFlags, paths []string) error {
	outs, err := parseOutputs(fl.formats)
	if err != nil {
		return err
	}
	for _, o := range outs {
		if !slices.Contains(history.Formats(), o.format) {
			_, err := history.NewRenderer(io.Discard, o.format, report.Options{})
			return fmt.Errorf("--format %s: %w", o.format, err)
		}
	}
	opts := history.Options{Since: fl.since, Until: fl.until, Paths: paths, Levels: map[string]breaking.Level{},
		Load: connector.LoadOptions{MaxBytes: fl.maxBytes}}
	if fl.profile != "" {
		if opts.Profile, err = breaking.ParseProfile(fl.profile); err != nil {
			return fmt.Errorf("--profile: %w", err)
		}
	}
	for _, l := range fl.levels {
		id, lv, ok := strings.Cut(l, "=")
		if !ok {
			return fmt.Errorf("--level %q: want RULE=LEVEL", l)
		}
		level, err := breaking.ParseLevel(lv)
		if err != nil {
			return fmt.Errorf("--level %q: %w", l, err)
		}
		opts.Levels[strings.TrimSpace(id)] = level
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
	if fl.config != "" {
		opts.PolicyFile = fl.config
		if e.dir != "" && !filepath.IsAbs(fl.config) {
			opts.PolicyFile = filepath.Join(e.dir, fl.config)
		}
	}
	if pr := newProgress(e.stderr); pr != nil {
		opts.Progress = historyProgress(pr)
		defer pr.done()
	}
	ropts := report.Options{MinLevel: breaking.Warning, RulesURL: fl.rulesURL}
	if fl.verbose {
		ropts.MinLevel = breaking.Info
	}
	return withOutputs(outs, e.stdout, func(ws []io.Writer) error {
		sinks := make([]history.Sink, len(outs))
		for i, o := range outs {
			if sinks[i], err = history.NewRenderer(ws[i], o.format, ropts); err != nil {
				return err
			}
		}
		return history.Run(ctx, dir, opts, history.Tee(sinks...))
	})
}

// historyProgress shows the stages of a history on a progress line:
// "reading commits: 120 of 1600", then "judging connectors: 3 of 1000".
func historyProgress(pr *progress) func(history.Stage, int, int) {
	pr.what = "reading commits"
	stage := history.StageCommits
	return func(s history.Stage, done, total int) {
		if s != stage {
			stage, pr.what = s, "judging connectors"
			if pr.shown {
				fmt.Fprint(pr.w, "\r\x1b[K") // the new line may be shorter
			}
		}
		pr.update(done, total)
	}
}

// withOutputs opens every output (stdout, or a file written whole or not
// at all, see writeFile) and runs write with their writers, in the order
// of outs: a history is written to all of them as it comes. A failure
// leaves every file as it was; write's own error is returned as it is.
func withOutputs(outs []output, stdout io.Writer, write func([]io.Writer) error) error {
	var failed error
	err := openOutputs(outs, stdout, nil, func(ws []io.Writer) error {
		failed = write(ws)
		return failed
	})
	if failed != nil {
		return failed
	}
	return err
}

func openOutputs(outs []output, stdout io.Writer, open []io.Writer, write func([]io.Writer) error) error {
	if len(open) == len(outs) {
		return write(open)
	}
	o := outs[len(open)]
	if o.path == "" {
		return openOutputs(outs, stdout, append(open, stdout), write)
	}
	err := writeFile(o.path, func(w io.Writer) error {
		return openOutputs(outs, stdout, append(open, w), write)
	})
	if err != nil {
		return fmt.Errorf("writing the %s history: %w", o.format, err)
	}
	return nil
}

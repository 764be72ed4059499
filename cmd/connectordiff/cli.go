package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/report"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

// errFindings marks a run whose findings reached --fail-on; it is not printed.
var errFindings = errors.New("findings at or above --fail-on")

func run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	default:
		fmt.Fprintln(stderr, "connectordiff:", err)
		return exitError
	}
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "connectordiff",
		Short:         "Tell whether a connector update breaks existing flows and apps",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newCompare(stdout), newRules(stdout))
	return root
}

type compareFlags struct {
	formats  []string
	color    string
	failOn   string
	levels   []string
	verbose  bool
	maxBytes int64
}

func newCompare(stdout io.Writer) *cobra.Command {
	var fl compareFlags
	cmd := &cobra.Command{
		Use:   "compare OLD NEW",
		Short: "Compare two versions of a connector: two definition files, or two connector folders",
		Long: `Compare the old and the new apiDefinition.swagger.json (Swagger 2.0, JSON or YAML) of a connector
and report what breaks existing flows and apps, with the rule, the location in both files and why.
Given two folders, compare whole connectors: apiDefinition.swagger.json, apiProperties.json and script.csx.

Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2 for usage or input errors.`,
		Example: `  connectordiff compare old/apiDefinition.swagger.json new/apiDefinition.swagger.json
  connectordiff compare --format json --fail-on warning old.json new.json
  connectordiff compare --format text,markdown=comment.md,sarif=connectordiff.sarif old.json new.json
  connectordiff compare --level operation-path-changed=warning old.json new.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("compare takes two files, OLD and NEW (got %d arguments)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd.Context(), stdout, fl, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&fl.formats, "format", nil, "output formats, comma-separated, each FORMAT or FORMAT=FILE: "+
		formatNames()+"; at most one without =FILE, which goes to stdout (default text)")
	f.StringVar(&fl.color, "color", "auto", "colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never")
	f.StringVar(&fl.failOn, "fail-on", "breaking", "exit 1 when a finding reaches this level: breaking, warning or never")
	f.StringArrayVar(&fl.levels, "level", nil, "set a rule's level, as RULE=LEVEL (breaking, warning, info, off); repeatable")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "list info findings too (every format lists them in JSON)")
	f.Int64Var(&fl.maxBytes, "max-bytes", 0, "largest input accepted, in bytes (default 64 MiB)")
	return cmd
}

func runCompare(ctx context.Context, stdout io.Writer, fl compareFlags, oldPath, newPath string) error {
	var failOn breaking.Level
	switch strings.ToLower(fl.failOn) {
	case "never":
		failOn = breaking.Off
	case "breaking", "warning":
		failOn, _ = breaking.ParseLevel(fl.failOn)
	default:
		return fmt.Errorf("--fail-on %q: want breaking, warning or never", fl.failOn)
	}
	outputs, err := parseOutputs(fl.formats)
	if err != nil {
		return err
	}
	color, err := parseColor(fl.color)
	if err != nil {
		return err
	}
	var opts []connectordiff.Option
	for _, l := range fl.levels {
		id, lv, ok := strings.Cut(l, "=")
		if !ok {
			return fmt.Errorf("--level %q: want RULE=LEVEL", l)
		}
		level, err := breaking.ParseLevel(lv)
		if err != nil {
			return fmt.Errorf("--level %q: %w", l, err)
		}
		opts = append(opts, connectordiff.WithLevel(strings.TrimSpace(id), level))
	}
	if fl.maxBytes != 0 {
		opts = append(opts, connectordiff.WithMaxBytes(fl.maxBytes))
	}
	res, err := connectordiff.CompareFiles(ctx, oldPath, newPath, opts...)
	if err != nil {
		return err
	}
	ropts := report.Options{MinLevel: breaking.Warning, FailOn: failOn}
	if fl.verbose {
		ropts.MinLevel = breaking.Info
	}
	if needsSources(outputs) {
		// The HTML report quotes the lines around each finding.
		if ropts.OldSource, err = os.ReadFile(oldPath); err != nil {
			return err
		}
		if ropts.NewSource, err = os.ReadFile(newPath); err != nil {
			return err
		}
	}
	if err := writeOutputs(outputs, stdout, res, ropts, color); err != nil {
		return err
	}
	if failOn != breaking.Off && res.Max() >= failOn {
		return errFindings
	}
	return nil
}

func newRules(stdout io.Writer) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rules with their default levels",
		Long: `List every rule with its id and default level. --format markdown prints the rule catalog
(docs/rules.md is generated from it), --format json the same as data.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return report.RulesFormat(stdout, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text, markdown or json")
	return cmd
}

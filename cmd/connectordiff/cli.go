package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/internal/escape"
	"github.com/connectordiff/connectordiff/logsafe"
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

// env is what a run reads and writes besides its arguments, so that tests
// can give it a stdin and a working folder of their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dir            string       // the working folder ("" for the process's)
	http           *http.Client // downloads OLD and NEW given as URLs (nil: the default client)
}

func run(args []string, stdout, stderr io.Writer) int {
	return runEnv(args, env{stdin: os.Stdin, stdout: stdout, stderr: stderr})
}

func runEnv(args []string, e env) int {
	// Errors and fix's summary quote folder and file names and document
	// values: whatever slips past printError's escaping, no CI system reads
	// a command on stderr.
	stderr := escape.NewWriter(e.stderr, nil)
	defer stderr.Flush()
	e.stderr = stderr
	root := newRoot(e)
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
		printError(e.stderr, err)
		return exitError
	}
}

// printError writes err, one line per error when errors.Join joined several,
// each made visible and inert (logsafe.Line): errors quote file and folder
// names, revisions, policy keys and document values.
func printError(w io.Writer, err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs := j.Unwrap()
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		if err.Error() == strings.Join(msgs, "\n") { // joined, not wrapped with words of its own
			for _, e := range errs {
				printError(w, e)
			}
			return
		}
	}
	fmt.Fprintln(w, "connectordiff:", logsafe.Line(err.Error()))
}

func newRoot(e env) *cobra.Command {
	root := &cobra.Command{
		Use:           "connectordiff",
		Short:         "Tell whether a connector update breaks existing flows and apps",
		Version:       connectordiff.Version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	var timeout time.Duration
	root.PersistentFlags().DurationVar(&timeout, "timeout", 0, "stop after this long (such as 30s or 5m) with an error saying what was being compared, exit 2 (default: no limit)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return withTimeout(cmd, timeout) }
	root.SetVersionTemplate("connectordiff {{.Version}}\n")
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetIn(e.stdin)
	root.AddCommand(newCompare(e), newRules(e.stdout), newVersion(e.stdout))
	root.AddCommand(newFix(e))
	root.AddCommand(newHistory(e))
	root.AddCommand(newAccept(e))
	return root
}

type compareFlags struct {
	base, head      string
	dir             string
	staged          bool
	config          string
	policyFrom      string
	now             string
	deprecationDays int
	// deprecationDaysSet: the flag was given, so it wins over the policy's.
	deprecationDaysSet bool
	pairs              string
	profile            string
	formats            []string
	color              string
	failOn             string
	levels             []string
	verbose            bool
	explain            bool
	rulesURL           string
	maxBytes           int64
	maxConnectors      int
}

func newCompare(e env) *cobra.Command {
	var fl compareFlags
	cmd := &cobra.Command{
		Use:   "compare OLD NEW",
		Short: "Compare two versions of a connector: two definition files, or two connector folders",
		Long: `Compare the old and the new apiDefinition.swagger.json (Swagger 2.0, JSON or YAML) of a connector
and report what breaks existing flows and apps, with the rule, the location in both files and why.
Given two folders, compare whole connectors: apiDefinition.swagger.json, apiProperties.json and script.csx.

OLD and NEW are each a file or folder on disk, - for standard input (one of them), or REV:PATH for a file
or folder in a git revision, read from the repository's objects without a checkout (PATH as git reads it:
from the repository's root, or from the current folder when it starts with ./ or is found only there), or
an https URL of a raw definition file (downloaded within --max-bytes and a minute, no credentials sent, no
redirect away from https; a connector folder cannot be fetched).

With --base REV, compare every connector of the git repository (a folder holding apiDefinition.swagger.json)
whose definition, apiProperties.json or script.csx changed between the merge base of REV and the work tree
(or --head, or --staged): added, changed, renamed and removed connectors, read from git's objects. PATHs
limit the search. Policy files (.connectordiff.yaml, at the root or in a connector folder) set the profile,
rule levels and accepted changes.

Levels, for --level and --fail-on alike: breaking, warning, info, off.
Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2 for usage or input errors.`,
		Example: `  connectordiff compare old/apiDefinition.swagger.json new/apiDefinition.swagger.json
  connectordiff compare main:apiDefinition.swagger.json apiDefinition.swagger.json
  connectordiff compare --format json --fail-on warning old.json new.json
  connectordiff compare --profile certification old.json new.json
  connectordiff compare --base origin/main --format text,markdown=comment.md,sarif=connectordiff.sarif
  connectordiff compare --format text,markdown=comment.md,sarif=connectordiff.sarif old/ new/
  git show main:apiDefinition.swagger.json | connectordiff compare - apiDefinition.swagger.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if fl.base != "" {
				return nil // PATHs limit the search
			}
			if fl.head != "" || fl.staged {
				return errors.New("--head and --staged compare revisions: give --base too")
			}
			if fl.pairs != "" {
				if len(args) != 0 {
					return fmt.Errorf("compare --pairs takes no OLD and NEW (got %d arguments)", len(args))
				}
				return nil
			}
			if len(args) != 2 {
				return fmt.Errorf("compare takes two files or folders, OLD and NEW (got %d arguments)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if fl.base != "" {
				fl.deprecationDaysSet = cmd.Flags().Changed("deprecation-days")
				return runRevisions(cmd.Context(), e, fl, args)
			}
			if fl.pairs != "" {
				return runBatch(cmd.Context(), e, fl)
			}
			return runCompare(cmd.Context(), e, fl, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&fl.formats, "format", nil, "output formats, comma-separated, each FORMAT or FORMAT=FILE: "+
		formatNames()+"; at most one without =FILE, which goes to stdout (default text); each FILE is written whole or "+
		"not at all (a temporary file renamed into place), and a symbolic link there is refused")
	f.StringVar(&fl.base, "base", "", "compare a git repository's connectors that changed since the merge base with REV "+
		"(the pull request's target branch); OLD and NEW are then PATHs that limit the search")
	f.StringVar(&fl.head, "head", "", "with --base: compare with this revision instead of the work tree")
	f.BoolVar(&fl.staged, "staged", false, "with --base: compare the staged files instead of the work tree (a pre-commit hook)")
	f.StringVarP(&fl.dir, "dir", "C", "", "with --base: run in this folder of the repository")
	f.StringVar(&fl.config, "config", "", "with --base: the policy file (default: "+gate.ConfigFile+" at the repository's root, and in each connector folder)")
	f.StringVar(&fl.policyFrom, "policy-from", "", "with --base: whose policy files apply: head (the change's own; its policy changes are "+
		"listed for review) or base (the merge base's: a pull request cannot accept its own breaks; its policy changes are listed, "+
		"not applied) (default: the base's root policy's policyFrom, else head)")
	f.StringVar(&fl.now, "now", "", "with --base: judge as of this time, YYYY-MM-DD or RFC 3339 (default: the clock; never a commit's date, "+
		"which its author sets): when acceptances expire and deprecation windows end")
	f.IntVar(&fl.deprecationDays, "deprecation-days", 0, "with --base: an operation deprecated this many days before it is removed is a warning, not breaking; 0 turns this off (default: the policy file's deprecationDays, else 30)")
	f.StringVar(&fl.pairs, "pairs", "", "compare many pairs in one process: FILE (or - for stdin) lists one pair a line, "+
		"OLD<tab>NEW or {\"old\": ..., \"new\": ...}; writes one JSON report a line, in order")
	f.StringVar(&fl.profile, "profile", "", "whose answer: users (the worst over every host), power-automate, power-apps, "+
		"logic-apps, or certification (Microsoft's breaking-change validator)")
	f.StringVar(&fl.color, "color", "auto", "colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never")
	f.StringVar(&fl.failOn, "fail-on", "breaking", "exit 1 when a finding reaches this level: "+breaking.LevelWords+" (never fails)")
	f.StringArrayVar(&fl.levels, "level", nil, "set a rule's level, as RULE=LEVEL ("+breaking.LevelWords+"); repeatable")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "list info findings too (every format lists them in JSON)")
	f.BoolVar(&fl.explain, "explain", false, "text: say how to avoid each finding, on a line of its own")
	f.StringVar(&fl.rulesURL, "rules-url", "", "the rule catalog that reports link rule ids to (default: this version's docs/rules.md on GitHub)")
	f.Int64Var(&fl.maxBytes, "max-bytes", 0, "largest input accepted, in bytes (default 64 MiB)")
	f.IntVar(&fl.maxConnectors, "max-connectors", 0, fmt.Sprintf("with --base: refuse a change that touches more connector folders than this "+
		"(default %d, twice the largest connector repository)", gate.DefaultMaxConnectors))
	return cmd
}

// options turns the judging flags into library options.
func (fl compareFlags) options() ([]connectordiff.Option, error) {
	var opts []connectordiff.Option
	if fl.profile != "" { // unset, a policy file may choose
		profile, err := breaking.ParseProfile(fl.profile)
		if err != nil {
			return nil, fmt.Errorf("--profile: %w", err)
		}
		opts = append(opts, connectordiff.WithProfile(profile))
	}
	for _, l := range fl.levels {
		id, lv, ok := strings.Cut(l, "=")
		if !ok {
			return nil, fmt.Errorf("--level %q: want RULE=LEVEL", l)
		}
		level, err := breaking.ParseLevel(lv)
		if err != nil {
			return nil, fmt.Errorf("--level %q: %w", l, err)
		}
		opts = append(opts, connectordiff.WithLevel(strings.TrimSpace(id), level))
	}
	if fl.maxBytes != 0 {
		opts = append(opts, connectordiff.WithMaxBytes(fl.maxBytes))
	}
	return opts, nil
}

// reportSetup is what a comparison's flags say about reporting: the
// threshold, the outputs, colour, the library options and report options.
type reportSetup struct {
	failOn  breaking.Level
	outputs []output
	color   colorMode
	opts    []connectordiff.Option
	report  report.Options
}

func (fl compareFlags) reportSetup() (reportSetup, error) {
	var rs reportSetup
	var err error
	if rs.failOn, err = breaking.ParseThreshold(fl.failOn); err != nil {
		return rs, fmt.Errorf("--fail-on: %w", err)
	}
	if rs.outputs, err = parseOutputs(fl.formats); err != nil {
		return rs, err
	}
	if rs.color, err = parseColor(fl.color); err != nil {
		return rs, err
	}
	if rs.opts, err = fl.options(); err != nil {
		return rs, err
	}
	rs.report = report.Options{MinLevel: breaking.Warning, FailOn: rs.failOn, Explain: fl.explain, RulesURL: fl.rulesURL}
	if fl.verbose {
		rs.report.MinLevel = breaking.Info
	}
	return rs, nil
}

func runCompare(ctx context.Context, e env, fl compareFlags, oldArg, newArg string) error {
	rs, err := fl.reportSetup()
	if err != nil {
		return err
	}
	res, err := compareInputs(ctx, e, oldArg, newArg, fl.maxBytes, rs.opts)
	if err != nil {
		return err
	}
	if err := writeOutputs(rs.outputs, e.stdout, res, rs.report, rs.color); err != nil {
		return err
	}
	if res.Fails(rs.failOn) {
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

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, and the commit and toolchain it was built from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			b := connectordiff.Build()
			fmt.Fprintf(stdout, "connectordiff %s\n", b.Version)
			if b.Revision != "" {
				dirty := ""
				if b.Modified {
					dirty = ", with uncommitted changes"
				}
				fmt.Fprintf(stdout, "commit %s (%s%s)\n", b.Revision, b.Time, dirty)
			}
			goVersion := b.GoVersion
			if goVersion == "" {
				goVersion = runtime.Version()
			}
			_, err := fmt.Fprintf(stdout, "built with %s for %s/%s\nrules: %s\n", goVersion, runtime.GOOS, runtime.GOARCH,
				connectordiff.RulesURL())
			return err
		},
	}
}

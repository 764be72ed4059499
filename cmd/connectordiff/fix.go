package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/fix"
	"github.com/connectordiff/connectordiff/gitrepo"
	"github.com/connectordiff/connectordiff/internal/escape"
	"github.com/connectordiff/connectordiff/logsafe"
	"github.com/connectordiff/connectordiff/report"
)

type fixFlags struct {
	out         string
	format      string
	only        []string
	profile     string
	levels      []string
	hide        string
	versionPath string
	maxBytes    int64
}

func newFix(e env) *cobra.Command {
	var fl fixFlags
	cmd := &cobra.Command{
		Use:   "fix OLD NEW",
		Short: "Edit NEW so that the update stops breaking existing flows and apps, the way Microsoft asks publishers to",
		Long: `Edit the new definition (NEW) of a connector so that the update from OLD breaks nothing that existing
flows, apps and Logic Apps use, as Microsoft asks publishers to: a removed operation comes back deprecated and
hidden, a renamed operationId gets its old id back, an operation whose route or shape changed is versioned
(the old one kept under its old id and route as revision N of an x-ms-api-annotation family, deprecated and
hidden, the new shape as <OperationId>V<N+1>), and a removed input, output, response or enum value is put back.
Each breaking finding without a mechanical remedy is listed with the reason.

Only the edited regions of NEW change: key order, indentation, line endings and every other byte stay as they
were. Both definitions must be JSON files (a path, - for standard input, REV:PATH in a git revision, or an
https URL of a raw file), or both connector folders (on disk or REV:PATH): then apiProperties.json's
scriptOperations is kept in step with the operations fix renames or versions, each comparison of
Context.OperationId in script.csx that needs a new branch is named, and -o FOLDER (NEW itself, say) gets the
fixed definition and apiProperties.json.

--format file (the default) writes the fixed definition; json-patch the edits as a JSON Patch (RFC 6902) of NEW;
json a summary {"fixed": [...], "unfixed": [{rule, operationId, reason}, ...]}; suggestions the edits as ranges
of whole lines of NEW and their replacement text (what GitHub review suggestions take), with the findings, a
unified diff and a Markdown summary. With file and json-patch, a summary of what was done and what still needs
a human goes to standard error.

-o FILE is written whole or not at all: the output goes to a temporary file in FILE's folder, renamed over
FILE once complete, so a failed write (a full disk, a file size limit) leaves FILE as it was. A symbolic link
at FILE is an error: it is neither followed nor replaced.

Exit status: 0 when nothing is left unfixed, 1 when something is, 2 for usage or input errors.`,
		Example: `  connectordiff fix published/apiDefinition.swagger.json apiDefinition.swagger.json -o apiDefinition.swagger.json
  connectordiff fix --format json main:apiDefinition.swagger.json apiDefinition.swagger.json
  connectordiff fix --only operation-removed,operation-id-changed old.json new.json -o fixed.json
  connectordiff fix --version-path /v2 old.json new.json -o fixed.json
  connectordiff fix main:connectors/snowflake connectors/snowflake -o connectors/snowflake`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("fix takes two definition files or two connector folders, OLD and NEW (got %d arguments)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFix(cmd.Context(), e, fl, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.out, "output", "o", "", "write the output to this file instead of standard output (it may be NEW itself): "+
		"whole or not at all, through a temporary file renamed into place; a symbolic link there is refused, not followed")
	f.StringVar(&fl.format, "format", "file", "file (the fixed definition), json-patch (RFC 6902 edits of NEW), json (a summary) "+
		"or suggestions (line ranges of NEW and their replacements)")
	f.StringSliceVar(&fl.only, "only", nil, "fix only the findings of these rules (comma-separated); list the others as skipped")
	f.StringVar(&fl.profile, "profile", "users", "whose breaks to fix: users, power-automate, power-apps, logic-apps or certification")
	f.StringArrayVar(&fl.levels, "level", nil, "set a rule's level, as RULE=LEVEL ("+breaking.LevelWords+"); repeatable")
	f.StringVar(&fl.hide, "hide", "", "x-ms-visibility of operations kept for existing users: internal (the default) or advanced "+
		"(the default under --profile certification, whose validator reports hidden operations)")
	f.StringVar(&fl.versionPath, "version-path", "", "a path prefix (such as /v2) under which the backend serves the new shape "+
		"of operations, so that one whose route did not change can be versioned there")
	f.Int64Var(&fl.maxBytes, "max-bytes", 0, "largest input accepted, in bytes (default 64 MiB)")
	return cmd
}

func runFix(ctx context.Context, e env, fl fixFlags, oldArg, newArg string) error {
	switch fl.format {
	case "file", "json-patch", "json", "suggestions":
	default:
		return fmt.Errorf("--format %q: want file, json-patch, json or suggestions", fl.format)
	}
	opts, err := compareFlags{profile: fl.profile, levels: fl.levels, maxBytes: fl.maxBytes}.options()
	if err != nil {
		return err
	}
	if len(fl.only) > 0 {
		opts = append(opts, connectordiff.FixOnly(fl.only...))
	}
	if fl.hide != "" {
		opts = append(opts, connectordiff.FixHide(fl.hide))
	}
	if fl.versionPath != "" {
		opts = append(opts, connectordiff.FixVersionPath(fl.versionPath))
	}
	if oldArg == "-" && newArg == "-" {
		return errors.New("only one of OLD and NEW can be - (standard input)")
	}
	load := connector.LoadOptions{MaxBytes: fl.maxBytes}
	var repo *gitrepo.Repo
	folders, err := fixFolders(ctx, e, oldArg, newArg, load, &repo)
	if err != nil {
		return err
	}
	var res *fix.Result
	var newData []byte // NEW's text as read, which suggestions edit
	if folders != nil {
		newData = []byte(folders[1].Files[0].Text)
		res, err = connectordiff.FixFolders(ctx, folders[0], folders[1], opts...)
	} else {
		var oldData []byte
		if oldData, err = readDefinition(ctx, e, oldArg, load, &repo); err != nil {
			return err
		}
		if newData, err = readDefinition(ctx, e, newArg, load, &repo); err != nil {
			return err
		}
		defer limitFixMemory(len(oldData) + len(newData))()
		res, err = connectordiff.Fix(ctx, oldData, newData, append(opts, connectordiff.WithNames(oldArg, newArg))...)
	}
	if err != nil {
		return err
	}
	if folders != nil && fl.format == "file" && fl.out != "" && fl.out != "-" {
		// A folder's fix writes its files into the folder -o names.
		if err := writeFolderFix(e, fl.out, folders[1], res); err != nil {
			return err
		}
		return fixSummaryAndStatus(e, fl, res)
	}
	var out []byte
	switch fl.format {
	case "file":
		out = res.Output
	case "json-patch":
		if out, err = json.MarshalIndent(res.Patch, "", "  "); err != nil {
			return err
		}
		if res.Patch == nil {
			out = []byte("[]")
		}
		out = append(escape.JSON(out), '\n')
	case "json":
		if out, err = json.MarshalIndent(res, "", "  "); err != nil {
			return err
		}
		out = append(escape.JSON(out), '\n')
	case "suggestions":
		var b bytes.Buffer
		if err := report.FixSuggestions(&b, res, newData); err != nil {
			return err
		}
		out = b.Bytes()
	}
	if err := writeOutput(e, fl.out, out); err != nil {
		return err
	}
	if c := res.Connector; c != nil && c.Properties != nil && summarised(fl.format) {
		defer fmt.Fprintf(e.stderr, "\nNote: %s is not written: with --format file, -o FOLDER writes it beside the fixed definition\n",
			logsafe.Line(c.PropertiesFile))
	}
	return fixSummaryAndStatus(e, fl, res)
}

// summarised: the format writes the fixed text or a patch, so a summary of
// the fix goes to stderr (json and suggestions carry their own).
func summarised(format string) bool { return format == "file" || format == "json-patch" }

// fixSummaryAndStatus writes the summary of a fix to stderr (when the
// format carries none) and sets the exit status.
func fixSummaryAndStatus(e env, fl fixFlags, res *fix.Result) error {
	if summarised(fl.format) {
		if err := report.FixSummary(e.stderr, res); err != nil {
			return err
		}
	}
	if len(res.Unfixed) > 0 {
		return errFindings
	}
	return nil
}

// fixFolders loads OLD and NEW as connector folders when they are (folders
// on disk or REV:PATH folders), or returns nil when both are definition
// files. One of each is an error.
func fixFolders(ctx context.Context, e env, oldArg, newArg string, load connector.LoadOptions, repo **gitrepo.Repo) ([]*connector.Folder, error) {
	var folders []*connector.Folder
	for _, arg := range []string{oldArg, newArg} {
		if arg == "-" || isURL(arg) || isFile(e, arg) {
			continue
		}
		in, err := openInput(ctx, e, arg, load, repo)
		if err != nil {
			return nil, err
		}
		if in.fsys == nil {
			in.close()
			continue
		}
		f, err := connector.LoadFolderFS(in.fsys, in.path, arg, load)
		in.close()
		if err != nil {
			return nil, err
		}
		folders = append(folders, f)
	}
	switch len(folders) {
	case 0:
		return nil, nil
	case 1:
		return nil, fmt.Errorf("fix takes two connector folders or two definition files, not one of each (%s, %s)", oldArg, newArg)
	}
	return folders, nil
}

// isFile reports whether arg names a file on disk (not a folder).
func isFile(e env, arg string) bool {
	p := arg
	if e.dir != "" && !filepath.IsAbs(p) {
		p = filepath.Join(e.dir, p)
	}
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// writeFolderFix writes the fix of a connector folder into folder dir
// (which may be NEW itself): the fixed definition, and apiProperties.json
// when its scriptOperations changed, each whole or not at all, under the
// names NEW's folder gives them.
func writeFolderFix(e env, dir string, new *connector.Folder, res *fix.Result) error {
	if e.dir != "" && !filepath.IsAbs(dir) {
		dir = filepath.Join(e.dir, dir)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("-o %s: fixing connector folders writes a folder's files: name a folder (NEW itself, say)", dir)
	}
	write := func(name string, data []byte) error {
		return writeFile(filepath.Join(dir, filepath.Base(name)), func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		})
	}
	if err := write(new.Files[0].Name, res.Output); err != nil {
		return err
	}
	if c := res.Connector; c != nil && c.Properties != nil {
		name := connector.PropertiesFile
		for _, f := range new.Files {
			if strings.EqualFold(f.Name, connector.PropertiesFile) {
				name = f.Name // in the folder's own case
			}
		}
		return write(name, c.Properties)
	}
	return nil
}

// readDefinition reads one definition as the command line names it: - for
// standard input, a file on disk, or REV:PATH in a git revision. Folders
// are refused: fix edits a definition file.
func readDefinition(ctx context.Context, e env, arg string, load connector.LoadOptions, repo **gitrepo.Repo) ([]byte, error) {
	if arg == "-" {
		return readLimited(e.stdin, "stdin", load)
	}
	p := arg
	if e.dir != "" && !filepath.IsAbs(p) {
		p = filepath.Join(e.dir, p)
	}
	if st, err := os.Stat(p); err == nil && !isURL(arg) {
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a folder: fix edits a definition file (%s)", arg, connector.DefinitionFile)
		}
		data, err := connector.ReadFile(p, load)
		return data, named(err, p, arg)
	}
	in, err := openInput(ctx, e, arg, load, repo)
	if err != nil {
		return nil, err
	}
	defer in.close()
	if in.doc == nil {
		return nil, fmt.Errorf("%s is a folder: fix edits a definition file (%s)", arg, connector.DefinitionFile)
	}
	return []byte(in.doc.Source()), nil
}

// writeOutput writes to the file named by path, whole or not at all (see
// writeFile), or to standard output.
func writeOutput(e env, path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	if e.dir != "" && !filepath.IsAbs(path) {
		path = filepath.Join(e.dir, path)
	}
	return writeFile(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// limitFixMemory sets a soft memory limit for a fix of large definitions
// and returns what restores the previous one. A fix holds about five times
// its input at its peak (the old definition and the current version loaded,
// the new one as text, the next version being written), and the garbage
// collector, left to itself, lets the heap grow to twice what it last found
// live: a 128 MB pair peaked at 1.2 GB. A soft limit of six times the input
// (and the runtime's own) makes it collect sooner near the peak: 0.8 GB, for
// a few seconds more. Small inputs need no limit, and GOMEMLIMIT, when set,
// wins.
func limitFixMemory(input int) (restore func()) {
	const small = 8 << 20
	if input < small || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(6*int64(input) + 64<<20)
	return func() { debug.SetMemoryLimit(prev) }
}

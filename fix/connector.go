package fix

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// ConnectorFix is what a fix of a whole connector folder means for its
// files beside the definition: apiProperties.json's scriptOperations must
// name the operations by the ids the fix gave them, and script.csx, which
// fix does not edit, may route on the old ids.
type ConnectorFix struct {
	// Properties is new's apiProperties.json with scriptOperations in step
	// with the operations the fix renamed, its other bytes as they were;
	// nil when it needs no change.
	Properties []byte `json:"-"`
	// PropertiesFile names that file as new's folder does.
	PropertiesFile string `json:"propertiesFile,omitempty"`
	// ScriptOperations says each change made to scriptOperations.
	ScriptOperations []string `json:"scriptOperations,omitempty"`
	// ScriptFile names new's script.csx, and ScriptBranches lists each
	// place it compares Context.OperationId with an operation the fix gave
	// a new id: the new id needs a branch of its own there.
	ScriptFile     string         `json:"scriptFile,omitempty"`
	ScriptBranches []ScriptBranch `json:"scriptBranches,omitempty"`
}

// ScriptBranch is a comparison of Context.OperationId in script.csx that
// names an operation the fix gave a new id.
type ScriptBranch struct {
	// Line is its line in script.csx, and Code the line as written.
	Line int    `json:"line"`
	Code string `json:"code"`
	// Operation is the operationId it names, as the new definition has it,
	// and Now the id the fix gave that operation.
	Operation string `json:"operation"`
	Now       string `json:"now"`
	// Kept says the fixed definition still has Operation (the old revision
	// of a versioned operation): the comparison now reaches it, and Now,
	// the new shape, needs a branch of its own. Otherwise Operation is gone
	// and the comparison must name Now instead.
	Kept bool `json:"kept"`
}

// RunConnector is Run on the definitions of two connector folders, followed
// by what the fix means for new's other files (Result.Connector):
// apiProperties.json's scriptOperations kept in step with the operations
// renamed (a versioned operation's new shape listed beside its old id, a
// restored id in place of the one the update gave), and each comparison of
// Context.OperationId in script.csx that names one of them. Nothing is read
// from anywhere but the two folders.
func RunConnector(ctx context.Context, old, new *connector.Folder, cfg Config) (*Result, error) {
	res, err := Run(ctx, old.Definition, new.Definition, nil, cfg)
	if err != nil || len(res.Renames) == 0 || new.Properties == nil && new.Script == nil {
		return res, err
	}
	fixed, err := connector.Load(new.Definition.Name, res.Output, reloadOptions(cfg.Load, string(res.Output)))
	if err != nil {
		return nil, fmt.Errorf("fix: the fixed definition does not load again: %w", err)
	}
	kept := func(id string) bool { return fixed.Operation(id) != nil }
	cf := &ConnectorFix{}
	if p := new.Properties; p != nil {
		if err := cf.scriptOperations(p, res.Renames, kept); err != nil {
			return nil, err
		}
	}
	if s := new.Script; s != nil {
		cf.ScriptFile = s.Name
		cf.ScriptBranches = scriptBranches(s, res.Renames, kept)
	}
	if cf.Properties != nil || len(cf.ScriptBranches) > 0 {
		res.Connector = cf
	}
	return res, nil
}

// scriptOperations edits apiProperties.json's scriptOperations: each
// operation the fix renamed is listed by its new id, beside its old one
// when the fixed definition keeps that (a version), instead of it
// otherwise. A list written as one string is left as it is, with a note.
func (cf *ConnectorFix) scriptOperations(p *connector.Properties, renames map[string]string, kept func(string) bool) error {
	list := p.Root.Get("properties").Get("scriptOperations")
	if list == nil {
		return nil
	}
	if list.Kind() != connector.Array {
		for _, from := range sortedKeys(renames) {
			if slicesContainsTrimmed(strings.Split(list.Value(), ","), from) {
				cf.ScriptOperations = append(cf.ScriptOperations,
					fmt.Sprintf("add %s to scriptOperations by hand (it is one string, which fix does not edit)", renames[from]))
			}
		}
		return nil
	}
	src := p.Source()
	var listed []string
	for i := range list.Len() {
		listed = append(listed, list.Elem(i).Value())
	}
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	for i := range list.Len() {
		e := list.Elem(i)
		to, ok := renames[e.Value()]
		if !ok || slicesContainsTrimmed(listed, to) {
			continue
		}
		start, end := p.Span(e)
		if kept(e.Value()) {
			// Beside it, in the list's own layout: one a line, or inline.
			sep := ", "
			if ls := strings.LastIndexByte(src[:start], '\n'); ls >= 0 && strings.TrimSpace(src[ls+1:start]) == "" {
				sep = ",\n" + src[ls+1:start]
			}
			edits = append(edits, edit{end, end, sep + strconv.Quote(to)})
			cf.ScriptOperations = append(cf.ScriptOperations, fmt.Sprintf("%s added beside %s (its old revision)", to, e.Value()))
		} else {
			edits = append(edits, edit{start, end, strconv.Quote(to)})
			cf.ScriptOperations = append(cf.ScriptOperations, fmt.Sprintf("%s in place of %s", to, e.Value()))
		}
	}
	if len(edits) == 0 {
		return nil
	}
	var b strings.Builder
	at := 0
	for _, e := range edits {
		b.WriteString(src[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.WriteString(src[at:])
	cf.Properties, cf.PropertiesFile = []byte(b.String()), p.Name
	return nil
}

func slicesContainsTrimmed(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}

// The C# the scripts of connectors compare Context.OperationId in: string
// constants and fields (const, readonly or not), comparisons either way
// round and Equals, and switch cases (when the script switches on it). An
// operand is a string literal or such a name.
var (
	csConst    = regexp.MustCompile(`\bstring\s+(\w+)\s*=\s*"((?:[^"\\\n]|\\.)*)"`)
	csOperand  = `("(?:[^"\\\n]|\\.)*"|\w+)`
	csOpID     = `(?:this\.)?Context\.OperationId`
	csCompares = []*regexp.Regexp{
		regexp.MustCompile(csOpID + `\s*[!=]=\s*` + csOperand),
		regexp.MustCompile(csOperand + `\s*[!=]=\s*` + csOpID),
		regexp.MustCompile(csOpID + `\.Equals\(\s*` + csOperand),
		regexp.MustCompile(csOperand + `\.Equals\(\s*` + csOpID),
		regexp.MustCompile(`Equals\(\s*` + csOpID + `\s*,\s*` + csOperand),
		regexp.MustCompile(`Equals\(\s*` + csOperand + `\s*,\s*` + csOpID),
	}
	csSwitch = regexp.MustCompile(`switch\s*\(\s*` + csOpID + `\s*\)`)
	csCase   = regexp.MustCompile(`\bcase\s+` + csOperand + `\s*:`)
)

// scriptBranches lists the comparisons of Context.OperationId in script s
// that name an operation the fix renamed, in line order.
func scriptBranches(s *connector.Script, renames map[string]string, kept func(string) bool) []ScriptBranch {
	consts := map[string]string{}
	for _, m := range csConst.FindAllStringSubmatch(s.Text, -1) {
		if v, err := strconv.Unquote(`"` + m[2] + `"`); err == nil {
			consts[m[1]] = v
		}
	}
	value := func(operand string) string {
		if strings.HasPrefix(operand, `"`) {
			v, _ := strconv.Unquote(operand)
			return v
		}
		return consts[operand]
	}
	patterns := csCompares
	if csSwitch.MatchString(s.Text) {
		patterns = append(patterns[:len(patterns):len(patterns)], csCase)
	}
	var out []ScriptBranch
	for i, line := range strings.Split(strings.ReplaceAll(s.Text, "\r\n", "\n"), "\n") {
		seen := map[string]bool{}
		for _, re := range patterns {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				id := value(m[1])
				to, ok := renames[id]
				if !ok || seen[id] {
					continue
				}
				seen[id] = true
				out = append(out, ScriptBranch{Line: i + 1, Code: strings.TrimSpace(line), Operation: id, Now: to, Kept: kept(id)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

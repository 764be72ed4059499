package gate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"time"

	yaml "github.com/pb33f/go-yaml"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
)

// ConfigFile is the name of the policy file a repository (at its root) or
// a connector folder may hold.
const ConfigFile = ".connectordiff.yaml"

// maxConfigBytes bounds a policy file: it comes with the pull request.
const maxConfigBytes = 1 << 20

// Config is a policy file, .connectordiff.yaml: the profile, rule levels
// and the changes a reviewer accepted on record. docs/config.schema.json
// describes it.
type Config struct {
	// File is where the policy was read, for messages.
	File string
	// Profile judges for one audience (empty: keep the caller's).
	Profile breaking.Profile
	// Levels sets rule levels, by rule id.
	Levels map[string]breaking.Level
	// DeprecationDays is how long an operation must have been deprecated
	// for its removal to be a warning (0: the caller's, by default 30).
	DeprecationDays int
	// PolicyFrom, in the root policy, says which revision's policy files a
	// repository comparison applies (empty: the caller's, by default head).
	PolicyFrom breaking.PolicySource
	// Accept lists the accepted changes, in the file's order.
	Accept []breaking.Acceptance
	// Published, when given, says whether the connectors the policy covers
	// (a folder's: its own; the root's: every one) are published: false
	// makes their breaks warnings, saying why.
	Published *Switch
	// PreviewAsWarnings, when given, says whether the breaks of operations
	// in preview (x-ms-api-annotation status Preview) are warnings.
	PreviewAsWarnings *Switch
	// Connectors are settings of the root policy for the connectors a
	// pattern names, over its own; a folder's policy file wins over both.
	Connectors []ConnectorSettings
}

// Switch is a yes-or-no setting of a policy file, and where it is written.
type Switch struct {
	On bool
	At connector.Location
}

// ConnectorSettings are the settings of the root policy for the connectors
// Connector names: a folder from the repository's root (a path.Match
// pattern, such as independent-publisher-connectors/Contoso*) or a title.
type ConnectorSettings struct {
	Connector                    string
	Published, PreviewAsWarnings *Switch
	At                           connector.Location
}

// Matches reports whether the settings are for the connector in folder
// titled title.
func (c ConnectorSettings) Matches(folder, title string) bool {
	ok, _ := path.Match(c.Connector, folder)
	return ok || c.Connector == folder || c.Connector == title
}

// ParseConfig reads a policy file. A problem is a *connector.LoadError naming
// the file, line and column.
func ParseConfig(name string, data []byte) (*Config, error) {
	if len(data) > maxConfigBytes {
		return nil, &connector.LoadError{File: name, Msg: fmt.Sprintf("policy file is over %d bytes", maxConfigBytes), Err: connector.ErrTooLarge}
	}
	syntaxErr := func(err error) error {
		e := &connector.LoadError{File: name, Msg: "invalid YAML: " + err.Error(), Err: connector.ErrSyntax}
		var le *yaml.LoadError
		if errors.As(err, &le) {
			e.Line, e.Column, e.Msg = le.Mark.Line, le.Mark.Column, "invalid YAML: "+le.Message
		}
		return e
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, syntaxErr(err)
	}
	cfg := &Config{File: name, Levels: map[string]breaking.Level{}}
	p := configParser{file: name}
	// A second document would be read by other YAML tools and not by this
	// one: which of the two a reviewer reads is not which one applies.
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		at := &next
		if len(next.Content) > 0 {
			at = next.Content[0]
		}
		p.fail(at, "a second YAML document: a policy file holds one")
		return nil, p.err
	case !errors.Is(err, io.EOF):
		return nil, syntaxErr(err)
	}
	if len(doc.Content) == 0 {
		return cfg, nil // an empty file: no policy
	}
	root := doc.Content[0]
	if !p.kind(root, yaml.MappingNode, "the policy") || !p.unique(root, "the policy") {
		return nil, p.err
	}
	for i := 0; i+1 < len(root.Content) && p.err == nil; i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "policyFrom":
			if p.kind(v, yaml.ScalarNode, "policyFrom") {
				src, err := breaking.ParsePolicySource(v.Value)
				p.check(v, err)
				cfg.PolicyFrom = src
			}
		case "profile":
			if p.kind(v, yaml.ScalarNode, "profile") {
				prof, err := breaking.ParseProfile(v.Value)
				p.check(v, err)
				cfg.Profile = prof
			}
		case "levels":
			if p.kind(v, yaml.MappingNode, "levels") && p.unique(v, "levels") {
				for j := 0; j+1 < len(v.Content) && p.err == nil; j += 2 {
					id, lv := v.Content[j], v.Content[j+1]
					if _, ok := breaking.Lookup(id.Value); !ok {
						p.fail(id, "unknown rule id %q (see `connectordiff rules`)", id.Value)
						break
					}
					if p.kind(lv, yaml.ScalarNode, "a level") {
						l, err := breaking.ParseLevel(lv.Value)
						p.check(lv, err)
						cfg.Levels[id.Value] = l
					}
				}
			}
		case "deprecationDays":
			if p.kind(v, yaml.ScalarNode, "deprecationDays") {
				var n int
				if _, err := fmt.Sscanf(v.Value, "%d", &n); err != nil || n < 0 || fmt.Sprint(n) != v.Value {
					p.fail(v, "deprecationDays: want a whole number of days, got %q", v.Value)
				}
				cfg.DeprecationDays = n
			}
		case "accept":
			if p.kind(v, yaml.SequenceNode, "accept") {
				for _, e := range v.Content {
					if a, ok := p.acceptance(e); ok {
						cfg.Accept = append(cfg.Accept, a)
					}
				}
			}
		case "published":
			cfg.Published = p.flag(v, "published")
		case "previewAsWarnings":
			cfg.PreviewAsWarnings = p.flag(v, "previewAsWarnings")
		case "connectors":
			if p.kind(v, yaml.SequenceNode, "connectors") {
				for _, e := range v.Content {
					if c, ok := p.connectorSettings(e); ok {
						cfg.Connectors = append(cfg.Connectors, c)
					}
				}
			}
		default:
			p.fail(k, "unknown key %q (want %s)", k.Value, configKeys)
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return cfg, nil
}

// configKeys lists the keys of a policy file, as messages name them.
const configKeys = "profile, levels, deprecationDays, policyFrom, accept, published, previewAsWarnings or connectors"

// flag reads a yes-or-no setting: true or false, nothing else YAML may
// read as one (yes, on), so that every tool reads it alike.
func (p *configParser) flag(v *yaml.Node, what string) *Switch {
	if !p.kind(v, yaml.ScalarNode, what) {
		return nil
	}
	if v.Value != "true" && v.Value != "false" {
		p.fail(v, "%s: want true or false, got %q", what, v.Value)
		return nil
	}
	return &Switch{On: v.Value == "true", At: connector.Location{Line: v.Line, Column: v.Column}}
}

// connectorSettings reads an entry of connectors: a connector pattern and
// the settings for it.
func (p *configParser) connectorSettings(n *yaml.Node) (ConnectorSettings, bool) {
	c := ConnectorSettings{At: connector.Location{Line: n.Line, Column: n.Column}}
	if !p.kind(n, yaml.MappingNode, "a connector's settings") || !p.unique(n, "a connector's settings") {
		return c, false
	}
	for i := 0; i+1 < len(n.Content) && p.err == nil; i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "connector":
			if p.kind(v, yaml.ScalarNode, "connector") {
				if _, err := path.Match(v.Value, ""); err != nil || v.Value == "" {
					p.fail(v, "connector: %q is not a valid pattern", v.Value)
				}
				c.Connector = v.Value
			}
		case "published":
			c.Published = p.flag(v, "published")
		case "previewAsWarnings":
			c.PreviewAsWarnings = p.flag(v, "previewAsWarnings")
		default:
			p.fail(k, "unknown key %q in a connector's settings (want connector, published, previewAsWarnings)", k.Value)
		}
	}
	if p.err == nil && c.Connector == "" {
		p.fail(n, "a connector's settings need connector: the folder (or a pattern) or the title they are for")
	}
	return c, p.err == nil
}

// configParser reads a policy file's node tree, keeping the first problem.
type configParser struct {
	file string
	err  *connector.LoadError
}

func (p *configParser) fail(n *yaml.Node, format string, args ...any) {
	if p.err == nil {
		p.err = &connector.LoadError{File: p.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...), Err: connector.ErrSyntax}
	}
}

func (p *configParser) check(n *yaml.Node, err error) {
	if err != nil {
		p.fail(n, "%v", err)
	}
}

var kindNames = map[yaml.Kind]string{yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list", yaml.ScalarNode: "a value"}

// unique checks that no key of mapping n is given twice: YAML readers
// disagree on which one counts, so a reviewer could read one value while
// the gate applies the other.
func (p *configParser) unique(n *yaml.Node, what string) bool {
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content) && p.err == nil; i += 2 {
		k := n.Content[i]
		if first, ok := seen[k.Value]; ok {
			p.fail(k, "%s: key %q is given twice (first at %d:%d)", what, k.Value, first.Line, first.Column)
			return false
		}
		seen[k.Value] = k
	}
	return p.err == nil
}

// kind checks that n is of kind k (aliases are refused: a policy has no use
// for them, and they could expand without bound).
func (p *configParser) kind(n *yaml.Node, k yaml.Kind, what string) bool {
	if p.err != nil {
		return false
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		p.fail(n, "%s: YAML anchors and aliases are not allowed in a policy file", what)
		return false
	}
	if n.Kind != k {
		p.fail(n, "%s: want %s", what, kindNames[k])
		return false
	}
	return true
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (p *configParser) acceptance(n *yaml.Node) (breaking.Acceptance, bool) {
	a := breaking.Acceptance{File: p.file, At: connector.Location{Line: n.Line, Column: n.Column}}
	if !p.kind(n, yaml.MappingNode, "an accepted change") || !p.unique(n, "an accepted change") {
		return a, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !p.kind(v, yaml.ScalarNode, k.Value) {
			return a, false
		}
		if v.Value == "" && k.Value != "reason" {
			p.fail(v, "%s: empty (leave the key out to match any)", k.Value)
			return a, false
		}
		switch k.Value {
		case "id":
			if !breaking.ValidID(v.Value) {
				p.fail(v, "id: want a finding's id, %d hexadecimal digits as reports give it, got %q", breaking.IDLength, v.Value)
			}
			a.ID = v.Value
		case "rule":
			if _, ok := breaking.Lookup(v.Value); !ok {
				p.fail(v, "unknown rule id %q (see `connectordiff rules`)", v.Value)
			}
			a.Rule = v.Value
		case "connector":
			if _, err := path.Match(v.Value, ""); err != nil {
				p.fail(v, "connector: %q is not a valid pattern", v.Value)
			}
			a.Connector = v.Value
		case "operation":
			a.Operation = v.Value
		case "valuePath":
			a.ValuePath = v.Value
		case "pointer":
			if !strings.HasPrefix(v.Value, "/") {
				p.fail(v, "pointer: want a JSON pointer such as /paths/~1tasks/get, got %q", v.Value)
			}
			a.Pointer = v.Value
		case "reason":
			a.Reason = strings.TrimSpace(v.Value)
		case "expires":
			t, err := time.Parse("2006-01-02", v.Value)
			if !dateRE.MatchString(v.Value) || err != nil {
				p.fail(v, "expires: want a date as YYYY-MM-DD, got %q", v.Value)
			}
			a.Expires = &t
		default:
			p.fail(k, "unknown key %q in an accepted change (want id, rule, connector, operation, valuePath, pointer, reason, expires)", k.Value)
		}
	}
	switch {
	case p.err != nil:
	case a.ID != "" && (a.Operation != "" || a.ValuePath != "" || a.Pointer != ""):
		p.fail(n, "an accepted change by id names no operation, valuePath or pointer: the id says which finding")
	case a.Rule == "" && a.ID == "":
		p.fail(n, "an accepted change needs a rule, or the id of a finding")
	case a.Reason == "":
		p.fail(n, "an accepted change needs a reason: say why the break is acceptable")
	case a.ValuePath != "" && a.Pointer != "":
		p.fail(n, "an accepted change gives valuePath or pointer, not both")
	}
	return a, p.err == nil
}

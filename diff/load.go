package diff

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strconv"
	"unicode/utf8"

	yaml "github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel"
)

// DefaultMaxBytes is the largest file Load reads unless LoadOptions says
// otherwise. The largest real connector definitions are a few megabytes.
const DefaultMaxBytes = 64 << 20

// LoadOptions tunes Load and LoadFile. The other limits on hostile input
// (MaxNesting, MaxAliasExpansion) are fixed; see limits.go.
type LoadOptions struct {
	// MaxBytes is the largest input accepted; 0 (or less) means DefaultMaxBytes.
	// A larger input fails with ErrTooLarge; LoadFile refuses it before
	// reading it.
	MaxBytes int64
}

func (o LoadOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// Sentinel errors; a *LoadError wraps one of them (or an I/O error), so that
// callers can tell the kind of bad input apart with errors.Is.
var (
	// ErrSyntax: the file is neither JSON (after the lenient repairs) nor YAML.
	ErrSyntax = errors.New("syntax error")
	// ErrNotSwagger2: the file parses but is not a Swagger 2.0 document.
	ErrNotSwagger2 = errors.New("not a Swagger 2.0 document")
	// ErrTooLarge: the file is over LoadOptions.MaxBytes.
	ErrTooLarge = errors.New("file too large")
	// ErrEmpty: the file is empty or holds only white space (or comments).
	ErrEmpty = errors.New("empty file")
)

// LoadError is a failure to load a file, located in the original file when
// the position is known (Line and Column are 1-based, 0 when unknown;
// columns count characters).
type LoadError struct {
	File         string
	Line, Column int
	Msg          string
	Err          error
}

// Error returns "file:line:col: msg", leaving out what is unknown.
func (e *LoadError) Error() string {
	pos := e.File
	if e.Line > 0 {
		pos += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			pos += ":" + strconv.Itoa(e.Column)
		}
	}
	if pos == "" {
		return e.Msg
	}
	return pos + ": " + e.Msg
}

// Unwrap returns the sentinel (or I/O error) behind the failure.
func (e *LoadError) Unwrap() error { return e.Err }

// LoadFile reads and loads the file at path; messages name it by path.
func LoadFile(path string, opts LoadOptions) (*Document, error) {
	data, err := readFile(path, opts)
	if err != nil {
		return nil, err
	}
	return Load(path, data, opts)
}

// readFile reads one file the caller named from disk within the size limit;
// it may be a pipe (process substitution), but not a folder.
func readFile(path string, opts LoadOptions) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ioError(path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, ioError(path, err)
	}
	return readLimited(f, st, path, opts, false)
}

func ioError(path string, err error) *LoadError {
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error() // the path is already in front of the message
	}
	return &LoadError{File: path, Msg: msg, Err: err}
}

func tooLarge(name string, size, limit int64) *LoadError {
	return &LoadError{
		File: name,
		Msg:  fmt.Sprintf("file is %d bytes, over the limit of %d bytes (raise the limit with --max-bytes, WithMaxBytes or LoadOptions.MaxBytes)", size, limit),
		Err:  ErrTooLarge,
	}
}

// Load parses a Swagger 2.0 connector definition from data. JSON input gets
// the lenient repairs of RepairJSON, each reported as a Note; YAML input is
// parsed as is, its aliases expanded. Both then keep the last value of a
// duplicate key (with a Note). Input over opts.MaxBytes, nested deeper than
// MaxNesting or with an alias bomb fails with a *LoadError; Load never reads
// a file or URL a $ref names. name is how messages refer to the file.
func Load(name string, data []byte, opts LoadOptions) (*Document, error) {
	if limit := opts.maxBytes(); int64(len(data)) > limit {
		return nil, tooLarge(name, int64(len(data)), limit)
	}
	start := blankUntil(data)
	if start == len(data) {
		return nil, emptyError(name, data)
	}
	if c := data[start]; c == '{' || c == '[' {
		return loadJSON(name, data)
	}
	return loadYAML(name, data)
}

// specConfig asks libopenapi for the node tree only: we check the version
// ourselves and never need its JSON copy of the document.
var specConfig = &datamodel.DocumentConfiguration{SkipJSONConversion: true, BypassDocumentCheck: true}

func loadJSON(name string, data []byte) (*Document, error) {
	rep, err := repairAndCheck(name, data)
	if err != nil {
		return nil, err
	}
	// Valid JSON: its first character tells the kind of the top-level value,
	// and a non-object is refused before paying for the node tree.
	start := blankUntil(rep.data)
	if c := rep.data[start]; c != '{' {
		line, col := rep.pos.original(lineCol(rep.data, start))
		kind := "an array"
		switch {
		case c == '"':
			kind = "a string"
		case c == 'n':
			kind = "null"
		case c == 't' || c == 'f':
			kind = "a boolean"
		case c == '-' || c >= '0' && c <= '9':
			kind = "a number"
		}
		return nil, &LoadError{File: name, Line: line, Column: col,
			Msg: "top-level value is " + kind + ", want an object", Err: ErrNotSwagger2}
	}
	doc, err := nodeTree(name, rep)
	if err != nil {
		return nil, err
	}
	return finishLoad(name, "json", doc, rep.notes)
}

// nodeTree builds the node tree of JSON that passed repairAndCheck, with
// every position mapped back to the original file. It serves every JSON file
// of a connector.
func nodeTree(name string, rep repaired) (*yaml.Node, error) {
	info, err := datamodel.ExtractSpecInfoWithConfig(untabOutside(rep.data), specConfig)
	if err != nil {
		return nil, &LoadError{File: name, Msg: err.Error(), Err: ErrSyntax}
	}
	doc := info.RootNode
	if parsedFailed(doc) {
		// Valid JSON the YAML parser behind the node tree cannot read (a key
		// and its colon on different lines, for instance). Rare: parse again
		// to learn where.
		e := yamlError(name, rep.data)
		e.Line, e.Column = rep.pos.original(e.Line, e.Column)
		e.Msg = "valid JSON, but the node parser cannot read it: " + e.Msg
		return nil, e
	}
	rep.pos.remap(doc)
	return doc, nil
}

// untabOutside turns tabs before and after the top-level object into spaces
// (same width, so positions hold): JSON allows them there, but the YAML
// parser behind the node tree reads them as forbidden indentation.
func untabOutside(data []byte) []byte {
	start := bytes.IndexByte(data, '{')
	end := bytes.LastIndexByte(data, '}')
	if start < 0 || end < start {
		return data
	}
	if bytes.IndexByte(data[:start], '\t') < 0 && bytes.IndexByte(data[end:], '\t') < 0 {
		return data
	}
	out := bytes.Clone(data)
	for _, part := range [][]byte{out[:start], out[end:]} {
		for i, c := range part {
			if c == '\t' {
				part[i] = ' '
			}
		}
	}
	return out
}

func loadYAML(name string, data []byte) (*Document, error) {
	if err := checkYAMLEncoding(name, data); err != nil {
		return nil, err
	}
	info, err := datamodel.ExtractSpecInfoWithConfig(data, specConfig)
	if err != nil {
		return nil, &LoadError{File: name, Msg: err.Error(), Err: ErrSyntax}
	}
	doc := info.RootNode
	if doc == nil || len(doc.Content) == 0 {
		return nil, &LoadError{File: name, Msg: "file has no YAML content, only comments or blank lines", Err: ErrEmpty}
	}
	if parsedFailed(doc) {
		e := yamlError(name, data)
		if !mentionsSwagger(data) {
			// Most likely the wrong file (a README, a script): say so first.
			e.Msg, e.Err = "not a Swagger 2.0 definition: the file is neither JSON nor YAML ("+e.Msg+")", ErrNotSwagger2
			return nil, e
		}
		e.Msg = "invalid YAML: " + e.Msg
		return nil, e
	}
	if root := doc.Content[0]; root.Kind == yaml.ScalarNode && root.Tag == "!!str" && root.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 &&
		!mentionsSwagger(data) {
		return nil, &LoadError{File: name, Line: root.Line, Column: root.Column, Err: ErrNotSwagger2,
			Msg: "not a Swagger 2.0 definition: the file is plain text, not a JSON or YAML object"}
	}
	return finishLoad(name, "yaml", doc, nil)
}

// swaggerKey finds a top-level swagger key, quoted or not, at the start of
// a line.
var swaggerKey = regexp.MustCompile(`(?m)^["']?swagger["']?\s*:`)

// mentionsSwagger reports whether YAML text means to be a Swagger
// definition, so that its syntax errors are worth reporting as such.
func mentionsSwagger(data []byte) bool { return swaggerKey.Match(data) }

// checkYAMLEncoding locates the first byte that is not UTF-8 in a YAML file
// (the YAML parser only names the byte). UTF-16 input, which starts with its
// byte order mark, is left to the parser.
func checkYAMLEncoding(name string, data []byte) error {
	if utf8.Valid(data) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil
	}
	off := 0
	for off < len(data) {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		off += size
	}
	line, col := lineCol(data, off)
	return &LoadError{File: name, Line: line, Column: col, Err: ErrSyntax,
		Msg: fmt.Sprintf("invalid YAML: byte 0x%02X is not UTF-8 (only JSON files may be in Windows-1252)", data[off])}
}

// parsedFailed reports whether libopenapi stood a fake document in for one it
// could not parse: with BypassDocumentCheck it wraps the whole input in a
// scalar node that, unlike every parsed node, has no line.
func parsedFailed(doc *yaml.Node) bool {
	return doc == nil || len(doc.Content) == 0 || doc.Content[0].Line == 0
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlError parses data with the YAML parser to locate the error libopenapi
// swallowed.
func yamlError(name string, data []byte) *LoadError {
	var n yaml.Node
	err := yaml.Unmarshal(data, &n)
	e := &LoadError{File: name, Err: ErrSyntax}
	var le *yaml.LoadError
	switch {
	case err == nil:
		e.Msg = "the YAML parser could not read the document"
	case errors.As(err, &le):
		e.Line, e.Column, e.Msg = le.Mark.Line, le.Mark.Column, le.Message
	default:
		e.Msg = err.Error()
		if m := yamlLineRE.FindStringSubmatch(e.Msg); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
		}
	}
	return e
}

// finishLoad checks that the document is Swagger 2.0 and builds it.
func finishLoad(name, format string, doc *yaml.Node, notes []Note) (*Document, error) {
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &LoadError{File: name, Line: root.Line, Column: root.Column,
			Msg: "top-level value is " + describeNode(root) + ", want an object", Err: ErrNotSwagger2}
	}
	// Aliases first, so that duplicate keys and references are seen in the
	// tree the comparison walks.
	if err := expandAliases(name, root); err != nil {
		return nil, err
	}
	dupNotes, refs := dropDuplicateKeys(root)
	if err := checkSwagger2(name, root); err != nil {
		return nil, err
	}
	d, err := newDocument(name, format, root, append(notes, dupNotes...))
	if err != nil {
		return nil, err
	}
	if cyc := d.refCycleNotes(refs); len(cyc) > 0 {
		d.Notes = append(d.Notes, cyc...)
		sort.SliceStable(d.Notes, func(i, j int) bool {
			a, b := d.Notes[i], d.Notes[j]
			return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
		})
	}
	return d, nil
}

const wantSwagger2 = `connectordiff reads Swagger 2.0 (swagger: "2.0")`

// checkSwagger2 accepts swagger: "2.0", and the number 2.0 or 2 that YAML
// makes of an unquoted 2.0.
func checkSwagger2(name string, root *yaml.Node) error {
	var openapi, version *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "swagger":
			if isSwagger2(v) {
				return nil
			}
			return &LoadError{File: name, Line: k.Line, Column: k.Column, Err: ErrNotSwagger2,
				Msg: fmt.Sprintf("swagger: %s found at %d:%d; %s", describeValue(v), k.Line, k.Column, wantSwagger2)}
		case "openapi":
			openapi, version = k, v
		}
	}
	if openapi != nil {
		return &LoadError{File: name, Line: openapi.Line, Column: openapi.Column, Err: ErrNotSwagger2,
			Msg: fmt.Sprintf("openapi: %s found at %d:%d; %s", describeValue(version), openapi.Line, openapi.Column, wantSwagger2)}
	}
	return &LoadError{File: name, Line: root.Line, Column: root.Column, Err: ErrNotSwagger2,
		Msg: `no "swagger" field at the top level; ` + wantSwagger2}
}

func isSwagger2(v *yaml.Node) bool {
	if v.Kind != yaml.ScalarNode {
		return false
	}
	switch v.Tag {
	case "!!str":
		return v.Value == "2.0"
	case "!!float", "!!int":
		f, err := strconv.ParseFloat(v.Value, 64)
		return err == nil && f == 2
	}
	return false
}

// describeValue shows a scalar as written (strings quoted) or names the kind
// of anything else.
func describeValue(v *yaml.Node) string {
	if v.Kind == yaml.ScalarNode {
		if v.Tag == "!!str" {
			return strconv.Quote(v.Value)
		}
		return v.Value
	}
	return describeNode(v)
}

// describeNode names the kind of a node in JSON terms.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "an array"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "null"
		case "!!bool":
			return "a boolean (" + n.Value + ")"
		case "!!int", "!!float":
			return "a number (" + n.Value + ")"
		}
		return "a string (" + strconv.Quote(n.Value) + ")"
	case yaml.AliasNode:
		return "an alias"
	}
	return "empty"
}

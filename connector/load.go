package connector

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"unicode/utf8"
	"unsafe"

	yaml "github.com/pb33f/go-yaml"
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
	return load(path, data, opts, true)
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
	return load(name, data, opts, false)
}

// load is Load; owned says that nothing else holds data, so the document may
// use it as its text without a copy.
func load(name string, data []byte, opts LoadOptions, owned bool) (*Document, error) {
	if limit := opts.maxBytes(); int64(len(data)) > limit {
		return nil, tooLarge(name, int64(len(data)), limit)
	}
	start := blankUntil(data)
	if start == len(data) {
		return nil, emptyError(name, data)
	}
	if c := data[start]; c == '{' || c == '[' {
		return loadJSON(name, data, owned)
	}
	return loadYAML(name, data, owned)
}

func loadJSON(name string, data []byte, owned bool) (*Document, error) {
	p, err := parseJSON(name, data, owned)
	if err != nil {
		return nil, err
	}
	d := &Document{Name: name, Format: "json", Root: p.root, text: p.text}
	if p.root.kind != Object {
		line, col := d.lineCol(p.root.start)
		return nil, &LoadError{File: name, Line: line, Column: col,
			Msg: "top-level value is " + describeKind(p.root) + ", want an object", Err: ErrNotSwagger2}
	}
	d.dynKeys = p.dynKeys
	return d.finish(append(p.notes, d.duplicateNotes(p.dups)...), p.refs)
}

// parsedJSON is a JSON file read into nodes.
type parsedJSON struct {
	text
	root    *Node
	notes   []Note   // the repairs, in original line:column
	dups    []dupKey // the duplicate keys dropped
	refs    []refUse
	dynKeys []uint32
}

// parseJSON reads a JSON file into nodes: in one pass when it is strict
// JSON and UTF-8 (nearly always), else after the lenient repairs, or fails
// with a located *LoadError. It serves every JSON file of a connector.
func parseJSON(name string, data []byte, owned bool) (parsedJSON, error) {
	if int64(len(data)) > math.MaxUint32 {
		return parsedJSON{}, tooLarge(name, int64(len(data)), math.MaxUint32)
	}
	src := asText(data, owned)
	if root, s, ok := scanTree(src); ok {
		return parsedJSON{text: newText(src, s.lines), root: root, dups: s.dups, refs: s.refs, dynKeys: s.dynKeys}, nil
	}
	rep, err := repairAndCheck(name, data)
	if err != nil {
		return parsedJSON{}, err
	}
	src = string(rep.data)
	root, s, ok := scanTree(src)
	if !ok { // the scanner accepts what encoding/json accepts: cannot happen
		return parsedJSON{}, &LoadError{File: name, Msg: "invalid JSON: the repaired text does not parse", Err: ErrSyntax}
	}
	t := newText(src, s.lines)
	t.pos, t.repaired = rep.pos, true
	return parsedJSON{text: t, root: root, notes: rep.notes,
		dups: s.dups, refs: s.refs, dynKeys: s.dynKeys}, nil
}

// asText returns data as the text of a document: a copy, unless the
// loader read data itself and nothing else holds it (a document of a few
// megabytes then costs no second copy, nor its page faults).
func asText(data []byte, owned bool) string {
	if owned && len(data) > 0 {
		return unsafe.String(&data[0], len(data))
	}
	return string(data)
}

// describeKind names the kind of a top-level JSON value that is not an
// object.
func describeKind(n *Node) string {
	switch n.kind {
	case String:
		return "a string"
	case Null:
		return "null"
	case Bool:
		return "a boolean"
	case Number:
		return "a number"
	}
	return "an array"
}

func loadYAML(name string, data []byte, owned bool) (*Document, error) {
	if err := checkYAMLEncoding(name, data); err != nil {
		return nil, err
	}
	doc := new(yaml.Node)
	if err := yaml.Unmarshal(data, doc); err != nil {
		e := yamlError(name, data)
		if !mentionsSwagger(data) {
			// Most likely the wrong file (a README, a script): say so first.
			e.Msg, e.Err = "not a Swagger 2.0 definition: the file is neither JSON nor YAML ("+e.Msg+")", ErrNotSwagger2
			return nil, e
		}
		e.Msg = "invalid YAML: " + e.Msg
		return nil, e
	}
	if len(doc.Content) == 0 {
		return nil, &LoadError{File: name, Msg: "file has no YAML content, only comments or blank lines", Err: ErrEmpty}
	}
	src := asText(data, owned)
	d := &Document{Name: name, Format: "yaml", text: newText(src, yamlLines(src))}
	yroot := doc.Content[0]
	if yroot.Kind == yaml.ScalarNode && yroot.Tag == "!!str" && yroot.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 &&
		!mentionsSwagger(data) {
		// Most likely the wrong file (a README, a note): say so first.
		return nil, &LoadError{File: name, Line: yroot.Line, Column: yroot.Column, Err: ErrNotSwagger2,
			Msg: "not a Swagger 2.0 definition: the file is plain text, not a JSON or YAML object"}
	}
	if yroot.Kind != yaml.MappingNode {
		root := convertYAML(&d.text, yroot, true)
		return nil, &LoadError{File: name, Line: yroot.Line, Column: yroot.Column,
			Msg: "top-level value is " + describeNode(root) + ", want an object", Err: ErrNotSwagger2}
	}
	// Aliases first, so that duplicate keys and references are seen in the
	// tree the comparison walks.
	aliased := hasAlias(yroot)
	if aliased {
		if err := expandAliases(name, yroot); err != nil {
			return nil, err
		}
	}
	notes := dropDuplicateKeys(yroot)
	d.Root = convertYAML(&d.text, yroot, aliased)
	return d.finish(notes, walkRefs(d.Root))
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

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlError locates the error the YAML parser found in data.
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

// finish checks that the document is Swagger 2.0 and builds its model.
func (d *Document) finish(notes []Note, uses []refUse) (*Document, error) {
	if err := d.checkSwagger2(); err != nil {
		return nil, err
	}
	d.Notes = notes
	refs := d.indexRefs(uses)
	d.indexOperations()
	sortNotes(d.Notes)
	if cyc := d.refCycleNotes(refs); len(cyc) > 0 {
		d.Notes = append(d.Notes, cyc...)
		sortNotes(d.Notes)
	}
	return d, nil
}

// sortNotes puts notes in document order, keeping the order of notes at
// the same place.
func sortNotes(notes []Note) {
	sort.SliceStable(notes, func(i, j int) bool {
		a, b := notes[i], notes[j]
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
}

const wantSwagger2 = `connectordiff reads Swagger 2.0 (swagger: "2.0")`

// checkSwagger2 accepts swagger: "2.0", and the number 2.0 or 2 that YAML
// makes of an unquoted 2.0.
func (d *Document) checkSwagger2() error {
	root := d.Root
	var openapi, version *Node
	for i := 0; i+1 < len(root.kids()); i += 2 {
		k, v := &root.kids()[i], &root.kids()[i+1]
		switch k.val {
		case "swagger":
			if isSwagger2(v) {
				return nil
			}
			line, col := d.lineCol(k.start)
			return &LoadError{File: d.Name, Line: line, Column: col, Err: ErrNotSwagger2,
				Msg: fmt.Sprintf("swagger: %s found at %d:%d; %s", describeValue(v), line, col, wantSwagger2)}
		case "openapi":
			openapi, version = k, v
		}
	}
	if openapi != nil {
		line, col := d.lineCol(openapi.start)
		return &LoadError{File: d.Name, Line: line, Column: col, Err: ErrNotSwagger2,
			Msg: fmt.Sprintf("openapi: %s found at %d:%d; %s", describeValue(version), line, col, wantSwagger2)}
	}
	line, col := d.lineCol(root.start)
	return &LoadError{File: d.Name, Line: line, Column: col, Err: ErrNotSwagger2,
		Msg: `no "swagger" field at the top level; ` + wantSwagger2}
}

func isSwagger2(v *Node) bool {
	if !v.IsScalar() {
		return false
	}
	switch v.yamlTag() {
	case "!!str":
		return v.val == "2.0"
	case "!!float", "!!int":
		f, err := strconv.ParseFloat(v.val, 64)
		return err == nil && f == 2
	}
	return false
}

// describeValue shows a scalar as written (strings quoted) or names the kind
// of anything else.
func describeValue(v *Node) string {
	if v.IsScalar() {
		if v.yamlTag() == "!!str" {
			return strconv.Quote(v.val)
		}
		return v.val
	}
	return describeNode(v)
}

// describeNode names the kind of a node in JSON terms.
func describeNode(n *Node) string {
	switch n.kind {
	case Object:
		return "an object"
	case Array:
		return "an array"
	}
	switch n.yamlTag() {
	case "!!null":
		return "null"
	case "!!bool":
		return "a boolean (" + n.val + ")"
	case "!!int", "!!float":
		return "a number (" + n.val + ")"
	}
	return "a string (" + strconv.Quote(n.val) + ")"
}

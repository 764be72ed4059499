package connectordiff

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing/fstest"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

// Result is the judged comparison of two connector definitions.
type Result struct {
	// Profile is the audience the findings' levels are for.
	Profile  breaking.Profile   `json:"profile"`
	Old      DocumentInfo       `json:"old"`
	New      DocumentInfo       `json:"new"`
	Summary  Summary            `json:"summary"`
	Findings []breaking.Finding `json:"findings"`
}

// DocumentInfo describes one side of a comparison.
type DocumentInfo struct {
	// File is the definition's name, or the connector folder's when whole
	// connectors were compared.
	File       string      `json:"file"`
	Title      string      `json:"title"`
	Version    string      `json:"version"`
	Operations int         `json:"operations"`
	Notes      []diff.Note `json:"notes"`
	// Folder is true when File is a connector folder.
	Folder bool `json:"-"`
	// OperationIDs lists the operations in document order, for reports that
	// list operations without findings too.
	OperationIDs []string `json:"-"`
	// Sources holds each file compared as it was read, the definition first,
	// so that reports quote them without reading anything again.
	Sources []diff.File `json:"-"`
}

// Source returns the file a finding is in, by the name Finding.File gives
// ("" for the definition; matched without regard to case, as folders are),
// with its bytes; ok is false when the side has no such file or its bytes
// are not at hand.
func (d DocumentInfo) Source(file string) (f diff.File, ok bool) {
	if len(d.Sources) == 0 {
		return diff.File{}, false
	}
	if file == "" || strings.EqualFold(file, diff.DefinitionFile) {
		return d.Sources[0], true
	}
	for _, s := range d.Sources {
		if strings.EqualFold(s.Name, file) {
			return s, true
		}
	}
	return diff.File{}, false
}

// Counts counts findings by level.
type Counts struct {
	Breaking int `json:"breaking"`
	Warning  int `json:"warning"`
	Info     int `json:"info"`
}

// add counts one finding at level l.
func (c *Counts) add(l breaking.Level) {
	switch l {
	case breaking.Breaking:
		c.Breaking++
	case breaking.Warning:
		c.Warning++
	case breaking.Info:
		c.Info++
	}
}

// Summary counts findings by the level of the result's profile, and by the
// level Microsoft's breaking-change validator gives them (its errors count
// as breaking), so that one run answers both whom an update breaks and
// whether certification accepts it.
type Summary struct {
	Counts
	Certification Counts `json:"certification"`
	// Accepted counts the findings a reviewer accepted on record; they are
	// not in the other counts.
	Accepted int `json:"accepted,omitempty"`
}

// count fills in the summary from the findings.
func (r *Result) count() {
	r.Summary = Summary{}
	for _, f := range r.Findings {
		if f.Accepted != nil {
			r.Summary.Accepted++
			continue
		}
		r.Summary.add(f.Level)
		r.Summary.Certification.add(f.Certification)
	}
}

// Max returns the most serious level among the findings not accepted on
// record, or breaking.Off when there are none.
func (r *Result) Max() breaking.Level {
	max := breaking.Off
	for _, f := range r.Findings {
		if f.Level > max && f.Accepted == nil {
			max = f.Level
		}
	}
	return max
}

// AtLeast returns the findings at level min or above, in the report's order.
func (r *Result) AtLeast(min breaking.Level) []breaking.Finding {
	var out []breaking.Finding
	for _, f := range r.Findings {
		if f.Level >= min {
			out = append(out, f)
		}
	}
	return out
}

// Breaking returns the breaking findings.
func (r *Result) Breaking() []breaking.Finding { return r.AtLeast(breaking.Breaking) }

// Fails reports whether a gate failing at threshold fails this update: some
// finding is at threshold or above. breaking.Never (and Off) never fails.
func (r *Result) Fails(threshold breaking.Level) bool {
	return threshold > breaking.Off && threshold <= breaking.Breaking && r.Max() >= threshold
}

// Option adjusts a comparison.
type Option func(*config) error

type config struct {
	profile          breaking.Profile
	profileSet       bool // WithProfile was given: it wins over a policy file
	levels           map[string]breaking.Level
	load             diff.LoadOptions
	oldName, newName string
}

// WithLevel sets the level of one rule (by id) for this comparison;
// breaking.Off suppresses it. An unknown id makes Compare fail.
func WithLevel(ruleID string, level breaking.Level) Option {
	return func(c *config) error {
		c.levels[ruleID] = level
		return nil
	}
}

// WithProfile judges for one audience: breaking.ProfileUsers (the default:
// the worst level over Power Automate, Power Apps and Logic Apps), a single
// host's profile, or breaking.ProfileCertification, which predicts
// Microsoft's breaking-change validator. WithLevel overrides apply on top.
func WithProfile(p breaking.Profile) Option {
	return func(c *config) error {
		if _, err := breaking.ParseProfile(string(p)); err != nil {
			return err
		}
		c.profile, c.profileSet = p, true
		return nil
	}
}

// WithMaxBytes raises (or lowers) the size limit of each input file.
func WithMaxBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("max bytes must be positive, got %d", n)
		}
		c.load.MaxBytes = n
		return nil
	}
}

// WithNames sets the names that messages and reports use for the old and the
// new side when they are given as bytes or file systems.
func WithNames(old, new string) Option {
	return func(c *config) error {
		c.oldName, c.newName = old, new
		return nil
	}
}

func newConfig(opts []Option) (*config, error) {
	c := &config{profile: breaking.ProfileUsers, levels: map[string]breaking.Level{}, oldName: "old", newName: "new"}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// side is one loaded side of a comparison.
type side struct {
	info DocumentInfo
	conn *diff.Connector
}

func definitionSide(name string, data []byte, opts diff.LoadOptions) (*side, error) {
	d, err := diff.Load(name, data, opts)
	if err != nil {
		return nil, err
	}
	return &side{info: info(name, d, []diff.File{diff.SourceFile(baseName(name), d, data)}), conn: &diff.Connector{Definition: d}}, nil
}

// documentSide is a side for a definition loaded already.
func documentSide(d *diff.Document) *side {
	return &side{info: info(d.Name, d, []diff.File{diff.SourceFile(baseName(d.Name), d, nil)}), conn: &diff.Connector{Definition: d}}
}

func folderSide(c *diff.Connector, name string) *side {
	s := &side{info: info(name, c.Definition, c.Files), conn: c}
	s.info.Folder = true
	if c.Properties != nil {
		s.info.Notes = append(append([]diff.Note{}, s.info.Notes...), c.Properties.Notes...)
	}
	return s
}

func info(name string, d *diff.Document, files []diff.File) DocumentInfo {
	ids := d.Operations()
	return DocumentInfo{File: name, Title: d.Title(), Version: d.Version(), Operations: len(ids), Notes: d.Notes,
		OperationIDs: ids, Sources: files}
}

// Compare loads two definitions given as bytes (JSON or YAML) and judges the
// update from old to new. An error means an input could not be read; it
// names the file, line and column (see diff.LoadError).
func Compare(ctx context.Context, old, new []byte, opts ...Option) (*Result, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	o, err := definitionSide(cfg.oldName, old, cfg.load)
	if err != nil {
		return nil, err
	}
	n, err := definitionSide(cfg.newName, new, cfg.load)
	if err != nil {
		return nil, err
	}
	return compareSides(ctx, cfg, o, n)
}

// ConnectorFiles is a whole connector held in memory: its definition, and
// its apiProperties.json and script.csx when it has them (nil otherwise).
type ConnectorFiles struct {
	Definition, Properties, Script []byte
}

// CompareConnectors judges the update of a whole connector held in memory,
// as CompareDirs does for folders; WithNames names the two sides.
func CompareConnectors(ctx context.Context, old, new ConnectorFiles, opts ...Option) (*Result, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	load := func(name string, files ConnectorFiles) (*side, error) {
		// fstest.MapFS is a plain in-memory file system; it imports nothing of
		// package testing.
		fsys := fstest.MapFS{diff.DefinitionFile: {Data: files.Definition}}
		if files.Properties != nil {
			fsys[diff.PropertiesFile] = &fstest.MapFile{Data: files.Properties}
		}
		if files.Script != nil {
			fsys[diff.ScriptFile] = &fstest.MapFile{Data: files.Script}
		}
		c, err := diff.LoadConnectorFS(fsys, ".", name, cfg.load)
		if err != nil {
			return nil, err
		}
		return folderSide(c, name), nil
	}
	o, err := load(cfg.oldName, old)
	if err != nil {
		return nil, err
	}
	n, err := load(cfg.newName, new)
	if err != nil {
		return nil, err
	}
	return compareSides(ctx, cfg, o, n)
}

// CompareFiles is Compare for two files on disk. When both paths are
// folders it compares whole connectors, as CompareDirs.
func CompareFiles(ctx context.Context, oldPath, newPath string, opts ...Option) (*Result, error) {
	oldDir, newDir := isDir(oldPath), isDir(newPath)
	if oldDir && newDir {
		return CompareDirs(ctx, oldPath, newPath, opts...)
	}
	if oldDir != newDir {
		return nil, mixedError(oldPath, newPath)
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	load := func(p string) (*side, error) {
		d, err := diff.LoadFile(p, cfg.load)
		if err != nil {
			return nil, err
		}
		return documentSide(d), nil
	}
	o, err := load(oldPath)
	if err != nil {
		return nil, err
	}
	n, err := load(newPath)
	if err != nil {
		return nil, err
	}
	return compareSides(ctx, cfg, o, n)
}

func mixedError(oldPath, newPath string) error {
	return fmt.Errorf("compare two files or two connector folders, not a file and a folder (%s, %s)", oldPath, newPath)
}

// CompareDirs judges the update of a whole connector folder:
// apiDefinition.swagger.json, apiProperties.json and script.csx (file names
// matched without regard to case; the last two may be missing). Findings
// outside the definition name their file. Symbolic links are followed only
// within each folder.
func CompareDirs(ctx context.Context, oldDir, newDir string, opts ...Option) (*Result, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	oc, err := diff.LoadConnector(oldDir, cfg.load)
	if err != nil {
		return nil, err
	}
	nc, err := diff.LoadConnector(newDir, cfg.load)
	if err != nil {
		return nil, err
	}
	return compareSides(ctx, cfg, folderSide(oc, oldDir), folderSide(nc, newDir))
}

// CompareFS judges an update whose sides are read from file systems: each
// path is a definition file or a connector folder inside its fsys ("." for
// its root), such as a git revision's tree, an archive or an
// fstest.MapFS. Both paths must be files, or both folders. WithNames names
// the sides (by default the paths).
func CompareFS(ctx context.Context, oldFS fs.FS, oldPath string, newFS fs.FS, newPath string, opts ...Option) (*Result, error) {
	cfg, err := newConfig(append([]Option{WithNames(oldPath, newPath)}, opts...))
	if err != nil {
		return nil, err
	}
	isDir := func(fsys fs.FS, p, name string) (bool, error) {
		st, err := fs.Stat(fsys, p)
		if err != nil {
			return false, &diff.LoadError{File: name, Msg: errMessage(err), Err: err}
		}
		return st.IsDir(), nil
	}
	load := func(fsys fs.FS, p, name string, dir bool) (*side, error) {
		if dir {
			c, err := diff.LoadConnectorFS(fsys, p, name, cfg.load)
			if err != nil {
				return nil, err
			}
			return folderSide(c, name), nil
		}
		data, err := diff.ReadFileFS(fsys, p, name, cfg.load)
		if err != nil {
			return nil, err
		}
		return definitionSide(name, data, cfg.load)
	}
	oDir, err := isDir(oldFS, oldPath, cfg.oldName)
	if err != nil {
		return nil, err
	}
	nDir, err := isDir(newFS, newPath, cfg.newName)
	if err != nil {
		return nil, err
	}
	if oDir != nDir {
		return nil, mixedError(cfg.oldName, cfg.newName)
	}
	o, err := load(oldFS, oldPath, cfg.oldName, oDir)
	if err != nil {
		return nil, err
	}
	n, err := load(newFS, newPath, cfg.newName, nDir)
	if err != nil {
		return nil, err
	}
	return compareSides(ctx, cfg, o, n)
}

// errMessage drops the path an fs error repeats, since the LoadError names it.
func errMessage(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// CompareDocuments judges two documents already loaded with diff.Load.
func CompareDocuments(ctx context.Context, old, new *diff.Document, opts ...Option) (*Result, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return compareSides(ctx, cfg, documentSide(old), documentSide(new))
}

func compareSides(ctx context.Context, cfg *config, o, n *side) (*Result, error) {
	policy, err := breaking.NewProfilePolicy(cfg.profile, cfg.levels)
	if err != nil {
		return nil, err
	}
	var changes []*diff.Change
	versions := sideVersions(o, n)
	if o.info.Folder {
		changes, err = diff.CompareConnectors(ctx, o.conn, n.conn)
	} else {
		changes, err = diff.Compare(ctx, o.conn.Definition, n.conn.Definition)
	}
	if err != nil {
		return nil, err
	}
	res := &Result{Profile: cfg.profile, Old: o.info, New: n.info, Findings: policy.Judge(changes, versions)}
	res.count()
	return res, nil
}

// sideVersions is what the version rules look at in an update.
func sideVersions(o, n *side) breaking.Versions {
	v := breaking.Versions{Old: o.info.Version, New: n.info.Version,
		OldAt: o.conn.Definition.VersionAt(), NewAt: n.conn.Definition.VersionAt()}
	if o.info.Folder {
		v.File = baseName(o.conn.Definition.Name)
	}
	return v
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

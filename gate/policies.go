package gate

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// A pull request may change the policy that judges it. Whichever side's
// policy applies, both sides are read so that every change to a policy in
// the compared range is reported for review, and under breaking.PolicyFromBase the
// head's changes are listed without being applied.

// policySide is the policy files of one side of a repository comparison:
// the root's (or the one --config names) and each touched connector
// folder's, by folder.
type policySide struct {
	root    *Config
	folders map[string]*Config
	// errs holds policy files of this side that do not parse, by path; a
	// side whose policy is not applied only lists them.
	errs map[string]error
}

// rootPolicy says where one side's root policy is read: a path in that
// side's files, or a file on disk; shown is how messages name it.
type rootPolicy struct{ name, disk, shown string }

// rootPolicies resolves where each side reads the root policy. Without
// --config, it is ConfigFile on both sides. --config names a file on disk,
// which is the head's; when it is inside the repository's work tree, the
// base's is the same path in the base revision, so that the change to it is
// seen (and, under breaking.PolicyFromBase, the pull request's edit is not applied).
func rootPolicies(top, override string) (base, head rootPolicy) {
	if override == "" {
		return rootPolicy{name: ConfigFile, shown: ConfigFile}, rootPolicy{name: ConfigFile, shown: ConfigFile}
	}
	head = rootPolicy{disk: override, shown: override}
	if top != "" {
		abs, err1 := filepath.Abs(override)
		rel, err2 := filepath.Rel(top, abs)
		if err1 == nil && err2 == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			rel = filepath.ToSlash(rel)
			head.shown = rel
			return rootPolicy{name: rel, shown: rel}, head
		}
	}
	return head, head // outside the repository: not part of the change
}

// readSide reads one side's policy files from fsys. label prefixes the
// names of files read from a revision ("" for the head). strict makes a
// file that does not parse an error; otherwise it is kept in errs.
func readSide(fsys fs.FS, label string, root rootPolicy, folders []string, strict bool) (*policySide, error) {
	s := &policySide{folders: map[string]*Config{}, errs: map[string]error{}}
	keep := func(name string, err error) error {
		if strict {
			return err
		}
		s.errs[name] = err
		return nil
	}
	shown := func(name string) string {
		if label != "" {
			return label + ":" + name
		}
		return name
	}
	var err error
	if s.root, err = readPolicy(fsys, root.name, root.disk, shown(root.shown)); err != nil {
		if err := keep(root.shown, err); err != nil {
			return nil, err
		}
	}
	for _, dir := range folders {
		if dir == "" {
			continue
		}
		name := path.Join(dir, ConfigFile)
		p, err := readPolicy(fsys, name, "", shown(name))
		if err != nil {
			if err := keep(path.Join(dir, ConfigFile), err); err != nil {
				return nil, err
			}
			continue
		}
		if p != nil {
			s.folders[dir] = p
		}
	}
	return s, nil
}

// readPolicy reads a policy file from fsys at name, or from disk when disk
// is given; a missing file in fsys is no policy. Messages name it shown.
func readPolicy(fsys fs.FS, name, disk, shown string) (*Config, error) {
	var data []byte
	var err error
	if disk != "" {
		// The file --config names may be in the pull request's checkout: a
		// link there could point anywhere (.git/config holds a token).
		if fi, lerr := os.Lstat(disk); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, &connector.LoadError{File: shown, Msg: "is a symbolic link, which connectordiff does not follow here", Err: connector.ErrSymlink}
		}
		data, err = readAtMost(disk, maxConfigBytes+1)
	} else {
		if _, serr := fs.Stat(fsys, name); errors.Is(serr, fs.ErrNotExist) {
			return nil, nil
		}
		data, err = connector.ReadFileFS(fsys, name, shown, connector.LoadOptions{MaxBytes: maxConfigBytes})
	}
	if err != nil {
		return nil, err
	}
	return ParseConfig(shown, data)
}

// policySource decides whose policy applies: the caller's choice, else base
// when either side's root policy asks for it. A pull request can ask for the
// stricter source, never take the base's choice away.
func policySource(given breaking.PolicySource, base, head *Config) breaking.PolicySource {
	switch {
	case given != "":
		return given
	case base != nil && base.PolicyFrom == breaking.PolicyFromBase, head != nil && head.PolicyFrom == breaking.PolicyFromBase:
		return breaking.PolicyFromBase
	}
	return breaking.PolicyFromHead
}

// policyChange is one way the head's policy differs from the base's.
type policyChange struct {
	what   breaking.Finding // its topic, subject and args
	file   string
	at     connector.Location
	accept *breaking.Acceptance // the acceptance added, for acceptance-added
}

// policyChanges lists what the head's policy file changes from the base's
// version of it (either may be nil: a file added or removed). Removing an
// acceptance only makes the gate stricter and is not listed.
func policyChanges(base, head *Config, display string) []policyChange {
	if head == nil && base == nil {
		return nil
	}
	var out []policyChange
	file, at := display, connector.Location{Line: 1, Column: 1}
	if head != nil {
		file = head.File
	}
	add := func(topic breaking.Topic, subject string, args ...string) {
		out = append(out, policyChange{what: breaking.Finding{Topic: topic, Subject: subject, Args: args},
			file: file, at: at})
	}
	var b, h Config
	if base != nil {
		b = *base
	}
	if head != nil {
		h = *head
	}
	if base != nil && head == nil {
		add(breaking.TopicPolicyFileRemoved, display)
	}
	if b.Profile != h.Profile {
		add(breaking.TopicPolicySettingChanged, "profile", string(h.Profile), string(b.Profile))
	}
	if b.PolicyFrom != h.PolicyFrom {
		add(breaking.TopicPolicySettingChanged, "policyFrom", string(h.PolicyFrom), string(b.PolicyFrom))
	}
	if b.DeprecationDays != h.DeprecationDays {
		add(breaking.TopicPolicySettingChanged, "deprecationDays", daysText(h.DeprecationDays), daysText(b.DeprecationDays))
	}
	if sw := switchText(b.Published); sw != switchText(h.Published) {
		add(breaking.TopicPolicySettingChanged, "published", switchText(h.Published), sw)
	}
	if sw := switchText(b.PreviewAsWarnings); sw != switchText(h.PreviewAsWarnings) {
		add(breaking.TopicPolicySettingChanged, "previewAsWarnings", switchText(h.PreviewAsWarnings), sw)
	}
	for _, ch := range connectorSettingChanges(b.Connectors, h.Connectors) {
		add(breaking.TopicPolicySettingChanged, ch[0], ch[1], ch[2])
	}
	var ids []string
	for id := range h.Levels {
		ids = append(ids, id)
	}
	for id := range b.Levels {
		if _, ok := h.Levels[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		hl, hok := h.Levels[id]
		bl, bok := b.Levels[id]
		if hok == bok && hl == bl {
			continue
		}
		add(breaking.TopicPolicyLevelChanged, id, levelText(hl, hok), levelText(bl, bok))
	}
	for i := range h.Accept {
		a := &h.Accept[i]
		if !slices.ContainsFunc(b.Accept, func(x breaking.Acceptance) bool { return sameAcceptance(*a, x) }) {
			out = append(out, policyChange{file: a.File, at: a.At, accept: a})
		}
	}
	return out
}

// switchText is a yes-or-no setting's value, "" when not set.
func switchText(s *Switch) string {
	if s == nil {
		return ""
	}
	return fmt.Sprint(s.On)
}

// connectorSettingChanges lists how the settings per connector pattern
// differ from before to after: the setting ("published for PATTERN"), its
// value after and before ("" when not set). A pattern given twice counts
// by its last entry, as the settings apply.
func connectorSettingChanges(before, after []ConnectorSettings) [][3]string {
	type values struct{ published, preview string }
	read := func(list []ConnectorSettings) (map[string]values, []string) {
		m := map[string]values{}
		var order []string
		for _, c := range list {
			v, seen := m[c.Connector]
			if !seen {
				order = append(order, c.Connector)
			}
			if c.Published != nil {
				v.published = switchText(c.Published)
			}
			if c.PreviewAsWarnings != nil {
				v.preview = switchText(c.PreviewAsWarnings)
			}
			m[c.Connector] = v
		}
		return m, order
	}
	b, bOrder := read(before)
	h, hOrder := read(after)
	var out [][3]string
	for _, pattern := range append(hOrder, bOrder...) {
		hv, bv := h[pattern], b[pattern]
		if hv.published != bv.published {
			out = append(out, [3]string{"published for " + pattern, hv.published, bv.published})
		}
		if hv.preview != bv.preview {
			out = append(out, [3]string{"previewAsWarnings for " + pattern, hv.preview, bv.preview})
		}
		h[pattern], b[pattern] = values{}, values{} // each pattern once
	}
	return out
}

// daysText is a number of days as a setting's value, "" when not set.
func daysText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// levelText is a rule's level as a setting's value, "" when not set (the
// profile's).
func levelText(l breaking.Level, set bool) string {
	if !set {
		return ""
	}
	return l.String()
}

// sameAcceptance reports whether two acceptances accept the same thing for
// the same reason and time, wherever they stand in their files.
func sameAcceptance(a, b breaking.Acceptance) bool {
	return a.ID == b.ID && a.Rule == b.Rule && a.Connector == b.Connector && a.Operation == b.Operation && a.ValuePath == b.ValuePath &&
		a.Pointer == b.Pointer && a.Reason == b.Reason && equalDates(a, b)
}

func equalDates(a, b breaking.Acceptance) bool {
	if a.Expires == nil || b.Expires == nil {
		return a.Expires == nil && b.Expires == nil
	}
	return a.Expires.Equal(*b.Expires)
}

// policies is what a repository comparison knows of its policy files: both
// sides, and which one applies.
type policies struct {
	source     breaking.PolicySource
	base, head *policySide
	applied    *policySide
	rootName   string   // how messages name the root policy file
	dirs       []string // the folders whose policy files were read
}

// readPolicies reads the policy files of both sides: the root's, and those
// of every touched connector folder and of every folder whose policy file
// the change touches. The side that applies must parse; the other is read
// only to list what the change does to the policy.
func readPolicies(top string, baseTree, headFS fs.FS, label string, found []touched,
	changes []gitrepo.FileChange, opts *Options) (*policies, error) {
	baseRoot, headRoot := rootPolicies(top, opts.PolicyFile)
	seen := map[string]bool{}
	var dirs []string
	addDir := func(d string) {
		if d != "" && d != "." && !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for _, c := range found {
		addDir(c.old)
		addDir(c.new)
	}
	for _, c := range changes {
		for _, p := range []string{c.Old, c.New} {
			if path.Base(p) == ConfigFile {
				addDir(path.Dir(p))
			}
		}
	}
	sort.Strings(dirs)
	p := &policies{dirs: dirs, rootName: headRoot.shown}
	p.base, _ = readSide(baseTree, label, baseRoot, dirs, false)
	p.head, _ = readSide(headFS, "", headRoot, dirs, false)
	if err := p.base.errs[baseRoot.shown]; err != nil && opts.PolicyFrom == "" {
		// The base's policy may ask for itself to apply; unread, fail closed.
		return nil, fmt.Errorf("%w (the base revision's policy decides whose policy applies; give --policy-from)", err)
	}
	p.source = policySource(opts.PolicyFrom, p.base.root, p.head.root)
	p.applied = p.head
	if p.source == breaking.PolicyFromBase {
		p.applied = p.base
	}
	if err := p.applied.firstErr(); err != nil {
		return nil, err
	}
	return p, nil
}

// firstErr returns the error of the first policy file, by path, that does
// not parse.
func (s *policySide) firstErr() error {
	var names []string
	for n := range s.errs {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil
	}
	return s.errs[names[0]]
}

// files names the policy files applied, sorted.
func (p *policies) files() []string {
	var out []string
	if r := p.applied.root; r != nil {
		out = append(out, r.File)
	}
	for _, d := range p.dirs {
		if f := p.applied.folders[d]; f != nil {
			out = append(out, f.File)
		}
	}
	sort.Strings(out)
	return out
}

// folder is the policy file that applies to connector c: its folder's in
// the side that applies (the base's folder is the connector's old one).
func (p *policies) folder(c touched) *Config {
	if p.source == breaking.PolicyFromBase {
		return p.base.folders[c.old]
	}
	return p.head.folders[c.new]
}

// circumstances are what the policy files that apply say about connector
// c, in folder and titled title: where they declare it not published yet,
// and where they make the breaks of its preview operations warnings (""
// when they do not). Its folder's file wins over the root's settings for
// the connectors a pattern names, which win over the root's own.
func (p *policies) circumstances(c touched, folder, title string) (unpublished, preview string) {
	root, own := p.applied.root, p.folder(c)
	pick := func(get func(*Config) *Switch, entry func(ConnectorSettings) *Switch) (*Switch, string) {
		if own != nil && get(own) != nil {
			return get(own), own.File
		}
		if root == nil {
			return nil, ""
		}
		var found *Switch
		for _, cs := range root.Connectors {
			if s := entry(cs); s != nil && cs.Matches(folder, title) {
				found = s // the last entry that names the connector
			}
		}
		if found != nil {
			return found, root.File
		}
		return get(root), root.File
	}
	at := func(s *Switch, file string) string { return fmt.Sprintf("%s:%d:%d", file, s.At.Line, s.At.Column) }
	if s, file := pick(func(c *Config) *Switch { return c.Published }, func(c ConnectorSettings) *Switch { return c.Published }); s != nil && !s.On {
		unpublished = at(s, file)
	}
	if s, file := pick(func(c *Config) *Switch { return c.PreviewAsWarnings },
		func(c ConnectorSettings) *Switch { return c.PreviewAsWarnings }); s != nil && s.On {
		preview = at(s, file)
	}
	return unpublished, preview
}

// scopedAcceptance is an acceptance with what it may accept: every
// connector (a root policy's), or only the connector whose folder holds it.
type scopedAcceptance struct {
	breaking.Acceptance
	only    int  // the index of the one connector it applies to, or -1
	matched int  // how many findings it matched, over every connector
	lapsed  bool // it expired: it accepts nothing
}

// unreadFolder names a connector that could not be compared: its folder,
// and its title when one version was read.
type unreadFolder struct{ folder, title string }

// mayApplyTo reports whether the acceptance may accept findings of one of
// the connectors that could not be compared (by index in the change).
func (a *scopedAcceptance) mayApplyTo(unread map[int]unreadFolder) bool {
	for i, u := range unread {
		switch {
		case a.only >= 0:
			if a.only == i {
				return true
			}
		case a.Connector == "" || a.Connector == u.folder || u.title != "" && a.Connector == u.title:
			return true
		default:
			if ok, _ := path.Match(a.Connector, u.folder); ok {
				return true
			}
		}
	}
	return false
}

// acceptances lists the acceptances that apply, scoped: a folder's policy
// speaks for that folder's connector only. Each is marked InChange when the
// change adds it.
func (p *policies) acceptances(found []touched, now time.Time) []*scopedAcceptance {
	var out []*scopedAcceptance
	add := func(cfg, before *Config, only int) {
		if cfg == nil {
			return
		}
		for _, a := range cfg.Accept {
			a.InChange = p.source == breaking.PolicyFromHead && (before == nil ||
				!slices.ContainsFunc(before.Accept, func(x breaking.Acceptance) bool { return sameAcceptance(a, x) }))
			out = append(out, &scopedAcceptance{Acceptance: a, only: only, lapsed: a.Expired(now)})
		}
	}
	add(p.applied.root, p.base.root, -1)
	for i, c := range found {
		dir := c.new
		if p.source == breaking.PolicyFromBase {
			dir = c.old
		}
		add(p.folder(c), p.base.folders[dir], i)
	}
	return out
}

// scope is the acceptances as each connector's record lists them: the
// root's, which apply to every connector, then its folder's.
type scope struct {
	root   []breaking.Acceptance
	rootAt []int // where each of root is in the list of every acceptance
	folder map[int][]int
	all    []*scopedAcceptance
}

func scopeOf(accepts []*scopedAcceptance) *scope {
	s := &scope{folder: map[int][]int{}, all: accepts}
	for k, a := range accepts {
		if a.only < 0 {
			s.root, s.rootAt = append(s.root, a.Acceptance), append(s.rootAt, k)
		} else {
			s.folder[a.only] = append(s.folder[a.only], k)
		}
	}
	return s
}

// of returns the acceptances that apply to connector i, in order, and
// where each is in the list of every acceptance. The root's are shared by
// the connectors without acceptances of their own, not copied for each.
func (s *scope) of(i int) ([]breaking.Acceptance, []int) {
	own := s.folder[i]
	if len(own) == 0 {
		return s.root, s.rootAt
	}
	list, at := slices.Clip(s.root), slices.Clip(s.rootAt)
	for _, k := range own {
		list, at = append(list, s.all[k].Acceptance), append(at, k)
	}
	return list, at
}

// changeFindings reports every change the head makes to a policy file, as
// findings of the trusted policy: acceptances added (with how many findings
// they accept, or that they are not applied) and other settings changed.
// Acceptances that expired or matched nothing have findings of their own.
func (p *policies) changeFindings(trusted *breaking.Policy, accepts []*scopedAcceptance) []breaking.Finding {
	var changes []policyChange
	changes = append(changes, policyChanges(p.base.root, p.head.root, p.rootName)...)
	for _, d := range p.dirs {
		changes = append(changes, policyChanges(p.base.folders[d], p.head.folders[d], path.Join(d, ConfigFile))...)
	}
	notApplied := p.source == breaking.PolicyFromBase
	var out []breaking.Finding
	for _, ch := range changes {
		what := ch.what
		if ch.accept != nil {
			what = breaking.Finding{Topic: breaking.TopicAcceptanceAdded, Subject: ch.accept.String()}
			if !notApplied {
				var sa *scopedAcceptance
				for _, a := range accepts {
					if a.InChange && a.File == ch.accept.File && a.At == ch.accept.At {
						sa = a
					}
				}
				switch {
				case sa == nil: // a folder no connector of the change is in
				case sa.matched == 0 || sa.lapsed:
					continue // stale or expired: reported as such
				default:
					what.Count = sa.matched
				}
			}
		}
		at := ch.at
		at.File = ch.file
		what.NotApplied, what.ValuePath, what.File, what.New = notApplied, "policy", ch.file, &at
		if ch.accept != nil {
			what.ID = breaking.PolicyFindingID(what, ch.accept.Digest())
		} else {
			what.ID = breaking.PolicyFindingID(what, append([]string{what.Subject}, what.Args...)...)
		}
		if f, ok := trusted.Finding(what); ok {
			out = append(out, f)
		}
	}
	if notApplied {
		var names []string
		for n := range p.head.errs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			at := connector.Location{File: n, Line: 1, Column: 1}
			var le *connector.LoadError
			if errors.As(p.head.errs[n], &le) && le.Line > 0 {
				at.Line, at.Column = le.Line, le.Column
			}
			what := breaking.Finding{Topic: breaking.TopicPolicyFileUnreadable, Subject: n, Args: []string{p.head.errs[n].Error()},
				NotApplied: true, ValuePath: "policy", File: n, New: &at}
			what.ID = breaking.PolicyFindingID(what)
			if f, ok := trusted.Finding(what); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// readAtMost reads up to n bytes of a file on disk: a policy file larger
// than that is refused by ParseConfig without reading the rest.
func readAtMost(name string, n int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

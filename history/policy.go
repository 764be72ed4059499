package history

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"sync"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/gate"
	"github.com/connectordiff/connectordiff/gitrepo"
)

// defaultWindow is the deprecation window when the root policy sets none,
// as the gate's.
const defaultWindow = 30

// maxPolicyBytes is read of a policy file at most: gate.ParseConfig refuses
// one larger than a MiB.
const maxPolicyBytes = 1<<20 + 1

// policies is the policy of today: the root policy file of Until's tree
// (or Options.PolicyFile) and each connector folder's own, under the
// caller's profile and levels. Acceptances and deprecation windows are not
// applied: each version is judged as `compare OLD_REV:FOLDER
// NEW_REV:FOLDER` judges it with that profile and those levels.
type policies struct {
	opts  *Options
	until string
	root  *gate.Config
	base  *breaking.Policy // for connectors without a policy file of their own

	mu      sync.Mutex
	folders map[string]string // policy files applied, by connector folder
}

// readPolicies reads the root policy.
func readPolicies(ctx context.Context, repo *gitrepo.Repo, until string, opts *Options) (*policies, error) {
	p := &policies{opts: opts, until: until, folders: map[string]string{}}
	var err error
	if opts.PolicyFile != "" {
		p.root, err = readDiskPolicy(opts.PolicyFile)
	} else {
		tree, terr := repo.Tree(ctx, until)
		if terr != nil {
			return nil, terr
		}
		p.root, err = readTreePolicy(tree, gate.ConfigFile, short(until)+":"+gate.ConfigFile)
		tree.Close()
	}
	if err != nil {
		return nil, err
	}
	if p.base, err = breaking.NewProfilePolicy(p.judging(p.root)); err != nil {
		return nil, err
	}
	return p, nil
}

// readTreePolicy reads a policy file of a tree; none there is no policy.
func readTreePolicy(tree fs.FS, name, shown string) (*gate.Config, error) {
	if _, err := fs.Stat(tree, name); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	data, err := connector.ReadFileFS(tree, name, shown, connector.LoadOptions{MaxBytes: maxPolicyBytes})
	if err != nil {
		return nil, err
	}
	return gate.ParseConfig(shown, data)
}

// readDiskPolicy reads --config's file, never through a symbolic link (a
// checkout's link could point at .git/config, which holds a token).
func readDiskPolicy(name string) (*gate.Config, error) {
	if fi, err := os.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return nil, &connector.LoadError{File: name, Msg: "is a symbolic link, which connectordiff does not follow here", Err: connector.ErrSymlink}
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPolicyBytes))
	if err != nil {
		return nil, err
	}
	return gate.ParseConfig(name, data)
}

// judging is the profile and levels of policy files under the caller's
// own, as the gate combines them.
func (p *policies) judging(files ...*gate.Config) (breaking.Profile, map[string]breaking.Level) {
	profile := p.opts.Profile
	levels := map[string]breaking.Level{}
	for _, f := range files {
		if f == nil {
			continue
		}
		if f.Profile != "" && p.opts.Profile == "" {
			profile = f.Profile
		}
		for id, l := range f.Levels {
			levels[id] = l
		}
	}
	for id, l := range p.opts.Levels {
		levels[id] = l
	}
	if profile == "" {
		profile = breaking.ProfileUsers
	}
	return profile, levels
}

func (p *policies) profile() breaking.Profile {
	profile, _ := p.judging(p.root)
	return profile
}

// window is the root policy's deprecation window, in days.
func (p *policies) window() int {
	if p.root != nil && p.root.DeprecationDays > 0 {
		return p.root.DeprecationDays
	}
	return defaultWindow
}

// files names the policy files applied: the root's and the folders' read
// so far.
func (p *policies) files() []string {
	var out []string
	if p.root != nil {
		out = append(out, p.root.File)
	}
	p.mu.Lock()
	for _, f := range p.folders {
		out = append(out, f)
	}
	p.mu.Unlock()
	sort.Strings(out)
	return out
}

// forFolder is the policy of the connector whose folder is folder today:
// its folder's policy file in Until's tree, over the root's. tree reads
// Until's tree.
func (p *policies) forFolder(tree fs.FS, folder string) (*breaking.Policy, breaking.Profile, error) {
	name := path.Join(folder, gate.ConfigFile)
	cfg, err := readTreePolicy(tree, name, short(p.until)+":"+name)
	if err != nil || cfg == nil {
		return p.base, p.profile(), err
	}
	p.mu.Lock()
	p.folders[folder] = cfg.File
	p.mu.Unlock()
	profile, levels := p.judging(p.root, cfg)
	pol, err := breaking.NewProfilePolicy(profile, levels)
	return pol, profile, err
}

// short is a commit id as messages show it.
func short(commit string) string { return commit[:min(10, len(commit))] }

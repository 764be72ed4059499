package buildinfo

import (
	"runtime/debug"
	"strings"
	"sync"
)

// ModulePath is connectordiff's module path.
const ModulePath = "github.com/connectordiff/connectordiff"

// Info is what a binary knows about the connectordiff it was built with.
type Info struct {
	// Version is the module version: a release tag such as v1.2.0, a
	// pseudo-version for a commit between releases, or "devel" for a build
	// from a checkout that the go command could not version.
	Version string
	// Revision, Time and Modified describe the commit of a build from a
	// checkout, when the go command recorded them.
	Revision string
	Time     string
	Modified bool
	// GoVersion is the Go toolchain that built the binary.
	GoVersion string
}

// Stamped is the version of a build the go command cannot version. The
// linker sets the facade's stampedVersion (-ldflags -X), whose path the
// GitHub Action and the container build name, and the facade hands it on
// here when it initialises, before anything reads the build.
var Stamped string

var (
	once  sync.Once
	build Info
)

// Read returns the build information of the running connectordiff, read
// once from the binary (runtime/debug.ReadBuildInfo): its own module when it
// is the main module, or the dependency of the program that embeds it.
func Read() Info {
	once.Do(func() {
		build = Info{Version: "devel"}
		defer func() {
			if build.Version == "devel" && Stamped != "" {
				build.Version = Stamped
			}
		}()
		bi, ok := debug.ReadBuildInfo()
		if !ok {
			return
		}
		build.GoVersion = bi.GoVersion
		mod := &bi.Main
		if mod.Path != ModulePath {
			mod = nil
			for _, d := range bi.Deps {
				if d.Path == ModulePath {
					mod = d
					if d.Replace != nil {
						mod = d.Replace
					}
					break
				}
			}
		}
		if mod != nil && mod.Version != "" && mod.Version != "(devel)" {
			build.Version = mod.Version
		}
		if mod == &bi.Main {
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					build.Revision = s.Value
				case "vcs.time":
					build.Time = s.Value
				case "vcs.modified":
					build.Modified = s.Value == "true"
				}
			}
		}
	})
	return build
}

// Version returns the version of the running connectordiff.
func Version() string { return Read().Version }

// DocRef is the git reference the rule catalog of this build is published
// at: the release tag, the commit of a pseudo-version or of a checkout, or
// "main" when the build knows neither.
func (b Info) DocRef() string {
	v := b.Version
	if v == "devel" || v == "" {
		if len(b.Revision) >= 12 && !b.Modified {
			return b.Revision[:12]
		}
		return "main"
	}
	if strings.HasSuffix(v, "+dirty") {
		return "main" // a build with uncommitted changes: its catalog is nowhere
	}
	if i := strings.LastIndex(v, "-"); i > 0 && isPseudo(v) {
		return v[i+1:] // the commit of v0.0.0-20261202110000-abcdef123456
	}
	return strings.TrimSuffix(v, "+incompatible")
}

// isPseudo reports whether v is a Go pseudo-version: its last part is a
// 12-digit commit after a 14-digit time stamp.
func isPseudo(v string) bool {
	parts := strings.Split(v, "-")
	if len(parts) < 3 {
		return false
	}
	rev, stamp := parts[len(parts)-1], parts[len(parts)-2]
	if i := strings.LastIndex(stamp, "."); i >= 0 {
		stamp = stamp[i+1:]
	}
	return len(rev) == 12 && len(stamp) == 14
}

// RulesURL is the rule catalog of this build on the web, which findings
// link to (followed by #<rule-id>).
func RulesURL() string {
	return "https://" + ModulePath + "/blob/" + Read().DocRef() + "/docs/rules.md"
}

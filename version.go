package connectordiff

import "github.com/connectordiff/connectordiff/internal/buildinfo"

// ModulePath is connectordiff's module path.
const ModulePath = buildinfo.ModulePath

// BuildInfo is what a binary knows about the connectordiff it was built
// with: Version (a release tag, a pseudo-version, or "devel"), the commit's
// Revision, Time and Modified when the go command recorded them, and
// GoVersion. DocRef is the git reference its rule catalog is published at.
type BuildInfo = buildinfo.Info

// stampedVersion is the version of a build the go command cannot version
// (the GitHub Action and the container build from a copy without .git):
// they set it with -ldflags "-X github.com/connectordiff/connectordiff.stampedVersion=REF".
var stampedVersion string

// The reports read the build too, below this package: they learn the stamp
// here, before main runs.
func init() { buildinfo.Stamped = stampedVersion }

// Build returns the build information of the running connectordiff, read
// once from the binary (runtime/debug.ReadBuildInfo): its own module when it
// is the main module, or the dependency of the program that embeds it.
func Build() BuildInfo { return buildinfo.Read() }

// Version returns the version of the running connectordiff, as
// Build().Version.
func Version() string { return buildinfo.Version() }

// RulesURL is the rule catalog of this build on the web, which findings
// link to (followed by #<rule-id>).
func RulesURL() string { return buildinfo.RulesURL() }

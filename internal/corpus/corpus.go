package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvVar names the environment variable that points at an already unpacked
// corpus (a folder holding pairs/ and snapshot/). When set, it wins over the
// archives in ../shared/corpus.
const EnvVar = "CONNECTORDIFF_CORPUS"

// SwaggerFile is the name of a connector definition inside a pair side or a
// snapshot folder.
const SwaggerFile = "apiDefinition.swagger.json"

// InvalidDir is the folder, under pairs/ and snapshot/, of the entries with a
// file that is not strict JSON.
const InvalidDir = "_invalid"

// skipMessage is what a test sees when there is no corpus to use.
const skipMessage = "../shared/corpus not found: corpus tests skipped (set " + EnvVar + " to an unpacked corpus)"

// Pair is one update of a connector definition.
type Pair struct {
	// Name identifies the pair with forward slashes, relative to pairs/:
	// "<slug>/<old10>..<new10>", or "_invalid/<slug>/<old10>..<new10>".
	Name string
	// Dir is the pair's folder (holding meta.json, old/ and new/).
	Dir string
	// OldSwagger and NewSwagger are the paths of the two definitions.
	OldSwagger, NewSwagger string
	// Invalid is set for the pairs under pairs/_invalid/, where at least one
	// file (a swagger or an apiProperties.json) is not strict JSON; meta.json
	// says which, under "invalid".
	Invalid bool
}

// unpacked is the outcome of locating (and maybe unpacking) the corpus,
// computed once per process and replayed to every caller.
type unpacked struct {
	dir  string
	skip string // non-empty: skip with this message
	err  error  // non-nil: fail
}

var (
	dirOnce   sync.Once
	dirResult unpacked

	pairsOnce   sync.Once
	pairsResult []Pair
	pairsErr    error

	snapOnce   sync.Once
	snapResult []string
	snapErr    error
)

// Dir returns the folder of the unpacked corpus (holding pairs/ and
// snapshot/), unpacking the archives on first use. It skips tb when there is
// no corpus, and fails it when the corpus is there but cannot be used.
func Dir(tb testing.TB) string {
	tb.Helper()
	dirOnce.Do(func() { dirResult = locate() })
	if dirResult.err != nil {
		tb.Fatalf("corpus: %v", dirResult.err)
	}
	if dirResult.skip != "" {
		tb.Skip(dirResult.skip)
	}
	return dirResult.dir
}

// Find returns the folder of the unpacked corpus, or "" when there is none
// or it cannot be used. Unlike Dir it neither skips nor fails: fuzz targets
// take a sample of seeds from the corpus when it is there and run without.
func Find() string {
	dirOnce.Do(func() { dirResult = locate() })
	if dirResult.err != nil || dirResult.skip != "" {
		return ""
	}
	return dirResult.dir
}

// Pairs lists every pair of the corpus, the valid ones and those under
// _invalid/, sorted by Name.
func Pairs(tb testing.TB) []Pair {
	tb.Helper()
	dir := Dir(tb)
	pairsOnce.Do(func() { pairsResult, pairsErr = listPairs(filepath.Join(dir, "pairs")) })
	if pairsErr != nil {
		tb.Fatalf("corpus: %v", pairsErr)
	}
	return append([]Pair(nil), pairsResult...)
}

// SnapshotSwaggers lists the paths of the snapshot's definitions that are
// strict JSON (those outside snapshot/_invalid/), sorted.
func SnapshotSwaggers(tb testing.TB) []string {
	tb.Helper()
	dir := Dir(tb)
	snapOnce.Do(func() { snapResult, snapErr = listSnapshot(filepath.Join(dir, "snapshot")) })
	if snapErr != nil {
		tb.Fatalf("corpus: %v", snapErr)
	}
	return append([]string(nil), snapResult...)
}

// LargestPair returns the valid pair whose two definitions are the largest
// together (the first by name among equals).
func LargestPair(tb testing.TB) Pair {
	tb.Helper()
	var best Pair
	var bestSize int64 = -1
	for _, p := range Pairs(tb) {
		if p.Invalid {
			continue
		}
		size := int64(0)
		for _, f := range []string{p.OldSwagger, p.NewSwagger} {
			st, err := os.Stat(f)
			if err != nil {
				tb.Fatalf("corpus: %v", err)
			}
			size += st.Size()
		}
		if size > bestSize {
			best, bestSize = p, size
		}
	}
	if bestSize < 0 {
		tb.Fatalf("corpus: no valid pair in %s", filepath.Join(Dir(tb), "pairs"))
	}
	return best
}

// locate finds the corpus: CONNECTORDIFF_CORPUS when set, else the archives
// in ../shared/corpus beside the module root, unpacked into the cache.
func locate() unpacked {
	if env := os.Getenv(EnvVar); env != "" {
		abs, err := filepath.Abs(env)
		if err != nil {
			return unpacked{err: fmt.Errorf("%s=%s: %v", EnvVar, env, err)}
		}
		if isUnpacked(abs) {
			return unpacked{dir: abs}
		}
		if hasArchives(abs) { // also accept the archive folder itself
			return unpackArchives(abs)
		}
		return unpacked{err: fmt.Errorf("%s=%s is not an unpacked corpus: it has no pairs/ and snapshot/ folders", EnvVar, env)}
	}
	root, err := moduleRoot()
	if err != nil {
		return unpacked{skip: skipMessage + " (" + err.Error() + ")"}
	}
	archives := filepath.Join(filepath.Dir(root), "shared", "corpus")
	if !hasArchives(archives) {
		return unpacked{skip: skipMessage}
	}
	return unpackArchives(archives)
}

// moduleRoot walks up from the working directory to the folder holding
// go.mod.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if st, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !st.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
		dir = parent
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func isUnpacked(dir string) bool {
	return isDir(filepath.Join(dir, "pairs")) && isDir(filepath.Join(dir, "snapshot"))
}

var archiveNames = []string{"pairs", "snapshot"}

func hasArchives(dir string) bool {
	for _, n := range archiveNames {
		if !isFile(filepath.Join(dir, n+".tar.xz")) {
			return false
		}
	}
	return isFile(filepath.Join(dir, "unpack.sh"))
}

// unpackArchives unpacks the archives found in dir into the cache, unless a
// previous run already did, and returns the cache folder.
func unpackArchives(dir string) unpacked {
	sums := map[string]string{}
	for _, n := range archiveNames {
		s, err := fileSHA256(filepath.Join(dir, n+".tar.xz"))
		if err != nil {
			return unpacked{err: err}
		}
		sums[n] = s
	}
	dest, err := cacheDir("corpus-" + sums["pairs"][:12])
	if err != nil {
		return unpacked{err: err}
	}
	if upToDate(dest, sums) {
		return unpacked{dir: dest}
	}
	for _, tool := range []string{"bash", "xz", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			return unpacked{skip: fmt.Sprintf("corpus tests skipped: unpacking %s needs %s, which is not on PATH (or set %s to an unpacked corpus)", dir, tool, EnvVar)}
		}
	}
	unlock, err := lock(dest + ".lock")
	if err != nil {
		return unpacked{err: err}
	}
	defer unlock()
	if upToDate(dest, sums) { // another process unpacked it while we waited
		return unpacked{dir: dest}
	}
	// unpack.sh is idempotent and replaces a folder whose stamp does not
	// match; the lock keeps concurrent test processes from racing on it.
	cmd := exec.Command("bash", filepath.Join(dir, "unpack.sh"), dest)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return unpacked{err: fmt.Errorf("unpacking %s into %s: %v\n%s", dir, dest, err, out.String())}
	}
	if !upToDate(dest, sums) {
		return unpacked{err: fmt.Errorf("unpack.sh did not leave an unpacked corpus in %s:\n%s", dest, out.String())}
	}
	return unpacked{dir: dest}
}

// upToDate reports whether dest holds the archives with these checksums,
// as unpack.sh records them in its stamp files once an archive is in place.
func upToDate(dest string, sums map[string]string) bool {
	for n, sum := range sums {
		stamp, err := os.ReadFile(filepath.Join(dest, "."+n+".sha256"))
		if err != nil || strings.TrimSpace(string(stamp)) != sum || !isDir(filepath.Join(dest, n)) {
			return false
		}
	}
	return true
}

// cacheDir returns (creating its parent) the folder name under the user's
// cache folder, or under the temp folder when there is no usable cache.
func cacheDir(name string) (string, error) {
	var errs []error
	var bases []string
	if c, err := os.UserCacheDir(); err == nil {
		bases = append(bases, c)
	} else {
		errs = append(errs, err)
	}
	bases = append(bases, os.TempDir())
	for _, base := range bases {
		parent := filepath.Join(base, "connectordiff")
		if err := os.MkdirAll(parent, 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		return filepath.Join(parent, name), nil
	}
	return "", fmt.Errorf("no folder to unpack the corpus into: %w", errors.Join(errs...))
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Lock timing: a holder only unpacks (a few seconds), so a lock file older
// than lockStale was left by a process that died, and is taken over.
const (
	lockStale = 2 * time.Minute
	lockWait  = 5 * time.Minute
	lockPoll  = 100 * time.Millisecond
)

// lock takes an exclusive lock between processes by creating file, which
// works the same on every platform. It returns the function that releases it.
func lock(file string) (func(), error) {
	deadline := time.Now().Add(lockWait)
	for {
		f, err := os.OpenFile(file, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d\n", os.Getpid())
			f.Close()
			return func() { os.Remove(file) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("locking the corpus cache: %w", err)
		}
		if st, err := os.Stat(file); err == nil && time.Since(st.ModTime()) > lockStale {
			os.Remove(file) // left by a dead process
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("locking the corpus cache: %s still exists after %v; remove it if no test is running", file, lockWait)
		}
		time.Sleep(lockPoll)
	}
}

// listPairs finds pairs/<slug>/<range>/ and pairs/_invalid/<slug>/<range>/.
func listPairs(root string) ([]Pair, error) {
	var out []Pair
	add := func(base string, invalid bool) error {
		slugs, err := subdirs(base)
		if err != nil {
			return err
		}
		for _, slug := range slugs {
			if !invalid && slug == InvalidDir {
				continue
			}
			ranges, err := subdirs(filepath.Join(base, slug))
			if err != nil {
				return err
			}
			for _, r := range ranges {
				dir := filepath.Join(base, slug, r)
				p := Pair{
					Name:       path.Join(slug, r),
					Dir:        dir,
					OldSwagger: filepath.Join(dir, "old", SwaggerFile),
					NewSwagger: filepath.Join(dir, "new", SwaggerFile),
					Invalid:    invalid,
				}
				if invalid {
					p.Name = path.Join(InvalidDir, p.Name)
				}
				for _, f := range []string{p.OldSwagger, p.NewSwagger} {
					if !isFile(f) {
						return fmt.Errorf("pair %s has no %s", p.Name, f)
					}
				}
				out = append(out, p)
			}
		}
		return nil
	}
	if err := add(root, false); err != nil {
		return nil, err
	}
	if inv := filepath.Join(root, InvalidDir); isDir(inv) {
		if err := add(inv, true); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no pairs in %s", root)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// listSnapshot finds snapshot/<slug>/apiDefinition.swagger.json outside
// snapshot/_invalid/.
func listSnapshot(root string) ([]string, error) {
	slugs, err := subdirs(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, slug := range slugs {
		if slug == InvalidDir {
			continue
		}
		if f := filepath.Join(root, slug, SwaggerFile); isFile(f) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s in %s", SwaggerFile, root)
	}
	sort.Strings(out)
	return out, nil
}

// subdirs lists the names of the folders in dir, sorted.
func subdirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// LongEnv names the environment variable that runs the exhaustive corpus
// sweeps in full (CONNECTORDIFF_LONG=1 go test ./...). Without it they check
// a deterministic sample, so that go test ./... stays short.
const LongEnv = "CONNECTORDIFF_LONG"

// Long reports whether the exhaustive sweeps run in full.
func Long() bool {
	v := strings.ToLower(strings.TrimSpace(os.Getenv(LongEnv)))
	return v != "" && v != "0" && v != "false"
}

// Sample returns every every-th element of list, starting with the first,
// or all of list when Long() is set, and logs which, naming what the list
// holds. The sample is the same on every run.
func Sample[T any](tb testing.TB, what string, list []T, every int) []T {
	tb.Helper()
	if Long() || every <= 1 {
		tb.Logf("checking all %d %s", len(list), what)
		return list
	}
	var out []T
	for i := 0; i < len(list); i += every {
		out = append(out, list[i])
	}
	tb.Logf("checking 1 in %d of the %d %s (%d); %s=1 checks them all", every, len(list), what, len(out), LongEnv)
	return out
}

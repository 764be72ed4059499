package connectordiff

import (
	"fmt"
	"strings"
	"time"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/fix"
	"github.com/connectordiff/connectordiff/gate"
)

// Option adjusts a comparison, a repository comparison (CompareRevisions)
// or a fix: one family for the three. WithProfile, WithLevel, WithMaxBytes
// and WithNames apply to every entry point (WithNames where the sides are
// given as bytes, documents or file systems); the repository options
// (Staged, Paths, PolicyFile, PolicyFrom, DeprecationDays, Now, Progress,
// MaxConnectors) to CompareRevisions only, and FixOnly, FixHide and
// FixVersionPath to Fix only: given to another entry point, they are an
// error rather than ignored.
type Option func(*config) error

// config is what the options set, for whichever entry point reads it.
type config struct {
	profile          breaking.Profile
	profileSet       bool // WithProfile was given: it wins over a policy file
	levels           map[string]breaking.Level
	load             connector.LoadOptions
	oldName, newName string
	gate             gate.Options
	fixOnly          map[string]bool
	fix              fix.Options
	// scoped names each option given that one entry point alone takes,
	// with that entry point.
	scoped []struct{ name, only string }
}

// The entry points, as messages name them.
const forCompare, forRevisions, forFix = "the comparisons of two sides", "CompareRevisions", "Fix"

// newConfig applies opts for entry point e.
func newConfig(e string, opts []Option) (*config, error) {
	c := &config{profile: breaking.ProfileUsers, levels: map[string]breaking.Level{}, oldName: "old", newName: "new"}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	for _, s := range c.scoped {
		if s.only != e {
			return nil, fmt.Errorf("%s is an option of %s only", s.name, s.only)
		}
	}
	return c, nil
}

// policy is the policy the options judge by.
func (c *config) policy() (*breaking.Policy, error) {
	return breaking.NewProfilePolicy(c.profile, c.levels)
}

// WithLevel sets the level of one rule (by id); breaking.Off suppresses it.
// An unknown id makes the comparison fail.
func WithLevel(ruleID string, level breaking.Level) Option {
	return func(c *config) error {
		c.levels[ruleID] = level
		return nil
	}
}

// WithProfile judges for one audience: breaking.ProfileUsers (the default:
// the worst level over Power Automate, Power Apps and Logic Apps), a single
// host's profile, or breaking.ProfileCertification, which predicts
// Microsoft's breaking-change validator. WithLevel overrides apply on top,
// and in a repository it wins over the policy files' profile.
func WithProfile(p breaking.Profile) Option {
	return func(c *config) error {
		parsed, err := breaking.ParseProfile(string(p))
		if err != nil {
			return err
		}
		c.profile, c.profileSet = parsed, true
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

// only makes an option of one entry point.
func only(name, e string, set func(*config) error) Option {
	return func(c *config) error {
		c.scoped = append(c.scoped, struct{ name, only string }{name, e})
		return set(c)
	}
}

// revisionsOption is an option of CompareRevisions.
func revisionsOption(name string, set func(*gate.Options)) Option {
	return only(name, forRevisions, func(c *config) error {
		set(&c.gate)
		return nil
	})
}

// Staged compares the staged version of each file (the index) instead of
// the work tree, when no head revision is given: what a pre-commit hook
// sees.
func Staged() Option { return revisionsOption("Staged", func(o *gate.Options) { o.Staged = true }) }

// Paths limits a repository comparison to connectors under these paths
// (relative to the folder the repository was opened at).
func Paths(paths ...string) Option {
	return revisionsOption("Paths", func(o *gate.Options) { o.Paths = append(o.Paths, paths...) })
}

// PolicyFile reads the policy from this file on disk instead of
// .connectordiff.yaml at the repository's root (connector folders' own
// policy files still apply).
func PolicyFile(path string) Option {
	return revisionsOption("PolicyFile", func(o *gate.Options) { o.PolicyFile = path })
}

// PolicyFrom chooses the revision whose policy files apply:
// breaking.PolicyFromBase keeps a pull request from accepting its own
// breaks or changing levels (its policy changes are reported, not
// applied); breaking.PolicyFromHead applies them. By default the base's
// root policy decides (policyFrom), else head.
func PolicyFrom(src breaking.PolicySource) Option {
	return revisionsOption("PolicyFrom", func(o *gate.Options) { o.PolicyFrom = src })
}

// DeprecationDays sets how long an operation must have been deprecated, in
// the history, for its removal to be a warning rather than breaking: by
// default the root policy file's deprecationDays, else 30. Zero or less
// turns the windows off: every removal breaks.
func DeprecationDays(days int) Option {
	if days <= 0 {
		days = -1 // gate.Options: less than zero is off, zero the default
	}
	return revisionsOption("DeprecationDays", func(o *gate.Options) { o.DeprecationDays = days })
}

// Progress is called as connectors are compared: done of total.
func Progress(fn func(done, total int)) Option {
	return revisionsOption("Progress", func(o *gate.Options) { o.Progress = fn })
}

// Now sets the time the change is judged at: the day acceptances expire
// against and deprecation windows end. By default the clock of the machine;
// never a commit's date, which its author sets.
func Now(now func() time.Time) Option {
	return revisionsOption("Now", func(o *gate.Options) { o.Now = now })
}

// MaxConnectors sets how many connector folders a repository comparison
// takes (gate.DefaultMaxConnectors when n is zero or less). A change that
// touches more, or that names more than 50 times as many files and folders,
// fails with gate.ErrChangeTooLarge before any connector is read.
func MaxConnectors(n int) Option {
	return revisionsOption("MaxConnectors", func(o *gate.Options) { o.MaxConnectors = n })
}

// FixOnly restricts Fix to the findings of the given rules; the other
// breaking findings are listed as skipped.
func FixOnly(rules ...string) Option {
	return only("FixOnly", forFix, func(c *config) error {
		for _, id := range rules {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			if _, ok := breaking.Lookup(id); !ok {
				return fmt.Errorf("unknown rule id %s (see `connectordiff rules`)", id)
			}
			if c.fixOnly == nil {
				c.fixOnly = map[string]bool{}
			}
			c.fixOnly[id] = true
		}
		return nil
	})
}

// FixHide sets the x-ms-visibility of the operations Fix keeps for existing
// users (restored operations, old revisions): "internal", as Microsoft's
// versioning examples do, or "advanced", which Microsoft's validator does
// not report as hiding an operation. By default it is internal, and
// advanced under the certification profile.
func FixHide(visibility string) Option {
	return only("FixHide", forFix, func(c *config) error {
		switch visibility {
		case "internal", "advanced":
			c.fix.Hide = visibility
			return nil
		}
		return fmt.Errorf("hide: want internal or advanced, got %q", visibility)
	})
}

// FixVersionPath declares that the backend serves the new shape of the
// connector's operations under a path prefix, such as "/v2": an operation
// whose change needs versioning but whose route did not change then keeps
// its old shape on its route and gets its new shape at prefix + path. Fix
// never assumes it, since only the publisher knows what the backend serves.
func FixVersionPath(prefix string) Option {
	return only("FixVersionPath", forFix, func(c *config) error {
		p := strings.Trim(prefix, "/")
		if p == "" || strings.ContainsAny(p, "{}?#") {
			return fmt.Errorf("version path: want a path prefix such as /v2, got %q", prefix)
		}
		c.fix.VersionPath = "/" + p
		return nil
	})
}

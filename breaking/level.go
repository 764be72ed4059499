package breaking

import (
	"fmt"
	"strings"
)

// Level is how serious a finding is. The zero value, Off, suppresses a
// rule; as a threshold (Result.Fails, report.Options.FailOn) it means the
// default, Breaking, and Never is the threshold that fails nothing.
type Level int

// The levels, from least to most serious.
const (
	Off Level = iota
	Info
	Warning
	Breaking
)

// Never is a threshold above every level: a gate that fails at Never fails
// on nothing (the command line's --fail-on off). It is not a level a rule
// or a finding can have.
const Never = Breaking + 1

var levelNames = [...]string{Off: "off", Info: "info", Warning: "warning", Breaking: "breaking", Never: "never"}

func (l Level) String() string {
	if l < Off || l > Never {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// MarshalText writes the level's name, so JSON shows "breaking", not 3.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name, as ParseLevel.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// LevelWords is the one vocabulary of levels, for rule levels and
// thresholds alike, in the order help texts list it.
const LevelWords = "breaking, warning, info or off"

// ParseLevel reads a rule's level: "breaking", "warning", "info" or "off"
// (which suppresses the rule), ignoring case and surrounding space.
func ParseLevel(s string) (Level, error) {
	for l := Off; l <= Breaking; l++ {
		if strings.EqualFold(strings.TrimSpace(s), levelNames[l]) {
			return l, nil
		}
	}
	return Off, fmt.Errorf("unknown level %q (want %s)", s, LevelWords)
}

// ParseThreshold reads the level from which a gate fails, in the words of
// ParseLevel: "off" means the gate never fails, and returns Never ("never"
// is accepted as its synonym).
func ParseThreshold(s string) (Level, error) {
	if strings.EqualFold(strings.TrimSpace(s), "never") {
		return Never, nil
	}
	l, err := ParseLevel(s)
	if err != nil {
		return Off, err
	}
	if l == Off {
		return Never, nil
	}
	return l, nil
}

// Valid reports whether l is a level a rule or finding can have.
func (l Level) Valid() bool { return l >= Off && l <= Breaking }

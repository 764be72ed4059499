package breaking

import (
	"fmt"
	"strings"
)

// Level is how serious a finding is. The zero value, Off, suppresses a rule.
type Level int

// The levels, from least to most serious.
const (
	Off Level = iota
	Info
	Warning
	Breaking
)

var levelNames = [...]string{Off: "off", Info: "info", Warning: "warning", Breaking: "breaking"}

func (l Level) String() string {
	if l < Off || l > Breaking {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// MarshalText writes the level's name, so JSON shows "breaking", not 3.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// ParseLevel reads "breaking", "warning", "info" or "off" (also "error" for
// breaking, "none" for off), ignoring case.
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "breaking", "error":
		return Breaking, nil
	case "warning", "warn":
		return Warning, nil
	case "info", "note":
		return Info, nil
	case "off", "none", "ignore":
		return Off, nil
	}
	return Off, fmt.Errorf("unknown level %q (want breaking, warning, info or off)", s)
}

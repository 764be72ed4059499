package breaking

import (
	"fmt"
	"strings"
)

// Host is a product that runs connector operations and stores what a user
// built with them. Each stores different parts of an operation, so one change
// can break one host and not another.
type Host string

// The hosts, in the order reports list them.
const (
	// PowerAutomate stores an action's operationId, its parameter values by
	// name (body fields as body/<name>) and output property paths.
	PowerAutomate Host = "power-automate"
	// PowerApps calls an operation in formulas, Connector.OperationId(...),
	// and reads its outputs as typed values.
	PowerApps Host = "power-apps"
	// LogicApps stores each connector action's method, path, queries and
	// headers.
	LogicApps Host = "logic-apps"
)

// Hosts lists every host in report order.
func Hosts() []Host { return []Host{PowerAutomate, PowerApps, LogicApps} }

// Title is the host's product name.
func (h Host) Title() string {
	switch h {
	case PowerAutomate:
		return "Power Automate"
	case PowerApps:
		return "Power Apps"
	case LogicApps:
		return "Logic Apps"
	}
	return string(h)
}

// PerHost is a level for each host.
type PerHost struct {
	PowerAutomate, PowerApps, LogicApps Level
}

// every is the same level on every host.
func every(l Level) PerHost { return PerHost{l, l, l} }

// Get returns the level on host h (Off for an unknown host).
func (p PerHost) Get(h Host) Level {
	switch h {
	case PowerAutomate:
		return p.PowerAutomate
	case PowerApps:
		return p.PowerApps
	case LogicApps:
		return p.LogicApps
	}
	return Off
}

// Worst is the most serious level over the hosts.
func (p PerHost) Worst() Level { return max(p.PowerAutomate, p.PowerApps, p.LogicApps) }

// Uniform reports whether every host has the same level.
func (p PerHost) Uniform() bool {
	return p.PowerAutomate == p.PowerApps && p.PowerApps == p.LogicApps
}

// Profile chooses which answer a policy gives: the users of one host, the
// users of every host, or Microsoft's certification validator.
type Profile string

// The profiles.
const (
	// ProfileUsers gives each change the worst level over the hosts: it
	// breaks someone's flow or app. The default.
	ProfileUsers Profile = "users"
	// ProfilePowerAutomate, ProfilePowerApps and ProfileLogicApps give the
	// level on that host alone.
	ProfilePowerAutomate Profile = "power-automate"
	ProfilePowerApps     Profile = "power-apps"
	ProfileLogicApps     Profile = "logic-apps"
	// ProfileCertification predicts Microsoft's breaking-change validator,
	// which the certification pipeline runs: stricter than any host in
	// places (it reports hidden operations and any output format change as
	// errors).
	ProfileCertification Profile = "certification"
)

// Profiles lists every profile, the default first.
func Profiles() []Profile {
	return []Profile{ProfileUsers, ProfilePowerAutomate, ProfilePowerApps, ProfileLogicApps, ProfileCertification}
}

// ParseProfile reads a profile's name, ignoring case; "" is the default.
func ParseProfile(s string) (Profile, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ProfileUsers, nil
	}
	for _, p := range Profiles() {
		if string(p) == s {
			return p, nil
		}
	}
	names := make([]string, 0, len(Profiles()))
	for _, p := range Profiles() {
		names = append(names, string(p))
	}
	return "", fmt.Errorf("unknown profile %q (want %s)", s, strings.Join(names, ", "))
}

// host returns the host a single-host profile speaks for.
func (p Profile) host() (Host, bool) {
	switch p {
	case ProfilePowerAutomate:
		return PowerAutomate, true
	case ProfilePowerApps:
		return PowerApps, true
	case ProfileLogicApps:
		return LogicApps, true
	}
	return "", false
}

// LevelIn returns the default level a rule has under profile p.
func (r Rule) LevelIn(p Profile) Level {
	if h, ok := p.host(); ok {
		return r.Hosts.Get(h)
	}
	if p == ProfileCertification {
		return r.Certification
	}
	return r.Level
}

package breaking

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
	"github.com/connectordiff/connectordiff/diff"
)

// Policy classifies changes with the rule table, under a profile, with
// per-rule level overrides. A Policy holds no global state; several may run
// side by side.
type Policy struct {
	profile Profile
	levels  map[string]Level
}

// NewPolicy returns a policy with the default levels (the users profile),
// overridden by levels (rule id -> level). An unknown rule id is an error.
func NewPolicy(levels map[string]Level) (*Policy, error) {
	return NewProfilePolicy(ProfileUsers, levels)
}

// NewProfilePolicy returns a policy with the levels of profile, overridden
// by levels (rule id -> level). An unknown rule id or profile is an error.
func NewProfilePolicy(profile Profile, levels map[string]Level) (*Policy, error) {
	if profile == "" {
		profile = ProfileUsers
	}
	if _, err := ParseProfile(string(profile)); err != nil {
		return nil, err
	}
	p := &Policy{profile: profile, levels: map[string]Level{}}
	for _, r := range rules {
		p.levels[r.ID] = r.LevelIn(profile)
	}
	var unknown []string
	for id, l := range levels {
		if _, ok := p.levels[id]; !ok {
			unknown = append(unknown, id)
			continue
		}
		if !l.Valid() {
			return nil, fmt.Errorf("rule %s: %s is not a level a rule can have (want %s)", id, l, LevelWords)
		}
		p.levels[id] = l
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("unknown rule id %s (see `connectordiff rules`)", strings.Join(unknown, ", "))
	}
	return p, nil
}

// Level returns the level the policy gives a rule.
func (p *Policy) Level(id string) Level { return p.levels[id] }

// Finding judges f, a finding about its Topic (a version, an accepted
// change, a policy file) whose parts the caller filled in: it is given the
// topic's rule, the rule's level under the policy, its hosts,
// certification and remediation. ok is false when the policy turns the
// rule off, or f has no topic.
func (p *Policy) Finding(f Finding) (_ Finding, ok bool) {
	id, ok := topicRules[f.Topic]
	if !ok {
		return Finding{}, false
	}
	return p.judged(id, f)
}

// topicRules are the rules that judge the findings of each topic.
var topicRules = map[Topic]string{
	TopicVersionDecreased:     VersionDecreased,
	TopicVersionNotBumped:     VersionNotBumped,
	TopicAcceptanceExpired:    AcceptanceExpired,
	TopicAcceptanceStale:      AcceptanceStale,
	TopicAcceptanceAdded:      AcceptanceAdded,
	TopicPolicyFileRemoved:    PolicyChanged,
	TopicPolicySettingChanged: PolicyChanged,
	TopicPolicyLevelChanged:   PolicyChanged,
	TopicPolicyFileUnreadable: PolicyChanged,
}

// judged is f as a finding of rule id, which judges something other than
// a change of the documents, at the rule's level under the policy; ok is
// false when the policy turns the rule off.
func (p *Policy) judged(id string, f Finding) (_ Finding, ok bool) {
	r, known := Lookup(id)
	level := p.levels[id]
	if !known || level == Off {
		return Finding{}, false
	}
	f.Rule, f.Level, f.Remediation = id, level, r.Remediation
	f.Hosts, f.Certification, f.ValidatorMessage = r.breaks(Breaking), r.Certification, r.ValidatorMessage
	return f, true
}

// Profile returns the profile the policy judges for.
func (p *Policy) Profile() Profile { return p.profile }

// Classify judges each change, in order, under the policy's profile. A
// finding that reaches both internal and visible operations is split, since
// a change confined to internal operations is at most a warning for users
// (the certification profile keeps the validator's level for the changes it
// reports on internal operations too). Every finding also says which hosts
// it breaks and what the validator would say, whatever the profile.
// Properties of one schema removed or retyped alike are one finding per
// schema and operation (see Finding.Parts).
func (p *Policy) Classify(changes []*diff.Change) []Finding {
	out := make([]Finding, 0, len(changes)) // findings are large: growing the slice copied them over and over
	cert := p.profile == ProfileCertification
	for _, c := range changes {
		r := ruleFor(c)
		level := p.levels[r.ID]
		var reasons []string
		userCeil, userWhy := r.limit(c, false)
		certCeil, certWhy := r.limit(c, true)
		ceil, why := userCeil, userWhy
		if cert {
			ceil, why = certCeil, certWhy
		}
		if level > Off && ceil < level {
			level = ceil
			reasons = []string{why}
		}
		if level == Off {
			continue
		}
		f := Finding{Rule: r.ID, Level: level, Kind: c.Kind, Subject: c.Subject, ValuePath: c.ValuePath, Old: c.Old, New: c.New,
			Before: c.Before, After: c.After, Remediation: r.Remediation, File: c.File, Change: c,
			Where: c.Where, Facts: c.Facts, Count: len(c.Operations), Reasons: reasons,
			Details: c.Details, Removed: rawValues(slices.Concat(c.Facts.EnumRemoved, c.Facts.EnumImpossible)), Added: rawValues(c.Facts.EnumAdded),
			Hosts: r.breaks(userCeil), Certification: min(r.Certification, certCeil), ValidatorMessage: r.validatorMessage(c)}
		var visible, internal []string
		for _, o := range c.Operations {
			if o.Internal && c.Kind != diff.OperationAdded {
				internal = append(internal, o.ID)
			} else {
				visible = append(visible, o.ID)
			}
		}
		first := func(ops []string) string {
			if c.Where == diff.InDocument {
				return "" // a document-level change may list operations, but belongs to none
			}
			return ops[0]
		}
		keepInternal := cert && r.validatorSeesInternal
		if len(internal) == 0 || level <= Warning && f.Certification <= Warning || keepInternal {
			f.Operations = ids(c.Operations)
			if len(f.Operations) > 0 {
				f.Operation = first(f.Operations)
			}
			out = append(out, f)
			continue
		}
		if len(visible) > 0 {
			v := f
			v.Operations, v.Operation = visible, first(visible)
			v.ValuePath = retarget(f.ValuePath, c.Operation(), visible[0])
			out = append(out, v)
		}
		in := f
		in.ValuePath = retarget(f.ValuePath, c.Operation(), internal[0])
		in.Level = min(level, Warning)
		in.Hosts = nil
		if !r.validatorSeesInternal {
			in.Certification = min(in.Certification, Warning)
		}
		in.Operations, in.Operation = internal, first(internal)
		if in.Level < level {
			in.Reasons = append(slices.Clip(in.Reasons), "the operation is internal, so no flow uses it directly")
		}
		out = append(out, in)
	}
	return groupCutBacks(mergeSame(out))
}

// mergeSame makes one finding of findings that share rule, file,
// operations and both locations: one edit of a definition that a request
// and a response share, judged by a rule for both directions (a dynamic
// schema, a discriminator), is one change. The merged finding has the
// more serious levels and lists the others in Merged, to say them too.
func mergeSame(fs []Finding) []Finding {
	key := func(f Finding) string {
		return f.Rule + "\x00" + f.File + "\x00" + strings.Join(f.Operations, "\x00") + "\x00" + pointer(f.Old) + "\x00" + pointer(f.New)
	}
	at := map[string]int{}
	out := fs[:0]
	for _, f := range fs {
		k := key(f)
		if i, ok := at[k]; ok {
			g := &out[i]
			g.Level, g.Certification = max(g.Level, f.Level), max(g.Certification, f.Certification)
			g.Merged = append(g.Merged, f)
			continue
		}
		at[k] = len(out)
		out = append(out, f)
	}
	return out
}

func pointer(l *connector.Location) string {
	if l == nil {
		return ""
	}
	return l.Pointer
}

// retarget makes a value path that names operation from (Microsoft's form,
// operation/<id>/...) name operation to instead, so that each part of a
// split finding names one of its own operations.
func retarget(vp, from, to string) string {
	prefix := "operation/" + from
	if from == to || !strings.HasPrefix(vp, prefix) || len(vp) > len(prefix) && vp[len(prefix)] != '/' {
		return vp
	}
	return "operation/" + to + vp[len(prefix):]
}

// limit is the level the rule's circumstances allow for a change, and why:
// for users (ceiling) or for the validator (certCeiling, or else ceiling).
func (r *Rule) limit(c *diff.Change, cert bool) (Level, string) {
	fn := r.ceiling
	if cert && r.certCeiling != nil {
		fn = r.certCeiling
	}
	if fn == nil {
		return Breaking, ""
	}
	return fn(c)
}

// breaks lists the hosts on which the rule, within ceiling, is breaking.
func (r *Rule) breaks(ceiling Level) []Host {
	var out []Host
	for _, h := range Hosts() {
		if min(r.Hosts.Get(h), ceiling) >= Breaking {
			out = append(out, h)
		}
	}
	return out
}

// rawValues unquotes the string literals of an enum list (sentences keep
// the quotes, in Facts, so that "1" and 1 differ).
func rawValues(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	out := make([]string, len(v))
	for i, s := range v {
		if u, err := strconv.Unquote(s); err == nil {
			s = u
		}
		out[i] = s
	}
	return out
}

func ids(refs []diff.OperationRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}

// ruleFor returns the first rule that covers c; the table ends with a rule
// that covers everything.
func ruleFor(c *diff.Change) *Rule {
	for i := range rules {
		if rules[i].match(c) {
			return &rules[i]
		}
	}
	panic("unreachable: the rule table ends with a catch-all")
}

package message

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/diff"
)

// Of writes what f says as one sentence: what changed (or what the finding
// is about), why its level is lower than its rule's, what was merged into
// it, and what the history and the policy add.
func Of(f breaking.Finding) string {
	s := said(f)
	for _, m := range f.Merged {
		if ms := Of(m); ms != s {
			s += "; " + ms
		}
	}
	if d := f.Deprecated; d != nil {
		since := d.Since.Format("2006-01-02")
		if d.Elapsed() {
			s += fmt.Sprintf(", deprecated since %s (%d days before the removal)", since, d.Days)
		} else {
			s += fmt.Sprintf(" (deprecated since %s, %d days before the removal: less than the %d-day window)", since, d.Days, d.Window)
		}
	}
	if f.NotApplied {
		s += "; not applied: the policy is read from the base revision"
	}
	return s
}

// said is the finding's own sentence with its reasons.
func said(f breaking.Finding) string {
	var s string
	switch {
	case f.Kind != 0:
		s = change(f)
	case f.Topic != breaking.TopicNone:
		s = topic(f)
	default:
		s = f.Subject // a finding built by hand with neither
	}
	for _, r := range f.Reasons {
		s += " (" + r + ")"
	}
	return s
}

// topic writes a finding about something other than a change of the
// documents; each Topic documents the parts it names.
func topic(f breaking.Finding) string {
	arg := func(i int) string {
		if i < len(f.Args) {
			return f.Args[i]
		}
		return ""
	}
	switch f.Topic {
	case breaking.TopicVersionDecreased:
		return "info.version went down: " + f.Before + " -> " + f.After
	case breaking.TopicVersionNotBumped:
		return "info.version is still " + orNone(f.After) + " although the update breaks users"
	case breaking.TopicAcceptanceExpired:
		return fmt.Sprintf("the accepted change %s expired on %s; the %d findings it covered count again", f.Subject, arg(0), f.Count)
	case breaking.TopicAcceptanceStale:
		return fmt.Sprintf("the accepted change %s matched no finding", f.Subject)
	case breaking.TopicAcceptanceAdded:
		s := fmt.Sprintf("the accepted change %s is added in this change", f.Subject)
		if f.Count > 0 {
			s += fmt.Sprintf(" and accepts %d finding%s: review it", f.Count, map[bool]string{true: "s"}[f.Count != 1])
		}
		return s
	case breaking.TopicPolicyFileRemoved:
		return fmt.Sprintf("the policy file %s is removed in this change", f.Subject)
	case breaking.TopicPolicySettingChanged:
		return fmt.Sprintf("%s %s in this change (before: %s)", f.Subject, orUnset(arg(0), "not set"), orUnset(arg(1), "not set"))
	case breaking.TopicPolicyLevelChanged:
		return fmt.Sprintf("level of %s %s in this change (before: %s)", f.Subject, orUnset(arg(0), "the profile's"), orUnset(arg(1), "the profile's"))
	case breaking.TopicPolicyFileUnreadable:
		return fmt.Sprintf("the policy file %s in this change does not parse (%s)", f.Subject, arg(0))
	}
	return f.Subject
}

// change says in one line what changed, with no judgement.
func change(f breaking.Finding) string {
	if len(f.Parts) > 0 {
		return cutBack(f)
	}
	s := subject(f)
	facts := &f.Facts
	switch f.Kind {
	case diff.OperationRemoved:
		return fmt.Sprintf("operation %s removed", s)
	case diff.OperationAdded:
		return fmt.Sprintf("operation %s added", s)
	case diff.OperationIDChanged:
		return fmt.Sprintf("operationId %s changed to %s (%s)", f.Before, f.After, s)
	case diff.OperationPathChanged:
		if facts.MethodChanged {
			return fmt.Sprintf("route of %s changed: %s -> %s", s, f.Before, f.After)
		}
		return fmt.Sprintf("path of %s changed: %s -> %s", s, f.Before, f.After)
	case diff.OperationMethodChanged:
		return fmt.Sprintf("method of %s changed: %s -> %s", s, f.Before, f.After)
	case diff.OperationDeprecatedChanged:
		return fmt.Sprintf("operation %s deprecated: %s -> %s", s, f.Before, f.After)
	case diff.OperationVisibilityChanged:
		return fmt.Sprintf("operation %s x-ms-visibility: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.TriggerChanged:
		return fmt.Sprintf("x-ms-trigger of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.PageableChanged:
		return fmt.Sprintf("x-ms-pageable of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.ConsumesChanged:
		return fmt.Sprintf("media types %s accepts: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.TriggerMechanismChanged:
		return fmt.Sprintf("trigger %s changed from %s to %s", s, f.Before, f.After)
	case diff.TriggerHintChanged:
		return fmt.Sprintf("x-ms-trigger-hint of %s changed", s)
	case diff.CapabilitiesChanged:
		if len(f.Details) == 0 {
			return fmt.Sprintf("capabilities of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
		}
		return fmt.Sprintf("capabilities of %s changed%s", s, details(f.Details))
	case diff.FamilyCrowded:
		return fmt.Sprintf("x-ms-api-annotation family %s has %s non-deprecated operations%s", s, f.After, details(f.Details))
	case diff.RevisionRepeated:
		return fmt.Sprintf("x-ms-api-annotation family %s repeats revision %s%s", s, f.After, details(f.Details))
	case diff.VersionReplacesOriginal:
		return fmt.Sprintf("operation %s appears while %s, which it versions, was removed", f.After, f.Before)
	case diff.ConstraintChanged:
		return fmt.Sprintf("%s of %s: %s -> %s", first(f.Details), s, orNone(f.Before), orNone(f.After))
	case diff.ReadOnlyChanged:
		return fmt.Sprintf("readOnly of %s: %s -> %s", s, f.Before, f.After)
	case diff.DiscriminatorChanged:
		return fmt.Sprintf("discriminator of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.AdditionalPropertiesRemoved:
		return fmt.Sprintf("%s no longer accepts additional properties", s)
	case diff.ProducesChanged:
		return fmt.Sprintf("media types %s returns: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.ConnectionParameterRemoved:
		return fmt.Sprintf("connection parameter %s (%s) removed", inSet(s, facts), f.Before)
	case diff.ConnectionParameterAdded:
		return fmt.Sprintf("%s connection parameter %s (%s) added", required(facts.Required), inSet(s, facts), f.After)
	case diff.ConnectionParameterTypeChanged:
		return fmt.Sprintf("type of connection parameter %s: %s -> %s", inSet(s, facts), f.Before, f.After)
	case diff.ConnectionParameterRequiredChanged:
		return fmt.Sprintf("connection parameter %s became required", inSet(s, facts))
	case diff.ConnectionParameterRenamed:
		return fmt.Sprintf("connection parameter %s renamed to %s%s", inSet(f.Before, facts), quoteName(f.After), details(f.Details))
	case diff.ConnectionParameterValuesRemoved:
		msg := fmt.Sprintf("connection parameter %s no longer allows %s", inSet(s, facts), shortList(facts.EnumRemoved))
		if len(facts.EnumAdded) > 0 {
			msg += "; now allows " + shortList(facts.EnumAdded)
		}
		return msg
	case diff.ConnectionParameterChanged:
		return fmt.Sprintf("connection parameter %s changed%s", inSet(s, facts), details(f.Details))
	case diff.OAuthSettingsChanged:
		return fmt.Sprintf("OAuth settings of connection parameter %s changed%s", inSet(s, facts), details(f.Details))
	case diff.ConnectionParameterSetsChanged:
		if s == "connectionParameterSets" {
			return fmt.Sprintf("connectionParameterSets changed%s", details(f.Details))
		}
		return fmt.Sprintf("connection parameter set %s changed%s", s, details(f.Details))
	case diff.ConnectionParameterSetRemoved:
		return fmt.Sprintf("%s removed: %s (%s sets before, %s after)", plural(len(f.Details), "connection parameter set", "connection parameter sets"),
			shortList(f.Details), f.Before, f.After)
	case diff.ConnectionParameterSetAdded:
		return fmt.Sprintf("%s added: %s", plural(len(f.Details), "connection parameter set", "connection parameter sets"), shortList(f.Details))
	case diff.PolicyTemplateChanged:
		return fmt.Sprintf("policy template %s %s%s", s, f.After, details(f.Details))
	case diff.ScriptOperationsChanged:
		return fmt.Sprintf("scriptOperations changed%s", details(f.Details))
	case diff.BrandingChanged:
		return fmt.Sprintf("%s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.ConnectorAppeared:
		return fmt.Sprintf("connector %s added, with %s", orNone(s), f.After)
	case diff.ConnectorDisappeared:
		return fmt.Sprintf("connector %s removed, with its %s", orNone(s), f.Before)
	case diff.ScriptChanged:
		return fmt.Sprintf("%s %s%s", s, f.After, details(f.Details))
	case diff.ParameterRemoved:
		return fmt.Sprintf("parameter %s removed", s)
	case diff.ParameterAdded:
		return fmt.Sprintf("%s parameter %s added", required(facts.Required), s)
	case diff.ParameterRenamed:
		return fmt.Sprintf("parameter %s renamed to %s%s", quoteName(f.Before), quoteName(f.After), details(f.Details))
	case diff.ParameterLocationChanged:
		return fmt.Sprintf("parameter %s moved: in %s -> in %s", s, f.Before, f.After)
	case diff.ParameterRequiredChanged:
		return fmt.Sprintf("parameter %s required: %s -> %s%s", s, f.Before, f.After, details(f.Details))
	case diff.PropertyBecameParameter:
		return fmt.Sprintf("body property %s became parameter %s", s, paramLabel(f.After))
	case diff.CollectionFormatChanged:
		return fmt.Sprintf("collectionFormat of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.URLEncodingChanged:
		return fmt.Sprintf("x-ms-url-encoding of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.VisibilityChanged:
		return fmt.Sprintf("x-ms-visibility of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.DynamicChanged:
		what := "dynamic values"
		if facts.DynamicSchema {
			what = "dynamic schema"
		}
		return fmt.Sprintf("%s of %s changed%s", what, s, details(f.Details))
	case diff.DynamicTargetRemoved:
		return fmt.Sprintf("dynamic values of %s call operation %s, which no longer exists", s, f.Before)
	case diff.TypeChanged:
		return fmt.Sprintf("type of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.FormatChanged:
		return fmt.Sprintf("format of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.EnumChanged:
		return fmt.Sprintf("enum of %s: %s", s, enumChange(facts))
	case diff.DefaultChanged:
		return fmt.Sprintf("default of %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.PropertyRemoved:
		if f.After != "" {
			return fmt.Sprintf("property %s renamed to %s", s, quoteName(f.After))
		}
		return fmt.Sprintf("property %s removed", s)
	case diff.PropertyAdded:
		if f.Where.Output() {
			return fmt.Sprintf("property %s added", s)
		}
		return fmt.Sprintf("%s property %s added", required(facts.Required), s)
	case diff.SchemaRestructured:
		if facts.Undeclared {
			return fmt.Sprintf("schema of %s no longer declares its %d properties: %s", s, len(facts.Moved), shortList(facts.Moved))
		}
		return fmt.Sprintf("%s moved in %s: %s", plural(len(facts.Moved), "property", "properties"), s, shortList(facts.Moved))
	case diff.PropertyRequiredChanged:
		return fmt.Sprintf("property %s required: %s -> %s", s, f.Before, f.After)
	case diff.ResponseRemoved:
		return fmt.Sprintf("success response %s removed", s)
	case diff.ResponseAdded:
		return fmt.Sprintf("response %s added", s)
	case diff.ResponseSchemaRemoved:
		return fmt.Sprintf("schema of %s removed", s)
	case diff.ResponseHeaderRemoved:
		return fmt.Sprintf("response header %s removed", s)
	case diff.HostChanged:
		return fmt.Sprintf("host: %s -> %s", orNone(f.Before), orNone(f.After))
	case diff.BasePathChanged:
		return fmt.Sprintf("basePath: %s -> %s (moves %d operation URLs)", orNone(f.Before), orNone(f.After), f.Count)
	case diff.SchemesChanged:
		return fmt.Sprintf("schemes: %s -> %s", orNone(f.Before), orNone(f.After))
	case diff.SecurityDefinitionRemoved:
		return fmt.Sprintf("security definition %s (%s) removed", s, f.Before)
	case diff.SecurityDefinitionAdded:
		return fmt.Sprintf("security definition %s (%s) added", s, f.After)
	case diff.SecurityDefinitionRenamed:
		return fmt.Sprintf("security definition %s renamed to %s", quoteName(f.Before), quoteName(f.After))
	case diff.SecurityTypeChanged:
		return fmt.Sprintf("security definition %s type: %s -> %s", s, f.Before, f.After)
	case diff.SecurityFlowChanged:
		return fmt.Sprintf("security definition %s OAuth flow: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.SecurityAPIKeyChanged:
		return fmt.Sprintf("security definition %s API key: %s -> %s", s, f.Before, f.After)
	case diff.SecurityScopesChanged:
		return fmt.Sprintf("security definition %s scopes: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.SecurityURLChanged:
		return fmt.Sprintf("security definition %s: %s -> %s", s, orNone(f.Before), orNone(f.After))
	case diff.SecurityRequirementChanged:
		return fmt.Sprintf("security requirement: %s -> %s", orNone(f.Before), orNone(f.After))
	}
	return fmt.Sprintf("%s %s: %s -> %s", f.Kind, s, orNone(f.Before), orNone(f.After))
}

// inSet names a connection parameter with the set it is in, when the
// connector has sets.
func inSet(name string, facts *diff.Facts) string {
	name = quoteName(name)
	if facts.ParameterSet == "" {
		return name
	}
	return name + " of set " + quoteName(facts.ParameterSet)
}

// cutBack says what a schema lost or what changed type in it: the
// properties by name below the schema, the first few of them.
func cutBack(f breaking.Finding) string {
	names := make([]string, len(f.Parts))
	for i, p := range f.Parts {
		names[i] = fieldPath(strings.TrimPrefix(p.Subject, f.Subject+"/"))
		switch {
		case p.Kind == diff.PropertyRemoved && p.After != "":
			names[i] += " (renamed to " + quoteName(p.After) + ")"
		case p.Kind != diff.PropertyRemoved:
			names[i] += " " + orNone(p.Before) + " -> " + orNone(p.After)
		}
	}
	props := plural(len(names), "property", "properties")
	switch f.Kind {
	case diff.PropertyRemoved:
		return fmt.Sprintf("%s removed from %s: %s", props, subject(f), shortList(names))
	case diff.FormatChanged:
		return fmt.Sprintf("format of %s of %s changed: %s", props, subject(f), shortList(names))
	}
	return fmt.Sprintf("type of %s of %s changed: %s", props, subject(f), shortList(names))
}

// subject is the finding's subject as a sentence shows it: a field path
// or a parameter's label with each name that starts or ends with white
// space quoted, so that "a " renamed to "a" does not read as a no-op.
func subject(f breaking.Finding) string {
	switch f.Where {
	case diff.InParameter:
		return paramLabel(f.Subject)
	case diff.InRequestBody, diff.InResponse, diff.InWebhook:
		return fieldPath(f.Subject)
	}
	return f.Subject // an operation, a route, a connection parameter...
}

// paramLabel quotes the name in a parameter's label, "name (in)", and the
// names of the path below it.
func paramLabel(s string) string {
	i := strings.LastIndex(s, " (")
	if i < 0 || !strings.HasSuffix(s, ")") || strings.Contains(s[i:], "/") {
		return fieldPath(s)
	}
	return fieldPath(s[:i]) + s[i:]
}

// fieldPath quotes the names of a path of names (a/b/c) that start or end
// with white space.
func fieldPath(s string) string {
	names := strings.Split(s, "/")
	for i, n := range names {
		names[i] = quoteName(n)
	}
	return strings.Join(names, "/")
}

// quoteName quotes a name that starts or ends with white space.
func quoteName(n string) string {
	if n == "" || strings.TrimSpace(n) == n {
		return n
	}
	return strconv.Quote(n)
}

// enumChange says what an enum lost and gained, with the values as the
// document declares them (quoted strings, so that "1" and 1 differ).
func enumChange(facts *diff.Facts) string {
	var parts []string
	switch {
	case facts.EnumIntroduced:
		parts = append(parts, "enum introduced: "+shortList(facts.EnumAdded))
	case facts.EnumDropped:
		parts = append(parts, "enum restriction removed")
	}
	if len(facts.EnumRemoved) > 0 {
		parts = append(parts, "values removed: "+shortList(facts.EnumRemoved))
	}
	if len(facts.EnumImpossible) > 0 {
		parts = append(parts, "impossible values removed: "+shortList(facts.EnumImpossible))
	}
	if len(facts.EnumAdded) > 0 && !facts.EnumIntroduced {
		parts = append(parts, "values added: "+shortList(facts.EnumAdded))
	}
	return strings.Join(parts, "; ")
}

func required(r bool) string {
	if r {
		return "required"
	}
	return "optional"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// shortList joins values for a sentence; the complete lists stay in the
// finding.
func shortList(v []string) string {
	const show = 10
	if len(v) > show {
		return fmt.Sprintf("%s and %d more", strings.Join(v[:show], ", "), len(v)-show)
	}
	return strings.Join(v, ", ")
}

// details renders Details after a sentence, shortened to a few entries.
func details(d []string) string {
	if len(d) == 0 {
		return ""
	}
	const show = 4
	if len(d) > show {
		return fmt.Sprintf(": %s; and %d more", strings.Join(d[:show], "; "), len(d)-show)
	}
	return ": " + strings.Join(d, "; ")
}

// first is a list's first entry, or "".
func first(d []string) string {
	if len(d) == 0 {
		return ""
	}
	return d[0]
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func orUnset(s, unset string) string {
	if s == "" {
		return unset
	}
	return s
}

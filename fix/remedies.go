package fix

import (
	"github.com/connectordiff/connectordiff/breaking"
)

// planInPlace is how fix plans each in-place remedy kind (see
// breaking.RemedyKind): an edit where the change is, or the reason the
// change needs versioning or is left to the user. The rule table says which
// kind each rule gets; the other kinds (restore an operation or its id,
// version a route) are planned for the whole round in plan.go.
var planInPlace = map[breaking.RemedyKind]func(pl *planner, it *item) outcome{
	breaking.RemedyVersionShape:             needsVersion,
	breaking.RemedyRestoreParameter:         planParameterRemoved,
	breaking.RemedyRestoreParameterName:     planParameterRenamed,
	breaking.RemedyDefaultRequiredParameter: planRequiredParameter,
	breaking.RemedyDefaultRequiredProperty:  planRequiredProperty,
	breaking.RemedyRestoreEnumValues:        planEnumNarrowed,
	breaking.RemedyUnhideInput:              planMadeInternal,
	breaking.RemedyUnhideOperation:          planOperationVisible,
	breaking.RemedyRestoreLookup:            planLookupRemoved,
	breaking.RemedyRestoreProperty:          planPropertyRemoved,
	breaking.RemedyRestoreResponse:          planResponseRemoved,
	breaking.RemedyRestoreResponseSchema:    planSchemaRemoved,
	breaking.RemedyRaiseVersion:             planVersionDecreased,
}

// ruleOf is the rule of f (the zero Rule for one the table does not know:
// no remedy, takes nothing away).
func ruleOf(f breaking.Finding) breaking.Rule {
	r, _ := breaking.Lookup(f.Rule)
	return r
}

// remedyKind is the remedy the rule of f prescribes.
func remedyKind(f breaking.Finding) breaking.RemedyKind { return ruleOf(f).Remedy.Kind }

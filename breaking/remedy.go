package breaking

// Remedy is what `connectordiff fix` does for the breaking findings of a
// rule: the kind of edit, which package fix carries out, and what the rule
// catalog says of it.
type Remedy struct {
	Kind RemedyKind
	// Doc says what fix does, or why it does nothing. The table leaves it
	// empty for a rule that never breaks users.
	Doc string
}

// RemedyKind is the edit fix makes for a finding. The zero value is for a
// rule that never breaks users, for any host or for the validator.
type RemedyKind int

const (
	// RemedyNone: the rule never breaks users, so there is nothing to
	// repair.
	RemedyNone RemedyKind = iota
	// RemedyManual: no mechanical remedy; the rule's remediation says what
	// to do, and Doc why fix leaves it.
	RemedyManual

	// RemedyRestoreOperation puts the old operation back, deprecated and
	// hidden.
	RemedyRestoreOperation
	// RemedyRestoreOperationID puts the old operationId back.
	RemedyRestoreOperationID
	// RemedyVersionOperation versions the operation whose route changed:
	// the old one comes back under its old id and route as revision N of an
	// x-ms-api-annotation family, the new shape becomes revision N+1.
	RemedyVersionOperation

	// The in-place remedies edit where the change is; where the edit cannot
	// keep the new shape, they version the operations the finding reaches.

	// RemedyVersionShape makes no edit in place: undoing the change would
	// drop the new shape, so the operations are versioned.
	RemedyVersionShape
	// RemedyRestoreParameter puts a removed parameter back, optional.
	RemedyRestoreParameter
	// RemedyRestoreParameterName puts a body parameter's old name back.
	RemedyRestoreParameterName
	// RemedyDefaultRequiredParameter gives a new or newly required parameter
	// a safe default.
	RemedyDefaultRequiredParameter
	// RemedyDefaultRequiredProperty gives a new or newly required body
	// property a safe default.
	RemedyDefaultRequiredProperty
	// RemedyRestoreEnumValues puts removed enum values back.
	RemedyRestoreEnumValues
	// RemedyUnhideInput gives a hidden input its old default, or shows it
	// again.
	RemedyUnhideInput
	// RemedyUnhideOperation replaces x-ms-visibility: internal on an
	// operation with advanced.
	RemedyUnhideOperation
	// RemedyRestoreLookup puts back the operation a dynamic lookup calls.
	RemedyRestoreLookup
	// RemedyRestoreProperty puts a removed request or response property
	// back.
	RemedyRestoreProperty
	// RemedyRestoreResponse puts removed success responses back.
	RemedyRestoreResponse
	// RemedyRestoreResponseSchema puts a response's removed schema back.
	RemedyRestoreResponseSchema
	// RemedyRaiseVersion sets info.version above the old one.
	RemedyRaiseVersion
)

// Mechanical reports whether fix has an edit for findings of the kind.
func (k RemedyKind) Mechanical() bool { return k > RemedyManual }

// neverBreaksDoc is what the catalog says of fix for a rule that never
// breaks users.
const neverBreaksDoc = "Nothing to repair: the rule is never breaking."

// versionDoc is what the catalog says of a change that needs an operation of
// its own.
const versionDoc = "Versions the operation when the old and the new shape can each have a route: the old operation comes back " +
	"under its old operationId, method and path, deprecated and hidden, as revision N of its `x-ms-api-annotation` family, and the " +
	"new shape becomes revision N+1 as `<OperationId>V<N+1>` (or the connector's own `_V<N+1>` naming), each keeping the " +
	"definitions it uses (old ones copied where they differ). A route holds one operation, so the new shape needs a route of " +
	"its own: the one the update gave it, or, under `--version-path /v2`, the old path under a prefix the backend serves the " +
	"new shape at. Otherwise it is left to you."

// versionRoute is the remedy of a change of an operation's route.
var versionRoute = Remedy{Kind: RemedyVersionOperation, Doc: versionDoc}

// versionShape is the remedy of a change whose old and new shape each need
// an operation.
var versionShape = Remedy{Kind: RemedyVersionShape, Doc: versionDoc}

// connectionLeft is the remedy of a change to apiProperties.json, which fix
// does not edit.
var connectionLeft = Remedy{Kind: RemedyManual, Doc: "Left to you: fix edits the definition, not apiProperties.json."}

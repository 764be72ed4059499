package diff

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/connectordiff/connectordiff/connector"
)

// Where says in which part of an operation a change sits, which is also its
// direction: what a caller sends (Parameter, RequestBody) or receives
// (Response, Webhook).
type Where string

// The places a change can sit.
const (
	InDocument    Where = "document"
	InOperation   Where = "operation"
	InParameter   Where = "parameter"
	InRequestBody Where = "request-body"
	InResponse    Where = "response"
	InWebhook     Where = "webhook"
)

// Request reports whether w is on the sending side of a call.
func (w Where) Request() bool { return w == InParameter || w == InRequestBody }

// Output reports whether w is on the receiving side (responses and webhook
// payloads), whose properties flows reference as dynamic content.
func (w Where) Output() bool { return w == InResponse || w == InWebhook }

// OperationRef names an operation a change reaches.
type OperationRef struct {
	// ID is the operation's identifier in the old document (the new one for
	// an added operation): its operationId, or "METHOD path" when it has none.
	ID string
	// Internal is true when the operation is x-ms-visibility: internal in the
	// old document, so it never appears in a user's flow.
	Internal bool
}

// Facts are the neutral circumstances of a change that a policy may weigh.
// Each is false or empty when it does not apply.
type Facts struct {
	// Internal: the parameter or property is x-ms-visibility: internal (in
	// the old document for removals and changes, the new one for additions),
	// or sits inside one that is.
	Internal bool
	// Required: the parameter or property is required (new side for
	// additions and required changes, old side for removals).
	Required bool
	// HasDefault: the parameter or property has a default value (new side).
	HasDefault bool
	// ReadOnly: the property is readOnly (old side).
	ReadOnly bool
	// NotificationURL: the property carries x-ms-notification-url: true and
	// is filled by the runtime.
	NotificationURL bool
	// NamedProperties: the old schema had named properties (directly, or
	// through allOf or array items).
	NamedProperties bool
	// Secondary: a response change on a success code other than the primary
	// one while the primary keeps its schema, or a success code removed
	// while another success code remains.
	Secondary bool
	// BodyAlreadySent: a body parameter became required while its schema
	// already had a visible required property, so working flows send a body.
	BodyAlreadySent bool
	// BodyRuntimeBuilt: a body parameter became required while every one of
	// its properties is internal with a default or a notification URL.
	BodyRuntimeBuilt bool
	// EnumIntroduced / EnumDropped: the enum restriction appeared or went.
	EnumIntroduced bool
	EnumDropped    bool
	// EnumRemoved / EnumAdded: values no longer / newly allowed (compared
	// normalised to the declared type, so "1" and 1 are one value), as the
	// document spells them: 3.0 stays 3.0. EnumImpossible lists removed
	// values that the declared type could never take (such as "" on a
	// boolean).
	EnumRemoved    []string
	EnumAdded      []string
	EnumImpossible []string
	// HTTPSLost: the schemes no longer include https (or are all gone).
	HTTPSLost bool
	// Body: the parameter is the body parameter.
	Body bool
	// Disjoint: the old and the new media types have nothing in common.
	Disjoint bool
	// ParameterSet names the connection parameter set a change of a
	// connection parameter is in, when apiProperties.json has sets.
	ParameterSet string
	// ConnectionKept: a change of the definition's security while
	// apiProperties.json, which defines the connection on both sides, kept
	// every way existing connections were made (no set or parameter
	// removed, renamed or retyped, none newly required, the same OAuth
	// settings).
	ConnectionKept bool
	// FallsBack: an operation lost its own produces list and returns the
	// document's (or the platform's, when the document has none).
	FallsBack bool
	// Tightened: a constraint now accepts less than before (a lower
	// maximum, a new pattern...); otherwise it accepts more.
	Tightened bool
	// DynamicSchema: only x-ms-dynamic-schema or -properties changed, which
	// drive dynamic fields and outputs rather than value pickers.
	DynamicSchema bool
	// HadNone: a security definition was added where the old document had
	// none at all.
	HadNone bool
	// MethodChanged: a route change changed the method as well as the path
	// (Before and After then read "METHOD path").
	MethodChanged bool
	// BecameRequired: a renamed parameter is also required now, which it
	// was not before.
	BecameRequired bool
	// Moved lists, for a restructured schema, each property that moved and
	// where to ("name -> task/name"), or, when the new schema declares no
	// properties at all (Undeclared), each property it no longer declares.
	Moved      []string
	Undeclared bool
}

// Change is one difference between the old and the new document.
type Change struct {
	Kind  Kind
	Where Where
	// Subject is what changed: an operation, parameter, property, status
	// code, or definition name, as a finding's sentence names it.
	Subject string
	// Field is the input or output a change of a parameter, a schema or a
	// response header is about, by the path its users know it by: the
	// parameter's name (top), the body parameter's name and the path below
	// it (body/projectId), the path below a response or webhook payload
	// (items/name, "" for the whole of it), a header's name. Empty for
	// other changes.
	Field string
	// Operations lists every operation the change reaches, in old-document
	// order; empty for document-level changes.
	Operations []OperationRef
	// Old and New locate the change in each document. Old is nil for
	// additions; New is the nearest surviving counterpart for removals.
	Old, New *connector.Location
	// ValuePath is the location in the form Microsoft's validator uses, such
	// as operation/GetItem/parameter/id or
	// operation/GetItem/responses/200/schema/name.
	ValuePath string
	// Before and After are the changed values, rendered compactly.
	Before, After string
	// Digest names the exact edit where Before and After only summarize it
	// (a script "changed", a policy template "changed"): a hash of the new
	// content, empty elsewhere.
	Digest string
	// Details names what changed inside a compound value, one entry each,
	// such as "parameters.folder: \"a\" -> \"b\"".
	Details []string
	// File names the connector file the change is in (apiProperties.json,
	// script.csx) when a whole connector folder is compared; empty for a
	// single definition.
	File  string
	Facts Facts
}

// Operation returns the first operation the change reaches, or "".
func (c *Change) Operation() string {
	if len(c.Operations) == 0 {
		return ""
	}
	return c.Operations[0].ID
}

// digest is a Change's Digest of content: 16 hexadecimal digits of its
// SHA-256.
func digest(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:8])
}

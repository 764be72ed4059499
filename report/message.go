package report

import (
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/message"
)

// Message is what a finding says, in one sentence, as every format writes
// it (the JSON report's "message" too): what changed, or what the finding
// is about, then why its level is lower than its rule's and what the
// history or the policy add. It is written from the finding's parts (Kind
// or Topic, Subject, Before, After, Details, Reasons...) when asked for;
// the document's text in it is not escaped (see logsafe.Line).
func Message(f breaking.Finding) string { return message.Of(f) }

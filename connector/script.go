package connector

// Script is a connector's custom code (script.csx). Its behaviour cannot be
// judged statically; a change to it is reported with the operations it
// routes on.
type Script struct {
	Name string
	Text string
}

// NewScript wraps the text of script.csx.
func NewScript(name string, data []byte) *Script {
	return &Script{Name: name, Text: string(data)}
}

package connector

import "unsafe"

// LoadText is Load for a text already held as a string, such as one a
// program produced: the document shares the string's memory instead of
// copying it, as a string cannot change. MaxBytes still applies.
func LoadText(name, text string, opts LoadOptions) (*Document, error) {
	if text == "" {
		return Load(name, nil, opts)
	}
	return load(name, unsafe.Slice(unsafe.StringData(text), len(text)), opts, true)
}

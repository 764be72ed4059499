package fix

import (
	"strings"
	"unsafe"
)

// A loaded document's names and values are substrings of its text, so
// keeping one of them keeps the whole text: the 60 MB of a large
// definition for an operationId. What a sequence of rounds keeps from one
// round to the next is detached from the round's document with these, so
// that each version of the document is freed once the next is loaded.

// Detach copies the strings the round keeps (its remedies, declined
// reasons and state) that are substrings of text.
func (r *Round) Detach(text string) {
	for _, rm := range r.Remedies {
		rm.Keys = DetachAll(rm.Keys, text)
		rm.Action = Detach(rm.Action, text)
		rm.Notes = DetachAll(rm.Notes, text)
		DetachOps(rm.Ops, text)
	}
	DetachOps(r.shared, text)
	detachMap(r.Declined, text)
	if s := r.State; s != nil {
		for _, m := range []map[string]string{s.copies, s.Renames, s.Moves, s.Params, s.tried} {
			detachMap(m, text)
		}
	}
}

// DetachOps copies the strings of ops that are substrings of text, in
// place.
func DetachOps(ops []Op, text string) {
	for i := range ops {
		o := &ops[i]
		o.Path, o.From, o.Value = Detach(o.Path, text), Detach(o.From, text), Detach(o.Value, text)
	}
}

// Detach returns s, copied when it is a substring of text.
func Detach(s, text string) string {
	if len(s) == 0 || len(text) == 0 {
		return s
	}
	p, t := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(text)))
	if p >= t && p < t+uintptr(len(text)) {
		return strings.Clone(s)
	}
	return s
}

// DetachAll detaches each string of list, in place.
func DetachAll(list []string, text string) []string {
	for i, s := range list {
		list[i] = Detach(s, text)
	}
	return list
}

// detachMap detaches the keys and values of m, in place.
func detachMap(m map[string]string, text string) {
	for k, v := range m {
		if dk := Detach(k, text); unsafe.StringData(dk) != unsafe.StringData(k) {
			delete(m, k)
			m[dk] = Detach(v, text)
			continue
		}
		m[k] = Detach(v, text)
	}
}

package fix

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// Detach copies a substring of the text, so that keeping it does not keep
// the text, and leaves any other string as it is.
func TestDetach(t *testing.T) {
	text := strings.Repeat("x", 100) + `"operationId": "GetItem"`
	id := text[116:123]
	other := strings.Clone(id)
	d := Detach(id, text)
	assert.Equal(t, "GetItem", d)
	assert.True(t, unsafe.StringData(id) != unsafe.StringData(d), "a substring is copied")
	assert.True(t, unsafe.StringData(other) == unsafe.StringData(Detach(other, text)), "another string is kept")
	assert.Equal(t, "", Detach("", text))

	m := map[string]string{text[116:123]: text[100:113], "kept": other}
	detachMap(m, text)
	for k, v := range m {
		assert.False(t, inside(k, text), k)
		assert.False(t, inside(v, text), v)
	}
	assert.Equal(t, map[string]string{"GetItem": `"operationId"`, "kept": "GetItem"}, m)
}

func inside(s, text string) bool {
	p, q := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(text)))
	return len(s) > 0 && p >= q && p < q+uintptr(len(text))
}

// A journal undoes the writes made after a mark, the last first, and a nil
// one writes without recording.
func TestJournal(t *testing.T) {
	m := map[string]string{"a": "1"}
	j := &journal{}
	mark := j.mark()
	j.set(m, "a", "2")
	j.set(m, "b", "3")
	j.set(m, "a", "4")
	j.del(m, "b")
	assert.Equal(t, map[string]string{"a": "4"}, m)
	j.undo(mark)
	assert.Equal(t, map[string]string{"a": "1"}, m)
	var none *journal
	none.set(m, "c", "5")
	none.del(m, "a")
	assert.Equal(t, map[string]string{"c": "5"}, m)
}

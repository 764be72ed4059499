package connector

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// scanSeeds are inputs at the edges of the JSON grammar and of the
// scanner's eight-bytes-at-a-time paths.
var scanSeeds = []string{
	`{}`, `[]`, `{"a":1}`, ` {"a" : [1, -0, 0.5, 1e5, -1E-5, 2.0e+10, true, false, null]} `,
	`{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`, `{"a":+1}`, `{"a":tru}`, `{"a":nul}`,
	`{"a":"\u00e9\/\\\"\b\f\n\r\t"}`, `{"a":"\ud83d\ude00"}`, `{"a":"\ud83d"}`, `{"a":"\ude00\ud83d x"}`,
	`{"a":"\u12"}`, `{"a":"\x"}`, "{\"a\":\"\x01\"}", "{\"a\":\"\x7f\"}", "{\"a\":\"caf\xc3\xa9\"}", "{\"a\":\"caf\xe9\"}",
	`{"a":1,}`, `{"a":1 "b":2}`, `{"a" 1}`, `{,}`, `[1,]`, `[,1]`, `{"a":1}}`, `{"a":1} x`, `"x"`, `42`, `{"a":[}`,
	"{\r\n\t\"a\":\r1\n}", `{"aaaaaaaaaaaaaaaaaaaaaaaa\"bbbbbbbbbbbbbbbbbbbbbbbbbb":"cccccccccccccccccccccccccccccc\\"}`,
	"{\"" + strings.Repeat("x", 40) + "\xff\":1}", "{\"" + strings.Repeat("y", 23) + "\x1f\":1}",
	"{\"a\":" + strings.Repeat(" ", 37) + "1" + strings.Repeat("\t ", 9) + "}",
	`{"a":1,"a":2,"b":{"a":3,"a":4}}`,
}

// FuzzScanTree checks the scanner against encoding/json: it accepts exactly
// the valid JSON whose strings are UTF-8 (nesting within MaxNesting), and
// reads the same values (the last of duplicate keys).
func FuzzScanTree(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, _, ok := scanTree(string(data))
		valid := json.Valid(data) && utf8.Valid(data)
		if ok && !json.Valid(data) {
			t.Fatalf("scanner accepts invalid JSON %q", data)
		}
		if !ok && valid && !bytes.Contains(data, []byte(strings.Repeat("[", MaxNesting))) {
			t.Fatalf("scanner refuses valid JSON %q", data)
		}
		if !ok || !valid {
			return
		}
		var want any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if got, w := fmt.Sprint(nodeValue(root)), fmt.Sprint(want); got != w {
			t.Fatalf("scanner reads %s, encoding/json %s", got, w)
		}
	})
}

// nodeValue converts a node tree to what encoding/json decodes (numbers as
// json.Number).
func nodeValue(n *Node) any {
	switch n.kind {
	case Object:
		m := map[string]any{}
		for i := 0; i < n.Len(); i++ {
			k, v := n.Member(i)
			m[k.Value()] = nodeValue(v)
		}
		return m
	case Array:
		out := []any{}
		for i := 0; i < n.Len(); i++ {
			out = append(out, nodeValue(n.Elem(i)))
		}
		return out
	case Number:
		return json.Number(n.val)
	case Bool:
		return n.val == "true"
	case Null:
		return nil
	}
	return n.val
}

func TestScanSpans(t *testing.T) {
	src := "{\n  \"a\": {\"b\": [1, \"x\\ty\"]},\n  \"c\": null\n}"
	root, s, ok := scanTree(src)
	if !ok {
		t.Fatal("not scanned")
	}
	span := func(n *Node) string { return src[n.start:n.end] }
	k, v := root.Member(0)
	if span(root) != src || span(k) != `"a"` || span(v) != `{"b": [1, "x\ty"]}` {
		t.Fatalf("spans: %q %q %q", span(root), span(k), span(v))
	}
	arr := v.Get("b")
	if span(arr) != `[1, "x\ty"]` || span(arr.Elem(1)) != `"x\ty"` || arr.Elem(1).Value() != "x\ty" {
		t.Fatalf("array spans: %q %q %q", span(arr), span(arr.Elem(1)), arr.Elem(1).Value())
	}
	if want := (lineTable{0, 2, 29, 41}); fmt.Sprint(s.lines) != fmt.Sprint(want) {
		t.Fatalf("lines %v, want %v", s.lines, want)
	}
	c, _ := root.Member(1)
	if line, col := s.lines.position(src, c.start); line != 3 || col != 3 {
		t.Fatalf("c at %d:%d", line, col)
	}
}

package fix

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/connector"
)

func load(t *testing.T, src string) *connector.Document {
	t.Helper()
	d, err := connector.Load("test.json", []byte(src), connector.LoadOptions{})
	require.NoError(t, err)
	return d
}

const head = `"swagger": "2.0", "info": {"title": "T", "version": "1"}`

func TestApplyKeepsLayout(t *testing.T) {
	tests := []struct {
		name string
		src  string
		ops  []Op
		want string
	}{
		{
			name: "member added after the last, two spaces",
			src:  "{\n  " + head + ",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\"operationId\": \"A\"}\n    }\n  }\n}\n",
			ops:  []Op{{Op: "add", Path: "/paths/~1b", Value: "{\n\t\"get\": {\n\t\t\"operationId\": \"B\"\n\t}\n}"}},
			want: "{\n  " + head + ",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\"operationId\": \"A\"}\n    },\n    \"/b\": {\n      \"get\": {\n        \"operationId\": \"B\"\n      }\n    }\n  }\n}\n",
		},
		{
			name: "tabs and CRLF",
			src:  "{\r\n\t" + head + ",\r\n\t\"paths\": {\r\n\t\t\"/a\": {}\r\n\t}\r\n}",
			ops:  []Op{{Op: "add", Path: "/paths/~1a/get", Value: "{\n\t\"operationId\": \"A\",\n\t\"deprecated\": true\n}"}},
			want: "{\r\n\t" + head + ",\r\n\t\"paths\": {\r\n\t\t\"/a\": {\r\n\t\t\t\"get\": {\r\n\t\t\t\t\"operationId\": \"A\",\r\n\t\t\t\t\"deprecated\": true\r\n\t\t\t}\r\n\t\t}\r\n\t}\r\n}",
		},
		{
			name: "inline object gets an inline member",
			src:  "{" + head + ", \"paths\": {}, \"x\": {\"a\": 1, \"b\": [1, 2]}}",
			ops:  []Op{{Op: "add", Path: "/x/c", Value: "{\n\t\"d\": true\n}"}},
			want: "{" + head + ", \"paths\": {}, \"x\": {\"a\": 1, \"b\": [1, 2], \"c\": {\"d\": true}}}",
		},
		{
			name: "inline array gets appended elements",
			src:  "{\n    " + head + ",\n    \"paths\": {},\n    \"e\": [\"a\",\"b\"]\n}",
			ops:  []Op{{Op: "add", Path: "/e/-", Value: `"c"`}, {Op: "add", Path: "/e/-", Value: `"d"`}},
			want: "{\n    " + head + ",\n    \"paths\": {},\n    \"e\": [\"a\",\"b\",\"c\",\"d\"]\n}",
		},
		{
			name: "replace and remove keep their neighbours",
			src:  "{\n  " + head + ",\n  \"paths\": {},\n  \"a\": 1,\n  \"b\": \"x\",\n  \"c\": 3\n}",
			ops:  []Op{{Op: "replace", Path: "/b", Value: `"y"`}, {Op: "remove", Path: "/c"}, {Op: "remove", Path: "/a"}},
			want: "{\n  " + head + ",\n  \"paths\": {},\n  \"b\": \"y\"\n}",
		},
		{
			name: "rename a key",
			src:  "{" + head + ", \"paths\": {\"/a\": {\"get\": {}}}}",
			ops:  []Op{{Op: "move", From: "/paths/~1a/get", Path: "/paths/~1a/post"}},
			want: "{" + head + ", \"paths\": {\"/a\": {\"post\": {}}}}",
		},
		{
			name: "insert before an element",
			src:  "{\n  " + head + ",\n  \"paths\": {},\n  \"l\": [\n    1,\n    2\n  ]\n}",
			ops:  []Op{{Op: "add", Path: "/l/1", Value: "{\n\t\"x\": 1\n}"}},
			want: "{\n  " + head + ",\n  \"paths\": {},\n  \"l\": [\n    1,\n    {\n      \"x\": 1\n    },\n    2\n  ]\n}",
		},
		{
			name: "neighbours removed together",
			src:  "{\n  " + head + ",\n  \"paths\": {},\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3,\n  \"d\": 4\n}",
			ops:  []Op{{Op: "remove", Path: "/b"}, {Op: "remove", Path: "/c"}, {Op: "remove", Path: "/d"}},
			want: "{\n  " + head + ",\n  \"paths\": {},\n  \"a\": 1\n}",
		},
		{
			name: "the first and the last elements removed",
			src:  "{" + head + ", \"paths\": {}, \"l\": [1, 2, 3]}",
			ops:  []Op{{Op: "remove", Path: "/l/0"}, {Op: "remove", Path: "/l/2"}},
			want: "{" + head + ", \"paths\": {}, \"l\": [2]}",
		},
		{
			name: "everything removed and something added",
			src:  "{\n  " + head + ",\n  \"paths\": {\n    \"/a\": {\"get\": {}}\n  }\n}",
			ops:  []Op{{Op: "remove", Path: "/paths/~1a"}, {Op: "add", Path: "/paths/~1b", Value: "{\n\t\"get\": {}\n}"}},
			want: "{\n  " + head + ",\n  \"paths\": {\n    \"/b\": {\n      \"get\": {}\n    }\n  }\n}",
		},
		{
			name: "the last member removed and one added",
			src:  "{\n  " + head + ",\n  \"paths\": {},\n  \"a\": 1,\n  \"b\": 2\n}",
			ops:  []Op{{Op: "remove", Path: "/b"}, {Op: "add", Path: "/c", Value: "3"}},
			want: "{\n  " + head + ",\n  \"paths\": {},\n  \"a\": 1,\n  \"c\": 3\n}",
		},
		{
			name: "multi-line value into an empty object",
			src:  "{\n  " + head + ",\n  \"paths\": {}\n}",
			ops:  []Op{{Op: "add", Path: "/paths/~1a", Value: "{\n\t\"get\": {}\n}"}},
			want: "{\n  " + head + ",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {}\n    }\n  }\n}",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply(load(t, tt.src), tt.ops)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.True(t, json.Valid([]byte(got)), "output is not JSON: %s", got)
		})
	}
}

func TestApplyRefusesConflicts(t *testing.T) {
	d := load(t, "{"+head+", \"paths\": {}, \"x\": {\"a\": 1}}")
	_, err := Apply(d, []Op{{Op: "replace", Path: "/x", Value: "{}"}, {Op: "replace", Path: "/x/a", Value: "2"}})
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 0, ce.A)
	assert.Equal(t, 1, ce.B)
}

func TestApplyRefusesYAML(t *testing.T) {
	d, err := connector.Load("t.yaml", []byte("swagger: \"2.0\"\ninfo: {title: T, version: \"1\"}\npaths: {}\n"), connector.LoadOptions{})
	require.NoError(t, err)
	_, err = Apply(d, []Op{{Op: "add", Path: "/x", Value: "1"}})
	assert.ErrorContains(t, err, "fix edits JSON definitions")
}

func TestTextIsCanonical(t *testing.T) {
	d := load(t, "{\r\n    "+head+",\r\n    \"paths\": {\r\n        \"/a\": {\r\n            \"get\": {\"x\": [\r\n                1\r\n            ]}\r\n        }\r\n    }\r\n}")
	got, err := Text(d, "/paths/~1a")
	require.NoError(t, err)
	assert.Equal(t, "{\n\t\"get\": {\"x\": [\n\t\t1\n\t]}\n}", got)
}

func TestDetectStyle(t *testing.T) {
	assert.Equal(t, style{unit: "    ", eol: "\r\n"}, detectStyle("{\r\n    \"a\": {\r\n        \"b\": 1\r\n    }\r\n}"))
	assert.Equal(t, style{unit: "\t", eol: "\n"}, detectStyle("{\n\t\"a\": {\n\t\t\"b\": 1\n\t}\n}"))
	assert.Equal(t, defaultStyle, detectStyle(`{"a": 1}`))
}

func TestOpMarshalsCompact(t *testing.T) {
	b, err := json.Marshal([]Op{{Op: "add", Path: "/a", Value: "{\n\t\"b\": [\n\t\t1\n\t]\n}"}, {Op: "remove", Path: "/c"},
		{Op: "move", From: "/x", Path: "/y"}})
	require.NoError(t, err)
	assert.Equal(t, `[{"op":"add","path":"/a","value":{"b":[1]}},{"op":"remove","path":"/c"},{"op":"move","from":"/x","path":"/y"}]`, string(b))
	assert.True(t, strings.HasPrefix(quote("a<b"), `"a<b"`))
}

func TestDedupeKeepsTheLastValue(t *testing.T) {
	assert.Equal(t, "{\n\t\"b\": 2,\n\t\"a\": 3\n}", dedupe("{\n\t\"a\": 1,\n\t\"b\": 2,\n\t\"a\": 3\n}"))
	assert.Equal(t, `{"x": [{"k": 2}], "y": "a\"b"}`, dedupe(`{"x": [{"k": 1, "k": 2}], "y": "a\"b"}`))
	assert.Equal(t, `[1, 2]`, dedupe(`[1, 2]`))
	assert.Equal(t, `{"a": {"c": 1}}`, dedupe(`{"a": {"b": 1}, "a": {"c": 1}}`))
}

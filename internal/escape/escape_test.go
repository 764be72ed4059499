package escape_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/connectordiff/connectordiff/internal/escape"
	"github.com/connectordiff/connectordiff/internal/escape/escapetest"
)

// hostile are strings a pull request can put in a name or value, each
// meant to be a command or to hide something.
var hostile = []string{
	"x\n::error title=INJECTED::boom\n##vso[task.prependpath]/tmp/evil\nz",
	"::error title=X::boom",
	"  \t::warning::indented",
	"\u00a0\u3000::notice::unicode spaces",
	"\u200b::error::zero-width first",
	":\u200b:error::split colons",
	"##vso[task.setvariable variable=X]yes",
	"text ##vso[task.complete result=Succeeded]",
	"##VSO[task.prependpath]/x",
	"#\u200b#vso[task.prependpath]/x",
	"#\u00ad#\ufe0fvso[x]",
	"#\x01#[group]x",
	"###vso[x]",
	"####[x]",
	"##[group]title",
	"a\r::error::after a carriage return",
	"a\r##[error]x",
	"\x1b[2J\x1b]0;title\x07 \u202etxet",
	"\u2028::error::line separator",
	"invalid \xff\xfe utf-8",
	"id\U000E0061\u2063\u00ad\u3164 reads as id",
	"#",
	"##",
	"##vso",
	":",
}

func TestLineIsOneInertVisibleLine(t *testing.T) {
	for _, s := range hostile {
		got := escape.Line(s)
		assert.Len(t, escapetest.Lines(got), 1, "%q -> %q", s, got)
		assert.Empty(t, escapetest.Commands(got), "%q -> %q", s, got)
		assert.Empty(t, escapetest.Hidden(got), "%q -> %q", s, got)
		assert.True(t, utf8.ValidString(got))
	}
}

func TestLineEscapesVisibly(t *testing.T) {
	tests := []struct{ in, want string }{
		{"::error title=X::boom", `\x3a:error title=X::boom`},
		{"  ::x", `  \x3a:x`},
		{"##vso[task.setvariable variable=X]yes", `\x23#vso[task.setvariable variable=X]yes`},
		{"a ##[group] b ##vso[x]", `a \x23#[group] b \x23#vso[x]`},
		{"###vso[x]", `#\x23#vso[x]`},
		{"x\n::error::y", `x\n::error::y`},
		{"e\x1b[31m", `e\x1b[31m`},
		{"\u202e", `\u202E`},
		{"a\u200b", `a\u200B`}, // a name that reads as "a"
		{"\ufeffx\u2060", `\uFEFFx\u2060`},
		{"id\u2063 id\u00ad id\U000e0061 id\u3164 id\u180e id\u034f", `id\u2063 id\xad id\U000E0061 id\u3164 id\u180E id\u034F`},
		{"bad \xff", `bad \xff`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, escape.Line(tt.in), "%q", tt.in)
	}
}

func TestLineKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{
		"", "ListItems", "Élément données 数据 ✅ 👨‍👩‍👧 🇫🇷", "a::b", "C# is #1", "x ## y", "#[not a command]",
		"vso[x]", "a: b", "key: value :: other", "path/to/apiDefinition.swagger.json", `C:\x`, "زبان‌ها",
	} {
		assert.Equal(t, s, escape.Line(s))
	}
}

func TestVisibleLeavesCommandsToTheFormat(t *testing.T) {
	assert.Equal(t, `##vso[x]\n::error::y`, escape.Visible("##vso[x]\n::error::y"))
	assert.Equal(t, `::x`, escape.Visible("::x"))
}

func TestJSONDecodesToTheOriginal(t *testing.T) {
	for _, s := range hostile {
		for _, indent := range []string{"", "  "} {
			data, err := json.MarshalIndent(map[string]any{"value": s, "list": []string{s, "ok"}, s: 1}, "", indent)
			require.NoError(t, err)
			out := escape.JSON(data)
			for _, line := range escapetest.Lines(string(out)) {
				assert.Empty(t, escapetest.Commands(line), "%q", line)
				assert.Empty(t, escapetest.Hidden(line), "%q", line)
			}
			var want, back map[string]any
			require.NoError(t, json.Unmarshal(data, &want))
			require.NoError(t, json.Unmarshal(out, &back), "%s", out)
			assert.Equal(t, want, back)
		}
	}
	plain := []byte(`{"a": "b"}`)
	assert.Equal(t, &plain[0], &escape.JSON(plain)[0], "nothing to escape: the same bytes")
	assert.Equal(t, `{"v":"\u0023#vso[x]"}`, string(escape.JSON([]byte(`{"v":"##vso[x]"}`))))
}

func TestMarkupReadsTheSame(t *testing.T) {
	type doc struct {
		XMLName xml.Name `xml:"doc"`
		Attr    string   `xml:"name,attr"`
		Text    string   `xml:"text"`
		CDATA   struct {
			Text string `xml:",cdata"`
		} `xml:"out"`
	}
	page := template.Must(template.New("").Parse("<p title=\"{{.}}\">{{.}}</p>\n<ul><li>{{.}}</li></ul>\n"))
	for _, s := range hostile {
		// XML 1.0 cannot hold most control characters: the formats pass
		// their text through Visible first, as here.
		v := escape.Visible(s)
		multi := strings.ReplaceAll(v, `\n`, "\n") // CDATA sections hold several lines
		var in doc
		in.Attr, in.Text, in.CDATA.Text = v, v, multi
		var buf bytes.Buffer
		require.NoError(t, xml.NewEncoder(&buf).Encode(in))
		out := escape.Markup(buf.Bytes())
		for _, line := range escapetest.Lines(string(out)) {
			assert.Empty(t, escapetest.Commands(line), "%q", line)
		}
		var back doc
		require.NoError(t, xml.Unmarshal(out, &back), "%s", out)
		assert.Equal(t, [3]string{in.Attr, in.Text, in.CDATA.Text}, [3]string{back.Attr, back.Text, back.CDATA.Text})

		buf.Reset()
		require.NoError(t, page.Execute(&buf, multi))
		out = escape.Markup(buf.Bytes())
		for _, line := range escapetest.Lines(string(out)) {
			assert.Empty(t, escapetest.Commands(line), "%q", line)
			assert.Empty(t, escapetest.Hidden(line), "%q", line)
		}
		want, got := parseHTML(t, buf.Bytes()), parseHTML(t, out)
		assert.Equal(t, want, got, "the page reads the same")
	}
}

// parseHTML returns the text and attribute values of a page, as a browser
// reads them.
func parseHTML(t *testing.T, page []byte) []string {
	t.Helper()
	var out []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.TextToken:
			out = append(out, string(z.Text()))
		case html.StartTagToken:
			for {
				_, v, more := z.TagAttr()
				out = append(out, string(v))
				if !more {
					break
				}
			}
		}
	}
}

func TestWriterNeutralisesWhatSlipsThrough(t *testing.T) {
	text := "ok line\n::error::x\n  ##vso[task.prependpath]/x\rnext ##[group]\n#\u200b#vso[y]\n::"
	want := "ok line\n\\x3a:error::x\n  \\x23#vso[task.prependpath]/x\rnext \\x23#[group]\n\\x23\u200b#vso[y]\n\\x3a:"
	whole := writeAll(t, nil, []byte(text))
	assert.Equal(t, want, whole)
	// However the text is cut into writes.
	var bytewise [][]byte
	for i := range len(text) {
		bytewise = append(bytewise, []byte(text[i:i+1]))
	}
	assert.Equal(t, want, writeAll(t, nil, bytewise...))
}

func TestWriterKeepsTheProgramsOwnCommands(t *testing.T) {
	keep := func(line string) int {
		if strings.HasPrefix(line, "::error ") {
			return 2
		}
		return 0
	}
	got := writeAll(t, keep, []byte("::error file=a::msg ##vso[x]\n::warning::not ours\n"))
	assert.Equal(t, "::error file=a::msg \\x23#vso[x]\n\\x3a:warning::not ours\n", got)
}

func TestWriterBoundsWhatItHoldsBack(t *testing.T) {
	long := strings.Repeat("a", 100<<10)
	var out bytes.Buffer
	w := escape.NewWriter(&out, nil)
	_, err := w.Write([]byte(long + "#"))
	require.NoError(t, err)
	assert.Equal(t, long, out.String(), "a line over the limit goes on, but for a \"#\" that may start a command")
	_, err = w.Write([]byte("#vso[x]\n"))
	require.NoError(t, err)
	assert.Equal(t, long+`\x23#vso[x]`+"\n", out.String())

	out.Reset()
	w = escape.NewWriter(&out, nil)
	_, err = w.Write([]byte(strings.Repeat(" ", 100<<10)))
	require.NoError(t, err)
	_, err = w.Write([]byte(":"))
	require.NoError(t, err)
	_, err = w.Write([]byte(":error::x\n"))
	require.NoError(t, err)
	assert.Empty(t, escapetest.Commands(out.String()), "white space past the limit still leads the line")
}

func writeAll(t *testing.T, keep func(string) int, parts ...[]byte) string {
	t.Helper()
	var out bytes.Buffer
	w := escape.NewWriter(&out, keep)
	for _, p := range parts {
		n, err := w.Write(p)
		require.NoError(t, err)
		require.Equal(t, len(p), n)
	}
	require.NoError(t, w.Flush())
	return out.String()
}

func FuzzLine(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := escape.Line(s)
		require.Len(t, escapetest.Lines(got+"x"), 1, "%q -> %q", s, got)
		require.Empty(t, escapetest.Commands(got), "%q -> %q", s, got)
		require.Empty(t, escapetest.Hidden(got), "%q -> %q", s, got)
		var out bytes.Buffer
		w := escape.NewWriter(&out, nil)
		for _, part := range []string{s[:len(s)/3], s[len(s)/3:]} { // however the writes cut it
			_, err := w.Write([]byte(part))
			require.NoError(t, err)
		}
		require.NoError(t, w.Flush())
		for _, line := range escapetest.Lines(out.String()) {
			require.Empty(t, escapetest.Commands(line), "%q -> %q", s, out.String())
		}
	})
}

package escapetest

import (
	"strings"
	"unicode"
)

// Lines splits text where the GitHub Actions runner and the Azure Pipelines
// agent end a line: at "\n", "\r" and "\r\n".
func Lines(text string) []string {
	return strings.FieldsFunc(strings.ReplaceAll(text, "\r\n", "\n"), func(r rune) bool { return r == '\n' || r == '\r' })
}

// Commands returns what a CI system would act on in one line: "github" when
// it starts with "::" after white space, "azure" when it holds "##vso[" (in
// any case), "legacy" when it holds "##[" (both systems), each after the
// characters a culture-aware .NET search skips are removed. nil means the
// line is plain text.
func Commands(line string) []string {
	folded := strings.Map(func(r rune) rune {
		if skipped(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, line)
	var out []string
	if strings.HasPrefix(strings.TrimLeftFunc(folded, unicode.IsSpace), "::") {
		out = append(out, "github")
	}
	if strings.Contains(folded, "##vso[") {
		out = append(out, "azure")
	}
	if strings.Contains(folded, "##[") {
		out = append(out, "legacy")
	}
	return out
}

// skipped: characters without a glyph or weight of their own (format
// characters, default-ignorable code points, variation selectors, control
// characters other than white space).
func skipped(r rune) bool {
	if unicode.IsSpace(r) {
		return false
	}
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// Hidden returns the characters of s that a terminal acts on or that hide or
// reorder text: control characters other than line feed and tab,
// bidirectional controls, line separators, and characters that show nothing
// (format and default-ignorable characters but the joiners and emoji
// variation selectors).
func Hidden(s string) []rune {
	var out []rune
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
			r == 0x200E, r == 0x200F, r == 0x061C, r == 0x2028, r == 0x2029:
			out = append(out, r)
		case r == 0x200C || r == 0x200D || r == 0xFE0E || r == 0xFE0F: // joiners and emoji selectors show
		case unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point): // shows nothing
			out = append(out, r)
		}
	}
	return out
}

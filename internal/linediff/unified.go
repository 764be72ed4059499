package linediff

import (
	"fmt"
	"strings"
)

// Unified returns the edits (as Lines returns them for a and b) as a
// unified diff with context lines of context, as git apply and patch take
// it: headers --- oldLabel and +++ newLabel, then the hunks. A line without
// a line ending is followed by "\ No newline at end of file". No edits, no
// diff: "".
func Unified(oldLabel, newLabel string, a, b []string, edits []Edit, context int) string {
	if len(edits) == 0 {
		return ""
	}
	var s strings.Builder
	fmt.Fprintf(&s, "--- %s\n+++ %s\n", oldLabel, newLabel)
	for first := 0; first < len(edits); {
		last := first
		for last+1 < len(edits) && edits[last+1].A0-edits[last].A1 <= 2*context {
			last++
		}
		a0 := max(edits[first].A0-context, 0)
		a1 := min(edits[last].A1+context, len(a))
		b0 := edits[first].B0 - (edits[first].A0 - a0)
		b1 := edits[last].B1 + (a1 - edits[last].A1)
		fmt.Fprintf(&s, "@@ -%s +%s @@\n", span(a0, a1), span(b0, b1))
		at := a0
		for _, e := range edits[first : last+1] {
			line(&s, ' ', a[at:e.A0])
			line(&s, '-', a[e.A0:e.A1])
			line(&s, '+', b[e.B0:e.B1])
			at = e.A1
		}
		line(&s, ' ', a[at:a1])
		first = last + 1
	}
	return s.String()
}

// span is a hunk header's range of lines i to j (0-based, j excluded):
// the first line's number and the count, the count left out when it is 1,
// and for no line the number of the line before.
func span(i, j int) string {
	switch j - i {
	case 0:
		return fmt.Sprintf("%d,0", i)
	case 1:
		return fmt.Sprintf("%d", i+1)
	}
	return fmt.Sprintf("%d,%d", i+1, j-i)
}

func line(s *strings.Builder, mark byte, lines []string) {
	for _, l := range lines {
		s.WriteByte(mark)
		s.WriteString(l)
		if Ending(l) == "" {
			s.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

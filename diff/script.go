package diff

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// normalized returns the lines of a script without what no compiler sees
// differently: line endings and trailing blanks.
func normalized(s *connector.Script) []string {
	if s == nil {
		return nil
	}
	lines := strings.Split(strings.ReplaceAll(s.Text, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

var stringLiteral = regexp.MustCompile(`"((?:[^"\\\n]|\\.)*)"`)

// routedOperations lists, in order of appearance, the string literals of a
// script that name an operation of either document: scripts branch on
// Context.OperationId == "X", in switch cases, or in lookup tables.
func routedOperations(s *connector.Script, known func(string) bool) []string {
	if s == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, m := range stringLiteral.FindAllStringSubmatch(s.Text, -1) {
		if id := m[1]; known(id) && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (c *comparer) compareScript(os, ns *connector.Script) {
	ol, nl := normalized(os), normalized(ns)
	if strings.Join(ol, "\n") == strings.Join(nl, "\n") {
		return
	}
	file := "script.csx"
	if os != nil {
		file = baseName(os.Name)
	} else if ns != nil {
		file = baseName(ns.Name)
	}
	// The first line that differs locates the change in both files.
	first := 0
	for first < len(ol) && first < len(nl) && ol[first] == nl[first] {
		first++
	}
	ch := &Change{Kind: ScriptChanged, Where: InDocument, Subject: file, File: file, After: "changed",
		Digest: digest(strings.Join(ol, "\n") + "\x00" + strings.Join(nl, "\n"))}
	if os != nil {
		ch.Old = &connector.Location{Line: min(first, len(ol)-1) + 1, Column: 1}
	}
	if ns != nil {
		ch.New = &connector.Location{Line: min(first, len(nl)-1) + 1, Column: 1}
	}
	switch {
	case os == nil:
		ch.After = "added"
	case ns == nil:
		ch.After = "removed"
	}
	known := func(id string) bool {
		return c.old.Operation(id) != nil || c.new.Operation(id) != nil
	}
	routed := routedOperations(os, known)
	for _, id := range routedOperations(ns, known) {
		if !contains(routed, id) {
			routed = append(routed, id)
		}
	}
	// One short line: the operations are listed in full on the change.
	switch {
	case len(routed) > 3:
		ch.Details = append(ch.Details, fmt.Sprintf("routes %d operations", len(routed)))
	case len(routed) > 0:
		ch.Details = append(ch.Details, "routes "+strings.Join(routed, ", "))
	}
	if os != nil && ns != nil {
		ch.Details = append(ch.Details, fmt.Sprintf("first change at line %d", first+1))
	}
	saved := c.file
	c.file = file
	c.emitFor(ch, routed)
	c.file = saved
}

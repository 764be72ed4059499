package breaking

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/connectordiff/connectordiff/connector"
)

// A finding's id names what the change is, so that a reviewer can accept
// it once and have the acceptance hold on every later push: it is a hash of
// the connector's folder, the rule, the operations, the value path and the
// values before and after, never of a line, a column or the file's layout.
// docs/finding-ids.md says what goes in; only a major version changes it,
// and then idScheme with it.

// idScheme leads every hash: a new scheme gives every finding a new id.
const idScheme = "connectordiff finding id 1"

// IDLength is the number of hexadecimal digits of a finding's id, and
// ShortIDLength those of the short form reports show beside a finding.
const (
	IDLength      = 16
	ShortIDLength = 8
)

var idRE = regexp.MustCompile(`^[0-9a-f]{16}$`)

// ValidID reports whether s has the shape of a finding's id: 16 lower-case
// hexadecimal digits.
func ValidID(s string) bool { return idRE.MatchString(s) }

// ShortID is the short form of a finding's id that reports show beside it.
func ShortID(id string) string { return id[:min(ShortIDLength, len(id))] }

// hashID hashes parts, each ended by a zero byte so that no two lists of
// parts hash alike by moving a boundary.
func hashID(parts ...string) string {
	h := sha256.New()
	h.Write([]byte(idScheme))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:IDLength/2])
}

// changeID is the id of f, a finding of the connector the ids name folder
// (its folder in the base, so that a move keeps its ids; "" for a pair):
// the rule, the file (the definition is ""), the operations as a set, the
// value path and the values before and after. Values are compact
// renderings of the document's nodes, which do not depend on its layout.
// A finding about the connector as a whole (a basePath, a security
// definition, script.csx) belongs to no operation: the operations it
// reaches, which every operation added or removed changes, are not part of
// what it is.
func changeID(folder string, f *Finding) string {
	var ops []string
	if f.Operation != "" {
		ops = sortedSet(f.Operations)
	}
	parts := []string{"change", folder, idFile(f.File), f.Rule, strconv.Itoa(len(ops)), strings.Join(ops, "\x00"),
		f.ValuePath, canonicalValue(f.Before), canonicalValue(f.After)}
	if f.Change != nil && f.Change.Digest != "" {
		// Before and After only summarize the edit ("changed"): an
		// acceptance of this one must not accept a later, different one.
		parts = append(parts, f.Change.Digest)
	}
	return hashID(parts...)
}

// partID is the id of part, the part of finding f (whose id is id) that
// reaches some of its operations: a part of a finding about operations is
// a finding about those; a part of one about the whole connector is that
// finding's, for those operations.
func partID(folder, id string, f, part *Finding) string {
	if f.Operation != "" {
		return changeID(folder, part)
	}
	ops := sortedSet(part.Operations)
	return hashID("part", id, strconv.Itoa(len(ops)), strings.Join(ops, "\x00"))
}

func sortedSet(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}

// idFile names a finding's file as ids do: the definition, whatever its
// name's case or whether a folder was compared, is "".
func idFile(file string) string {
	if strings.EqualFold(file, connector.DefinitionFile) {
		return ""
	}
	return strings.ToLower(file)
}

// canonicalValue makes a value's line breaks one kind: a value is a
// rendering of the document's nodes, but a script's or a description's
// lines may end in CRLF on one side only because of how a checkout wrote
// them.
func canonicalValue(v string) string { return strings.ReplaceAll(v, "\r\n", "\n") }

// PolicyFindingID is the id of a finding about a policy file (an accepted
// change that expired or matched nothing, a setting changed): its topic,
// its file and what identifies what it is about, such as an acceptance's
// Digest, never where it stands in the file.
func PolicyFindingID(f Finding, about ...string) string {
	return hashID(append([]string{"policy", strconv.Itoa(int(f.Topic)), f.File}, about...)...)
}

// DistinctIDs makes the ids of fs distinct where two coincide (the same
// change said twice, a reused operationId): each of those is hashed again
// with its pointers in both documents, which do not depend on the layout
// either, then, if still needed, with its place among them.
func DistinctIDs(fs []Finding) {
	seen := make(map[string]int, len(fs))
	dup := false
	for i := range fs {
		if seen[fs[i].ID]++; seen[fs[i].ID] > 1 {
			dup = true
		}
	}
	if !dup {
		return
	}
	for round := 0; round < 2 && dup; round++ {
		clash := map[string]int{}
		for i := range fs {
			f := &fs[i]
			if seen[f.ID] < 2 {
				continue
			}
			if round == 0 {
				f.ID = hashID("again", f.ID, pointer(f.Old), pointer(f.New))
			} else {
				clash[f.ID]++
				f.ID = hashID("nth", f.ID, strconv.Itoa(clash[f.ID]))
			}
		}
		clear(seen)
		dup = false
		for i := range fs {
			if seen[fs[i].ID]++; seen[fs[i].ID] > 1 {
				dup = true
			}
		}
	}
}

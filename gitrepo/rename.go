package gitrepo

import (
	"errors"
	"path"
	"slices"
	"strings"
)

// Rename detection, as git's -M does it, for the listings Changes compares
// itself: a removed file and an added one are a rename when they hold the
// same object, or, failing that, when at least half of the larger one's
// bytes are in lines (or 64-byte runs) the other also has. Only files with
// the same name, in any case, are paired: a connector's files move
// together, under their own names.
//
// A pull request can delete and add files by the hundred, large ones
// included, so the scoring is bounded (as git's diff.renameLimit bounds
// it): past maxRenamePairs candidate pairs only identical files pair, and
// files are read for scores until maxRenameBytes were read. An unpaired
// file stays a removal and an addition, which, for a connector, is the
// stricter verdict (a removed connector breaks).
const (
	maxRenamePairs = 400
	maxRenameBytes = 64 << 20
)

var errTooLargeToScore = errors.New("too large to score a rename")

// contentFunc reads a listed file's bytes, up to limit (errTooLargeToScore
// past it); side 0 is the old listing, 1 the new.
type contentFunc func(side int, e record, limit int64) ([]byte, error)

// pairRenames pairs deleted files with added ones: identical objects
// first, then the most similar, best score first.
func pairRenames(deleted, added []record, content contentFunc) ([]FileChange, error) {
	name := func(e record) string { return strings.ToLower(path.Base(e.path)) }
	usedOld, usedNew := map[string]bool{}, map[string]bool{}
	var out []FileChange
	for _, n := range added {
		for _, o := range deleted {
			if !usedOld[o.path] && o.oid == n.oid && kind(o.mode) == kind(n.mode) && name(o) == name(n) {
				usedOld[o.path], usedNew[n.path] = true, true
				out = append(out, FileChange{Status: 'R', Old: o.path, New: n.path})
				break
			}
		}
	}

	type candidate struct {
		e    record
		side int
	}
	groups := map[string][2][]record{} // by name: the files left on each side
	for side, list := range [][]record{deleted, added} {
		used := []map[string]bool{usedOld, usedNew}[side]
		for _, e := range list {
			if !used[e.path] && kind(e.mode) == 0o100000 {
				g := groups[name(e)]
				g[side] = append(g[side], e)
				groups[name(e)] = g
			}
		}
	}
	pairs := 0
	for _, g := range groups {
		pairs += len(g[0]) * len(g[1])
	}
	if pairs == 0 || pairs > maxRenamePairs {
		return out, nil
	}
	prints := map[candidate]*fingerprint{}
	budget := int64(maxRenameBytes)
	fingerprintOf := func(c candidate) (*fingerprint, error) {
		if fp, ok := prints[c]; ok {
			return fp, nil
		}
		data, err := content(c.side, c.e, budget)
		budget -= int64(len(data))
		if errors.Is(err, errTooLargeToScore) {
			prints[c] = nil
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		fp := newFingerprint(data)
		prints[c] = fp
		return fp, nil
	}
	type scored struct {
		old, new string
		score    float64
	}
	var found []scored
	for _, g := range groups {
		for _, o := range g[0] {
			fo, err := fingerprintOf(candidate{o, 0})
			if err != nil {
				return nil, err
			}
			for _, n := range g[1] {
				fn, err := fingerprintOf(candidate{n, 1})
				if err != nil {
					return nil, err
				}
				if s := fo.similarity(fn); s >= 0.5 {
					found = append(found, scored{o.path, n.path, s})
				}
			}
		}
	}
	slices.SortFunc(found, func(a, b scored) int {
		switch {
		case a.score != b.score:
			if a.score > b.score {
				return -1
			}
			return 1
		case a.new != b.new:
			return strings.Compare(a.new, b.new)
		}
		return strings.Compare(a.old, b.old)
	})
	for _, f := range found {
		if !usedOld[f.old] && !usedNew[f.new] {
			usedOld[f.old], usedNew[f.new] = true, true
			out = append(out, FileChange{Status: 'R', Old: f.old, New: f.new})
		}
	}
	return out, nil
}

// fingerprint is how many bytes of a file fall in each chunk: a line, or
// 64 bytes of a longer one (git's diffcore-delta), by the chunk's hash.
type fingerprint struct {
	size   int64
	chunks map[uint64]int64
}

func newFingerprint(data []byte) *fingerprint {
	const offset, prime = 14695981039346656037, 1099511628211 // FNV-1a
	fp := &fingerprint{chunks: map[uint64]int64{}}
	h, n := uint64(offset), 0
	flush := func() {
		if n > 0 {
			fp.chunks[h] += int64(n)
			fp.size += int64(n)
			h, n = offset, 0
		}
	}
	for i, c := range data {
		if c == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			continue // CRLF counts as LF, as git does for text
		}
		h = (h ^ uint64(c)) * prime
		n++
		if c == '\n' || n == 64 {
			flush()
		}
	}
	flush()
	return fp
}

// similarity is the share of the larger file's bytes that the smaller one
// holds too, 0 when either is missing or their sizes differ by more than
// half (git's early exit).
func (a *fingerprint) similarity(b *fingerprint) float64 {
	if a == nil || b == nil {
		return 0
	}
	large, small := max(a.size, b.size), min(a.size, b.size)
	if large == 0 || (large-small)*2 > large {
		return 0
	}
	x, y := a.chunks, b.chunks
	if len(y) < len(x) {
		x, y = y, x
	}
	var copied int64
	for k, n := range x {
		copied += min(n, y[k])
	}
	return float64(copied) / float64(large)
}

// Package escapetest reads text as the CI systems do, for tests that check
// that output commands nothing. It is written apart from package escape, in
// its own way (remove what the runner's search skips, then search plainly),
// so that one cannot agree with the other's mistake.
package escapetest

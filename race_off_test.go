//go:build !race

package connectordiff_test

// raceEnabled: the tests run under the race detector, several times slower,
// so the longest ones do fewer rounds.
const raceEnabled = false

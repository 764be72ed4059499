package main

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A fix of large inputs runs under a soft memory limit of six times its
// input (and the runtime's own), restored afterwards; small inputs and a
// GOMEMLIMIT of the user's own are left alone.
func TestLimitFixMemory(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOMEMLIMIT is set")
	}
	before := debug.SetMemoryLimit(-1)
	restore := limitFixMemory(1 << 20)
	assert.Equal(t, before, debug.SetMemoryLimit(-1), "a small input sets no limit")
	restore()

	restore = limitFixMemory(128 << 20)
	assert.Equal(t, int64(6*128<<20+64<<20), debug.SetMemoryLimit(-1))
	restore()
	assert.Equal(t, before, debug.SetMemoryLimit(-1), "restored")

	t.Setenv("GOMEMLIMIT", "1GiB")
	restore = limitFixMemory(128 << 20)
	assert.Equal(t, before, debug.SetMemoryLimit(-1), "GOMEMLIMIT wins")
	restore()
}

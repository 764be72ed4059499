package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

// withTimeout gives the command's context a deadline d from now (none when
// d is 0): a comparison still running then stops with an error that says
// where it was, and the run exits 2, never with a partial answer.
func withTimeout(cmd *cobra.Command, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("--timeout %v: want a positive duration, such as 30s or 5m", d)
	}
	if d == 0 {
		return nil
	}
	ctx, cancel := context.WithDeadlineCause(cmd.Context(), time.Now().Add(d), timeoutError{d})
	context.AfterFunc(ctx, cancel) // the process ends with the command; the deadline's timer goes with it
	cmd.SetContext(ctx)
	return nil
}

// timeoutError is why a run was stopped at its --timeout.
type timeoutError struct{ d time.Duration }

func (e timeoutError) Error() string { return fmt.Sprintf("--timeout %v reached", e.d) }

func (e timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

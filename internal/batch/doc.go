// Package batch runs many comparisons in one process for the facade's
// CompareEach: an ordered pool of workers, and a cache that loads each
// input once and drops it when the last comparison naming it is done.
package batch

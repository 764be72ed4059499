package batch

import (
	"context"
	"sync"
)

// Each runs work(ctx, i) for every i below n on workers goroutines, and
// calls fn(i, result) in the order of i, as soon as that result and every
// one before it are done. A window bounds how far the workers run ahead of
// fn, and so the results held in memory at once. Each stops early only when
// ctx is done (returning its error) or fn returns an error, which it
// returns; it waits for the workers before returning.
func Each[R any](ctx context.Context, n, workers int, work func(ctx context.Context, i int) R, fn func(i int, r R) error) error {
	ctx, cancel := context.WithCancel(ctx)
	workers = max(1, min(workers, n))
	done := make([]chan R, n)
	for i := range done {
		done[i] = make(chan R, 1)
	}
	window := make(chan struct{}, 4*workers)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				done[i] <- work(ctx, i)
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range n {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer func() {
		cancel() // stops the feeder and the workers, then waits for them
		wg.Wait()
	}()
	for i := range n {
		var r R
		select {
		case r = <-done[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-window
		if err := fn(i, r); err != nil {
			return err
		}
	}
	return nil
}

// Cache loads each key once and shares it between the comparisons that
// name it. An entry is dropped when the last of them releases it, so that
// a long history holds only the inputs of the comparisons in flight.
type Cache[V any] struct {
	mu      sync.Mutex
	entries map[string]*entry[V]
}

type entry[V any] struct {
	once  sync.Once
	refs  int // uses still to come
	value V
	err   error
}

// NewCache returns a cache expecting each key as many times as it is listed.
func NewCache[V any](keys []string) *Cache[V] {
	c := &Cache[V]{entries: map[string]*entry[V]{}}
	for _, k := range keys {
		e := c.entries[k]
		if e == nil {
			e = &entry[V]{}
			c.entries[k] = e
		}
		e.refs++
	}
	return c
}

// Get returns the value of key, loading it with load on first use. key must
// be one NewCache was given and not yet released as often as listed.
func (c *Cache[V]) Get(key string, load func() (V, error)) (V, error) {
	c.mu.Lock()
	e := c.entries[key]
	c.mu.Unlock()
	e.once.Do(func() { e.value, e.err = load() })
	return e.value, e.err
}

// Release marks one use of each key done.
func (c *Cache[V]) Release(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if e := c.entries[k]; e != nil {
			if e.refs--; e.refs <= 0 {
				delete(c.entries, k)
			}
		}
	}
}

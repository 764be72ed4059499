package connectordiff_test

import (
	"context"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/connectordiff/connectordiff"
	"github.com/connectordiff/connectordiff/breaking"
	"github.com/connectordiff/connectordiff/internal/corpus"
)

// maxHeapMultiple bounds the peak heap of a comparison, as a multiple of the
// size of its two inputs. Measured on the largest corpus pair (1.8 MB): 5.0
// with the lean node tree (10.9 with go-yaml's nodes), most of it the two
// trees and their texts.
const maxHeapMultiple = 20

// peakHeap runs fn and returns the highest heap in use while it ran, above
// what was in use before, sampling every half millisecond. It also returns
// the bytes fn allocated in all.
func peakHeap(fn func()) (peak, total uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, allocated := ms.HeapAlloc, ms.TotalAlloc
	var (
		mu   sync.Mutex
		high = base
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(500 * time.Microsecond)
		defer tick.Stop()
		var s runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&s)
				mu.Lock()
				high = max(high, s.HeapAlloc)
				mu.Unlock()
			}
		}
	}()
	fn()
	runtime.ReadMemStats(&ms)
	close(done)
	wg.Wait()
	high = max(high, ms.HeapAlloc)
	return high - base, ms.TotalAlloc - allocated
}

// TestMemoryLargestPair measures the peak heap of comparing the largest
// corpus pair (load both, compare, judge) against the size of the input.
func TestMemoryLargestPair(t *testing.T) {
	p, old, new := largestPair(t)
	input := uint64(len(old) + len(new))
	var res *breaking.Result
	var err error
	peak, total := peakHeap(func() {
		res, err = connectordiff.Compare(context.Background(), old, new)
	})
	if err != nil {
		t.Fatal(err)
	}
	multiple := float64(peak) / float64(input)
	t.Logf("largest pair %s: input %d bytes, %d findings; peak heap %d bytes = %.1f x the input; %d bytes allocated in all (%.1f x)",
		p, input, len(res.Findings()), peak, multiple, total, float64(total)/float64(input))
	if multiple > maxHeapMultiple {
		t.Errorf("peak heap is %.1f x the input, over the bound of %d x", multiple, maxHeapMultiple)
	}
}

// BenchmarkPeakHeapLargestPair reports the peak heap of one comparison of
// the largest pair as a multiple of its input ("x-input").
func BenchmarkPeakHeapLargestPair(b *testing.B) {
	_, old, new := largestPairBytes(b)
	input := float64(len(old) + len(new))
	var worst uint64
	for b.Loop() {
		peak, _ := peakHeap(func() {
			if _, err := connectordiff.Compare(context.Background(), old, new); err != nil {
				b.Fatal(err)
			}
		})
		worst = max(worst, peak)
	}
	b.ReportMetric(float64(worst), "peak-heap-B")
	b.ReportMetric(float64(worst)/input, "x-input")
}

// largestPair reads the largest corpus pair for a test.
func largestPair(t *testing.T) (name string, old, new []byte) {
	t.Helper()
	p := corpus.LargestPair(t)
	old, err := os.ReadFile(p.OldSwagger)
	if err != nil {
		t.Fatal(err)
	}
	new, err = os.ReadFile(p.NewSwagger)
	if err != nil {
		t.Fatal(err)
	}
	return p.Name, old, new
}

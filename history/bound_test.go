package history

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/connectordiff/connectordiff/internal/gittest"
)

// gateSink is a Sink whose Connector waits until release is closed.
type gateSink struct {
	release chan struct{}
	mu      sync.Mutex
	emitted int
}

func (g *gateSink) Begin(*Header) error { return nil }
func (g *gateSink) End(*Summary) error  { return nil }
func (g *gateSink) Connector(*Connector) error {
	<-g.release
	g.mu.Lock()
	g.emitted++
	g.mu.Unlock()
	return nil
}

// However many connectors a history has and however slow its reader, the
// workers start a connector only while fewer than aheadPerWorker per worker
// are judged or wait to be emitted: the versions held at once are bounded.
func TestJudgingStaysAFixedWindowAheadOfTheSink(t *testing.T) {
	r := gittest.New(t)
	const n = 150
	for i := range n {
		r.Write(fmt.Sprintf("c/%03d/apiDefinition.swagger.json", i), `{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}`)
	}
	r.Commit(time.Time{}, "add")
	const workers = 2
	window := aheadPerWorker * workers
	sink := &gateSink{release: make(chan struct{})}
	var mu sync.Mutex
	started, most := 0, 0
	reached := make(chan struct{})
	judgeStarted = func(int) {
		mu.Lock()
		defer mu.Unlock()
		sink.mu.Lock()
		ahead := started + 1 - sink.emitted
		sink.mu.Unlock()
		started++
		most = max(most, ahead)
		if started == window {
			close(reached)
		}
	}
	defer func() { judgeStarted = func(int) {} }()
	done := make(chan error)
	go func() { done <- Run(context.Background(), r.Dir, Options{Workers: workers}, sink) }()
	select {
	case <-reached:
	case <-time.After(time.Minute): // a hang is a failure, not a wait
		t.Fatal("the workers did not fill the window")
	}
	close(sink.release)
	require.NoError(t, <-done)
	assert.Equal(t, n, started)
	assert.Equal(t, window, most, "never more than the window ahead of the sink")
}

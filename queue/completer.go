package queue

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// completer marks finished jobs completed in batches: one UPDATE for many
// jobs is what lets the queue run thousands of short jobs a second. Several
// batches may be in flight at once: a commit waits for the disk (3–4 ms on
// PostgreSQL here), and the database commits concurrent transactions
// together.
type completer struct {
	store  inkform.JobQueue
	worker string
	logger *slog.Logger
	ids    chan completion
	done   chan struct{}
}

// completion is a finished job waiting to be marked completed, with the
// function to call once that is stored or given up (nil for none).
type completion struct {
	id      int64
	settled func()
}

const (
	completeBatch    = 256
	completeWait     = 2 * time.Millisecond
	completeInFlight = 4
)

func newCompleter(store inkform.JobQueue, worker string, logger *slog.Logger) *completer {
	return &completer{store: store, worker: worker, logger: logger,
		ids: make(chan completion, 4*completeBatch), done: make(chan struct{})}
}

func (c *completer) start() { go c.run() }

// add queues the job's completion; settled, when not nil, is called once
// it is stored or given up.
func (c *completer) add(id int64, settled func()) { c.ids <- completion{id, settled} }

// stop flushes what is pending and returns when it is written.
func (c *completer) stop() {
	close(c.ids)
	<-c.done
}

func (c *completer) run() {
	defer close(c.done)
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, completeInFlight)
	for first := range c.ids {
		batch := make([]completion, 1, completeBatch)
		batch[0] = first
		timer := time.NewTimer(completeWait)
	fill:
		for len(batch) < completeBatch {
			select {
			case done, ok := <-c.ids:
				if !ok {
					break fill
				}
				batch = append(batch, done)
			case <-timer.C:
				break fill
			}
		}
		timer.Stop()
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			c.flush(batch)
		}()
	}
}

func (c *completer) flush(batch []completion) {
	ids := make([]int64, len(batch))
	for i, done := range batch {
		ids[i] = done.id
	}
	for try := 0; try < 3; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := c.store.CompleteJobs(ctx, c.worker, ids)
		cancel()
		if err == nil {
			settle(batch)
			return
		}
		c.logger.Warn("complete jobs", "jobs", len(ids), "try", try+1, "err", err)
		time.Sleep(time.Duration(try+1) * 50 * time.Millisecond)
	}
	// Left running, the jobs' leases expire and they run again: at least
	// once, never lost.
	c.logger.Error("could not mark jobs completed; they will run again", "jobs", len(ids))
	settle(batch)
}

// settle calls the batch's settled functions.
func settle(batch []completion) {
	for _, done := range batch {
		if done.settled != nil {
			done.settled()
		}
	}
}

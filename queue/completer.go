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
	ids    chan int64
	done   chan struct{}
	// flushed, when set, is called after each batch is stored.
	flushed func()
}

const (
	completeBatch    = 256
	completeWait     = 2 * time.Millisecond
	completeInFlight = 4
)

func newCompleter(store inkform.JobQueue, worker string, logger *slog.Logger) *completer {
	return &completer{store: store, worker: worker, logger: logger,
		ids: make(chan int64, 4*completeBatch), done: make(chan struct{})}
}

func (c *completer) start() { go c.run() }

func (c *completer) add(id int64) { c.ids <- id }

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
	for id := range c.ids {
		batch := make([]int64, 1, completeBatch)
		batch[0] = id
		timer := time.NewTimer(completeWait)
	fill:
		for len(batch) < completeBatch {
			select {
			case id, ok := <-c.ids:
				if !ok {
					break fill
				}
				batch = append(batch, id)
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

func (c *completer) flush(ids []int64) {
	for try := 0; try < 3; try++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := c.store.CompleteJobs(ctx, c.worker, ids)
		cancel()
		if err == nil {
			if c.flushed != nil {
				c.flushed()
			}
			return
		}
		c.logger.Warn("complete jobs", "jobs", len(ids), "try", try+1, "err", err)
		time.Sleep(time.Duration(try+1) * 50 * time.Millisecond)
	}
	// Left running, the jobs' leases expire and they run again: at least
	// once, never lost.
	c.logger.Error("could not mark jobs completed; they will run again", "jobs", len(ids))
}

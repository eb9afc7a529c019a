package queue

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inkform/inkform"
)

// producer runs the claim loop of one queue and the jobs it claims, at most
// max at a time.
type producer struct {
	c      *Client
	queue  string
	max    int
	perKey int // QueueConfig.PerKey

	wakeCh chan struct{} // buffered 1: a wake-up is never lost, never blocks
	doneCh chan struct{} // a job finished: a slot is free
	jobs   sync.WaitGroup
	mu     sync.Mutex
	active int
	// held counts the jobs the store still holds as running under this
	// node's lease: claimed, and their outcome not yet stored. A claim
	// counts them against a key's limit.
	held   atomic.Int64
	keyed  atomic.Bool   // the last claim may have left jobs for their key's limit
	stored atomic.Uint64 // outcomes stored so far (outcomeStored)
}

func newProducer(c *Client, queue string, qc QueueConfig) *producer {
	return &producer{c: c, queue: queue, max: qc.MaxWorkers, perKey: qc.PerKey,
		wakeCh: make(chan struct{}, 1), doneCh: make(chan struct{}, qc.MaxWorkers)}
}

func (p *producer) wake() {
	select {
	case p.wakeCh <- struct{}{}:
	default:
	}
}

// wait blocks until the claim loop and every job it started have ended.
func (p *producer) wait() {
	p.jobs.Wait()
}

// run is the claim loop. The caller has added it to p.jobs, so wait also
// waits for the loop.
//
// backlog says the queue may hold due jobs this node has not claimed. A
// claim runs when there is a backlog and enough slots are free: all of them
// when nothing runs, otherwise a quarter, so that a busy queue claims in
// batches rather than one job per finished job.
func (p *producer) run() {
	defer p.jobs.Done()
	timer := time.NewTimer(0)
	defer timer.Stop()
	backlog := true
	for {
		if backlog {
			if free, active := p.slots(); free > 0 && (active == 0 || free >= max(1, p.max/4)) {
				stored := p.stored.Load()
				backlog = p.claim(free)
				// A short claim may have left jobs behind for their key's
				// limit (a busy handler): the stored completion of a
				// running one frees a place for them (outcomeStored).
				// Only while the store holds at least perKey of this
				// node's jobs can a key be full; otherwise the queue simply
				// had no more, and waking at every completion would only
				// claim nothing.
				keyed := p.perKey > 0 && !backlog && p.held.Load() >= int64(p.perKey)
				p.keyed.Store(keyed)
				if keyed && p.stored.Load() != stored {
					// A completion stored during the claim did not know
					// it would be waited for.
					p.wake()
				}
			}
		}
		select {
		case <-p.c.stop:
			return
		case <-p.wakeCh:
			backlog = true
		case <-p.doneCh:
		case <-timer.C:
			backlog = true
			timer.Reset(p.c.cfg.PollInterval)
		}
	}
}

// outcomeStored is told that a job's outcome (its completion, a snooze, a
// failure) was stored: when the last claim left jobs behind for their
// key's limit, the finished job's place is free now (the claim counts a
// finished job as running until its outcome is stored), so the queue is
// claimed again.
func (p *producer) outcomeStored() {
	p.held.Add(-1)
	p.stored.Add(1)
	if p.keyed.Load() {
		p.wake()
	}
}

func (p *producer) slots() (free, active int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.max - p.active, p.active
}

// claim fills up to free slots; it returns whether the queue may hold more
// due jobs than it got.
func (p *producer) claim(free int) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	jobs, err := p.c.cfg.Store.ClaimJobs(ctx, p.queue, p.c.cfg.ID, free, p.c.cfg.Lease, p.perKey)
	cancel()
	if err != nil {
		p.c.cfg.Logger.Warn("claim jobs", "queue", p.queue, "err", err)
		return false
	}
	p.held.Add(int64(len(jobs)))
	for _, j := range jobs {
		p.mu.Lock()
		p.active++
		p.mu.Unlock()
		p.c.track(j)
		p.jobs.Add(1)
		go p.execute(j)
	}
	return len(jobs) == free
}

func (p *producer) execute(j *inkform.Job) {
	defer p.jobs.Done()
	start := time.Now()
	err := p.work(j)
	p.finish(j, err, time.Since(start))
	p.c.untrack(j.ID)
	p.mu.Lock()
	p.active--
	p.mu.Unlock()
	select {
	case p.doneCh <- struct{}{}:
	default:
	}
}

// work runs the job's worker with its timeout, turning a panic into an error.
func (p *producer) work(j *inkform.Job) (err error) {
	unit, ok := p.c.cfg.Workers.kinds[j.Kind]
	if !ok {
		return fmt.Errorf("no worker for kind %q on this node", j.Kind)
	}
	ctx, cancel := context.WithTimeout(p.c.jobsCtx, unit.opts.Timeout)
	defer cancel()
	// An attempt lost in a crash runs again, so its writes are redone.
	ctx = inkform.WithRedoableWrites(ctx)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return unit.work(ctx, j)
}

// finish records the outcome of one attempt.
func (p *producer) finish(j *inkform.Job, err error, took time.Duration) {
	cfg := &p.c.cfg
	outcome := "completed"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var serr error
	switch d, snoozed := isSnooze(err); {
	case err == nil:
		// Stored in a batch, later, which then calls outcomeStored.
		p.c.completer.add(j.ID, p.outcomeStored)
	case p.c.jobsCtx.Err() != nil:
		// The node is stopping and its deadline passed: hand the job
		// back rather than count an attempt the job did not fail.
		outcome = "released"
		serr = cfg.Store.ReleaseJobs(ctx, cfg.ID, []int64{j.ID})
	case snoozed:
		outcome = "snoozed"
		serr = cfg.Store.SnoozeJob(ctx, cfg.ID, j.ID, time.Now().Add(d))
	case isCancel(err):
		outcome = "cancelled"
		serr = cfg.Store.CancelJob(ctx, cfg.ID, j.ID, err.Error())
	default:
		outcome = "failed"
		retryAt := time.Now().Add(cfg.Backoff(j.Attempt))
		cfg.Logger.Warn("job failed", "id", j.ID, "kind", j.Kind, "attempt", j.Attempt, "max", j.MaxAttempts, "err", err)
		serr = cfg.Store.FailJob(ctx, cfg.ID, j.ID, truncate(err.Error(), 2000), retryAt)
	}
	if err != nil {
		// The outcome is stored (or, failing that, the lease will run
		// out): the job no longer counts against its key's limit.
		p.outcomeStored()
	}
	if serr != nil {
		// The lease will expire and the reaper will make the job
		// available again: at-least-once, never lost.
		cfg.Logger.Error("record job outcome", "id", j.ID, "outcome", outcome, "err", serr)
	}
	cfg.Metrics.observe(p.queue, j.Kind, outcome, took)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

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
	// ended holds, with a per-key limit, the jobs whose work has ended
	// while the store may still hold them as running: completions are
	// stored in batches, a little later. A claim leaves them out of its
	// count of a key's running jobs, so that a key's next job does not
	// wait for that write (inkform.KeyLimit.Ended).
	ended map[int64]struct{}
	keyed atomic.Bool   // the last claim may have left jobs for their key's limit
	ends  atomic.Uint64 // jobs whose work has ended so far
}

func newProducer(c *Client, queue string, qc QueueConfig) *producer {
	return &producer{c: c, queue: queue, max: qc.MaxWorkers, perKey: qc.PerKey,
		wakeCh: make(chan struct{}, 1), doneCh: make(chan struct{}, qc.MaxWorkers),
		ended: map[int64]struct{}{}}
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
				l, ends, running := p.keyLimit()
				var got int
				got, backlog = p.claim(free, l)
				// A short claim may have left jobs behind for their key's
				// limit (a busy handler): the end of a running job's
				// work frees a place for them (execute). Only while
				// perKey of this node's jobs may count against a key can
				// it be full; otherwise the queue simply had no more, and
				// waking at every end would only claim nothing.
				keyed := p.perKey > 0 && !backlog && running+got >= p.perKey
				p.keyed.Store(keyed)
				if keyed && p.ends.Load() != ends {
					// A job that ended during the claim did not know it
					// would be waited for.
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

// keyLimit returns the claim's per-key limit with the jobs whose work has
// ended, how many jobs had ended by then, and how many were running: no
// more than these (and the ones claimed now) can count against a key, since
// a job is among the ended before it stops counting as running.
func (p *producer) keyLimit() (l inkform.KeyLimit, ends uint64, running int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.perKey <= 0 {
		return inkform.KeyLimit{}, p.ends.Load(), p.active
	}
	l = inkform.KeyLimit{PerKey: p.perKey, Ended: make([]int64, 0, len(p.ended))}
	for id := range p.ended {
		l.Ended = append(l.Ended, id)
	}
	return l, p.ends.Load(), p.active
}

// settled is told that a completed job's outcome was stored (or that
// storing it was given up, and the job will run again when its lease runs
// out): the store no longer holds it as running under this node's lease,
// or will again count it.
func (p *producer) settled(id int64) {
	p.mu.Lock()
	delete(p.ended, id)
	p.mu.Unlock()
}

func (p *producer) slots() (free, active int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.max - p.active, p.active
}

// claim fills up to free slots; it returns how many jobs it got and
// whether the queue may hold more due jobs than that.
func (p *producer) claim(free int, l inkform.KeyLimit) (int, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	jobs, err := p.c.cfg.Store.ClaimJobs(ctx, p.queue, p.c.cfg.ID, free, p.c.cfg.Lease, l)
	cancel()
	if err != nil {
		p.c.cfg.Logger.Warn("claim jobs", "queue", p.queue, "err", err)
		return 0, false
	}
	for _, j := range jobs {
		p.mu.Lock()
		p.active++
		// A job whose completion was given up, its lease run out, runs
		// again under the same ID.
		delete(p.ended, j.ID)
		p.mu.Unlock()
		p.c.track(j)
		p.jobs.Add(1)
		go p.execute(j)
	}
	return len(jobs), len(jobs) == free
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
	p.ends.Add(1)
	if p.keyed.Load() {
		p.wake()
	}
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
		// Stored in a batch, later; until then the job holds no place
		// of its key (keyLimit).
		if p.perKey > 0 {
			p.mu.Lock()
			p.ended[j.ID] = struct{}{}
			p.mu.Unlock()
			p.c.completer.add(j.ID, func() { p.settled(j.ID) })
		} else {
			p.c.completer.add(j.ID, nil)
		}
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

package queue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/inkform/inkform"
)

// PeriodicJob is a job that the client enqueues on a schedule, such as
// nightly maintenance.
//
// Every node of a cluster runs the schedule, and they must not enqueue one
// copy each. Time is cut into slots aligned on multiples of Interval since
// the Unix epoch, the same on every node, and the job of a slot is enqueued
// with UniqueKey Name+"@"+the slot's start in Unix seconds, with the empty
// org ID (a system job). A unique key only deduplicates against a job that
// is still waiting, so the job of the next slot is enqueued one interval
// early with RunAt at the slot's start: when every node enqueues it, it is
// still waiting, and only one copy is stored. At start a node also enqueues
// the current slot's job, due at once, so a cluster that was down catches
// up.
//
// That start-up enqueue, a node whose clock is off by more than an
// interval, or a retry after a failed attempt can run a slot's work twice:
// a late node re-enqueues a slot whose job already finished, since a
// finished job no longer holds its key. Periodic work must therefore be
// idempotent (purging what is due is; counting runs is not).
type PeriodicJob struct {
	// Name tells periodic jobs apart in unique keys and logs; it must be
	// unique within a client.
	Name string
	// Interval is the length of a slot: a whole number of seconds, at
	// least one.
	Interval time.Duration
	// Args returns the arguments of one run.
	Args func() inkform.JobArgs
	// Opts are the enqueue options; UniqueKey and RunAt are set by the
	// schedule.
	Opts inkform.EnqueueOpts
}

// slotStart returns the start of the slot that t falls in.
func (p PeriodicJob) slotStart(t time.Time) time.Time {
	iv := int64(p.Interval / time.Second)
	s := t.Unix()
	s -= s % iv
	if s > t.Unix() { // negative times round towards zero
		s -= iv
	}
	return time.Unix(s, 0)
}

// uniqueKey names the job of the slot starting at start.
func (p PeriodicJob) uniqueKey(start time.Time) string {
	return p.Name + "@" + strconv.FormatInt(start.Unix(), 10)
}

// checkPeriodic refuses schedules that could not work, at start rather
// than at the first tick.
func checkPeriodic(jobs []PeriodicJob) error {
	names := map[string]bool{}
	for _, p := range jobs {
		switch {
		case p.Name == "":
			return errors.New("queue: a periodic job needs a Name")
		case names[p.Name]:
			return fmt.Errorf("queue: periodic job %q is configured twice", p.Name)
		case p.Interval < time.Second || p.Interval%time.Second != 0:
			return fmt.Errorf("queue: periodic job %q: Interval must be a whole number of seconds, not %s", p.Name, p.Interval)
		case p.Args == nil:
			return fmt.Errorf("queue: periodic job %q needs Args", p.Name)
		}
		names[p.Name] = true
	}
	return nil
}

// startPeriodic starts one goroutine per periodic job (Start has checked
// them); they end when Stop closes c.stop, and Stop waits for them.
func (c *Client) startPeriodic() {
	for _, p := range c.cfg.Periodic {
		c.wg.Add(1)
		go func() { defer c.wg.Done(); c.runPeriodic(p) }()
	}
}

// runPeriodic enqueues the current slot's job, then, at each slot's start,
// the job of the slot after it.
func (c *Client) runPeriodic(p PeriodicJob) {
	retry := min(p.Interval/2, 10*time.Second)
	now := time.Now()
	c.enqueuePeriodic(p, p.slotStart(now), true)
	next := p.slotStart(now).Add(p.Interval)
	done := c.enqueuePeriodic(p, next, false)
	for {
		wait := time.Until(next)
		if !done {
			wait = min(wait, retry)
		}
		t := time.NewTimer(max(wait, 0))
		select {
		case <-c.stop:
			t.Stop()
			return
		case <-t.C:
		}
		if !done {
			// Past its start the job is still worth enqueueing: it is
			// then due at once, like the current slot's at start.
			done = c.enqueuePeriodic(p, next, false)
			continue
		}
		if now := time.Now(); !now.Before(next) {
			// After a long pause (a suspended machine) the slots in
			// between are skipped rather than run in a burst.
			next = p.slotStart(now).Add(p.Interval)
			done = c.enqueuePeriodic(p, next, false)
		}
	}
}

// enqueuePeriodic enqueues the job of the slot starting at start, due then
// (or at once when dueNow is set), and reports whether it is stored.
func (c *Client) enqueuePeriodic(p PeriodicJob, start time.Time, dueNow bool) bool {
	opts := p.Opts
	opts.UniqueKey = p.uniqueKey(start)
	opts.RunAt = start
	if dueNow {
		opts.RunAt = time.Time{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	j, err := c.cfg.Store.Enqueue(ctx, "", p.Args(), opts)
	if err != nil {
		c.cfg.Logger.Warn("enqueue periodic job", "name", p.Name, "slot", opts.UniqueKey, "err", err)
		return false
	}
	c.cfg.Logger.Debug("periodic job enqueued", "name", p.Name, "slot", opts.UniqueKey, "job", j.ID)
	if !j.RunAt.After(time.Now()) {
		c.Notify(j.Queue)
	}
	return true
}

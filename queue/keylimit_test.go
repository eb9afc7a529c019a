package queue_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/queue"
)

// TestKeyLimitRefills checks that jobs a claim left behind for their key's
// limit are claimed as soon as the running ones are completed, not at the
// next poll: one handler's deliveries must not wait out poll intervals.
func TestKeyLimitRefills(t *testing.T) {
	t.Parallel()
	s := &fake.JobQueue{}
	var ids []int64
	for i := range 6 {
		ids = append(ids, enqueue(t, s, i, inkform.EnqueueOpts{LimitKey: "handler a"}).ID)
	}
	startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error {
		time.Sleep(5 * time.Millisecond)
		return nil
	}, func(c *queue.Config) {
		c.PollInterval = time.Hour
		c.Queues = map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 8, PerKey: 2}}
	})
	for _, id := range ids {
		waitState(t, s, id, inkform.JobCompleted) // within 5 s, the poll interval is an hour
	}
}

// slowCompletions holds every CompleteJobs until release is closed.
type slowCompletions struct {
	*fake.JobQueue
	release chan struct{}
}

func (s *slowCompletions) CompleteJobs(ctx context.Context, worker string, ids []int64) error {
	select {
	case <-s.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.JobQueue.CompleteJobs(ctx, worker, ids)
}

// TestKeyLimitFreesAtWorkEnd checks that a job of a limited key takes no
// place once its work has ended, while its completion is still on its way
// to the store: the key's next job must not wait for that write (the
// queue names the ended jobs in its claim, inkform.KeyLimit.Ended), and no
// more than the limit ever work at once.
func TestKeyLimitFreesAtWorkEnd(t *testing.T) {
	t.Parallel()
	s := &slowCompletions{JobQueue: &fake.JobQueue{}, release: make(chan struct{})}
	var ids []int64
	for i := range 3 {
		ids = append(ids, enqueue(t, s.JobQueue, i, inkform.EnqueueOpts{LimitKey: "handler a"}).ID)
	}
	var running, most atomic.Int32
	var mu sync.Mutex
	worked := map[int64]int{} // job → times worked
	startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		running.Add(-1)
		mu.Lock()
		worked[j.ID]++
		mu.Unlock()
		return nil
	}, func(c *queue.Config) {
		c.PollInterval = time.Hour
		c.Lease = time.Hour // no job runs again because its lease ran out
		c.Queues = map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 8, PerKey: 1}}
	})
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(worked)
		mu.Unlock()
		if n == len(ids) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range ids {
		if worked[id] != 1 {
			t.Fatalf("jobs of one key worked while no completion was stored: %v (job → times); want each of %v once", worked, ids)
		}
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d jobs of a key limited to 1 worked at once", m)
	}
	close(s.release)
	for _, id := range ids {
		waitState(t, s.JobQueue, id, inkform.JobCompleted)
	}
}

// claimCounter counts the claims that found nothing.
type claimCounter struct {
	*fake.JobQueue
	empty atomic.Int32
}

func (c *claimCounter) ClaimJobs(ctx context.Context, queue, worker string, limit int, lease time.Duration, keyLimit inkform.KeyLimit) ([]*inkform.Job, error) {
	jobs, err := c.JobQueue.ClaimJobs(ctx, queue, worker, limit, lease, keyLimit)
	if err == nil && len(jobs) == 0 {
		c.empty.Add(1)
	}
	return jobs, err
}

// TestKeyLimitNoEmptyRefills checks the other side of TestKeyLimitRefills:
// jobs of a limited key that arrive one at a time, fewer than the limit
// running, are claimed when they are announced, and a completion does not
// send the queue claiming again for nothing.
func TestKeyLimitNoEmptyRefills(t *testing.T) {
	t.Parallel()
	s := &claimCounter{JobQueue: &fake.JobQueue{}}
	c := startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error {
		return nil
	}, func(c *queue.Config) {
		c.PollInterval = time.Hour
		c.Queues = map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 8, PerKey: 4}}
	})
	waitEmpty := func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for s.empty.Load() == 0 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
	}
	waitEmpty() // the claim at start finds an empty queue
	start := s.empty.Load()
	const n = 20
	for i := range n {
		j := enqueue(t, s.JobQueue, i, inkform.EnqueueOpts{LimitKey: "handler a"})
		c.Notify(inkform.QueueDefault)
		waitState(t, s.JobQueue, j.ID, inkform.JobCompleted)
		time.Sleep(5 * time.Millisecond) // for a claim the completion might trigger
	}
	if extra := s.empty.Load() - start; extra > n/4 {
		t.Errorf("%d claims found nothing for %d jobs announced one by one; want almost none", extra, n)
	}
}

// failedCompletions refuses every CompleteJobs and records, per claim, the
// jobs the producer named as ended.
type failedCompletions struct {
	*fake.JobQueue
	mu     sync.Mutex
	tries  int       // CompleteJobs calls refused
	claims [][]int64 // KeyLimit.Ended of each claim
}

func (f *failedCompletions) CompleteJobs(ctx context.Context, worker string, ids []int64) error {
	f.mu.Lock()
	f.tries++
	f.mu.Unlock()
	return errors.New("store unavailable")
}

func (f *failedCompletions) ClaimJobs(ctx context.Context, queue, worker string, limit int, lease time.Duration, keyLimit inkform.KeyLimit) ([]*inkform.Job, error) {
	f.mu.Lock()
	f.claims = append(f.claims, append([]int64{}, keyLimit.Ended...))
	f.mu.Unlock()
	return f.JobQueue.ClaimJobs(ctx, queue, worker, limit, lease, keyLimit)
}

// state returns the refused completions and the claims so far.
func (f *failedCompletions) state() (int, [][]int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tries, slices.Clone(f.claims)
}

// TestKeyLimitGivenUpCompletionCountsAgain checks the completer's give-up
// path: when a finished job's completion cannot be stored, the job runs
// again once its lease runs out, so until then it must count against its
// key again. A producer that kept naming it as ended would let the key's
// next job start beside it.
func TestKeyLimitGivenUpCompletionCountsAgain(t *testing.T) {
	t.Parallel()
	s := &failedCompletions{JobQueue: &fake.JobQueue{}}
	first := enqueue(t, s.JobQueue, 1, inkform.EnqueueOpts{LimitKey: "handler a"})
	var worked atomic.Int32
	c := startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error {
		worked.Add(1)
		return nil
	}, func(c *queue.Config) {
		c.PollInterval = 10 * time.Millisecond
		c.Lease = time.Hour // the first job stays running in the store
		c.Queues = map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 8, PerKey: 1}}
	})
	// Wait for the completer to give up (three refused tries) and for a
	// claim made after it, which must name no ended job.
	var named, settled bool
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !settled; time.Sleep(5 * time.Millisecond) {
		tries, claims := s.state()
		if len(claims) == 0 {
			continue
		}
		named = slices.ContainsFunc(claims, func(ended []int64) bool { return slices.Contains(ended, first.ID) })
		settled = tries >= 3 && named && len(claims[len(claims)-1]) == 0
	}
	if !named {
		t.Fatalf("no claim named job %d as ended while its completion was pending", first.ID)
	}
	if !settled {
		_, claims := s.state()
		t.Fatalf("claims still name the job whose completion was given up: %d claims, the last naming %v", len(claims), claims[len(claims)-1])
	}
	next := enqueue(t, s.JobQueue, 2, inkform.EnqueueOpts{LimitKey: "handler a"})
	_, before := s.state()
	c.Notify(inkform.QueueDefault)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, claims := s.state(); len(claims) >= len(before)+3 {
			break
		}
	}
	if got := s.Job(next.ID).State; got != inkform.JobAvailable || worked.Load() != 1 {
		t.Errorf("the key's next job is %s after %d jobs worked; want it available while the first, its completion given up, still holds the key's place",
			got, worked.Load())
	}
}

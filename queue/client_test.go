package queue_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/queue"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

type testArgs struct {
	N int `json:"n"`
}

func (testArgs) Kind() string { return "test" }

// startClient runs a client over store with one worker function and stops
// it when the test ends.
func startClient(t *testing.T, store inkform.JobQueue, work queue.WorkFunc[testArgs], mod func(*queue.Config)) *queue.Client {
	t.Helper()
	ws := queue.NewWorkers()
	queue.AddWorker(ws, work, queue.WorkerOpts{Timeout: 5 * time.Second})
	cfg := queue.Config{
		Store: store, Workers: ws,
		Queues:       map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 4}},
		PollInterval: 20 * time.Millisecond,
		Lease:        time.Second,
		Backoff:      func(int) time.Duration { return time.Millisecond },
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := queue.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c.Stop(ctx)
	})
	return c
}

func enqueue(t *testing.T, s inkform.JobQueue, n int, opts inkform.EnqueueOpts) *inkform.Job {
	t.Helper()
	j, err := s.Enqueue(context.Background(), "org", testArgs{N: n}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// waitState polls until the job reaches want or the test's patience ends.
func waitState(t *testing.T, s *fake.JobQueue, id int64, want inkform.JobState) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if s.Job(id).State == want {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("job %d is %s, want %s (last error %q)", id, s.Job(id).State, want, s.Job(id).LastError)
}

func TestWorkCompletesEveryJobOnce(t *testing.T) {
	t.Parallel()
	s := &fake.JobQueue{}
	var runs [201]atomic.Int32
	var durable atomic.Int32 // runs whose writes were not marked redoable
	startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error {
		runs[j.Args.N].Add(1)
		if !inkform.RedoableWrites(ctx) {
			durable.Add(1)
		}
		return nil
	}, nil)
	var last *inkform.Job
	for i := 1; i <= 200; i++ {
		last = enqueue(t, s, i, inkform.EnqueueOpts{})
	}
	waitState(t, s, last.ID, inkform.JobCompleted)
	for id := int64(1); id <= last.ID; id++ {
		waitState(t, s, id, inkform.JobCompleted)
	}
	for n := 1; n <= 200; n++ {
		if r := runs[n].Load(); r != 1 {
			t.Errorf("job %d ran %d times, want once", n, r)
		}
	}
	// A lost attempt runs again, so the store may commit its writes
	// without waiting for the disk (inkform.WithRedoableWrites).
	if n := durable.Load(); n != 0 {
		t.Errorf("%d jobs ran in a context without redoable writes", n)
	}
}

func TestFailureRetriesThenDies(t *testing.T) {
	t.Parallel()
	s := &fake.JobQueue{}
	var attempts atomic.Int32
	startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error {
		attempts.Add(1)
		return errors.New("endpoint down")
	}, nil)
	j := enqueue(t, s, 1, inkform.EnqueueOpts{MaxAttempts: 3})
	waitState(t, s, j.ID, inkform.JobDead)
	if got := attempts.Load(); got != 3 {
		t.Errorf("worked %d times, want 3 attempts", got)
	}
	if s.Job(j.ID).LastError != "endpoint down" {
		t.Errorf("last error %q", s.Job(j.ID).LastError)
	}
}

func TestRetrySucceeds(t *testing.T) {
	t.Parallel()
	s := &fake.JobQueue{}
	startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error {
		if j.Attempt < 2 {
			return errors.New("flaky")
		}
		return nil
	}, nil)
	j := enqueue(t, s, 1, inkform.EnqueueOpts{})
	waitState(t, s, j.ID, inkform.JobCompleted)
	if got := s.Job(j.ID).Attempt; got != 2 {
		t.Errorf("completed on attempt %d, want 2", got)
	}
}

func TestSnoozeCancelPanic(t *testing.T) {
	t.Parallel()
	s := &fake.JobQueue{}
	var snoozed atomic.Bool
	startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error {
		switch j.Args.N {
		case 1:
			if snoozed.CompareAndSwap(false, true) {
				return queue.Snooze(30 * time.Millisecond)
			}
			return nil
		case 2:
			return queue.Cancel(errors.New("document gone"))
		case 3:
			panic("boom")
		}
		return nil
	}, nil)
	sn := enqueue(t, s, 1, inkform.EnqueueOpts{})
	ca := enqueue(t, s, 2, inkform.EnqueueOpts{})
	pa := enqueue(t, s, 3, inkform.EnqueueOpts{MaxAttempts: 1})
	waitState(t, s, sn.ID, inkform.JobCompleted)
	if got := s.Job(sn.ID).Attempt; got != 1 {
		t.Errorf("snoozed job used %d attempts; a snooze must not count", got)
	}
	waitState(t, s, ca.ID, inkform.JobCancelled)
	waitState(t, s, pa.ID, inkform.JobDead)
	if e := s.Job(pa.ID).LastError; len(e) < 11 || e[:11] != "panic: boom" {
		t.Errorf("panic recorded as %q", e)
	}
}

func TestStopHandsBackRunningJobs(t *testing.T) {
	t.Parallel()
	s := &fake.JobQueue{}
	started := make(chan struct{})
	ws := queue.NewWorkers()
	queue.AddWorker(ws, queue.WorkFunc[testArgs](func(ctx context.Context, j *queue.Job[testArgs]) error {
		close(started)
		<-ctx.Done() // a job that does not finish by itself
		return ctx.Err()
	}), queue.WorkerOpts{Timeout: time.Minute})
	c, err := queue.NewClient(queue.Config{Store: s, Workers: ws, PollInterval: 10 * time.Millisecond,
		Queues: map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	c.Start(context.Background())
	j := enqueue(t, s, 1, inkform.EnqueueOpts{})
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Stop = %v, want deadline exceeded", err)
	}
	got := s.Job(j.ID)
	if got.State != inkform.JobAvailable || got.Attempt != 0 {
		t.Errorf("after stop the job is %s with %d attempts; want available with the attempt not counted", got.State, got.Attempt)
	}
}

func TestReaperFreesJobsOfLostWorkers(t *testing.T) {
	t.Parallel()
	s := &fake.JobQueue{}
	j := enqueue(t, s, 1, inkform.EnqueueOpts{})
	// A worker that claims and then vanishes (no heartbeats, no outcome).
	if _, err := s.ClaimJobs(context.Background(), inkform.QueueDefault, "lost-worker", 1, 50*time.Millisecond, inkform.KeyLimit{}); err != nil {
		t.Fatal(err)
	}
	startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error { return nil }, func(c *queue.Config) {
		c.ReapInterval = 20 * time.Millisecond
	})
	waitState(t, s, j.ID, inkform.JobCompleted)
	if by := s.LeasedBy(j.ID); by == "lost-worker" || by == "" {
		t.Errorf("job finished by %q, want the client's worker", by)
	}
}

// TestNotifyWakesIdleQueue wakes a queue that polls once an hour, directly
// (a job of this node) and through the Notifier (another node's job); a
// message for another queue does not count.
func TestNotifyWakesIdleQueue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		wake func(c *queue.Client, n *inkform.LocalNotifier)
		want bool
	}{
		{"Notify", func(c *queue.Client, _ *inkform.LocalNotifier) { c.Notify(inkform.QueueDefault) }, true},
		{"Notifier", func(_ *queue.Client, n *inkform.LocalNotifier) {
			n.Publish(context.Background(), inkform.TopicJobs, inkform.QueueDefault)
		}, true},
		{"another queue", func(_ *queue.Client, n *inkform.LocalNotifier) {
			n.Publish(context.Background(), inkform.TopicJobs, inkform.QueueRender)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &fake.JobQueue{}
			n := inkform.NewLocalNotifier()
			done := make(chan time.Time, 1)
			c := startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error {
				done <- time.Now()
				return nil
			}, func(c *queue.Config) { c.PollInterval, c.Notifier = time.Hour, n })
			time.Sleep(20 * time.Millisecond) // let the first (empty) claim pass
			enqueue(t, s, 1, inkform.EnqueueOpts{})
			tc.wake(c, n)
			select {
			case <-done:
				if !tc.want {
					t.Error("woken by a message for another queue")
				}
			case <-time.After(time.Second):
				if tc.want {
					t.Fatal("a woken queue did not pick up the job (poll interval is an hour)")
				}
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	s := &fake.JobQueue{}
	reg := prometheus.NewRegistry()
	m, err := queue.NewMetrics(reg, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error { return nil }, func(c *queue.Config) { c.Metrics = m })
	j := enqueue(t, s, 1, inkform.EnqueueOpts{})
	waitState(t, s, j.ID, inkform.JobCompleted)
	// The depth counts unfinished jobs only, as the store does.
	enqueue(t, s, 2, inkform.EnqueueOpts{RunAt: time.Now().Add(time.Hour)})
	time.Sleep(10 * time.Millisecond)
	if n, err := testutil.GatherAndCount(reg, "inkform_job_attempts_total", "inkform_jobs"); err != nil || n < 2 {
		t.Errorf("gathered %d series, err %v; want attempts and depth series", n, err)
	}
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	t.Parallel()
	prev := time.Duration(0)
	for attempt := 1; attempt <= 10; attempt++ {
		d := queue.Backoff(attempt)
		base := time.Duration(attempt*attempt*attempt*attempt) * time.Second
		if d < base || d > base+base/10+time.Second {
			t.Errorf("Backoff(%d) = %s; want %s plus up to 10%%", attempt, d, base)
		}
		if d <= prev {
			t.Errorf("Backoff(%d) = %s is not above Backoff(%d) = %s", attempt, d, attempt-1, prev)
		}
		prev = d
	}
	if d := queue.Backoff(100); d > 24*time.Hour {
		t.Errorf("Backoff(100) = %s exceeds a day", d)
	}
	seen := map[time.Duration]bool{}
	for i := 0; i < 20; i++ {
		seen[queue.Backoff(5)] = true
	}
	if len(seen) < 5 {
		t.Errorf("Backoff(5) gave only %d distinct values in 20 calls: no jitter", len(seen))
	}
}

package queue_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/queue"
)

// newRecordingQueue returns a queue, which honours UniqueKey as sqlstore
// does, and the recorder of every call it gets.
func newRecordingQueue() (*fake.JobQueue, *fake.Recorder) {
	rec := &fake.Recorder{}
	return &fake.JobQueue{Hook: rec.Hook}, rec
}

// enqueues returns the options and org IDs of the recorded enqueues.
func enqueues(rec *fake.Recorder) ([]inkform.EnqueueOpts, []string) {
	var opts []inkform.EnqueueOpts
	var orgs []string
	for _, c := range rec.Calls("Enqueue") {
		orgs = append(orgs, c.Args[0].(string))
		opts = append(opts, c.Args[2].(inkform.EnqueueOpts))
	}
	return opts, orgs
}

// slotOf reads the slot (Unix seconds) out of a periodic unique key.
func slotOf(t *testing.T, name, key string) int64 {
	t.Helper()
	rest, ok := strings.CutPrefix(key, name+"@")
	n, err := strconv.ParseInt(rest, 10, 64)
	if !ok || err != nil {
		t.Fatalf("unique key %q is not %s@<unix seconds>", key, name)
	}
	return n
}

// TestPeriodicOneRunPerSlot runs two nodes with the same one-second
// schedule: each slot after the start is enqueued by both and run once, at
// or after its start.
func TestPeriodicOneRunPerSlot(t *testing.T) {
	t.Parallel()
	s, rec := newRecordingQueue()
	var mu sync.Mutex
	runs := map[string][]time.Time{}
	work := func(ctx context.Context, j *queue.Job[testArgs]) error {
		mu.Lock()
		defer mu.Unlock()
		runs[j.UniqueKey] = append(runs[j.UniqueKey], time.Now())
		return nil
	}
	periodic := func(c *queue.Config) {
		c.Periodic = []queue.PeriodicJob{{Name: "tick", Interval: time.Second,
			Args: func() inkform.JobArgs { return testArgs{N: 1} }, Opts: inkform.EnqueueOpts{MaxAttempts: 3}}}
	}
	// Start early in a second, so that the slot current at the test's
	// start is also current when both clients have started (under load a
	// start near the end of a second saw the clients begin in the next).
	if ns := time.Now().Nanosecond(); ns > 600_000_000 {
		time.Sleep(time.Duration(1_000_000_000-ns) + 10*time.Millisecond)
	}
	start := time.Now()
	startClient(t, s, work, periodic)
	startClient(t, s, work, periodic)
	if time.Now().Unix() != start.Unix() {
		t.Skip("the clients took until the next second to start; the slot current at start is unclear")
	}
	first := start.Unix()
	// Slots first+1 and first+2 have started and run by then; the
	// clients stop when the test ends.
	time.Sleep(time.Until(time.Unix(first+2, 0).Add(400 * time.Millisecond)))

	calls, orgs := enqueues(rec)
	perSlot := map[int64]int{}
	for i, o := range calls {
		slot := slotOf(t, "tick", o.UniqueKey)
		perSlot[slot]++
		if orgs[i] != "" {
			t.Errorf("periodic job enqueued for org %q, want the system org \"\"", orgs[i])
		}
		if o.MaxAttempts != 3 {
			t.Errorf("enqueue options lost: %+v", o)
		}
		if !o.RunAt.IsZero() && o.RunAt.Unix() != slot {
			t.Errorf("job of slot %d due at %v", slot, o.RunAt)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(runs["tick@"+strconv.FormatInt(first, 10)]) == 0 {
		t.Errorf("the slot current at start was not run; runs %v", runs)
	}
	for _, slot := range []int64{first + 1, first + 2} {
		key := "tick@" + strconv.FormatInt(slot, 10)
		if perSlot[slot] < 2 {
			t.Errorf("slot %d enqueued %d times, want once by each node", slot, perSlot[slot])
		}
		if len(runs[key]) != 1 {
			t.Errorf("slot %d ran %d times, want once", slot, len(runs[key]))
			continue
		}
		if at := runs[key][0]; at.Before(time.Unix(slot, 0)) {
			t.Errorf("slot %d ran early, at %v", slot, at)
		}
	}
}

// TestPeriodicSlotsAligned checks that slots are aligned on the interval
// since the Unix epoch, the same on every node, and that the next slot is
// enqueued ahead, due at its start.
func TestPeriodicSlotsAligned(t *testing.T) {
	t.Parallel()
	s, rec := newRecordingQueue()
	startClient(t, s, func(ctx context.Context, j *queue.Job[testArgs]) error { return nil }, func(c *queue.Config) {
		c.Periodic = []queue.PeriodicJob{{Name: "hourly", Interval: time.Hour,
			Args: func() inkform.JobArgs { return testArgs{} }}}
	})
	deadline := time.Now().Add(5 * time.Second)
	var calls []inkform.EnqueueOpts
	for len(calls) < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		calls, _ = enqueues(rec)
	}
	if len(calls) != 2 {
		t.Fatalf("enqueues %+v, want the current and the next slot", calls)
	}
	now := time.Now().Unix()
	cur, next := slotOf(t, "hourly", calls[0].UniqueKey), slotOf(t, "hourly", calls[1].UniqueKey)
	if cur%3600 != 0 || cur > now || now >= cur+3600 || !calls[0].RunAt.IsZero() {
		t.Errorf("current slot %d (run at %v) is not the hour holding %d", cur, calls[0].RunAt, now)
	}
	if next != cur+3600 || calls[1].RunAt.Unix() != next {
		t.Errorf("next slot %d due at %v, want %d", next, calls[1].RunAt, cur+3600)
	}
}

func TestPeriodicConfigRefused(t *testing.T) {
	t.Parallel()
	args := func() inkform.JobArgs { return testArgs{} }
	tests := []struct {
		name string
		jobs []queue.PeriodicJob
		want string
	}{
		{"no name", []queue.PeriodicJob{{Interval: time.Minute, Args: args}}, "needs a Name"},
		{"no interval", []queue.PeriodicJob{{Name: "a", Args: args}}, "whole number of seconds"},
		{"fraction", []queue.PeriodicJob{{Name: "a", Interval: 1500 * time.Millisecond, Args: args}}, "whole number of seconds"},
		{"no args", []queue.PeriodicJob{{Name: "a", Interval: time.Minute}}, "needs Args"},
		{"twice", []queue.PeriodicJob{{Name: "a", Interval: time.Minute, Args: args}, {Name: "a", Interval: time.Hour, Args: args}}, "configured twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ws := queue.NewWorkers()
			c, err := queue.NewClient(queue.Config{Store: &fake.JobQueue{}, Workers: ws,
				Queues: map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 1}}, Periodic: tt.jobs})
			if err != nil {
				t.Fatal(err)
			}
			err = c.Start(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				c.Stop(context.Background())
				t.Fatalf("Start = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

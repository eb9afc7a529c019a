package inkformtest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// testReap runs the scenarios whose leases expire, one after the other:
// ReapJobs acts on every queue, so one scenario's reaps would count the
// other's jobs.
func testReap(t *testing.T, s Stores) {
	t.Run("LeaseExpired", func(t *testing.T) { testLeaseExpired(t, s) })
	t.Run("DiedTooOften", func(t *testing.T) { testDiedTooOften(t, s) })
}

// testLeaseExpired: jobs whose worker stopped renewing its lease are made
// available again, or dead when out of attempts; a renewed lease is not
// reaped, and the old worker cannot finish a job another took over.
func testLeaseExpired(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	const lease = 400 * time.Millisecond
	lost := h.enqueue(h.org, 1, inkform.EnqueueOpts{})[0]
	last := h.enqueue(h.org, 1, inkform.EnqueueOpts{MaxAttempts: 1})[0]
	alive := h.enqueue(h.org, 1, inkform.EnqueueOpts{})[0]
	start := time.Now()
	if got := h.claim("crashed", 3, lease); len(got) != 3 {
		t.Fatalf("claimed %d jobs, want 3", len(got))
	}
	if err := h.q.ExtendLeases(ctx, "crashed", []int64{alive.ID}, longLease); err != nil {
		t.Fatal(err)
	}
	n, err := h.q.ReapJobs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < lease && n != 0 {
		t.Fatalf("reaped %d jobs before their leases expired", n)
	}
	time.Sleep(lease - time.Since(start) + 100*time.Millisecond)
	if n, err := h.q.ReapJobs(ctx); err != nil || n != 2 {
		t.Fatalf("reaped %d jobs (%v), want the 2 whose leases expired", n, err)
	}
	if got := h.job(h.org, lost.ID); (got.State != inkform.JobRetryable && got.State != inkform.JobAvailable) || got.Attempt != 1 {
		t.Errorf("reaped job %+v; want it waiting to run, its attempt counted", got)
	}
	if got := h.wantState("reaped on its last attempt", h.org, last.ID, inkform.JobDead); got.FinishedAt == nil {
		t.Errorf("dead job %+v has no finish time", got)
	}
	h.wantState("lease extended", h.org, alive.ID, inkform.JobRunning)

	got := h.claim("rescuer", 10, longLease)
	if len(got) != 1 || got[0].ID != lost.ID || got[0].Attempt != 2 {
		t.Fatalf("rescuer claimed %+v; want job %d on attempt 2", got, lost.ID)
	}
	// The crashed worker comes back and tries to finish: no effect.
	if err := h.q.CompleteJobs(ctx, "crashed", []int64{lost.ID}); err != nil {
		t.Fatal(err)
	}
	h.wantState("completed by the worker that lost it", h.org, lost.ID, inkform.JobRunning)
	if err := h.q.CompleteJobs(ctx, "rescuer", []int64{lost.ID}); err != nil {
		t.Fatal(err)
	}
	h.wantState("completed by the rescuer", h.org, lost.ID, inkform.JobCompleted)
	if n, err := h.q.ReapJobs(ctx); err != nil || n != 0 {
		t.Errorf("a second reap took %d (%v), want 0", n, err)
	}
}

// testDiedTooOften: a job whose worker died while running it
// MaxJobReaps times is dead, with attempts left, and says why; a retry
// counts its reaps afresh.
func testDiedTooOften(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	const lease = 200 * time.Millisecond
	job := h.enqueue(h.org, 1, inkform.EnqueueOpts{MaxAttempts: 25})[0]
	// die claims the job as a worker that dies at once, and reaps it.
	die := func(worker string) *inkform.Job {
		t.Helper()
		if got := h.claim(worker, 1, lease); len(got) != 1 || got[0].ID != job.ID {
			t.Fatalf("%s claimed %v, want job %d", worker, ids(got), job.ID)
		}
		time.Sleep(lease + 100*time.Millisecond)
		if n, err := h.q.ReapJobs(ctx); err != nil || n != 1 {
			t.Fatalf("reaped %d jobs (%v), want the one %s held", n, err, worker)
		}
		return h.job(h.org, job.ID)
	}
	for i := 1; i < inkform.MaxJobReaps; i++ {
		if got := die(fmt.Sprintf("crashed %d", i)); got.State != inkform.JobRetryable && got.State != inkform.JobAvailable {
			t.Fatalf("after %d of %d deaths the job is %s (%q), want it waiting to run", i, inkform.MaxJobReaps, got.State, got.LastError)
		}
	}
	got := die("crashed last")
	if got.State != inkform.JobDead || got.FinishedAt == nil || got.LastError != inkform.JobReapedTooOften() ||
		got.Attempt != inkform.MaxJobReaps {
		t.Fatalf("after %d deaths: job %+v, want it dead on attempt %d of 25 with error %q",
			inkform.MaxJobReaps, got, inkform.MaxJobReaps, inkform.JobReapedTooOften())
	}
	if err := h.jobs.RetryJob(ctx, h.org, job.ID); err != nil {
		t.Fatal(err)
	}
	if got := die("crashed after the retry"); got.State != inkform.JobRetryable && got.State != inkform.JobAvailable {
		t.Errorf("a retried job's first death made it %s (%q), want it waiting to run", got.State, got.LastError)
	}
}

func testQueueStats(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	h.enqueue(h.org, 5, inkform.EnqueueOpts{RunAt: time.Now().Add(-time.Minute)})
	claimed := h.claim("w", 3, longLease)
	if err := h.q.FailJob(ctx, "w", claimed[0].ID, "boom", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := h.q.FailJob(ctx, "w", claimed[1].ID, "boom", time.Time{}); err != nil {
		t.Fatal(err)
	}
	future := &jq{t: t, q: h.q, jobs: h.jobs, queue: unique("q_"), org: h.org}
	future.enqueue(h.org, 2, inkform.EnqueueOpts{RunAt: time.Now().Add(time.Hour)})

	stats, err := h.q.QueueStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]inkform.QueueStat{}
	for _, st := range stats {
		if st.Queue == h.queue || st.Queue == future.queue {
			got[st.Queue+"/"+string(st.State)] = st
		}
	}
	want := map[string]int{
		h.queue + "/available": 2, h.queue + "/running": 1, h.queue + "/retryable": 1, h.queue + "/dead": 1,
		future.queue + "/available": 2,
	}
	for k, n := range want {
		if got[k].Count != n {
			t.Errorf("stats[%s] = %d, want %d (all: %+v)", k, got[k].Count, n, got)
		}
	}
	if due := got[h.queue+"/available"].OldestDue; due < 50*time.Second {
		t.Errorf("oldest due job of the queue is %s old, want about a minute", due)
	}
	if due := got[future.queue+"/available"].OldestDue; due != 0 {
		t.Errorf("a queue of jobs not yet due reports an oldest due job %s old", due)
	}
}

func testListJobs(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	mine := h.enqueue(h.org, 4, inkform.EnqueueOpts{})
	other, err := h.q.Enqueue(ctx, h.org, otherArgs{}, inkform.EnqueueOpts{Queue: h.queue})
	if err != nil {
		t.Fatal(err)
	}
	h.enqueue(inkform.NewID(), 2, inkform.EnqueueOpts{Queue: unique("q_")}) // another org's, out of the claim's way
	h.claim("w", 1, longLease)                                              // the org's first job runs
	all := append(ids(mine), other.ID)
	tests := []struct {
		name   string
		filter inkform.JobFilter
		want   []int64
	}{
		{"all", inkform.JobFilter{}, all},
		{"limit", inkform.JobFilter{Limit: 2}, all[:2]},
		{"after", inkform.JobFilter{After: all[1]}, all[2:]},
		{"page", inkform.JobFilter{After: all[1], Limit: 2}, all[2:4]},
		{"state", inkform.JobFilter{State: inkform.JobRunning}, all[:1]},
		{"kind", inkform.JobFilter{Kind: "conformance_other"}, all[4:]},
		{"state and kind", inkform.JobFilter{State: inkform.JobAvailable, Kind: "conformance"}, all[1:4]},
	}
	for _, tt := range tests {
		jobs, err := h.jobs.ListJobs(ctx, h.org, tt.filter)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := ids(jobs); !slices.Equal(got, tt.want) {
			t.Errorf("%s: listed %v, want %v", tt.name, got, tt.want)
		}
	}
	if jobs, err := h.jobs.ListJobs(ctx, inkform.NewID(), inkform.JobFilter{}); err != nil || len(jobs) != 0 {
		t.Errorf("an org without jobs lists %v (%v)", ids(jobs), err)
	}
}

func testRetryJob(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	jobs := h.enqueue(h.org, 4, inkform.EnqueueOpts{MaxAttempts: 3})
	h.claim("w", 4, longLease)
	dead, cancelled, retryable, running := jobs[0], jobs[1], jobs[2], jobs[3]
	for _, err := range []error{
		h.q.FailJob(ctx, "w", dead.ID, "bad", time.Time{}),
		h.q.CancelJob(ctx, "w", cancelled.ID, "gone"),
		h.q.FailJob(ctx, "w", retryable.ID, "later", time.Now().Add(time.Hour)),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "retry of another org's job", h.jobs.RetryJob(ctx, inkform.NewID(), dead.ID), inkform.ENOTFOUND)
	h.wantState("retried by another org", h.org, dead.ID, inkform.JobDead)
	wantCode(t, "retry of an unknown job", h.jobs.RetryJob(ctx, h.org, running.ID+1_000_000), inkform.ENOTFOUND)
	wantCode(t, "retry of a running job", h.jobs.RetryJob(ctx, h.org, running.ID), inkform.ECONFLICT)
	h.wantState("running job retried", h.org, running.ID, inkform.JobRunning)

	for _, j := range []*inkform.Job{dead, cancelled, retryable} {
		if err := h.jobs.RetryJob(ctx, h.org, j.ID); err != nil {
			t.Fatalf("retry job %d: %v", j.ID, err)
		}
		if got := h.wantState("retried", h.org, j.ID, inkform.JobAvailable); got.Attempt != 0 || got.FinishedAt != nil {
			t.Errorf("retried job %+v; want its attempts counted afresh and no finish time", got)
		}
	}
	got := h.claim("w", 10, longLease)
	want := []int64{dead.ID, cancelled.ID, retryable.ID}
	slices.Sort(want)
	if gotIDs := ids(got); len(gotIDs) != 3 || !slices.Equal(slices.Sorted(slices.Values(gotIDs)), want) {
		t.Errorf("after retries claimed %v, want %v at once", gotIDs, want)
	}
	for _, j := range got {
		if j.Attempt != 1 {
			t.Errorf("retried job %d claimed on attempt %d, want 1", j.ID, j.Attempt)
		}
	}
	waiting := h.enqueue(h.org, 1, inkform.EnqueueOpts{})[0]
	wantCode(t, "retry of an available job", h.jobs.RetryJob(ctx, h.org, waiting.ID), inkform.ECONFLICT)
}

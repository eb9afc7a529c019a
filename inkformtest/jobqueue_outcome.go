package inkformtest

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// testLeaseHolderOnly: a worker that does not hold a job's lease (its own
// expired and another worker took the job over) changes nothing.
func testLeaseHolderOnly(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	j := h.enqueue(h.org, 1, inkform.EnqueueOpts{})[0]
	h.claim("holder", 1, longLease)
	calls := []struct {
		name string
		call func() error
	}{
		{"CompleteJobs", func() error { return h.q.CompleteJobs(ctx, "other", []int64{j.ID}) }},
		{"FailJob", func() error { return h.q.FailJob(ctx, "other", j.ID, "not mine", time.Time{}) }},
		{"SnoozeJob", func() error { return h.q.SnoozeJob(ctx, "other", j.ID, time.Now()) }},
		{"CancelJob", func() error { return h.q.CancelJob(ctx, "other", j.ID, "not mine") }},
		{"ReleaseJobs", func() error { return h.q.ReleaseJobs(ctx, "other", []int64{j.ID}) }},
		{"ExtendLeases", func() error { return h.q.ExtendLeases(ctx, "other", []int64{j.ID}, longLease) }},
	}
	for _, c := range calls {
		if err := c.call(); err != nil {
			t.Fatalf("%s by another worker: %v", c.name, err)
		}
		got := h.wantState(c.name+" by another worker", h.org, j.ID, inkform.JobRunning)
		if got.Attempt != 1 || got.LastError != "" {
			t.Fatalf("%s by another worker left %+v", c.name, got)
		}
	}
	// Nor does a job that is no longer running.
	if err := h.q.CompleteJobs(ctx, "holder", []int64{j.ID}); err != nil {
		t.Fatal(err)
	}
	if err := h.q.FailJob(ctx, "holder", j.ID, "late", time.Time{}); err != nil {
		t.Fatal(err)
	}
	h.wantState("FailJob after completion", h.org, j.ID, inkform.JobCompleted)
}

func testComplete(t *testing.T, s Stores) {
	h := newJQ(t, s)
	jobs := h.enqueue(h.org, 3, inkform.EnqueueOpts{})
	h.claim("w", 3, longLease)
	if err := h.q.CompleteJobs(context.Background(), "w", nil); err != nil {
		t.Fatalf("completing no jobs: %v", err)
	}
	if err := h.q.CompleteJobs(context.Background(), "w", ids(jobs[:2])); err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs[:2] {
		if got := h.wantState("completed", h.org, j.ID, inkform.JobCompleted); got.FinishedAt == nil {
			t.Errorf("completed job %d has no finish time", j.ID)
		}
	}
	h.wantState("not completed", h.org, jobs[2].ID, inkform.JobRunning)
	if got := h.claim("w", 10, longLease); len(got) != 0 {
		t.Errorf("claimed %v after completion", ids(got))
	}
}

func testFailRetry(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	j := h.enqueue(h.org, 1, inkform.EnqueueOpts{MaxAttempts: 3})[0]
	h.claim("w", 1, longLease)
	retryAt := dbTime(time.Now().Add(time.Hour))
	if err := h.q.FailJob(ctx, "w", j.ID, "boom 1", retryAt); err != nil {
		t.Fatal(err)
	}
	got := h.wantState("failed with a retry time", h.org, j.ID, inkform.JobRetryable)
	if got.LastError != "boom 1" || !got.RunAt.Equal(retryAt) || got.Attempt != 1 || got.FinishedAt != nil {
		t.Errorf("failed job %+v; want error boom 1, run at %v, attempt 1", got, retryAt)
	}
	if again := h.claim("w", 1, longLease); len(again) != 0 {
		t.Fatal("a job was claimed before its retry time")
	}
	// A retry time that has come makes the job claimable, with its
	// attempts counted on.
	j2 := h.enqueue(h.org, 1, inkform.EnqueueOpts{MaxAttempts: 3})[0]
	h.claim("w", 1, longLease)
	if err := h.q.FailJob(ctx, "w", j2.ID, "boom 2", time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	again := h.claim("w", 1, longLease)
	if len(again) != 1 || again[0].ID != j2.ID || again[0].Attempt != 2 || again[0].State != inkform.JobRunning {
		t.Fatalf("after a due retry claimed %+v; want job %d on attempt 2", again, j2.ID)
	}
}

func testFailDead(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	// No retry time: dead at once, whatever attempts are left.
	j := h.enqueue(h.org, 1, inkform.EnqueueOpts{MaxAttempts: 5})[0]
	h.claim("w", 1, longLease)
	if err := h.q.FailJob(ctx, "w", j.ID, "bad args", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := h.wantState("failed without retry time", h.org, j.ID, inkform.JobDead); got.LastError != "bad args" || got.FinishedAt == nil {
		t.Errorf("dead job %+v; want its error and a finish time", got)
	}
	// The last attempt: dead even with a retry time.
	k := h.enqueue(h.org, 1, inkform.EnqueueOpts{MaxAttempts: 2})[0]
	for attempt := 1; attempt <= 2; attempt++ {
		got := h.claim("w", 1, longLease)
		if len(got) != 1 || got[0].ID != k.ID || got[0].Attempt != attempt {
			t.Fatalf("attempt %d: claimed %+v", attempt, got)
		}
		if err := h.q.FailJob(ctx, "w", k.ID, "boom", time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.wantState("failed on its last attempt", h.org, k.ID, inkform.JobDead); got.Attempt != 2 || got.FinishedAt == nil {
		t.Errorf("dead job %+v; want 2 attempts and a finish time", got)
	}
	if got := h.claim("w", 10, longLease); len(got) != 0 {
		t.Errorf("claimed dead jobs %v", ids(got))
	}
}

func testSnooze(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	jobs := h.enqueue(h.org, 2, inkform.EnqueueOpts{MaxAttempts: 1})
	h.claim("w", 2, longLease)
	later := dbTime(time.Now().Add(time.Hour))
	if err := h.q.SnoozeJob(ctx, "w", jobs[0].ID, later); err != nil {
		t.Fatal(err)
	}
	got := h.wantState("snoozed", h.org, jobs[0].ID, inkform.JobAvailable)
	if got.Attempt != 0 || !got.RunAt.Equal(later) {
		t.Errorf("snoozed job %+v; want attempt 0, run at %v", got, later)
	}
	if err := h.q.SnoozeJob(ctx, "w", jobs[1].ID, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	// Snoozes do not use up attempts: a job of one attempt runs again.
	again := h.claim("w", 10, longLease)
	if len(again) != 1 || again[0].ID != jobs[1].ID || again[0].Attempt != 1 {
		t.Errorf("after snoozes claimed %+v; want only the due job, on attempt 1", again)
	}
}

func testCancel(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	j := h.enqueue(h.org, 1, inkform.EnqueueOpts{UniqueKey: "doc"})[0]
	h.claim("w", 1, longLease)
	if err := h.q.CancelJob(ctx, "w", j.ID, "document deleted"); err != nil {
		t.Fatal(err)
	}
	got := h.wantState("cancelled", h.org, j.ID, inkform.JobCancelled)
	if got.FinishedAt == nil || got.LastError != "document deleted" {
		t.Errorf("cancelled job %+v; want a finish time and the reason", got)
	}
	if again := h.claim("w", 1, longLease); len(again) != 0 {
		t.Errorf("claimed %v after cancelling", ids(again))
	}
	if next := h.enqueue(h.org, 1, inkform.EnqueueOpts{UniqueKey: "doc"})[0]; next.ID == j.ID {
		t.Error("a cancelled job absorbed an enqueue with its key")
	}
}

func testRelease(t *testing.T, s Stores) {
	h := newJQ(t, s)
	jobs := h.enqueue(h.org, 2, inkform.EnqueueOpts{MaxAttempts: 1})
	h.claim("stopping", 2, longLease)
	if err := h.q.ReleaseJobs(context.Background(), "stopping", ids(jobs)); err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if got := h.wantState("released", h.org, j.ID, inkform.JobAvailable); got.Attempt != 0 {
			t.Errorf("released job %d has %d attempts; a release must not count one", j.ID, got.Attempt)
		}
	}
	got := h.claim("next node", 10, longLease)
	if len(got) != 2 || got[0].Attempt != 1 || got[1].Attempt != 1 {
		t.Errorf("after release claimed %+v; want both jobs at once, on attempt 1", got)
	}
}

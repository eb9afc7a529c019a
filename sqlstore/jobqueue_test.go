package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

type noopArgs struct {
	N int `json:"n"`
}

func (noopArgs) Kind() string { return "noop" }

func enqueueN(t *testing.T, db *sqlstore.DB, org string, n int, opts inkform.EnqueueOpts) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		j, err := db.Enqueue(context.Background(), org, noopArgs{N: i}, opts)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = j.ID
	}
	return ids
}

func claim(t *testing.T, db *sqlstore.DB, worker string, max int, lease time.Duration) []*inkform.Job {
	t.Helper()
	jobs, err := db.ClaimJobs(context.Background(), inkform.QueueDefault, worker, max, lease)
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

func TestJobLifecycle(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		j, err := db.Enqueue(ctx, "org-a", noopArgs{N: 7}, inkform.EnqueueOpts{UniqueKey: "doc-1"})
		if err != nil {
			t.Fatal(err)
		}
		if j.State != inkform.JobAvailable || j.Kind != "noop" || j.Queue != inkform.QueueDefault || string(j.Args) != `{"n":7}` {
			t.Fatalf("enqueued %+v", j)
		}
		dup, err := db.Enqueue(ctx, "org-a", noopArgs{N: 8}, inkform.EnqueueOpts{UniqueKey: "doc-1"})
		if err != nil || dup.ID != j.ID {
			t.Fatalf("unique enqueue gave job %v, %v; want the existing %d", dup, err, j.ID)
		}
		got := claim(t, db, "w1", 10, time.Minute)
		if len(got) != 1 || got[0].ID != j.ID || got[0].Attempt != 1 || got[0].State != inkform.JobRunning {
			t.Fatalf("claimed %+v", got)
		}
		if again := claim(t, db, "w2", 10, time.Minute); len(again) != 0 {
			t.Fatalf("a running job was claimed again: %+v", again)
		}
		// Another worker cannot complete a job it does not hold.
		if err := db.CompleteJobs(ctx, "w2", []int64{j.ID}); err != nil {
			t.Fatal(err)
		}
		if n := db.Count(t, "jobs", "state = 'running'"); n != 1 {
			t.Fatalf("a foreign worker completed the job")
		}
		if err := db.CompleteJobs(ctx, "w1", []int64{j.ID}); err != nil {
			t.Fatal(err)
		}
		if n := db.Count(t, "jobs", "state = 'completed' AND finished_at IS NOT NULL"); n != 1 {
			t.Fatalf("completed jobs = %d, want 1", n)
		}
		// Finished, the unique key no longer blocks a new job.
		if next, err := db.Enqueue(ctx, "org-a", noopArgs{}, inkform.EnqueueOpts{UniqueKey: "doc-1"}); err != nil || next.ID == j.ID {
			t.Fatalf("enqueue after completion = %v, %v", next, err)
		}
	})
}

func TestJobRetriesBackoffDeadAndRetry(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		id := enqueueN(t, db, "org-a", 1, inkform.EnqueueOpts{MaxAttempts: 2})[0]
		claim(t, db, "w", 1, time.Minute)
		if err := db.FailJob(ctx, "w", id, "boom 1", time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := claim(t, db, "w", 1, time.Minute); len(got) != 0 {
			t.Fatal("a job was claimed before its backoff ended")
		}
		dead, _ := db.ListJobs(ctx, "org-a", inkform.JobFilter{State: inkform.JobRetryable})
		if len(dead) != 1 || dead[0].LastError != "boom 1" {
			t.Fatalf("retryable jobs %+v", dead)
		}
		if err := db.FailJob(ctx, "x", id, "not mine", time.Now()); err != nil {
			t.Fatal(err)
		}
		// Make it due and fail the last attempt.
		if err := db.RetryJob(ctx, "org-a", id); err != nil {
			t.Fatal(err)
		}
		for attempt := 1; attempt <= 2; attempt++ {
			got := claim(t, db, "w", 1, time.Minute)
			if len(got) != 1 || got[0].Attempt != attempt {
				t.Fatalf("attempt %d: claimed %+v", attempt, got)
			}
			if err := db.FailJob(ctx, "w", id, fmt.Sprintf("boom %d", attempt), time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		dead, err := db.ListJobs(ctx, "org-a", inkform.JobFilter{State: inkform.JobDead})
		if err != nil || len(dead) != 1 || dead[0].LastError != "boom 2" || dead[0].FinishedAt == nil {
			t.Fatalf("dead jobs %+v, %v", dead, err)
		}
		if other, _ := db.ListJobs(ctx, "org-b", inkform.JobFilter{State: inkform.JobDead}); len(other) != 0 {
			t.Fatal("another org sees the dead job")
		}
		wantCode(t, db.RetryJob(ctx, "org-b", id), inkform.ENOTFOUND)
		if err := db.RetryJob(ctx, "org-a", id); err != nil {
			t.Fatal(err)
		}
		if got := claim(t, db, "w", 1, time.Minute); len(got) != 1 || got[0].Attempt != 1 {
			t.Fatalf("after retry claimed %+v", got)
		}
		wantCode(t, db.RetryJob(ctx, "org-a", id), inkform.ECONFLICT)
	})
}

func TestJobSnoozeCancelRelease(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		ids := enqueueN(t, db, "org-a", 3, inkform.EnqueueOpts{})
		claim(t, db, "w", 3, time.Minute)
		if err := db.SnoozeJob(ctx, "w", ids[0], time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.CancelJob(ctx, "w", ids[1], "document deleted"); err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseJobs(ctx, "w", []int64{ids[2]}); err != nil {
			t.Fatal(err)
		}
		got := claim(t, db, "w2", 3, time.Minute)
		if len(got) != 1 || got[0].ID != ids[2] || got[0].Attempt != 1 {
			t.Fatalf("after snooze/cancel/release claimed %+v; want only the released job, attempt 1", got)
		}
		if n := db.Count(t, "jobs", "id = ? AND state = 'available' AND attempt = 0", ids[0]); n != 1 {
			t.Error("snoozed job counted its attempt or is not available")
		}
		if n := db.Count(t, "jobs", "id = ? AND state = 'cancelled'", ids[1]); n != 1 {
			t.Error("job not cancelled")
		}
	})
}

func TestJobLeaseExpiryReap(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		id := enqueueN(t, db, "org-a", 1, inkform.EnqueueOpts{})[0]
		claim(t, db, "crashed", 1, 50*time.Millisecond)
		if n, err := db.ReapJobs(ctx); err != nil || n != 0 {
			t.Fatalf("reaped %d (%v) before the lease expired", n, err)
		}
		time.Sleep(120 * time.Millisecond)
		if n, err := db.ReapJobs(ctx); err != nil || n != 1 {
			t.Fatalf("reaped %d, %v; want 1", n, err)
		}
		got := claim(t, db, "rescuer", 1, time.Minute)
		if len(got) != 1 || got[0].ID != id || got[0].Attempt != 2 {
			t.Fatalf("rescuer claimed %+v", got)
		}
		// The crashed worker comes back and tries to finish: no effect.
		db.CompleteJobs(ctx, "crashed", []int64{id})
		if n := db.Count(t, "jobs", "state = 'running' AND leased_by = 'rescuer'"); n != 1 {
			t.Fatal("the old worker completed a job it lost")
		}
		if err := db.ExtendLeases(ctx, "rescuer", []int64{id}, time.Minute); err != nil {
			t.Fatal(err)
		}
		db.CompleteJobs(ctx, "rescuer", []int64{id})
		if n := db.Count(t, "jobs", "state = 'completed'"); n != 1 {
			t.Fatal("rescuer could not complete")
		}
	})
}

// TestJobConcurrentClaims: many workers racing on many jobs; every job is
// claimed exactly once.
func TestJobConcurrentClaims(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		const jobs, workers = 400, 8
		enqueueN(t, db, "org-a", jobs/2, inkform.EnqueueOpts{})
		enqueueN(t, db, "org-b", jobs/2, inkform.EnqueueOpts{})
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(worker string) {
				defer wg.Done()
				for {
					got, err := db.ClaimJobs(context.Background(), inkform.QueueDefault, worker, 7, time.Minute)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					ids := make([]int64, len(got))
					mu.Lock()
					for i, j := range got {
						if prev, dup := seen[j.ID]; dup {
							errs <- fmt.Errorf("job %d claimed by %s and %s", j.ID, prev, worker)
						}
						seen[j.ID] = worker
						ids[i] = j.ID
					}
					mu.Unlock()
					if err := db.CompleteJobs(context.Background(), worker, ids); err != nil {
						errs <- err
						return
					}
				}
			}(fmt.Sprintf("w%d", w))
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(seen) != jobs {
			t.Errorf("claimed %d distinct jobs, want %d", len(seen), jobs)
		}
		if n := db.Count(t, "jobs", "state = 'completed'"); n != jobs {
			t.Errorf("completed %d, want %d", n, jobs)
		}
	})
}

// TestJobFairness: one org's flood must not starve another org.
func TestJobFairness(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		enqueueN(t, db, "flood", 300, inkform.EnqueueOpts{})
		quiet := enqueueN(t, db, "quiet", 3, inkform.EnqueueOpts{})
		got := claim(t, db, "w", 10, time.Minute)
		if len(got) != 10 {
			t.Fatalf("claimed %d, want 10", len(got))
		}
		byOrg := map[string]int{}
		for _, j := range got {
			byOrg[j.OrgID]++
		}
		if byOrg["quiet"] != len(quiet) {
			t.Errorf("the first claim after a flood took %d of the quiet org's %d jobs (%v); want all", byOrg["quiet"], len(quiet), byOrg)
		}
	})
}

func TestJobQueueStats(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		enqueueN(t, db, "org-a", 5, inkform.EnqueueOpts{})
		enqueueN(t, db, "org-a", 2, inkform.EnqueueOpts{Queue: inkform.QueueDeliver})
		claim(t, db, "w", 2, time.Minute)
		time.Sleep(10 * time.Millisecond)
		stats, err := db.QueueStats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, s := range stats {
			got[s.Queue+"/"+string(s.State)] = s.Count
			if s.State == inkform.JobAvailable && s.OldestDue <= 0 {
				t.Errorf("%s: oldest due job has age %s", s.Queue, s.OldestDue)
			}
		}
		want := map[string]int{"default/available": 3, "default/running": 2, "deliver/available": 2}
		for k, n := range want {
			if got[k] != n {
				t.Errorf("stats[%s] = %d, want %d (all: %v)", k, got[k], n, got)
			}
		}
	})
}

// TestJobUniqueWhileRunning: a unique job that is already running does not
// absorb a new enqueue — the running one may have read its data too early.
func TestJobUniqueWhileRunning(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		first, err := db.Enqueue(ctx, "org-a", noopArgs{}, inkform.EnqueueOpts{UniqueKey: "doc-9"})
		if err != nil {
			t.Fatal(err)
		}
		claim(t, db, "w", 1, time.Minute)
		second, err := db.Enqueue(ctx, "org-a", noopArgs{}, inkform.EnqueueOpts{UniqueKey: "doc-9"})
		if err != nil || second.ID == first.ID || second.State != inkform.JobAvailable {
			t.Fatalf("enqueue while the first runs = %+v, %v; want a new available job", second, err)
		}
		third, err := db.Enqueue(ctx, "org-a", noopArgs{}, inkform.EnqueueOpts{UniqueKey: "doc-9"})
		if err != nil || third.ID != second.ID {
			t.Fatalf("a second enqueue = %+v, %v; want the waiting job %d", third, err, second.ID)
		}
		other, err := db.Enqueue(ctx, "org-b", noopArgs{}, inkform.EnqueueOpts{UniqueKey: "doc-9"})
		if err != nil || other.ID == second.ID {
			t.Fatalf("another org's enqueue with the same key = %+v, %v; want its own job", other, err)
		}
	})
}

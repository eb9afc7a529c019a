package inkformtest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func testUniqueKey(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	opts := inkform.EnqueueOpts{Queue: h.queue, UniqueKey: "doc-1"}
	enq := func(what, org string, args inkform.JobArgs) *inkform.Job {
		t.Helper()
		j, err := h.q.Enqueue(ctx, org, args, opts)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return j
	}
	first := enq("first", h.org, suiteArgs{N: 1})
	if dup := enq("duplicate", h.org, suiteArgs{N: 2}); dup.ID != first.ID {
		t.Fatalf("a waiting job with the key did not absorb the enqueue: got job %d, want %d", dup.ID, first.ID)
	}
	if jobs, _ := h.jobs.ListJobs(ctx, h.org, inkform.JobFilter{}); len(jobs) != 1 {
		t.Fatalf("the absorbed enqueue stored a job: %d jobs", len(jobs))
	}
	otherOrg := inkform.NewID()
	if o := enq("other org", otherOrg, suiteArgs{}); o.ID == first.ID {
		t.Error("another org's job with the same key was absorbed")
	}
	if o := enq("other kind", h.org, otherArgs{}); o.ID == first.ID {
		t.Error("a job of another kind with the same key was absorbed")
	}

	// A running job does not count: it may have read its data before the
	// change that enqueues again.
	claimed := h.claim("w", 10, longLease)
	if !slices.Contains(ids(claimed), first.ID) {
		t.Fatalf("claim took %v, want job %d among them", ids(claimed), first.ID)
	}
	second := enq("while running", h.org, suiteArgs{N: 3})
	if second.ID == first.ID || second.State != inkform.JobAvailable {
		t.Fatalf("enqueue while the keyed job runs gave %+v; want a new available job", second)
	}
	if third := enq("again", h.org, suiteArgs{N: 4}); third.ID != second.ID {
		t.Errorf("the new waiting job did not absorb the next enqueue: got %d, want %d", third.ID, second.ID)
	}

	// A retryable job waits to run, so it absorbs too.
	if err := h.q.FailJob(ctx, "w", first.ID, "boom", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got := h.claim("w", 10, longLease)
	if len(got) != 1 || got[0].ID != second.ID {
		t.Fatalf("claimed %v, want only job %d", ids(got), second.ID)
	}
	if err := h.q.CompleteJobs(ctx, "w", []int64{second.ID}); err != nil {
		t.Fatal(err)
	}
	if r := enq("while retryable", h.org, suiteArgs{N: 5}); r.ID != first.ID {
		t.Errorf("a retryable job with the key did not absorb the enqueue: got %d, want %d", r.ID, first.ID)
	}

	// Finished jobs free the key.
	if err := h.jobs.RetryJob(ctx, h.org, first.ID); err != nil {
		t.Fatal(err)
	}
	for _, j := range h.claim("w", 10, longLease) {
		if err := h.q.CompleteJobs(ctx, "w", []int64{j.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if n := enq("after completion", h.org, suiteArgs{N: 6}); n.ID == first.ID || n.ID == second.ID {
		t.Errorf("a finished job absorbed the enqueue (job %d)", n.ID)
	}
}

func testClaim(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	jobs := h.enqueue(h.org, 3, inkform.EnqueueOpts{})
	if got, err := h.q.ClaimJobs(ctx, unique("q_"), "w", 10, longLease, inkform.KeyLimit{}); err != nil || len(got) != 0 {
		t.Fatalf("a claim on another queue took %v (%v)", ids(got), err)
	}
	if got := h.claim("w", 0, longLease); len(got) != 0 {
		t.Fatalf("a claim of 0 took %v", ids(got))
	}
	got := h.claim("w", 2, longLease)
	if len(got) != 2 {
		t.Fatalf("claimed %d jobs, want 2", len(got))
	}
	for _, j := range got {
		if j.State != inkform.JobRunning || j.Attempt != 1 || j.OrgID != h.org || j.Queue != h.queue {
			t.Errorf("claimed %+v; want running, attempt 1", j)
		}
		h.wantState("listed after claim", h.org, j.ID, inkform.JobRunning)
	}
	rest := h.claim("w2", 10, longLease)
	if len(rest) != 1 || slices.Contains(ids(got), rest[0].ID) {
		t.Fatalf("second claim took %v after %v; want the one job left", ids(rest), ids(got))
	}
	if again := h.claim("w3", 10, longLease); len(again) != 0 {
		t.Errorf("running jobs were claimed again: %v", ids(again))
	}
	all := append(ids(got), rest[0].ID)
	slices.Sort(all)
	if !slices.Equal(all, ids(jobs)) {
		t.Errorf("claimed %v, enqueued %v", all, ids(jobs))
	}
}

func testClaimOrder(t *testing.T, s Stores) {
	h := newJQ(t, s)
	past := time.Now().Add(-time.Minute)
	late := h.enqueue(h.org, 1, inkform.EnqueueOpts{Priority: 2})[0]
	early := h.enqueue(h.org, 1, inkform.EnqueueOpts{Priority: 2, RunAt: past})[0]
	urgent := h.enqueue(h.org, 1, inkform.EnqueueOpts{Priority: 1})[0]
	next := h.enqueue(h.org, 1, inkform.EnqueueOpts{Priority: 2})[0]
	var order []int64
	for _, j := range h.claimEach(4) {
		order = append(order, j.ID)
	}
	if want := []int64{urgent.ID, early.ID, late.ID, next.ID}; !slices.Equal(order, want) {
		t.Errorf("claimed in order %v, want %v: lower priority first, then earlier run time, then enqueue order", order, want)
	}
}

func testClaimFairness(t *testing.T, s Stores) {
	h := newJQ(t, s)
	flood, quiet := inkform.NewID(), inkform.NewID()
	h.enqueue(flood, 300, inkform.EnqueueOpts{})
	h.enqueue(quiet, 3, inkform.EnqueueOpts{})
	count := func(jobs []*inkform.Job) map[string]int {
		n := map[string]int{}
		for _, j := range jobs {
			n[j.OrgID]++
		}
		return n
	}
	got := h.claim("w", 10, longLease)
	if n := count(got); len(got) != 10 || n[quiet] != 3 || n[flood] != 7 {
		t.Errorf("the first claim after a flood took %v; want all 3 of the quiet org's jobs and 7 others", n)
	}
	// Two busy orgs share a claim evenly.
	other := inkform.NewID()
	h.enqueue(other, 20, inkform.EnqueueOpts{})
	if n := count(h.claim("w", 10, longLease)); n[flood] != 5 || n[other] != 5 {
		t.Errorf("two busy orgs got %v of a claim of 10; want 5 each", n)
	}
}

// testClaimFairnessOneSlot checks fairness when a claim has a single slot
// (a queue with its few workers busy): busy orgs take turns rather than
// the first org in ID order taking every slot until its flood is done.
func testClaimFairnessOneSlot(t *testing.T, s Stores) {
	h := newJQ(t, s)
	a, b := inkform.NewID(), inkform.NewID()
	h.enqueue(a, 6, inkform.EnqueueOpts{})
	h.enqueue(b, 6, inkform.EnqueueOpts{})
	var orgs []string
	for _, j := range h.claimEach(6) {
		orgs = append(orgs, j.OrgID)
	}
	n := map[string]int{}
	for i, org := range orgs {
		n[org]++
		if i > 0 && org == orgs[i-1] {
			t.Errorf("claims of one slot went to orgs %v; want the two busy orgs in turn", orgs)
			break
		}
	}
	if n[a] != 3 || n[b] != 3 {
		t.Errorf("six claims of one slot took %v; want 3 of each busy org", n)
	}
}

// testClaimFairnessManyOrgs checks that claims of one slot reach every
// busy org in turn when there are more busy orgs than a claim lists (64).
func testClaimFairnessManyOrgs(t *testing.T, s Stores) {
	h := newJQ(t, s)
	const busy = 66
	for range busy {
		h.enqueue(inkform.NewID(), 2, inkform.EnqueueOpts{})
	}
	served := map[string]int{}
	for _, j := range h.claimEach(busy) {
		served[j.OrgID]++
	}
	if len(served) != busy {
		t.Errorf("%d claims of one slot served %d of %d busy orgs; want each once", busy, len(served), busy)
	}
}

// testConcurrentClaims races workers over jobs of two orgs: each job is
// claimed exactly once.
func testConcurrentClaims(t *testing.T, s Stores) {
	h := newJQ(t, s)
	const jobs, workers = 400, 8
	h.enqueue(h.org, jobs/2, inkform.EnqueueOpts{})
	h.enqueue(inkform.NewID(), jobs/2, inkform.EnqueueOpts{})
	var mu sync.Mutex
	seen := map[int64]string{}
	errs := make(chan error, workers*jobs)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func(worker string) {
			defer wg.Done()
			for {
				got, err := h.q.ClaimJobs(context.Background(), h.queue, worker, 7, longLease, inkform.KeyLimit{})
				if err != nil {
					errs <- err
					return
				} else if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, j := range got {
					if prev, dup := seen[j.ID]; dup {
						errs <- fmt.Errorf("job %d claimed by %s and %s", j.ID, prev, worker)
					}
					seen[j.ID] = worker
				}
				mu.Unlock()
				if err := h.q.CompleteJobs(context.Background(), worker, ids(got)); err != nil {
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
	done, err := h.jobs.ListJobs(context.Background(), h.org, inkform.JobFilter{State: inkform.JobCompleted, Limit: jobs})
	if err != nil || len(done) != jobs/2 {
		t.Errorf("%d of the org's jobs completed (%v), want %d", len(done), err, jobs/2)
	}
}

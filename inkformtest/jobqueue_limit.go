package inkformtest

import (
	"context"
	"slices"
	"testing"

	"github.com/inkform/inkform"
)

// claimPerKey claims up to max jobs of the case's queue for worker with a
// per-key limit, telling the store that the jobs ended have ended.
func (h *jq) claimPerKey(worker string, max, perKey int, ended ...int64) []*inkform.Job {
	h.t.Helper()
	jobs, err := h.q.ClaimJobs(context.Background(), h.queue, worker, max, longLease, inkform.KeyLimit{PerKey: perKey, Ended: ended})
	if err != nil {
		h.t.Fatalf("claim: %v", err)
	}
	return jobs
}

// testClaimPerKey checks the per-key limit of ClaimJobs: a claim leaves
// the jobs of a key that has the limit running under the worker's lease
// and takes others instead; other workers count their own; a finished job
// frees its key's slot, and so does one whose work the worker says has
// ended before its completion is stored; without a limit every due job may
// be claimed.
func testClaimPerKey(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	a := h.enqueue(h.org, 7, inkform.EnqueueOpts{LimitKey: "handler a"})
	b := h.enqueue(h.org, 2, inkform.EnqueueOpts{LimitKey: "handler b"})
	free := h.enqueue(h.org, 3, inkform.EnqueueOpts{})

	// The first claim asks for 3: the query meets a's jobs first and must
	// look past them for the unkeyed ones.
	got := h.claimPerKey("w1", 3, 1)
	if want := []int64{a[0].ID, b[0].ID, free[0].ID}; !slices.Equal(ids(got), want) {
		t.Fatalf("claim of 3 with 1 per key took %v; want %v (one of a, one of b, one without a key)", ids(got), want)
	}
	got = h.claimPerKey("w1", 10, 2)
	if want := []int64{a[1].ID, b[1].ID, free[1].ID, free[2].ID}; !slices.Equal(ids(got), want) {
		t.Fatalf("claim with 2 per key took %v; want %v (a's and b's second, the rest without a key)", ids(got), want)
	}
	if got := h.claimPerKey("w1", 10, 2); len(got) != 0 {
		t.Fatalf("claim with every key at its limit took %v", ids(got))
	}
	// Another worker (node) has slots of its own.
	if got := h.claimPerKey("w2", 10, 2); !slices.Equal(ids(got), []int64{a[2].ID, a[3].ID}) {
		t.Fatalf("another worker's claim took %v; want a's next two %v", ids(got), []int64{a[2].ID, a[3].ID})
	}
	// A completed job frees one slot of its key.
	if err := h.q.CompleteJobs(ctx, "w1", []int64{a[0].ID}); err != nil {
		t.Fatal(err)
	}
	if got := h.claimPerKey("w1", 10, 2); !slices.Equal(ids(got), []int64{a[4].ID}) {
		t.Fatalf("claim after a completion took %v; want only %d", ids(got), a[4].ID)
	}
	// A snoozed job does not run: it holds no slot (w1 now runs a[4]
	// alone), and being due earlier it is claimed before a[5].
	if err := h.q.SnoozeJob(ctx, "w1", a[1].ID, dbTime(a[1].CreatedAt)); err != nil {
		t.Fatal(err)
	}
	if got := h.claimPerKey("w1", 10, 2); !slices.Equal(ids(got), []int64{a[1].ID}) {
		t.Fatalf("claim after a snooze took %v; want only %d", ids(got), a[1].ID)
	}
	// A job whose work has ended takes no place, though the store still
	// holds it as running: a[4]'s completion is on its way.
	if got := h.claimPerKey("w1", 10, 2, a[4].ID, free[0].ID); !slices.Equal(ids(got), []int64{a[5].ID}) {
		t.Fatalf("claim with a[4] ended took %v; want only %d", ids(got), a[5].ID)
	}
	// Not said to have ended, it counts again: a has three running now.
	if got := h.claimPerKey("w1", 10, 2); len(got) != 0 {
		t.Fatalf("claim with a[4] running again took %v", ids(got))
	}
	// Another worker's jobs are not this worker's to call ended: w2
	// still runs a[2] and a[3].
	if got := h.claimPerKey("w2", 10, 2, a[1].ID); len(got) != 0 {
		t.Fatalf("w2's claim naming w1's a[1] as ended took %v", ids(got))
	}
	// Without a limit nothing is held back.
	more := h.enqueue(h.org, 2, inkform.EnqueueOpts{LimitKey: "handler a"})
	if want := append([]int64{a[6].ID}, ids(more)...); !slices.Equal(ids(h.claimPerKey("w1", 10, 0)), want) {
		t.Fatalf("claim without a limit did not take all of %v", want)
	}
}

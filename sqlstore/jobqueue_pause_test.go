package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestClaimOrgListingPause checks on every database what the pause in
// listing orgs (jobqueue_orgs.go) costs in fairness: nothing for this
// node's own enqueues, and for another node's at most orgsEvery (100 ms)
// of claims in due order.
func TestClaimOrgListingPause(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &clock{t: time.Now().Truncate(time.Microsecond)}
		node, other := openDB(t, dsn, sqlstore.Options{Now: clk.now}), openDB(t, dsn, sqlstore.Options{Now: clk.now})
		queue := "q_" + inkform.NewID()
		a, b, c := inkform.NewID(), inkform.NewID(), inkform.NewID()
		sorted := func(orgs ...string) []string { return slices.Sorted(slices.Values(orgs)) }
		enqueue := func(db *sqlstore.DB, org string, n int) {
			t.Helper()
			for i := range n {
				if _, err := db.Enqueue(ctx, org, noopArgs{N: i}, inkform.EnqueueOpts{Queue: queue}); err != nil {
					t.Fatalf("enqueue: %v", err)
				}
			}
		}
		claim := func(limit int) []string {
			t.Helper()
			jobs, err := node.ClaimJobs(ctx, queue, "w", limit, time.Minute, 0)
			if err != nil {
				t.Fatalf("claim: %v", err)
			}
			var orgs []string
			for _, j := range jobs {
				orgs = append(orgs, j.OrgID)
			}
			slices.Sort(orgs)
			return orgs
		}
		enqueue(node, a, 10)
		if got := claim(1); !slices.Equal(got, []string{a}) {
			t.Fatalf("first claim took %v; want one of a's jobs", got)
		}
		// This node's enqueue of another org ends the pause at once: the
		// next claim shares its slots, though b's job is last in due order.
		enqueue(node, b, 1)
		if got, want := claim(2), sorted(a, b); !slices.Equal(got, want) {
			t.Errorf("after this node enqueued b's job a claim of 2 took %v; want %v", got, want)
		}
		// Another node's enqueue is not heard: within orgsEvery of the last
		// listing the claims take jobs in due order.
		claim(1) // lists: only a has jobs
		enqueue(other, c, 1)
		if got, want := claim(2), []string{a, a}; !slices.Equal(got, want) {
			t.Errorf("right after another node enqueued c's job a claim of 2 took %v; want %v (due order)", got, want)
		}
		clk.t = clk.t.Add(100 * time.Millisecond)
		if got, want := claim(2), sorted(a, c); !slices.Equal(got, want) {
			t.Errorf("100 ms later a claim of 2 took %v; want %v (shared)", got, want)
		}
	})
}

// TestClaimKeyLookPause checks on every database what the pause in looking
// for due jobs while limit keys are full (jobqueue_keys.go) costs: nothing
// for this node's own enqueues or for a key that frees up, and for another
// node's enqueue of another key at most keysEvery (100 ms).
func TestClaimKeyLookPause(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &clock{t: time.Now().Truncate(time.Microsecond)}
		node, other := openDB(t, dsn, sqlstore.Options{Now: clk.now}), openDB(t, dsn, sqlstore.Options{Now: clk.now})
		queue, org := "q_"+inkform.NewID(), inkform.NewID()
		enqueue := func(db *sqlstore.DB, key string, n int) {
			t.Helper()
			for i := range n {
				if _, err := db.Enqueue(ctx, org, noopArgs{N: i}, inkform.EnqueueOpts{Queue: queue, LimitKey: key}); err != nil {
					t.Fatalf("enqueue: %v", err)
				}
			}
		}
		keysOf := map[int64]string{}
		claim := func() []*inkform.Job {
			t.Helper()
			jobs, err := node.ClaimJobs(ctx, queue, "w", 10, time.Minute, 2)
			if err != nil {
				t.Fatalf("claim: %v", err)
			}
			return jobs
		}
		claimed := func(jobs []*inkform.Job) []string {
			var keys []string
			for _, j := range jobs {
				keys = append(keys, keysOf[j.ID])
			}
			slices.Sort(keys)
			return keys
		}
		// More of h1's jobs than a claim takes, so that another key's are
		// behind them in due order.
		for i := range 30 {
			j, err := node.Enqueue(ctx, org, noopArgs{N: i}, inkform.EnqueueOpts{Queue: queue, LimitKey: "h1"})
			if err != nil {
				t.Fatal(err)
			}
			keysOf[j.ID] = "h1"
		}
		h1 := claim()
		if got := claimed(h1); !slices.Equal(got, []string{"h1", "h1"}) {
			t.Fatalf("first claim took keys %v; want two of h1 (its limit)", got)
		}
		if got := claim(); len(got) != 0 {
			t.Errorf("with h1 full a claim took %d jobs; want none", len(got))
		}
		// Another node's job of another key waits for the pause to end.
		enqueue(other, "h2", 1)
		if got := claim(); len(got) != 0 {
			t.Errorf("right after another node enqueued h2's job a claim took %d jobs; want none (paused)", len(got))
		}
		clk.t = clk.t.Add(100 * time.Millisecond)
		if got := claim(); len(got) != 1 {
			t.Errorf("100 ms later a claim took %d jobs; want h2's", len(got))
		}
		// This node's enqueue of another key ends the pause at once.
		enqueue(node, "h3", 1)
		if got := claim(); len(got) != 1 {
			t.Errorf("after this node enqueued h3's job a claim took %d jobs; want it", len(got))
		}
		// So does a full key's job completing.
		if err := node.CompleteJobs(ctx, "w", []int64{h1[0].ID}); err != nil {
			t.Fatal(err)
		}
		refill := claim()
		if got := claimed(refill); !slices.Equal(got, []string{"h1"}) {
			t.Errorf("after one of h1's jobs completed a claim took keys %v; want one of h1", got)
		}
		// Refills of h1 do not look behind its jobs while the last look is
		// younger than 100 ms: another node's job of h5 waits till then.
		enqueue(other, "h5", 1)
		if err := node.CompleteJobs(ctx, "w", []int64{refill[0].ID}); err != nil {
			t.Fatal(err)
		}
		refill = claim()
		if got := claimed(refill); !slices.Equal(got, []string{"h1"}) {
			t.Errorf("a refill right after another node enqueued h5's job took keys %v; want one of h1 (paused)", got)
		}
		clk.t = clk.t.Add(100 * time.Millisecond)
		if err := node.CompleteJobs(ctx, "w", []int64{refill[0].ID}); err != nil {
			t.Fatal(err)
		}
		if got := claim(); len(got) != 2 {
			t.Errorf("a refill 100 ms later took %d jobs; want one of h1 and h5's", len(got))
		}
	})
}

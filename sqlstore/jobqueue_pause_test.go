package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// twoNodes is a queue of one database seen by two stores, this node and
// another, whose clock the test moves. Jobs remember their limit keys.
type twoNodes struct {
	t           *testing.T
	node, other *sqlstore.DB
	clk         *clock
	queue       string
	keys        map[int64]string
}

func newTwoNodes(t *testing.T, dsn string) *twoNodes {
	clk := &clock{t: time.Now().Truncate(time.Microsecond)}
	return &twoNodes{t: t, clk: clk, queue: "q_" + inkform.NewID(), keys: map[int64]string{},
		node: openDB(t, dsn, sqlstore.Options{Now: clk.now}), other: openDB(t, dsn, sqlstore.Options{Now: clk.now})}
}

// enqueue adds n jobs of org with limit key key ("" for none) through db.
func (q *twoNodes) enqueue(db *sqlstore.DB, org, key string, n int) {
	q.t.Helper()
	for i := range n {
		j, err := db.Enqueue(context.Background(), org, noopArgs{N: i}, inkform.EnqueueOpts{Queue: q.queue, LimitKey: key})
		if err != nil {
			q.t.Fatalf("enqueue: %v", err)
		}
		q.keys[j.ID] = key
	}
}

// claim claims up to limit jobs on this node, perKey of a limit key.
func (q *twoNodes) claim(limit, perKey int) []*inkform.Job {
	q.t.Helper()
	jobs, err := q.node.ClaimJobs(context.Background(), q.queue, "w", limit, time.Minute, inkform.KeyLimit{PerKey: perKey})
	if err != nil {
		q.t.Fatalf("claim: %v", err)
	}
	return jobs
}

// complete marks the job completed.
func (q *twoNodes) complete(j *inkform.Job) {
	q.t.Helper()
	if err := q.node.CompleteJobs(context.Background(), "w", []int64{j.ID}); err != nil {
		q.t.Fatal(err)
	}
}

// sorted returns what of each job f says, sorted.
func sorted(jobs []*inkform.Job, f func(*inkform.Job) string) []string {
	var out []string
	for _, j := range jobs {
		out = append(out, f(j))
	}
	slices.Sort(out)
	return out
}

// TestClaimOrgListingPause checks on every database what the pause in
// listing orgs (jobqueue_orgs.go) costs in fairness: nothing for this
// node's own enqueues, and for another node's at most orgsEvery (100 ms)
// of claims in due order.
func TestClaimOrgListingPause(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		q := newTwoNodes(t, dsn)
		a, b, c := inkform.NewID(), inkform.NewID(), inkform.NewID()
		orgs := func(jobs []*inkform.Job) []string {
			return sorted(jobs, func(j *inkform.Job) string { return j.OrgID })
		}
		both := func(x, y string) []string { return slices.Sorted(slices.Values([]string{x, y})) }
		q.enqueue(q.node, a, "", 10)
		if got := orgs(q.claim(1, 0)); !slices.Equal(got, []string{a}) {
			t.Fatalf("first claim took %v; want one of a's jobs", got)
		}
		// This node's enqueue of another org ends the pause at once: the
		// next claim shares its slots, though b's job is last in due order.
		q.enqueue(q.node, b, "", 1)
		if got, want := orgs(q.claim(2, 0)), both(a, b); !slices.Equal(got, want) {
			t.Errorf("after this node enqueued b's job a claim of 2 took %v; want %v", got, want)
		}
		// Another node's enqueue is not heard: within orgsEvery of the last
		// listing the claims take jobs in due order.
		q.claim(1, 0) // lists: only a has jobs
		q.enqueue(q.other, c, "", 1)
		if got, want := orgs(q.claim(2, 0)), []string{a, a}; !slices.Equal(got, want) {
			t.Errorf("right after another node enqueued c's job a claim of 2 took %v; want %v (due order)", got, want)
		}
		q.clk.t = q.clk.t.Add(100 * time.Millisecond)
		if got, want := orgs(q.claim(2, 0)), both(a, c); !slices.Equal(got, want) {
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
		q := newTwoNodes(t, dsn)
		org := inkform.NewID()
		keys := func(jobs []*inkform.Job) []string {
			return sorted(jobs, func(j *inkform.Job) string { return q.keys[j.ID] })
		}
		claim := func() []*inkform.Job { return q.claim(10, 2) }
		// More of h1's jobs than a claim takes, so that another key's are
		// behind them in due order.
		q.enqueue(q.node, org, "h1", 30)
		h1 := claim()
		if got := keys(h1); !slices.Equal(got, []string{"h1", "h1"}) {
			t.Fatalf("first claim took keys %v; want two of h1 (its limit)", got)
		}
		if got := claim(); len(got) != 0 {
			t.Errorf("with h1 full a claim took %d jobs; want none", len(got))
		}
		// Another node's job of another key waits for the pause to end.
		q.enqueue(q.other, org, "h2", 1)
		if got := claim(); len(got) != 0 {
			t.Errorf("right after another node enqueued h2's job a claim took %d jobs; want none (paused)", len(got))
		}
		q.clk.t = q.clk.t.Add(100 * time.Millisecond)
		if got := keys(claim()); !slices.Equal(got, []string{"h2"}) {
			t.Errorf("100 ms later a claim took keys %v; want h2's", got)
		}
		// This node's enqueue of another key ends the pause at once.
		q.enqueue(q.node, org, "h3", 1)
		if got := keys(claim()); !slices.Equal(got, []string{"h3"}) {
			t.Errorf("after this node enqueued h3's job a claim took keys %v; want h3's", got)
		}
		// So does a full key's job completing.
		q.complete(h1[0])
		refill := claim()
		if got := keys(refill); !slices.Equal(got, []string{"h1"}) {
			t.Errorf("after one of h1's jobs completed a claim took keys %v; want one of h1", got)
		}
		// Refills of h1 do not look behind its jobs while the last look is
		// younger than 100 ms: another node's job of h5 waits till then.
		q.enqueue(q.other, org, "h5", 1)
		q.complete(refill[0])
		refill = claim()
		if got := keys(refill); !slices.Equal(got, []string{"h1"}) {
			t.Errorf("a refill right after another node enqueued h5's job took keys %v; want one of h1 (paused)", got)
		}
		q.clk.t = q.clk.t.Add(100 * time.Millisecond)
		q.complete(refill[0])
		if got := keys(claim()); !slices.Equal(got, []string{"h1", "h5"}) {
			t.Errorf("a refill 100 ms later took keys %v; want one of h1 and h5's", got)
		}
	})
}

package inkformtest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// ExerciseJobQueue runs the JobQueue and JobService contract against the
// Queue and Jobs of newStores; Jobs is how the cases see a job's state.
//
// Every case enqueues to a queue of its own, so cases may share a store.
// ReapJobs alone acts on every queue: the Reap case counts what it reaps,
// so it is the only case whose leases may expire during the run (the
// others lease for an hour).
func ExerciseJobQueue(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"EnqueueDefaults", testEnqueueDefaults},
		{"EnqueueOptions", testEnqueueOptions},
		{"InsertOpts", testInsertOpts},
		{"UniqueKey", testUniqueKey},
		{"Claim", testClaim},
		{"ClaimOrder", testClaimOrder},
		{"ClaimFairness", testClaimFairness},
		{"ClaimFairnessOneSlot", testClaimFairnessOneSlot},
		{"ClaimFairnessManyOrgs", testClaimFairnessManyOrgs},
		{"ConcurrentClaims", testConcurrentClaims},
		{"ClaimPerKey", testClaimPerKey},
		{"LeaseHolderOnly", testLeaseHolderOnly},
		{"Complete", testComplete},
		{"FailRetry", testFailRetry},
		{"FailDead", testFailDead},
		{"Snooze", testSnooze},
		{"Cancel", testCancel},
		{"Release", testRelease},
		{"Reap", testReap},
		{"QueueStats", testQueueStats},
		{"ListJobs", testListJobs},
		{"RetryJob", testRetryJob},
	})
}

// longLease is the lease of every case but Reap: long enough never to
// expire during a run.
const longLease = time.Hour

// suiteArgs are the args of the suite's jobs.
type suiteArgs struct {
	N int `json:"n"`
}

// Kind implements inkform.JobArgs.
func (suiteArgs) Kind() string { return "conformance" }

// otherArgs are args of a second kind.
type otherArgs struct{}

// Kind implements inkform.JobArgs.
func (otherArgs) Kind() string { return "conformance_other" }

// optsArgs carry their own insert options, as River's InsertOpts.
type optsArgs struct {
	Queue string `json:"queue"`
}

// Kind implements inkform.JobArgs.
func (optsArgs) Kind() string { return "conformance_opts" }

// InsertOpts implements inkform.JobArgsWithInsertOpts.
func (a optsArgs) InsertOpts() inkform.EnqueueOpts {
	return inkform.EnqueueOpts{Queue: a.Queue, Priority: 2, MaxAttempts: 7, UniqueKey: "own"}
}

// jq is a case's view of the queue: its own queue name and org.
type jq struct {
	t     *testing.T
	q     inkform.JobQueue
	jobs  inkform.JobService
	queue string
	org   string
}

func newJQ(t *testing.T, s Stores) *jq {
	t.Helper()
	need(t, "Queue", s.Queue != nil)
	need(t, "Jobs", s.Jobs != nil)
	return &jq{t: t, q: s.Queue, jobs: s.Jobs, queue: unique("q_"), org: inkform.NewID()}
}

// enqueue adds n jobs of the org (args N = 0…n-1) to the case's queue
// unless opts names another.
func (h *jq) enqueue(org string, n int, opts inkform.EnqueueOpts) []*inkform.Job {
	h.t.Helper()
	if opts.Queue == "" {
		opts.Queue = h.queue
	}
	out := make([]*inkform.Job, n)
	for i := range out {
		j, err := h.q.Enqueue(context.Background(), org, suiteArgs{N: i}, opts)
		if err != nil {
			h.t.Fatalf("enqueue: %v", err)
		}
		out[i] = j
	}
	return out
}

// claim claims up to max jobs of the case's queue for worker.
func (h *jq) claim(worker string, max int, lease time.Duration) []*inkform.Job {
	h.t.Helper()
	jobs, err := h.q.ClaimJobs(context.Background(), h.queue, worker, max, lease, inkform.KeyLimit{})
	if err != nil {
		h.t.Fatalf("claim: %v", err)
	}
	return jobs
}

// claimEach runs n claims of one slot each, every one of which must take a
// job, and returns the jobs in claim order.
func (h *jq) claimEach(n int) []*inkform.Job {
	h.t.Helper()
	var jobs []*inkform.Job
	for range n {
		got := h.claim("w", 1, longLease)
		if len(got) != 1 {
			h.t.Fatalf("claimed %d jobs, want 1", len(got))
		}
		jobs = append(jobs, got[0])
	}
	return jobs
}

// job reads a job of org through the JobService.
func (h *jq) job(org string, id int64) *inkform.Job {
	h.t.Helper()
	jobs, err := h.jobs.ListJobs(context.Background(), org, inkform.JobFilter{After: id - 1, Limit: 1})
	if err != nil {
		h.t.Fatalf("list jobs: %v", err)
	}
	if len(jobs) != 1 || jobs[0].ID != id {
		h.t.Fatalf("job %d of org %s not found (got %+v)", id, org, jobs)
	}
	return jobs[0]
}

// wantState fails unless the job of org is in state.
func (h *jq) wantState(what string, org string, id int64, state inkform.JobState) *inkform.Job {
	h.t.Helper()
	j := h.job(org, id)
	if j.State != state {
		h.t.Fatalf("%s: job %d is %s (attempt %d, error %q), want %s", what, id, j.State, j.Attempt, j.LastError, state)
	}
	return j
}

// ids returns the IDs of jobs.
func ids(jobs []*inkform.Job) []int64 {
	out := make([]int64, len(jobs))
	for i, j := range jobs {
		out[i] = j.ID
	}
	return out
}

func testEnqueueDefaults(t *testing.T, s Stores) {
	h := newJQ(t, s)
	before := time.Now().Add(-time.Second)
	j, err := h.q.Enqueue(context.Background(), h.org, suiteArgs{N: 7}, inkform.EnqueueOpts{})
	if err != nil {
		t.Fatal(err)
	}
	var args suiteArgs
	if err := json.Unmarshal(j.Args, &args); err != nil || args.N != 7 {
		t.Errorf("args %s (%v), want {\"n\":7}", j.Args, err)
	}
	if j.ID <= 0 || j.OrgID != h.org || j.Kind != "conformance" || j.Queue != inkform.QueueDefault ||
		j.State != inkform.JobAvailable || j.Attempt != 0 || j.MaxAttempts <= 1 || j.FinishedAt != nil {
		t.Errorf("enqueued %+v; want an available job of the default queue with default attempts", j)
	}
	if j.RunAt.Before(before) || j.RunAt.After(time.Now().Add(time.Second)) || j.CreatedAt.Before(before) {
		t.Errorf("run at %v, created at %v; want now", j.RunAt, j.CreatedAt)
	}
	if got := h.job(h.org, j.ID); got.Kind != j.Kind || string(got.Args) != string(j.Args) || !got.RunAt.Equal(j.RunAt) {
		t.Errorf("listed %+v, enqueued %+v", got, j)
	}
	k, err := h.q.Enqueue(context.Background(), h.org, suiteArgs{N: 8}, inkform.EnqueueOpts{})
	if err != nil || k.ID <= j.ID {
		t.Errorf("second enqueue: ID %v (%v), want one above %d", k, err, j.ID)
	}
}

func testEnqueueOptions(t *testing.T, s Stores) {
	h := newJQ(t, s)
	later := dbTime(time.Now().Add(time.Hour))
	j := h.enqueue(h.org, 1, inkform.EnqueueOpts{Priority: 3, MaxAttempts: 2, RunAt: later, UniqueKey: "k"})[0]
	if j.Queue != h.queue || j.Priority != 3 || j.MaxAttempts != 2 || !j.RunAt.Equal(later) || j.UniqueKey != "k" {
		t.Errorf("enqueued %+v; want the options given", j)
	}
	if got := h.claim("w", 10, longLease); len(got) != 0 {
		t.Errorf("claimed %+v, which runs in an hour", got)
	}
	other, err := h.q.ClaimJobs(context.Background(), unique("q_"), "w", 10, longLease, inkform.KeyLimit{})
	if err != nil || len(other) != 0 {
		t.Errorf("another queue's claim took %v (%v)", other, err)
	}
}

// testInsertOpts checks that args' own options apply at enqueue and that
// options given explicitly win, field by field.
func testInsertOpts(t *testing.T, s Stores) {
	h := newJQ(t, s)
	ctx := context.Background()
	own, err := h.q.Enqueue(ctx, h.org, optsArgs{Queue: h.queue}, inkform.EnqueueOpts{})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	if own.Queue != h.queue || own.Priority != 2 || own.MaxAttempts != 7 || own.UniqueKey != "own" {
		t.Errorf("enqueued %+v; want the args' own options", own)
	}
	given, err := h.q.Enqueue(ctx, h.org, optsArgs{Queue: h.queue}, inkform.EnqueueOpts{MaxAttempts: 3, UniqueKey: "given"})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	if given.Queue != h.queue || given.Priority != 2 || given.MaxAttempts != 3 || given.UniqueKey != "given" || given.ID == own.ID {
		t.Errorf("enqueued %+v; want the given attempts and key over the args' own", given)
	}
	if dup, err := h.q.Enqueue(ctx, h.org, optsArgs{Queue: h.queue}, inkform.EnqueueOpts{}); err != nil || dup.ID != own.ID {
		t.Errorf("the args' own unique key did not find job %d: %+v (%v)", own.ID, dup, err)
	}
}

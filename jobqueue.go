package inkform

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// MaxJobReaps is how many times a job may lose its worker while running
// before ReapJobs makes it dead instead of available again. A worker that
// dies mid-job (out of memory, killed, crashed) may have been killed by the
// job itself, say by a decompression bomb; with many attempts, such a job
// would take down one node after another. Three deaths are more than
// chance: a node restarting or losing its database connection costs one.
const MaxJobReaps = 3

// JobReapedTooOften returns the LastError of a job that ReapJobs made dead
// because its worker died MaxJobReaps times while running it.
func JobReapedTooOften() string {
	return fmt.Sprintf("its worker died %d times while running it (the lease expired each time); "+
		"the job may be what kills workers, so it runs again only when retried", MaxJobReaps)
}

// JobQueue is the storage side of the job queue, implemented by sqlstore and
// driven by the queue package's runtime. Methods that take a worker act only
// on jobs that worker holds the lease of, so a worker whose lease expired
// (and whose job another worker took over) cannot complete it twice.
type JobQueue interface {
	// Enqueue stores a job outside any other transaction. With a
	// UniqueKey that an unfinished job of the kind already has, it
	// returns that job and stores nothing.
	Enqueue(ctx context.Context, orgID string, args JobArgs, opts EnqueueOpts) (*Job, error)
	// ClaimJobs leases up to max available jobs of a queue whose RunAt
	// has come to worker, sharing the claim fairly between orgs, and
	// counts an attempt for each. Within an org, a lower Priority number
	// goes first, then the earlier RunAt, then the lower ID. With
	// limit.PerKey > 0, a job with a LimitKey is skipped while that many
	// jobs of its key run under worker's lease (those claimed now
	// included, limit.Ended left out), so the claim takes other jobs
	// instead.
	ClaimJobs(ctx context.Context, queue, worker string, max int, lease time.Duration, limit KeyLimit) ([]*Job, error)
	// ExtendLeases renews the leases worker holds on running jobs.
	ExtendLeases(ctx context.Context, worker string, ids []int64, lease time.Duration) error
	// CompleteJobs marks jobs completed.
	CompleteJobs(ctx context.Context, worker string, ids []int64) error
	// FailJob records a failed attempt: retryable at retryAt, or dead
	// when the job has used all its attempts or retryAt is zero.
	FailJob(ctx context.Context, worker string, id int64, message string, retryAt time.Time) error
	// SnoozeJob makes a job available again at runAt without counting
	// the attempt.
	SnoozeJob(ctx context.Context, worker string, id int64, runAt time.Time) error
	// CancelJob ends a job for good, keeping reason as its LastError.
	// Completed, cancelled and dead jobs get their FinishedAt.
	CancelJob(ctx context.Context, worker string, id int64, reason string) error
	// ReleaseJobs hands running jobs back (available now, attempt not
	// counted), as a node does when it stops.
	ReleaseJobs(ctx context.Context, worker string, ids []int64) error
	// ReapJobs makes the running jobs whose lease expired available again
	// (their worker crashed), or dead when out of attempts; it returns
	// how many it reaped. It counts each job's reaps, and a job reaped
	// for the MaxJobReaps-th time goes dead whatever attempts it has
	// left, with JobReapedTooOften as its LastError. RetryJob counts them
	// afresh.
	ReapJobs(ctx context.Context) (int, error)
	// QueueStats counts the unfinished jobs (available, running,
	// retryable) and the dead ones by queue and state, for metrics and
	// autoscaling; completed and cancelled jobs are not counted.
	QueueStats(ctx context.Context) ([]QueueStat, error)
}

// KeyLimit is the limit of a claim on the jobs of one limit key (say, one
// webhook handler's deliveries) that run at once under the claiming
// worker's lease. The zero value limits nothing.
type KeyLimit struct {
	// PerKey is the most jobs of one key that may run; 0 means no limit.
	PerKey int
	// Ended lists jobs of the worker's whose work has ended while their
	// outcome may not be stored yet (completions are stored in batches,
	// a little later): they still look running in the store, but they
	// take no place, so a key's next job need not wait for that write.
	Ended []int64
}

// QueueStat is the number of jobs of one queue in one state; for the
// available state, also the age of the oldest job that is due.
type QueueStat struct {
	Queue     string
	State     JobState
	Count     int
	OldestDue time.Duration
}

// ClaimTurns remembers, per queue, the org a JobQueue's last claim served
// first, so that the next claim starts with the org after it. A claim
// shares its slots between the orgs with due jobs; when it has fewer slots
// than there are busy orgs (one, say, with a queue's few workers busy),
// starting every claim at the first org in ID order would give that org
// every slot until its flood is done. Taking turns gives each busy org a
// slot within as many claims as there are busy orgs. The zero value is
// ready to use; it is safe for concurrent use.
type ClaimTurns struct {
	mu   sync.Mutex
	last map[string]string // queue → org served first
}

// Order returns orgs, sorted by ID, rotated to start with the first org
// after the one the queue's last claim served first.
func (c *ClaimTurns) Order(queue string, orgs []string) []string {
	c.mu.Lock()
	after := c.last[queue]
	c.mu.Unlock()
	i, _ := slices.BinarySearch(orgs, after)
	if i < len(orgs) && orgs[i] == after {
		i++
	}
	return append(slices.Clone(orgs[i:]), orgs[:i]...)
}

// Last returns the org the queue's last claim served first, "" for none.
// A claim that lists only some of the busy orgs lists those after it
// first, so that every busy org gets its turn however many there are.
func (c *ClaimTurns) Last(queue string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last[queue]
}

// Served records the org a claim of the queue served first.
func (c *ClaimTurns) Served(queue, org string) {
	c.mu.Lock()
	if c.last == nil {
		c.last = map[string]string{}
	}
	c.last[queue] = org
	c.mu.Unlock()
}

package sqlstore

import (
	"sync/atomic"
	"time"
)

// promoteEvery is how often a queue's claims on this node look for
// retryable jobs whose backoff has passed, unless this node made a job
// retryable since. That look is a statement of its own, a round trip on
// PostgreSQL and MySQL in every claim, while backoffs last a second and
// more: looking on every claim cost PostgreSQL about a fifth of an empty
// claim (BenchmarkClaimFullKey with nothing waiting).
const promoteEvery = 100 * time.Millisecond

// promoteGate decides which claims look for retryable jobs to promote. A
// queue's mark is the count of retryable jobs this node had made when its
// claim last looked.
type promoteGate struct {
	// failed counts the jobs this node made retryable (FailJob, ReapJobs).
	failed atomic.Uint64
	marks  queueMarks[uint64]
}

// due reports whether a claim of queue at now should look, and if so
// records that it does. A retryable job of another node's making waits
// at most promoteEvery longer than its backoff.
func (g *promoteGate) due(queue string, now time.Time) bool {
	failed := g.failed.Load()
	if seen, ok := g.marks.fresh(queue, now, promoteEvery); ok && seen == failed {
		return false
	}
	g.marks.set(queue, now, failed)
	return true
}

// retried tells the gate that this node made jobs retryable.
func (g *promoteGate) retried() { g.failed.Add(1) }

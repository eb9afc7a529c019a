package sqlstore

import (
	"sync"
	"time"
)

// orgsEvery is how long a queue's claims on this node go without listing
// the orgs with available jobs after a listing found one org or none. The
// listing (dueOrgsAfter, a recursive query) is there to share a claim's
// slots between orgs, which one org does not need; it was the costliest
// statement of a claim on PostgreSQL (0.25 ms of execution, about two
// claims per document; docs/performance.md, seventh round).
//
// What it costs: while the last listing found at most one org, jobs of
// another org that another node enqueued are claimed in due order
// (priority, run time, ID) with the first org's, rather than sharing the
// slots, for at most orgsEvery. This node's own enqueues of another org
// end the pause at once (orgGate.enqueued), so a single node is as fair
// as without it.
const orgsEvery = 100 * time.Millisecond

// orgGate decides which claims list the orgs with available jobs.
type orgGate struct {
	mu   sync.Mutex
	last map[string]orgsMark // by queue
}

// orgsMark is when a queue's orgs were last listed, and the one org found
// ("" for none).
type orgsMark struct {
	at  time.Time
	org string
}

// skip reports whether a claim of queue at now may go without listing the
// orgs: the last listing, less than orgsEvery ago, found one org or none,
// and this node has not enqueued another org's job since.
func (g *orgGate) skip(queue string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	m, ok := g.last[queue]
	return ok && !now.Before(m.at) && now.Sub(m.at) < orgsEvery
}

// listed records a listing of queue's orgs at now.
func (g *orgGate) listed(queue string, now time.Time, orgs []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(orgs) > 1 {
		delete(g.last, queue) // sharing to do: list at every claim
		return
	}
	if g.last == nil {
		g.last = map[string]orgsMark{}
	}
	m := orgsMark{at: now}
	if len(orgs) == 1 {
		m.org = orgs[0]
	}
	g.last[queue] = m
}

// enqueued tells the gate that this node enqueued a job of org in queue.
// After a listing that found no org, org is then the one known; after one
// that found another org, the next claim lists.
func (g *orgGate) enqueued(queue, org string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	m, ok := g.last[queue]
	switch {
	case !ok || m.org == org:
	case m.org == "":
		m.org = org
		g.last[queue] = m
	default:
		delete(g.last, queue)
	}
}

// reset makes every queue's next claim list the orgs (jobs made available
// outside the enqueues: an operator's retry).
func (g *orgGate) reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	clear(g.last)
}

package sqlstore

import "time"

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

// orgGate decides which claims list the orgs with available jobs. A
// queue's mark is the one org its last listing found ("" for none); a
// listing that found several leaves none.
type orgGate struct{ marks queueMarks[string] }

// skip reports whether a claim of queue at now may go without listing the
// orgs: the last listing, less than orgsEvery ago, found one org or none,
// and this node has not enqueued another org's job since.
func (g *orgGate) skip(queue string, now time.Time) bool {
	_, ok := g.marks.fresh(queue, now, orgsEvery)
	return ok
}

// listed records a listing of queue's orgs at now.
func (g *orgGate) listed(queue string, now time.Time, orgs []string) {
	switch len(orgs) {
	case 0:
		g.marks.set(queue, now, "")
	case 1:
		g.marks.set(queue, now, orgs[0])
	default:
		g.marks.drop(queue) // sharing to do: list at every claim
	}
}

// enqueued tells the gate that this node enqueued a job of org in queue.
// After a listing that found no org, org is then the one known; after one
// that found another org, the next claim lists.
func (g *orgGate) enqueued(queue, org string) {
	g.marks.change(queue, func(known *string) bool {
		if *known == "" {
			*known = org
		}
		return *known == org
	})
}

// reset makes every queue's next claim list the orgs (jobs made available
// outside the enqueues: an operator's retry).
func (g *orgGate) reset() { g.marks.reset() }

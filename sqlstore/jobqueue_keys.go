package sqlstore

import (
	"slices"
	"time"
)

// keysEvery is how long a queue's claims on this node skip looking for due
// jobs after a look found none but jobs of limit keys that were full
// (jobqueue_limit.go), while those keys stay full. With one busy endpoint
// every delivery in the queue has the same key: each claim of the deliver
// queue then read every waiting delivery's index entry to find none, a
// claim at about every completion (on SQLite 0.26–0.45 ms each, 0.35 ms
// per document in all; docs/performance.md, seventh round).
//
// What it costs: a job of another key that another node enqueued or woke,
// or that became due on its own (a held delivery whose time came), waits
// at most keysEvery longer. This node's enqueues of another key and its
// wake-ups of held deliveries (wakeDeliveries) end the pause at once
// (keyGate.enqueued), and so does any of the keys no longer being full.
const keysEvery = 100 * time.Millisecond

// keyGate decides which claims look for due jobs while limit keys are
// full. A queue's mark is the keys, sorted, that were full when its claim
// last found no due job but theirs.
type keyGate struct{ marks queueMarks[[]string] }

// skip reports whether a claim of queue at now, while the keys full are at
// their limit, may take nothing without looking: a look less than
// keysEvery ago found only jobs of keys that are all still full.
func (g *keyGate) skip(queue string, now time.Time, full []string) bool {
	keys, ok := g.marks.fresh(queue, now, keysEvery)
	if !ok {
		return false
	}
	for _, k := range keys {
		if !slices.Contains(full, k) {
			return false
		}
	}
	return true
}

// looked records a claim's look at queue's due jobs at now, with the keys
// full when it commits: more says whether it may have left jobs it could
// take (it took as many as it could).
func (g *keyGate) looked(queue string, now time.Time, full []string, more bool) {
	if more || len(full) == 0 {
		g.marks.drop(queue)
		return
	}
	g.marks.set(queue, now, slices.Sorted(slices.Values(full)))
}

// enqueued tells the gate that this node enqueued a job with limit key key
// ("" for none) in queue: unless that key is one of the full ones, the
// next claim looks.
func (g *keyGate) enqueued(queue, key string) {
	g.marks.change(queue, func(keys *[]string) bool {
		return key != "" && slices.Contains(*keys, key)
	})
}

// reset makes every queue's next claim look (jobs made available outside
// the enqueues: an operator's retry).
func (g *keyGate) reset() { g.marks.reset() }

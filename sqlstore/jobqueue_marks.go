package sqlstore

import (
	"sync"
	"time"
)

// queueMarks keeps, per queue, what a claim on this node last learnt and
// when, so that the claims that follow within a short while can spare the
// statement that learnt it (jobqueue_promote.go, jobqueue_orgs.go,
// jobqueue_keys.go). The zero value is ready to use.
type queueMarks[M any] struct {
	mu   sync.Mutex
	last map[string]queueMark[M]
}

// queueMark is a mark and when it was set.
type queueMark[M any] struct {
	at time.Time
	m  M
}

// fresh returns queue's mark when it was set less than every before now
// (not after it: a clock that went back makes every mark stale).
func (q *queueMarks[M]) fresh(queue string, now time.Time, every time.Duration) (M, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	m, ok := q.last[queue]
	if !ok || now.Before(m.at) || now.Sub(m.at) >= every {
		var zero M
		return zero, false
	}
	return m.m, true
}

// set sets queue's mark at now.
func (q *queueMarks[M]) set(queue string, now time.Time, m M) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.last == nil {
		q.last = map[string]queueMark[M]{}
	}
	q.last[queue] = queueMark[M]{at: now, m: m}
}

// change lets fn change queue's mark, if it has one, keeping its time; the
// mark is dropped when fn returns false.
func (q *queueMarks[M]) change(queue string, fn func(m *M) bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	m, ok := q.last[queue]
	if !ok {
		return
	}
	if !fn(&m.m) {
		delete(q.last, queue)
		return
	}
	q.last[queue] = m
}

// drop drops queue's mark.
func (q *queueMarks[M]) drop(queue string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.last, queue)
}

// reset drops every queue's mark.
func (q *queueMarks[M]) reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	clear(q.last)
}

package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// Group commit. A commit that waits for the disk (synchronous=FULL on
// SQLite, fsync on the servers) costs about a millisecond, so one commit per
// submission caps ingest near 1,000/s. Captures instead go on a channel;
// each writer goroutine takes the first waiting request, collects more for
// up to BatchWait or until it has BatchMax, and runs them all in one
// transaction before answering each caller.
//
// No savepoints: captureTx finds every expected failure (a quarantined
// address, an unknown quarantine entry, a replayed submission ID) before
// its first write, so such a submission is simply answered and the batch
// goes on; a quarantine entry is written into the same batch. Any other
// error (a deadlock, a broken connection) may leave part of a submission
// behind, so the whole batch is rolled back and every submission runs
// again alone (twice at most, see batchAttempts). This
// saves two statements per submission over a SAVEPOINT each, and a round
// trip is what a capture costs on PostgreSQL and MySQL. For the same
// reason the rows nothing in the batch reads again (copied-pattern
// documents, status changes, ink, jobs) are collected and inserted at the
// end of the batch with a few multi-row statements (capture_pending.go).

// batchTimeout bounds one batch transaction. Batches do not run under a
// caller's context: one caller giving up must not fail the others.
const batchTimeout = time.Minute

type captureReq struct {
	ctx       context.Context
	orgID     string
	sub       *inkform.InkSubmission
	reprocess string // quarantine entry deleted in the same transaction
	encoded   []byte // ink.Encode(sub.Pages), made by the caller
	// fingerprint is inkFingerprint of the submission, made by the
	// caller; "" without a submission ID.
	fingerprint string
	done        chan captureAnswer
}

type captureAnswer struct {
	res *inkform.CaptureResult
	err error
}

type batcher struct {
	db   *DB
	reqs chan *captureReq

	mu     sync.RWMutex // guards closed against sends on a closed channel
	closed bool
	wg     sync.WaitGroup
}

func newBatcher(db *DB) *batcher {
	b := &batcher{db: db, reqs: make(chan *captureReq, db.opts.BatchMax*db.opts.Writers)}
	for range db.opts.Writers {
		b.wg.Add(1)
		go b.writer()
	}
	return b
}

// submit queues a request and waits for its answer or for ctx. A caller
// that gives up after its request was taken may still see it committed; a
// retry with the same submission ID then gets the stored result.
func (b *batcher) submit(ctx context.Context, r *captureReq) (*inkform.CaptureResult, error) {
	r.done = make(chan captureAnswer, 1)
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return nil, inkform.Errorf(inkform.EUNAVAILABLE, "the store is closing")
	}
	select {
	case b.reqs <- r:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return nil, fmt.Errorf("capture: %w", ctx.Err())
	}
	select {
	case a := <-r.done:
		return a.res, a.err
	case <-ctx.Done():
		return nil, fmt.Errorf("capture: %w", ctx.Err())
	}
}

// close stops accepting requests and waits until every queued one has
// been committed and answered.
func (b *batcher) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.reqs)
	}
	b.mu.Unlock()
	b.wg.Wait()
}

func (b *batcher) writer() {
	defer b.wg.Done()
	batchMax, wait := b.db.opts.BatchMax, b.db.opts.BatchWait
	timer := time.NewTimer(wait)
	for first := range b.reqs {
		batch := []*captureReq{first}
		timer.Reset(wait)
	collect:
		for len(batch) < batchMax {
			select {
			case r, ok := <-b.reqs:
				if !ok {
					break collect
				}
				batch = append(batch, r)
			case <-timer.C:
				break collect
			}
		}
		timer.Stop()
		b.db.runBatch(batch, batchAttempts)
	}
}

// batchAttempts is how often a failed batch is run again, one request at a
// time: two, so that a request that lost a deadlock on its own can try once
// more.
const batchAttempts = 2

// runBatch runs requests in one transaction and answers each. While
// retries is positive, a batch that fails runs again one request at a time.
func (db *DB) runBatch(batch []*captureReq, retries int) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- captureAnswer{err: fmt.Errorf("capture: %w", err)}
		} else {
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	fail := func(err error) {
		if retries > 0 {
			for _, r := range live {
				db.runBatch([]*captureReq{r}, retries-1)
			}
			return
		}
		for _, r := range live {
			r.done <- captureAnswer{err: err}
		}
	}
	tx, err := db.w.BeginTx(ctx, db.d.txOptions())
	if err != nil {
		fail(fmt.Errorf("capture: begin: %w", outage(err)))
		return
	}
	defer db.wKept.prepareMissed(ctx)
	q := db.inWriterTx(tx).prepared()
	p := newPending()
	answers := make([]captureAnswer, len(live))
	for i, r := range live {
		res, err := db.captureTx(ctx, q, r, p)
		var qe *quarantineError
		var ae *inkform.Error
		switch {
		case err == nil:
			answers[i].res = res
		case errors.As(err, &qe) && r.reprocess != "":
			answers[i].err = inkform.Errorf(inkform.EUNPROCESSABLE, "%s; the submission stays in quarantine", qe.reason)
		case errors.As(err, &qe):
			id, qerr := db.insertQuarantine(ctx, q, r.orgID, r.sub, qe)
			if qerr != nil {
				_ = tx.Rollback()
				fail(qerr)
				return
			}
			answers[i].err = inkform.Errorf(inkform.EUNPROCESSABLE, "%s; the submission is quarantined as %s", qe.reason, id)
		case errors.As(err, &ae) && ae.Code != inkform.EUNAVAILABLE:
			answers[i].err = err // found before any write
		default:
			_ = tx.Rollback()
			fail(fmt.Errorf("capture: %w", err))
			return
		}
	}
	if err := db.flush(ctx, q, p); err != nil {
		_ = tx.Rollback()
		fail(fmt.Errorf("capture: %w", err))
		return
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("capture: commit: %w", outage(err)))
		return
	}
	stored := false
	for i, r := range live {
		stored = stored || answers[i].res != nil && !answers[i].res.Replayed
		r.done <- answers[i]
	}
	if stored {
		// Every stored submission enqueued an interpret job (or found one
		// still waiting): wake this node's interpret workers once.
		db.notifyEnqueued(inkform.QueueInterpret)
	}
	if p.deliveries > 0 {
		db.notifyEnqueued(inkform.QueueDeliver)
	}
}

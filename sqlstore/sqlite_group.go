package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Group commit of SQLite's small write transactions. SQLite has one writer
// connection, and a commit at synchronous=FULL waits for an fsync (about
// 2 ms of this machine's disk), so when every interpretation, render record
// and job claim commits on its own, the writer is busy with fsyncs long
// before the cores are: at 80 documents/s it committed ~750 transactions a
// second and was busy 70% of the time.
//
// inWrite and inLeaseWrite therefore hand their function to one goroutine
// that owns the writer. It takes every request waiting when it is free (up
// to groupMax), runs each in a SAVEPOINT of one transaction — a function
// that fails is rolled back to its savepoint alone — and commits once;
// each caller returns after that commit, as it did after its own. A
// request that finds the writer idle runs alone at once, as before, with no
// savepoint and no added wait. The group commits at FULL unless every
// function in it is job bookkeeping (inLeaseWrite) or a job's own write
// (inkform.WithRedoableWrites), which may commit at NORMAL (relaxedWrite).
//
// Functions run in the order they were taken, so each sees the changes of
// the ones before it, as if they had committed one after another. Captures
// keep their own batcher (batch.go), which shares the writer connection.

// groupMax bounds how many functions share one commit.
const groupMax = 128

type writeReq struct {
	ctx     context.Context
	relaxed bool
	fn      func(tx querier) error
	done    chan error
}

// writeGroup owns SQLite's writer for inWrite and inLeaseWrite.
type writeGroup struct {
	db   *DB
	reqs chan *writeReq
	// shared counts the functions that ran in a group of more than one.
	shared atomic.Int64

	mu     sync.RWMutex // guards closed against sends on a closed channel
	closed bool
	wg     sync.WaitGroup
}

func newWriteGroup(db *DB) *writeGroup {
	g := &writeGroup{db: db, reqs: make(chan *writeReq, groupMax)}
	g.wg.Add(1)
	go g.run()
	return g
}

// do runs fn in a write transaction, alone or in a group, and returns once
// it is committed or has failed. After close it writes on its own.
func (g *writeGroup) do(ctx context.Context, relaxed bool, fn func(tx querier) error) error {
	r := &writeReq{ctx: ctx, relaxed: relaxed, fn: fn, done: make(chan error, 1)}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return g.db.writeAlone(ctx, relaxed, fn)
	}
	select {
	case g.reqs <- r:
		g.mu.RUnlock()
	case <-ctx.Done():
		g.mu.RUnlock()
		return fmt.Errorf("write: %w", ctx.Err())
	}
	// Once taken, the function may commit: the caller waits for the
	// outcome even when its context ends (the function's statements fail
	// then, so the wait is short).
	return <-r.done
}

// close stops taking requests once those queued are done.
func (g *writeGroup) close() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.reqs)
	}
	g.mu.Unlock()
	g.wg.Wait()
}

func (g *writeGroup) run() {
	defer g.wg.Done()
	for first := range g.reqs {
		group := []*writeReq{first}
	collect:
		for len(group) < groupMax {
			select {
			case r, ok := <-g.reqs:
				if !ok {
					break collect
				}
				group = append(group, r)
			default:
				break collect
			}
		}
		if len(group) == 1 {
			fn := func(q querier) error { return runGrouped(first.fn, q) }
			first.done <- g.db.writeAlone(first.ctx, first.relaxed, fn)
			continue
		}
		g.shared.Add(int64(len(group)))
		g.commit(group)
	}
}

// commit runs a group in one transaction and answers every request.
func (g *writeGroup) commit(group []*writeReq) {
	relaxed := true
	for _, r := range group {
		relaxed = relaxed && r.relaxed
	}
	errs := make([]error, len(group))
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	err := g.db.onWriter(ctx, relaxed, func(tx *sql.Tx) error {
		q := g.db.inWriterTx(tx)
		for i, r := range group {
			if err := r.ctx.Err(); err != nil {
				errs[i] = fmt.Errorf("write: %w", err)
				continue
			}
			if _, err := tx.ExecContext(ctx, "SAVEPOINT grouped"); err != nil {
				return fmt.Errorf("savepoint: %w", err)
			}
			if errs[i] = runGrouped(r.fn, q); errs[i] != nil {
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO grouped"); err != nil {
					return fmt.Errorf("rollback to savepoint: %w", err)
				}
			}
			if _, err := tx.ExecContext(ctx, "RELEASE grouped"); err != nil {
				return fmt.Errorf("release savepoint: %w", err)
			}
		}
		return nil
	})
	for i, r := range group {
		if errs[i] == nil && err != nil {
			errs[i] = fmt.Errorf("group commit: %w", err)
		}
		r.done <- errs[i]
	}
}

// runGrouped runs one function on the writer goroutine, turning a panic
// into its error so that it fails alone rather than stopping the process
// (its caller's goroutine, where it ran before, may recover from panics).
func runGrouped(fn func(tx querier) error, q querier) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in write transaction: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(q)
}

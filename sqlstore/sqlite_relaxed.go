package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"
)

// SQLite's synchronous settings for the writer connection: FULL makes a
// commit wait until the WAL reached the disk; NORMAL lets it return
// before, and the next FULL commit (or checkpoint) syncs it along.
const (
	pragmaSyncFull   = "PRAGMA synchronous = FULL"
	pragmaSyncNormal = "PRAGMA synchronous = NORMAL"
)

// restoreTimeout bounds setting synchronous back to FULL after a relaxed
// write, also when the write's own context has ended.
const restoreTimeout = 5 * time.Second

// relaxedWrite runs fn in a write transaction on SQLite's writer
// connection with synchronous=NORMAL, so that its commit does not wait for
// an fsync. Only job bookkeeping (claims, completions, snoozes, lease
// extensions; see inLeaseWrite) and the writes of a running job (see
// inkform.WithRedoableWrites) use it: a crash that loses such a commit
// only makes a job run again, which at-least-once delivery allows.
// WAL commits reach the file in order, so a later FULL commit — a capture
// or anything a client was told is stored — syncs these along and nothing
// else ever waits for less than FULL.
//
// SQLite refuses to change synchronous inside a transaction, so the
// setting brackets the transaction on a connection held for the whole
// time: no other write can run on it meanwhile (SQLite has one writer
// connection). The setting is restored however fn, the commit or ctx
// end; a connection on which that fails is closed, never reused, so the
// pool only ever hands out connections at FULL. The PRAGMAs run as plain
// statements: a prepared one would be kept per connection (stmtcache).
func (db *DB) relaxedWrite(ctx context.Context, fn func(tx querier) error) error {
	return db.onWriter(ctx, true, func(tx *sql.Tx) error { return fn(db.inWriterTx(tx)) })
}

// onWriter runs fn in a transaction on the writer connection, held for the
// whole time, at synchronous=NORMAL when relaxed (see relaxedWrite), and
// commits it when fn returns nil.
func (db *DB) onWriter(ctx context.Context, relaxed bool, fn func(tx *sql.Tx) error) (err error) {
	c, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("writer connection: %w", outage(err))
	}
	defer func() {
		if relaxed {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), restoreTimeout)
			defer cancel()
			if _, rerr := c.ExecContext(rctx, pragmaSyncFull); rerr != nil {
				// ErrBadConn from Raw makes database/sql close the connection.
				_ = c.Raw(func(any) error { return driver.ErrBadConn })
			}
		}
		_ = c.Close()
		db.wKept.prepareMissed(ctx)
	}()
	if relaxed {
		if _, err := c.ExecContext(ctx, pragmaSyncNormal); err != nil {
			return fmt.Errorf("relax synchronous: %w", outage(err))
		}
	}
	tx, err := c.BeginTx(ctx, db.d.txOptions())
	if err != nil {
		return fmt.Errorf("begin: %w", outage(err))
	}
	// A no-op after Commit; after a panic in fn it ends the transaction
	// before the setting is restored.
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", outage(err))
	}
	return nil
}

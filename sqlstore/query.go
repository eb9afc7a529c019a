package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/inkform/inkform"
)

// execer is what *sql.DB, *sql.Tx and stmtCache offer. Only querier calls
// it: the rest of the package runs its statements through a querier.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// querier runs the package's SQL, written with ? placeholders, on a pool, a
// transaction or a transaction's statement cache, rebinding each statement
// for the dialect on the way. It is the package's only path to the
// database, so no statement can skip the rebinding and work only on the
// dialects that need none. Functions that work inside a caller's
// transaction take one.
type querier struct {
	db *DB
	x  execer
	// fallback is the primary when x is a read replica: a read that fails
	// because of the replica (see replicaFailed) runs again there, so
	// reads keep working while the replica is down.
	fallback execer
	// kept are x's pool's statements kept prepared (SQLite); nil for none.
	kept *keptStmts
}

// keptStmt returns the kept prepared statement to run query with, bound
// to x when x is a transaction; nil to run it unprepared.
func (q querier) keptStmt(ctx context.Context, query string) *sql.Stmt {
	if q.kept == nil {
		return nil
	}
	if tx, ok := q.x.(*sql.Tx); ok {
		return q.kept.forTx(ctx, tx, query)
	}
	if _, ok := q.x.(*sql.DB); ok {
		return q.kept.forPool(ctx, query)
	}
	return nil
}

// exec runs a statement that returns no rows.
func (q querier) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query = q.db.binds.bind(q.db.d, query)
	if s := q.keptStmt(ctx, query); s != nil {
		res, err := s.ExecContext(ctx, args...)
		return res, outage(err)
	}
	res, err := q.x.ExecContext(ctx, query, args...)
	return res, outage(err)
}

// query runs a statement that returns rows.
func (q querier) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query = q.db.binds.bind(q.db.d, query)
	if s := q.keptStmt(ctx, query); s != nil {
		rows, err := s.QueryContext(ctx, args...)
		return rows, outage(err)
	}
	rows, err := q.x.QueryContext(ctx, query, args...)
	if err != nil && q.fallback != nil && replicaFailed(err) {
		q.db.rep.markDown(err)
		rows, err = q.fallback.QueryContext(ctx, query, args...)
	}
	return rows, outage(err)
}

// queryRow runs a statement that returns at most one row.
func (q querier) queryRow(ctx context.Context, query string, args ...any) row {
	query = q.db.binds.bind(q.db.d, query)
	if s := q.keptStmt(ctx, query); s != nil {
		return row{r: s.QueryRowContext(ctx, args...), db: q.db}
	}
	r := row{r: q.x.QueryRowContext(ctx, query, args...), db: q.db}
	if q.fallback != nil {
		r.retry = func() *sql.Row { return q.fallback.QueryRowContext(ctx, query, args...) }
	}
	return r
}

// row is a *sql.Row whose Scan marks an outage (see outage), which
// database/sql reports only when the row is scanned.
type row struct {
	r *sql.Row
	// retry runs the query again on the primary, for a read on the
	// replica; nil elsewhere.
	retry func() *sql.Row
	db    *DB
}

// Scan copies the row's columns into dest, as sql.Row.Scan does. A read
// on the replica runs again on the primary when the replica failed it,
// and when the row is missing there: a lagging replica may not have it
// yet, and a row looked up by its key (a token, a document a webhook
// links to) must not be "not found" a moment after it was made. Missing
// rows are rare, so this costs the primary little.
func (r row) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if err != nil && r.retry != nil {
		switch {
		case replicaFailed(err):
			r.db.rep.markDown(err)
			err = r.retry().Scan(dest...)
		case errors.Is(err, sql.ErrNoRows):
			r.db.rep.missed()
			err = r.retry().Scan(dest...)
		}
	}
	return outage(err)
}

// Err returns the error of running the query, as sql.Row.Err does.
func (r row) Err() error { return outage(r.r.Err()) }

// prepared returns a querier that prepares each distinct statement once
// (see stmtCache), for a transaction that runs the same few statements
// many times, where the dialect gains by it. On anything but a transaction
// it returns q.
func (q querier) prepared() querier {
	tx, ok := q.x.(*sql.Tx)
	if !ok || !q.db.d.preparesInTx() {
		return q
	}
	return querier{db: q.db, x: &stmtCache{tx: tx, stmts: map[string]*sql.Stmt{}, kept: q.kept}}
}

// writer runs statements on the primary database, each in a transaction of
// its own.
func (db *DB) writer() querier { return querier{db: db, x: db.w, kept: db.wKept} }

// reader runs read-only statements, on a replica when one is configured
// and it holds what ctx must see (inkform.ReadAfter); on the primary when
// it does not, lags too far or does not answer (replica.go).
func (db *DB) reader(ctx context.Context) querier {
	if db.rep == nil {
		return querier{db: db, x: db.r, kept: db.rKept}
	}
	if db.rep.choose(ctx) != ReadReplica {
		return querier{db: db, x: db.w}
	}
	return querier{db: db, x: db.r, fallback: db.w}
}

// primary runs read-only statements that must see the latest commit: on
// SQLite the read pool (the same file, which never lags), elsewhere the
// writer's pool, since the read pool may be a replica.
func (db *DB) primary() querier {
	if db.d.embedded() {
		return querier{db: db, x: db.r, kept: db.rKept}
	}
	return db.writer()
}

// maxBound bounds the rebound statements kept. The package's statements
// are a few hundred shapes (multi-row inserts and IN lists vary with their
// length); the bound only guards against a shape built from data.
const maxBound = 4096

// bindCache keeps the rebound text of each statement, so a hot statement
// is rewritten once, not on every execution (a lookup takes about 25 ns, a
// rewrite of a 13-column INSERT about 600: BenchmarkBind). The statement cache
// (stmtCache) and pgx's own are keyed by the rebound text.
type bindCache struct {
	m sync.Map // query → rebound query
	n atomic.Int64
}

// bind returns query rebound for d.
func (c *bindCache) bind(d dialect, query string) string {
	if !d.numbersPlaceholders() {
		return query
	}
	if s, ok := c.m.Load(query); ok {
		return s.(string)
	}
	s := d.rebind(query)
	if c.n.Load() < maxBound {
		if _, loaded := c.m.LoadOrStore(query, s); !loaded {
			c.n.Add(1)
		}
	}
	return s
}

// inTx runs statements in tx.
func (db *DB) inTx(tx *sql.Tx) querier { return querier{db: db, x: tx} }

// inWriterTx runs statements in tx, a transaction on the writer pool,
// reusing the statements kept prepared there. The caller calls
// db.wKept.prepareMissed once the transaction is over.
func (db *DB) inWriterTx(tx *sql.Tx) querier { return querier{db: db, x: tx, kept: db.wKept} }

// inWrite runs fn in a write transaction and commits it when fn returns nil.
// On SQLite it may share its commit with others (sqlite_group.go).
//
// In a context of redoable writes (a job's, see inkform.WithRedoableWrites)
// the commit does not wait for the disk, as inLeaseWrite's.
func (db *DB) inWrite(ctx context.Context, fn func(tx querier) error) error {
	relaxed := inkform.RedoableWrites(ctx)
	if db.group != nil {
		return db.group.do(ctx, relaxed, fn)
	}
	return db.writeAlone(ctx, relaxed, fn)
}

// inLeaseWrite runs fn in a write transaction that changes only the
// bookkeeping of claimed jobs (leases, completion). Such a transaction
// does not wait for its commit to reach the disk: if a crash loses it,
// the job is simply available again and runs once more, which
// at-least-once delivery allows anyway. On PostgreSQL it saves a 3–4 ms
// WAL flush per claim and per completion batch (asyncCommit), on SQLite
// an fsync (relaxedWrite); MySQL has no per-transaction setting. Enqueues
// and captures never use it.
func (db *DB) inLeaseWrite(ctx context.Context, fn func(tx querier) error) error {
	if db.group != nil {
		return db.group.do(ctx, true, fn)
	}
	return db.writeAlone(ctx, true, fn)
}

// writeAlone runs fn in a write transaction of its own: relaxed is
// inLeaseWrite's, otherwise inWrite's.
func (db *DB) writeAlone(ctx context.Context, relaxed bool, fn func(tx querier) error) error {
	if relaxed && db.d.embedded() {
		return db.relaxedWrite(ctx, fn)
	}
	return db.write(ctx, relaxed, fn)
}

func (db *DB) write(ctx context.Context, lease bool, fn func(tx querier) error) error {
	tx, err := db.w.BeginTx(ctx, db.d.txOptions())
	if err != nil {
		return fmt.Errorf("begin: %w", outage(err))
	}
	defer db.wKept.prepareMissed(ctx)
	q := db.inWriterTx(tx)
	if stmt := db.d.asyncCommit(); lease && stmt != "" {
		if _, err := q.exec(ctx, stmt); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if err := fn(q); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", outage(err))
	}
	return nil
}

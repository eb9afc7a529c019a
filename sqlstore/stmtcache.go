package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"
)

// stmtCache prepares each distinct statement once per transaction. A batch
// runs the same ten or so statements for each of up to BatchMax
// submissions: on SQLite this saves parsing and planning them every time
// (a fifth of the capture CPU), and on MySQL it turns prepare + execute
// into one round trip per execution. querier.prepared makes one where the
// dialect gains by it; it is keyed by the rebound statement.
type stmtCache struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	kept  *keptStmts // the pool's kept statements; nil for none
}

// stmt returns the prepared statement for query. Statements prepared on a
// transaction are closed by its commit or rollback.
func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	if s := c.kept.forTx(ctx, c.tx, query); s != nil {
		c.stmts[query] = s
		return s, nil
	}
	s, err := c.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = s
	return s, nil
}

// ExecContext implements execer.
func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// QueryContext implements execer.
func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// QueryRowContext implements execer. When preparing fails, the unprepared
// query reports the error through the returned row, as sql.Row has no
// constructor for an error.
func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return c.tx.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// Bounds of the statements a pool keeps prepared.
const (
	maxKept             = 512 // statements per pool
	maxKeptPlaceholders = 64  // longer IN lists and multi-row inserts run unprepared
	prepareWait         = time.Second
)

// keptStmts keeps the statements run on one SQLite pool prepared on its
// connections (database/sql prepares a *sql.Stmt on each connection that
// runs it and keeps it there), so the hot queries — claims, completions,
// finding a document or form, saving a render — are parsed and planned
// once per connection, not at every use (12–14 % of the server's CPU in
// issue 13's profile). Inside a transaction a kept statement is reused
// through Tx.StmtContext; one not yet kept runs unprepared there and is
// prepared on the pool when the transaction is over (prepareMissed), as
// preparing on the pool while a transaction holds SQLite's one writer
// connection would wait for itself.
//
// PRAGMA statements are never kept: SQLite evaluates a PRAGMA read when it
// prepares it, so a kept "PRAGMA synchronous" would go on answering its
// first value.
type keptStmts struct {
	pool   *sql.DB
	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	missed map[string]struct{} // run in a transaction before being kept
}

func newKeptStmts(pool *sql.DB) *keptStmts {
	return &keptStmts{pool: pool, stmts: map[string]*sql.Stmt{}, missed: map[string]struct{}{}}
}

// keepable reports whether query may be kept prepared.
func keepable(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n")
	if len(q) >= 6 && strings.EqualFold(q[:6], "PRAGMA") {
		return false
	}
	return strings.Count(query, "?") <= maxKeptPlaceholders
}

// forPool returns the kept statement for query, preparing it on the pool
// when it is not kept yet; nil when it cannot be kept (the caller runs it
// unprepared, which also reports its error).
func (k *keptStmts) forPool(ctx context.Context, query string) *sql.Stmt {
	if k == nil || !keepable(query) {
		return nil
	}
	k.mu.Lock()
	s, ok := k.stmts[query]
	full := len(k.stmts) >= maxKept
	k.mu.Unlock()
	if ok {
		return s
	}
	if full {
		return nil
	}
	return k.prepare(ctx, query)
}

// forTx returns query's kept statement bound to tx, nil when it is not
// kept (noting it for prepareMissed).
func (k *keptStmts) forTx(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	if k == nil || !keepable(query) {
		return nil
	}
	k.mu.Lock()
	s, ok := k.stmts[query]
	if !ok && len(k.stmts)+len(k.missed) < maxKept {
		k.missed[query] = struct{}{}
	}
	k.mu.Unlock()
	if !ok {
		return nil
	}
	return tx.StmtContext(ctx, s)
}

// prepare prepares query on the pool and keeps it; two goroutines that
// prepare the same query together keep the first.
func (k *keptStmts) prepare(ctx context.Context, query string) *sql.Stmt {
	s, err := k.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if old, ok := k.stmts[query]; ok {
		_ = s.Close()
		return old
	}
	k.stmts[query] = s
	return s
}

// prepareMissed prepares on the pool the statements that transactions ran
// before they were kept. Call it with no transaction of the pool open in
// this goroutine; should one be left open (a panic), the wait for a
// connection gives up after prepareWait.
func (k *keptStmts) prepareMissed(ctx context.Context) {
	if k == nil {
		return
	}
	k.mu.Lock()
	if len(k.missed) == 0 {
		k.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(k.missed))
	for q := range k.missed {
		queries = append(queries, q)
	}
	clear(k.missed)
	k.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), prepareWait)
	defer cancel()
	for _, q := range queries {
		k.prepare(ctx, q)
	}
}

// close closes the kept statements.
func (k *keptStmts) close() {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for q, s := range k.stmts {
		_ = s.Close()
		delete(k.stmts, q)
	}
}

package sqlstore

import (
	"context"
	"database/sql"
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
}

// stmt returns the prepared statement for query. Statements prepared on a
// transaction are closed by its commit or rollback.
func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := c.stmts[query]; ok {
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

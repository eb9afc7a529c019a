package sqlstore

import (
	"context"
	"testing"
)

// Count returns the number of rows of table matching where (SQL with ?
// placeholders), so tests can check what was stored and what was not.
func (db *DB) Count(t testing.TB, table, where string, args ...any) int {
	t.Helper()
	var n int
	q := "SELECT COUNT(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	if err := db.writer().queryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// Rebind exposes the dialect's placeholder rewriting to tests.
func Rebind(d string, q string) string {
	switch d {
	case "postgres":
		return dialectPostgres.rebind(q)
	case "mysql":
		return dialectMySQL.rebind(q)
	}
	return dialectSQLite.rebind(q)
}

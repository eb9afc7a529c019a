package sqlstore

import (
	"context"
	"fmt"
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

// Exec runs a statement (SQL with ? placeholders) on the primary database,
// so tests can write what the store never would, such as rows of an older
// schema.
func (db *DB) Exec(t testing.TB, query string, args ...any) {
	t.Helper()
	if _, err := db.writer().exec(context.Background(), query, args...); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

// MigrateTo migrates the schema up or down to version.
func (db *DB) MigrateTo(t testing.TB, version int64) {
	t.Helper()
	p, err := db.migrator()
	if err != nil {
		t.Fatalf("migrate to %d: %v", version, err)
	}
	ctx := context.Background()
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		t.Fatalf("migrate to %d: %v", version, err)
	}
	if current > version {
		_, err = p.DownTo(ctx, version)
	} else {
		_, err = p.UpTo(ctx, version)
	}
	if err != nil {
		t.Fatalf("migrate to %d: %v", version, err)
	}
}

// LimitSQLitePages caps the SQLite file at n pages on the writer's
// connection, so a test can fill the "disk".
func (db *DB) LimitSQLitePages(t testing.TB, n int) {
	t.Helper()
	if _, err := db.writer().exec(context.Background(), fmt.Sprintf("PRAGMA max_page_count = %d", n)); err != nil {
		t.Fatalf("max_page_count: %v", err)
	}
}

// HasTable reports whether the schema has a table.
func (db *DB) HasTable(table string) bool {
	var n int
	return db.writer().queryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n) == nil
}

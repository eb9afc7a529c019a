package sqlstore_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// The conformance suite: every test runs on SQLite always and on PostgreSQL
// and MySQL/MariaDB when their DSN variables are set, each in a throw-away
// database, as subtests named after the dialect.
var dialects = sqlstoretest.Dialects

// forEachDB runs fn once per available database with a migrated store.
func forEachDB(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	forEachDSN(t, func(t *testing.T, dsn string) {
		fn(t, openDB(t, dsn, sqlstore.Options{}))
	})
}

// forEachDSN runs fn once per available database with the DSN of a fresh,
// empty database.
func forEachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	sqlstoretest.ForEach(t, fn)
}

// openDB opens and migrates a store, closed when the test ends.
func openDB(t testing.TB, dsn string, opts sqlstore.Options) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// newDatabase returns the DSN of an empty database dropped after the test.
func newDatabase(t testing.TB, dialect string) string {
	t.Helper()
	return sqlstoretest.NewDatabase(t, dialect)
}

// wantCode fails unless err carries the domain error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := inkform.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		// Two nodes starting at once: both migrate, neither fails.
		a, b := openRaw(t, dsn), openRaw(t, dsn)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, db := range []*sqlstore.DB{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Migrate(ctx)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
		// And again: nothing left to do.
		if err := a.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if n := a.Count(t, "goose_db_version", "version_id = ?", 1); n != 1 {
			t.Errorf("version 1 recorded %d times, want once", n)
		}
		if got := a.Dialect(); !strings.HasPrefix(t.Name(), "TestMigrate/"+got) {
			t.Errorf("Dialect() = %q in subtest %s", got, t.Name())
		}
		if err := a.Ping(ctx); err != nil {
			t.Errorf("ping: %v", err)
		}
	})
}

// openRaw opens a store without migrating it.
func openRaw(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	t.Parallel()
	for _, dsn := range []string{"", "oracle://x", "/tmp/file.txt", "mysql://bad dsn"} {
		_, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
		wantCode(t, err, inkform.EINVALID)
	}
}

func TestRebind(t *testing.T) {
	t.Parallel()
	tests := []struct{ dialect, in, want string }{
		{"postgres", "SELECT a FROM t WHERE b = ? AND c IN (?, ?)", "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"},
		{"postgres", "SELECT '?' FROM t WHERE b = ?", "SELECT '?' FROM t WHERE b = $1"},
		{"mysql", "SELECT a FROM t WHERE b = ?", "SELECT a FROM t WHERE b = ?"},
		{"sqlite", "SELECT a FROM t WHERE b = ?", "SELECT a FROM t WHERE b = ?"},
	}
	for _, tt := range tests {
		if got := sqlstore.Rebind(tt.dialect, tt.in); got != tt.want {
			t.Errorf("%s rebind(%q) = %q, want %q", tt.dialect, tt.in, got, tt.want)
		}
	}
}

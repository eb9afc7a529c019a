package sqlstore

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/inkform/inkform"
)

// SQLite's values of PRAGMA synchronous.
const (
	syncNormal = 1
	syncFull   = 2
)

// writerSync reads the writer connection's synchronous setting. It runs
// on the pool, not through a querier, so no prepared statement is reused.
func writerSync(t *testing.T, db *DB) int {
	t.Helper()
	var n int
	if err := db.w.QueryRowContext(context.Background(), "PRAGMA synchronous").Scan(&n); err != nil {
		t.Fatalf("read synchronous: %v", err)
	}
	return n
}

// TestRelaxedWriteRestoresFull checks that a relaxed write runs at
// synchronous=NORMAL and leaves the writer connection at FULL however it
// ends: committed, failed in fn or in SQL, its context cancelled, or fn
// panicking. Every capture runs on that connection after it.
func TestRelaxedWriteRestoresFull(t *testing.T) {
	t.Parallel()
	errFn := errors.New("handler failed")
	tests := []struct {
		name    string
		run     func(ctx context.Context, tx querier) error
		cancel  bool // cancel the write's context inside fn
		panics  bool
		wantErr bool
		stored  int // rows of t after the write
	}{
		{name: "committed", run: insertRow, stored: 1},
		{name: "fn fails", run: func(ctx context.Context, tx querier) error {
			if err := insertRow(ctx, tx); err != nil {
				return err
			}
			return errFn
		}, wantErr: true},
		{name: "statement fails", run: func(ctx context.Context, tx querier) error {
			if err := insertRow(ctx, tx); err != nil {
				return err
			}
			_, err := tx.exec(ctx, "INSERT INTO missing (x) VALUES (1)")
			return err
		}, wantErr: true},
		{name: "context cancelled", run: insertRow, cancel: true, wantErr: true},
		{name: "fn panics", run: func(ctx context.Context, tx querier) error {
			if err := insertRow(ctx, tx); err != nil {
				return err
			}
			panic("handler panicked")
		}, panics: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := openTableT(t)
			if got := writerSync(t, db); got != syncFull {
				t.Fatalf("synchronous before = %d, want FULL (%d)", got, syncFull)
			}
			wctx, cancel := context.WithCancel(ctx)
			defer cancel()
			inside := -1
			err := func() (err error) {
				defer func() {
					if r := recover(); r != nil && tt.panics {
						err = errors.New("panicked")
					} else if r != nil {
						panic(r)
					}
				}()
				return db.relaxedWrite(wctx, func(tx querier) error {
					if err := tx.queryRow(wctx, "PRAGMA synchronous").Scan(&inside); err != nil {
						return err
					}
					if tt.cancel {
						cancel()
					}
					return tt.run(wctx, tx)
				})
			}()
			if (err != nil) != (tt.wantErr || tt.panics) {
				t.Errorf("relaxedWrite error = %v, want error %v", err, tt.wantErr || tt.panics)
			}
			if inside != syncNormal {
				t.Errorf("synchronous inside = %d, want NORMAL (%d)", inside, syncNormal)
			}
			if got := writerSync(t, db); got != syncFull {
				t.Errorf("synchronous after = %d, want FULL (%d)", got, syncFull)
			}
			var n int
			if err := db.w.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != tt.stored {
				t.Errorf("%d rows stored, want %d", n, tt.stored)
			}
		})
	}
}

// openSQLiteT opens a SQLite store in the test's folder, closed when the
// test ends, with no tables.
func openSQLiteT(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openTableT is openSQLiteT with one table t (x INTEGER) and no
// migrations.
func openTableT(t *testing.T) *DB {
	t.Helper()
	db := openSQLiteT(t)
	if _, err := db.w.ExecContext(context.Background(), "CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	return db
}

func insertRow(ctx context.Context, tx querier) error {
	_, err := tx.exec(ctx, "INSERT INTO t (x) VALUES (1)")
	return err
}

// TestLeaseWritesRelaxed checks that job bookkeeping and writes in a job's
// context (redoable) on SQLite go through relaxedWrite and other writes do
// not.
func TestLeaseWritesRelaxed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTableT(t)
	redo := inkform.WithRedoableWrites(ctx)
	for _, tt := range []struct {
		name  string
		ctx   context.Context
		write func(context.Context, func(querier) error) error
		want  int
	}{
		{"lease write", ctx, db.inLeaseWrite, syncNormal},
		{"write", ctx, db.inWrite, syncFull},
		{"write in a job", redo, db.inWrite, syncNormal},
		{"lease write in a job", redo, db.inLeaseWrite, syncNormal},
	} {
		got := -1
		ctx := tt.ctx
		err := tt.write(ctx, func(tx querier) error {
			return tx.queryRow(ctx, "PRAGMA synchronous").Scan(&got)
		})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got != tt.want {
			t.Errorf("%s: synchronous = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestSQLiteWriterSettings checks the writer connection's settings that
// are easy to lose in an edit of its DSN: WAL, FULL, no automatic
// checkpoint, and temporary files (savepoints' sub-journals) in memory.
func TestSQLiteWriterSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTableT(t)
	for _, tt := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"},
		{"wal_autocheckpoint", "0"},
		{"temp_store", "2"},
	} {
		var got string
		if err := db.w.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatalf("read %s: %v", tt.pragma, err)
		}
		if got != tt.want {
			t.Errorf("writer %s = %s, want %s", tt.pragma, got, tt.want)
		}
	}
}

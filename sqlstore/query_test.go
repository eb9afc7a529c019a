package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
)

// recorder is an execer that notes the statements it is given.
type recorder struct{ got []string }

var errRecorded = errors.New("recorded")

func (r *recorder) ExecContext(_ context.Context, q string, _ ...any) (sql.Result, error) {
	r.got = append(r.got, q)
	return nil, errRecorded
}

func (r *recorder) QueryContext(_ context.Context, q string, _ ...any) (*sql.Rows, error) {
	r.got = append(r.got, q)
	return nil, errRecorded
}

func (r *recorder) QueryRowContext(_ context.Context, q string, _ ...any) *sql.Row {
	r.got = append(r.got, q)
	return nil
}

// TestQuerierRebinds checks that every way of running a statement hands the
// driver the dialect's placeholders, so no query can skip the rewriting.
func TestQuerierRebinds(t *testing.T) {
	t.Parallel()
	const in = "UPDATE t SET a = ? WHERE b = ? AND c = 'x?'"
	tests := []struct {
		d    dialect
		want string
	}{
		{dialectPostgres, "UPDATE t SET a = $1 WHERE b = $2 AND c = 'x?'"},
		{dialectMySQL, in},
		{dialectSQLite, in},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			q := querier{db: &DB{d: tt.d}, x: rec}
			ctx := context.Background()
			_, _ = q.exec(ctx, in)
			_, _ = q.query(ctx, in)
			_ = q.queryRow(ctx, in)
			for i, got := range rec.got {
				if got != tt.want {
					t.Errorf("statement %d = %q, want %q", i, got, tt.want)
				}
			}
			if len(rec.got) != 3 {
				t.Errorf("%d statements reached the driver, want 3", len(rec.got))
			}
		})
	}
}

// TestBindCache checks that the cache returns what rebind does, keeps each
// statement once and stops growing at maxBound.
func TestBindCache(t *testing.T) {
	t.Parallel()
	var c bindCache
	const q = "SELECT a FROM t WHERE b = ? AND c = ?"
	for range 3 {
		if got, want := c.bind(dialectPostgres, q), dialectPostgres.rebind(q); got != want {
			t.Fatalf("bind = %q, want %q", got, want)
		}
	}
	if n := c.n.Load(); n != 1 {
		t.Errorf("%d entries after binding one statement three times, want 1", n)
	}
	if got := c.bind(dialectMySQL, q); got != q || c.n.Load() != 1 {
		t.Errorf("MySQL bind = %q (%d entries); want the statement as is, not cached", got, c.n.Load())
	}
	for i := range maxBound + 10 {
		s := fmt.Sprintf("SELECT %d FROM t WHERE a = ?", i)
		if got, want := c.bind(dialectPostgres, s), dialectPostgres.rebind(s); got != want {
			t.Fatalf("bind = %q, want %q", got, want)
		}
	}
	if n := c.n.Load(); n != maxBound {
		t.Errorf("%d entries, want the bound %d", n, maxBound)
	}
}

// BenchmarkBind compares a cached rebind with rewriting the statement each
// time, for a typical statement:
//
//	go test ./sqlstore/ -run '^$' -bench Bind
func BenchmarkBind(b *testing.B) {
	const q = `INSERT INTO jobs (org_id, queue, kind, args, document_id, state, priority, attempt, max_attempts, run_at,
	unique_key, last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	b.Run("cached", func(b *testing.B) {
		var c bindCache
		for b.Loop() {
			_ = c.bind(dialectPostgres, q)
		}
	})
	b.Run("rebind", func(b *testing.B) {
		for b.Loop() {
			_ = dialectPostgres.rebind(q)
		}
	})
}

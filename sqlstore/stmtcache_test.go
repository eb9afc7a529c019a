package sqlstore

import (
	"context"
	"strings"
	"testing"
)

func TestKeepable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query string
		want  bool
	}{
		{"SELECT id FROM jobs WHERE id = ?", true},
		{"PRAGMA synchronous", false},
		{"  pragma synchronous = FULL", false},
		{"\n\tPRAGMA wal_checkpoint(PASSIVE)", false},
		{"SELECT 1 WHERE 1 IN (" + placeholders(maxKeptPlaceholders) + ")", true},
		{"SELECT 1 WHERE 1 IN (" + placeholders(maxKeptPlaceholders+1) + ")", false},
	}
	for _, tt := range tests {
		if got := keepable(tt.query); got != tt.want {
			t.Errorf("keepable(%.40q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestKeptStmts checks that SQLite statements are kept prepared on their
// pool — at once outside a transaction, after it for one first run inside
// — that kept statements see later writes, and that PRAGMA reads are never
// kept (their value is fixed when prepared).
func TestKeptStmts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTableT(t)
	const insert, count = "INSERT INTO t (x) VALUES (?)", "SELECT COUNT(*) FROM t WHERE x > ?"
	kept := func(k *keptStmts, q string) bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		_, ok := k.stmts[q]
		return ok
	}
	// First run inside a transaction: unprepared there, kept after.
	err := db.inWrite(ctx, func(tx querier) error {
		_, err := tx.exec(ctx, insert, 1)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !kept(db.wKept, insert) {
		t.Errorf("insert first run in a transaction is not kept after it")
	}
	for i := range 3 {
		if err := db.inLeaseWrite(ctx, func(tx querier) error {
			_, err := tx.exec(ctx, insert, i+2)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.reader(ctx).queryRow(ctx, count, 0).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != i+2 {
			t.Errorf("after %d inserts the kept count reads %d", i+2, n)
		}
	}
	if !kept(db.rKept, count) {
		t.Errorf("count run on the read pool is not kept")
	}
	for _, sync := range []string{pragmaSyncNormal, pragmaSyncFull} {
		if _, err := db.writer().exec(ctx, sync); err != nil {
			t.Fatal(err)
		}
		var got int
		if err := db.writer().queryRow(ctx, "PRAGMA synchronous").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: syncNormal, false: syncFull}[strings.HasSuffix(sync, "NORMAL")]; got != want {
			t.Errorf("after %q synchronous reads %d, want %d", sync, got, want)
		}
	}
	if kept(db.wKept, "PRAGMA synchronous") {
		t.Errorf("PRAGMA synchronous is kept prepared")
	}
}

package sqlstore

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// TestWriteGroup runs many writes at once on SQLite, so that they share
// commits: every write that succeeds is stored, every one that fails —
// by its own error, a failing statement or a panic — leaves nothing, and
// none disturbs another.
func TestWriteGroup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openTableT(t)
	errFn := errors.New("handler failed")
	const n = 400
	// Write i inserts i, then fails as i's remainder by 4 says.
	write := func(i int) error {
		fn := func(tx querier) error {
			if _, err := tx.exec(ctx, "INSERT INTO t (x) VALUES (?)", i); err != nil {
				return err
			}
			switch i % 4 {
			case 1:
				return errFn
			case 2:
				_, err := tx.exec(ctx, "INSERT INTO missing (x) VALUES (1)")
				return err
			case 3:
				panic("handler panicked")
			}
			return nil
		}
		if i%8 < 4 {
			return db.inLeaseWrite(ctx, fn)
		}
		return db.inWrite(ctx, fn)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = write(i)
		}()
	}
	wg.Wait()
	stored := map[int]bool{}
	rows, err := db.w.QueryContext(ctx, "SELECT x FROM t")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var x int
		if err := rows.Scan(&x); err != nil {
			t.Fatal(err)
		}
		stored[x] = true
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		ok := i%4 == 0
		if (errs[i] == nil) != ok || stored[i] != ok {
			t.Errorf("write %d: err %v, stored %v; want success %v", i, errs[i], stored[i], ok)
		}
	}
	if db.group.shared.Load() == 0 {
		t.Error("no write shared a commit: the test did not test grouping")
	}
	if got := writerSync(t, db); got != syncFull {
		t.Errorf("synchronous after = %d, want FULL (%d)", got, syncFull)
	}
}

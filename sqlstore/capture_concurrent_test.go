package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestCaptureConcurrent sends 200 submissions, each twice, from 16
// goroutines: half on a copied-pattern form, half spread over 10 printed
// copies of a unique-pattern form. No ink may be lost or stored twice.
func TestCaptureConcurrent(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		copied := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		unique := newForm(t, db, org.ID, inkform.PatternUnique, 1)
		copies, err := db.CreateCopies(ctx, org.ID, unique.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		const subs, workers = 200, 16
		work := make(chan int)
		results := make([][]*inkform.CaptureResult, subs)
		var mu sync.Mutex
		var wg sync.WaitGroup
		errs := make(chan error, 2*subs)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					addr := copied.Pages[0].Address
					if i%2 == 1 {
						addr = copies[(i/2)%10].Addresses[0]
					}
					res, err := db.CaptureInk(ctx, org.ID, submission(fmt.Sprintf("sub-%03d", i), pageInk(addr, 2, 10)))
					if err != nil {
						errs <- fmt.Errorf("submission %d: %w", i, err)
						continue
					}
					mu.Lock()
					results[i] = append(results[i], res)
					mu.Unlock()
				}
			}()
		}
		for round := range 2 {
			for i := range subs {
				work <- (i + round*37) % subs
			}
		}
		close(work)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		replays := 0
		for i, rs := range results {
			if len(rs) != 2 || rs[0].Documents[0].ID != rs[1].Documents[0].ID {
				t.Fatalf("submission %d answered %d times or with different documents", i, len(rs))
			}
			if rs[0].Replayed {
				replays++
			}
			if rs[1].Replayed {
				replays++
			}
		}
		if replays != subs {
			t.Errorf("%d answers replayed, want %d (one per duplicate)", replays, subs)
		}
		for _, c := range []struct {
			table, where string
			args         []any
			want         int
		}{
			{"ink", "org_id = ?", []any{org.ID}, subs},
			{"submissions", "org_id = ?", []any{org.ID}, subs},
			{"documents", "org_id = ? AND form_id = ?", []any{org.ID, copied.ID}, subs / 2},
			{"documents", "org_id = ? AND form_id = ?", []any{org.ID, unique.ID}, 10},
			{"jobs", "org_id = ?", []any{org.ID}, subs/2 + 10},
		} {
			if n := db.Count(t, c.table, c.where, c.args...); n != c.want {
				t.Errorf("%s where %s: %d rows, want %d", c.table, c.where, n, c.want)
			}
		}
		// Each copy's document holds the ink of its 10 submissions.
		docs, _, err := db.ListDocuments(ctx, org.ID, inkform.DocumentFilter{FormID: unique.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			di, err := db.FindDocumentInk(ctx, org.ID, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(di.Pages) != 1 || len(di.Pages[0].Strokes) != 20 || d.Pages[0].Strokes != 20 {
				t.Errorf("copy document %s: %d strokes stored, %d counted, want 20", d.ID, len(di.Pages[0].Strokes), d.Pages[0].Strokes)
			}
		}
	})
}

// TestCaptureBatchIsolation puts good and quarantined submissions into the
// same group commit: the bad ones must not take the good ones down.
func TestCaptureBatchIsolation(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn, sqlstore.Options{BatchWait: 50 * time.Millisecond})
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				addr := f.Pages[0].Address
				if i%2 == 1 {
					addr = fmt.Sprintf("1.2.3.%d", i)
				}
				_, errs[i] = db.CaptureInk(ctx, org.ID, submission(fmt.Sprintf("b-%d", i), pageInk(addr, 1, 5)))
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if i%2 == 0 && err != nil {
				t.Errorf("good submission %d: %v", i, err)
			}
			if i%2 == 1 {
				wantCode(t, err, inkform.EUNPROCESSABLE)
				if !strings.Contains(inkform.ErrorMessage(err), fmt.Sprintf("1.2.3.%d", i)) {
					t.Errorf("message %q does not name the address", inkform.ErrorMessage(err))
				}
			}
		}
		if n := db.Count(t, "documents", "org_id = ?", org.ID); n != 10 {
			t.Errorf("%d documents, want 10", n)
		}
		if n := db.Count(t, "quarantine", "org_id = ?", org.ID); n != 10 {
			t.Errorf("%d quarantined, want 10", n)
		}
		// Quarantined submissions leave no claim behind: they may be sent again.
		if n := db.Count(t, "submissions", "org_id = ?", org.ID); n != 10 {
			t.Errorf("%d submission IDs claimed, want 10", n)
		}
	})
}

// TestCloseDrains checks that Close answers every accepted capture.
func TestCloseDrains(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{BatchWait: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		var wg sync.WaitGroup
		errs := make([]error, 30)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.CaptureInk(ctx, org.ID, submission("", pageInk(f.Pages[0].Address, 1, 5)))
			}()
		}
		time.Sleep(5 * time.Millisecond)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch inkform.ErrorCode(err) {
			case "":
				ok++
			case inkform.EUNAVAILABLE:
			default:
				t.Errorf("capture during close: %v", err)
			}
		}
		db2 := openRaw(t, dsn)
		if n := db2.Count(t, "documents", "org_id = ?", org.ID); n != ok {
			t.Errorf("%d documents stored, %d captures answered OK", n, ok)
		}
		_, err = db.CaptureInk(ctx, org.ID, submission("", pageInk(f.Pages[0].Address, 1, 5)))
		wantCode(t, err, inkform.EUNAVAILABLE)
	})
}

// TestCaptureTwoNodes runs two stores on one database, as two server nodes
// would, and has both send the first ink of the same printed copies at
// once. The loser of each race for the copy's document must retry and join
// it: one document per copy, no ink lost.
func TestCaptureTwoNodes(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := openDB(t, dsn, sqlstore.Options{BatchWait: 5 * time.Millisecond})
		b := openRaw(t, dsn)
		org := newOrg(t, a)
		f := newForm(t, a, org.ID, inkform.PatternUnique, 1)
		copies, err := a.CreateCopies(ctx, org.ID, f.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 2*len(copies))
		for n, db := range []*sqlstore.DB{a, b} {
			for i, c := range copies {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := db.CaptureInk(ctx, org.ID, submission(fmt.Sprintf("node%d-%d", n, i), pageInk(c.Addresses[0], 1, 5)))
					if err != nil {
						errs <- err
					}
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n := a.Count(t, "documents", "org_id = ?", org.ID); n != len(copies) {
			t.Errorf("%d documents for %d copies", n, len(copies))
		}
		if n := a.Count(t, "ink", "org_id = ?", org.ID); n != 2*len(copies) {
			t.Errorf("%d ink rows, want %d", n, 2*len(copies))
		}
		for _, c := range copies {
			if n := a.Count(t, "ink i JOIN documents d ON d.id = i.document_id", "d.copy_id = ?", c.ID); n != 2 {
				t.Errorf("copy %d: %d ink rows in its document, want 2", c.Number, n)
			}
		}
	})
}

// TestCaptureLargeBatch puts several big submissions (400,000 points each,
// about 2 MB encoded) into one group commit, so that the batch's ink is
// split over several INSERT statements, and reads every point back.
func TestCaptureLargeBatch(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		db := openDB(t, dsn, sqlstore.Options{BatchWait: 100 * time.Millisecond})
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		big := pageInk(f.Pages[0].Address, 400, 1000)
		var wg sync.WaitGroup
		docs := make([]string, 4)
		for i := range docs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := db.CaptureInk(ctx, org.ID, submission(fmt.Sprintf("big-%d", i), big))
				if err != nil {
					t.Errorf("capture %d: %v", i, err)
					return
				}
				docs[i] = res.Documents[0].ID
			}()
		}
		wg.Wait()
		for _, id := range docs {
			if id == "" {
				continue
			}
			di, err := db.FindDocumentInk(ctx, org.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(di.Pages) != 1 || di.Pages[0].Points() != big.Points() {
				t.Errorf("document %s: %d pages, want %d points back", id, len(di.Pages), big.Points())
			}
		}
	})
}

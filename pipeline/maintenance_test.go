package pipeline

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// testClock is a settable clock for sqlstore.Options.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// retentionFixture is a store with an org, a form that keeps documents 30
// days after validation and a form without retention.
type retentionFixture struct {
	db        *sqlstore.DB
	clk       *testClock
	blobs     *blob.Disk
	org       string
	retained  *inkform.Form
	unlimited *inkform.Form
}

func newRetentionFixture(t *testing.T, dsn string, t0 time.Time) *retentionFixture {
	t.Helper()
	clk := &testClock{t: t0}
	// Two forms of one org cannot share page addresses: these take theirs
	// from the org's pool.
	noAddresses := func(retention *inkform.Retention) func(*inkform.FormTemplate) {
		return func(tmpl *inkform.FormTemplate) {
			tmpl.Retention = retention
			for i := range tmpl.Pages {
				tmpl.Pages[i].Address = ""
			}
		}
	}
	db, org, retained := openSampleStore(t, dsn, sqlstore.Options{Now: clk.now},
		noAddresses(&inkform.Retention{After: inkform.RetainAfterValidated, Days: 30}))
	unlimited, err := db.CreateForm(context.Background(), org.ID, sampleTemplate(t, noAddresses(nil)))
	if err != nil {
		t.Fatal(err)
	}
	return &retentionFixture{db: db, clk: clk, blobs: newDisk(t), org: org.ID, retained: retained, unlimited: unlimited}
}

// validated submits a document of the form, validates it at the fixture's
// current time and stores an object for it.
func (f *retentionFixture) validated(t *testing.T, form *inkform.Form) string {
	t.Helper()
	ctx := context.Background()
	doc := submitSample(t, f.db, f.org, form.ID)
	if _, err := f.db.SetStatus(ctx, f.org, doc.ID, inkform.StatusValidated, "test"); err != nil {
		t.Fatal(err)
	}
	if err := f.blobs.Put(ctx, inkform.DocumentBlobPrefix(f.org, doc.ID)+"doc.pdf", strings.NewReader("%PDF"), 4, "application/pdf"); err != nil {
		t.Fatal(err)
	}
	return doc.ID
}

// exists reports whether the document's row and its objects are there.
func (f *retentionFixture) exists(t *testing.T, id string) (row bool, objects int) {
	t.Helper()
	ctx := context.Background()
	_, err := f.db.FindDocument(ctx, f.org, id)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		t.Fatal(err)
	}
	if err := f.blobs.List(ctx, inkform.DocumentBlobPrefix(f.org, id), func(inkform.BlobInfo) error { objects++; return nil }); err != nil {
		t.Fatal(err)
	}
	return err == nil, objects
}

func maintenanceJob() *queue.Job[inkform.MaintenanceArgs] {
	return &queue.Job[inkform.MaintenanceArgs]{Job: &inkform.Job{Kind: "maintenance"}}
}

// TestMaintenanceRetention proves retention end to end on every database:
// a validated document older than its form's retention is purged, rows
// and objects, while a younger one and one of a form without retention
// stay.
func TestMaintenanceRetention(t *testing.T) {
	t.Parallel()
	sqlstoretest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
		f := newRetentionFixture(t, dsn, t0)
		old := f.validated(t, f.retained)
		forever := f.validated(t, f.unlimited)
		f.clk.set(t0.Add(20 * 24 * time.Hour))
		young := f.validated(t, f.retained)

		w := &MaintenanceWorker{Retention: f.db, Deliveries: f.db, Blobs: f.blobs, Logger: discardLogger(),
			Now: func() time.Time { return t0.Add(31 * 24 * time.Hour) }}
		for run := range 2 { // the second run finds nothing to do
			if err := w.Work(ctx, maintenanceJob()); err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
			if row, objects := f.exists(t, old); row || objects != 0 {
				t.Fatalf("run %d: the expired document is left: row %v, %d objects", run, row, objects)
			}
			for name, id := range map[string]string{"younger": young, "form without retention": forever} {
				if row, objects := f.exists(t, id); !row || objects != 1 {
					t.Fatalf("run %d: the %s document lost row (%v) or objects (%d)", run, name, row, objects)
				}
			}
		}
		events, _, err := f.db.ListAudit(ctx, f.org, inkform.AuditFilter{Action: inkform.AuditDocumentPurge})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].Actor != retentionActor || events[0].Object.ID != old {
			t.Errorf("purge audit events %+v, want one by %q for %s", events, retentionActor, old)
		}

		// The schedule enqueues a system job (org "") per slot; every
		// node enqueueing the same slot stores one job.
		opts := MaintenancePeriodic(time.Hour).Opts
		opts.UniqueKey, opts.RunAt = "maintenance@1767254400", time.Now().Add(time.Hour)
		j1, err := f.db.Enqueue(ctx, "", inkform.MaintenanceArgs{}, opts)
		if err != nil {
			t.Fatalf("enqueue a system job: %v", err)
		}
		j2, err := f.db.Enqueue(ctx, "", inkform.MaintenanceArgs{}, opts)
		if err != nil || j2.ID != j1.ID || j1.OrgID != "" || j1.Kind != "maintenance" {
			t.Fatalf("second enqueue of the slot = %+v, %v; want job %d of org \"\"", j2, err, j1.ID)
		}
	})
}

// failingPurger fails the purge of one document.
type failingPurger struct {
	*sqlstore.DB
	fail  string
	prune []time.Time
	left  []int // what successive PruneDeliveries calls report
}

func (p *failingPurger) PurgeExpiredDocument(ctx context.Context, orgID, id, actor string, now time.Time) (bool, error) {
	if id == p.fail {
		return false, errors.New("disk on fire")
	}
	return p.DB.PurgeExpiredDocument(ctx, orgID, id, actor, now)
}

func (p *failingPurger) PruneDeliveries(ctx context.Context, before time.Time, limit int) (int, error) {
	p.prune = append(p.prune, before)
	n := p.left[0]
	p.left = p.left[1:]
	return n, nil
}

// TestMaintenanceGoesOn checks that a document whose purge fails is logged
// and skipped while the others are purged, and that the delivery log is
// pruned in batches up to the configured age.
func TestMaintenanceGoesOn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	f := newRetentionFixture(t, sqliteDSN(t), t0)
	a, b, c := f.validated(t, f.retained), f.validated(t, f.retained), f.validated(t, f.retained)
	store := &failingPurger{DB: f.db, fail: b, left: []int{pruneBatch, 3}}
	var logs bytes.Buffer
	now := t0.Add(40 * 24 * time.Hour)
	w := &MaintenanceWorker{Retention: store, Deliveries: store, Blobs: f.blobs, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		DeliveryRetention: 7 * 24 * time.Hour, Now: func() time.Time { return now }}
	if err := w.Work(ctx, maintenanceJob()); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a, c} {
		if row, objects := f.exists(t, id); row || objects != 0 {
			t.Errorf("document %s not purged: row %v, %d objects", id, row, objects)
		}
	}
	if row, objects := f.exists(t, b); !row || objects != 1 {
		t.Errorf("the failing document changed: row %v, %d objects", row, objects)
	}
	if !strings.Contains(logs.String(), "retention purge failed") || !strings.Contains(logs.String(), b) {
		t.Errorf("the failure is not logged with the document: %s", logs.String())
	}
	if len(store.prune) != 2 || !store.prune[0].Equal(now.Add(-7*24*time.Hour)) {
		t.Errorf("PruneDeliveries called with %v, want twice before %v", store.prune, now.Add(-7*24*time.Hour))
	}
	if !strings.Contains(logs.String(), "deliveries_pruned=1003") {
		t.Errorf("summary does not count the pruned deliveries: %s", logs.String())
	}
}

func TestMaintenancePeriodic(t *testing.T) {
	t.Parallel()
	p := MaintenancePeriodic(time.Hour)
	if p.Name != "maintenance" || p.Interval != time.Hour || p.Args().Kind() != "maintenance" {
		t.Fatalf("periodic job %+v", p)
	}
	ws := queue.NewWorkers()
	queue.AddWorker[inkform.MaintenanceArgs](ws, &MaintenanceWorker{}, queue.WorkerOpts{})
	if kinds := ws.Kinds(); len(kinds) != 1 || kinds[0] != p.Args().Kind() {
		t.Errorf("worker kinds %v", kinds)
	}
}

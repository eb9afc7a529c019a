package sqlstore_test

import (
	"context"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestEnqueueInsertOpts checks that Enqueue takes the options the args
// carry, with the given ones overriding field by field.
// noopArgs are job args without options or a document.
type noopArgs struct {
	N int `json:"n"`
}

func (noopArgs) Kind() string { return "noop" }

func TestEnqueueInsertOpts(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		doc := inkform.NewID()
		deliver := inkform.DeliverArgs{SubscriptionID: inkform.NewID(), DocumentID: doc, Event: inkform.EventDocumentValidated}
		tests := []struct {
			name        string
			args        inkform.JobArgs
			opts        inkform.EnqueueOpts
			queue       string
			maxAttempts int
			unique      string
		}{
			{"the args' own", deliver, inkform.EnqueueOpts{}, inkform.QueueDeliver, inkform.DeliverMaxAttempts, ""},
			{"given attempts win", deliver, inkform.EnqueueOpts{MaxAttempts: 3}, inkform.QueueDeliver, 3, ""},
			{"given queue wins", deliver, inkform.EnqueueOpts{Queue: "elsewhere"}, "elsewhere", inkform.DeliverMaxAttempts, ""},
			{"unique key from the args", inkform.RenderPDFArgs{DocumentID: doc}, inkform.EnqueueOpts{}, inkform.QueueRender, sqlstore.DefaultMaxAttempts, doc},
			{"args without options", noopArgs{}, inkform.EnqueueOpts{}, inkform.QueueDefault, sqlstore.DefaultMaxAttempts, ""},
		}
		for _, tt := range tests {
			j, err := db.Enqueue(ctx, org.ID, tt.args, tt.opts)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if j.Queue != tt.queue || j.MaxAttempts != tt.maxAttempts || j.UniqueKey != tt.unique {
				t.Errorf("%s: job on %q with %d attempts, key %q; want %q, %d, %q",
					tt.name, j.Queue, j.MaxAttempts, j.UniqueKey, tt.queue, tt.maxAttempts, tt.unique)
			}
		}
		// A second render of the document is skipped as a duplicate,
		// through the unique key its args carry.
		again, err := db.Enqueue(ctx, org.ID, inkform.RenderPDFArgs{DocumentID: doc}, inkform.EnqueueOpts{})
		if err != nil {
			t.Fatal(err)
		}
		if n := db.Count(t, "jobs", "org_id = ? AND kind = ?", org.ID, "render_pdf"); n != 1 || again.UniqueKey != doc {
			t.Errorf("%d render jobs after a duplicate enqueue (returned key %q), want 1", n, again.UniqueKey)
		}
	})
}

// TestJobDocumentColumn checks that every way a job is enqueued stores the
// document it works on, and nothing for jobs of no document.
func TestJobDocumentColumn(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		newSubscription(t, db, org.ID, form.ID, inkform.EventDocumentReceived)

		// Capture inserts its jobs in a batch (interpret and received
		// deliveries); SubmitDigital and RequestRender one at a time.
		captured := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 4))).Documents[0].ID
		digital, _, err := db.SubmitDigital(ctx, org.ID, &inkform.DigitalSubmission{FormID: form.ID, Values: map[string]any{"patient": "Ann"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RequestRender(ctx, org.ID, captured); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Enqueue(ctx, org.ID, noopArgs{N: 1}, inkform.EnqueueOpts{}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			doc, kind string
			want      int
		}{
			{captured, "interpret", 1}, {captured, "deliver", 1}, {captured, "render_pdf", 1},
			{digital.ID, "interpret", 1}, {digital.ID, "deliver", 1},
		} {
			if n := db.Count(t, "jobs", "org_id = ? AND document_id = ? AND kind = ?", org.ID, tt.doc, tt.kind); n != tt.want {
				t.Errorf("%d %s jobs of document %s, want %d", n, tt.kind, tt.doc, tt.want)
			}
		}
		if n := db.Count(t, "jobs", "org_id = ? AND kind = ? AND document_id IS NULL", org.ID, "noop"); n != 1 {
			t.Errorf("%d noop jobs without a document, want 1", n)
		}
	})
}

// TestMigrateJobDocument migrates a database holding jobs from version 7 to
// 8, down and up again: the jobs that name a document get it in the new
// column, the others none.
func TestMigrateJobDocument(t *testing.T) {
	t.Parallel()
	forEachDSN(t, func(t *testing.T, dsn string) {
		db := openRaw(t, dsn)
		db.MigrateTo(t, 7)
		doc := inkform.NewID()
		rows := []struct{ kind, args string }{
			{"interpret", `{"documentId":"` + doc + `"}`},
			{"render_pdf", `{"documentId":"` + doc + `"}`},
			{"deliver", `{"handlerId":"h","documentId":"` + doc + `","event":"document.validated","messageId":"m","eventAt":"2030-01-02T03:04:05Z"}`},
			{"deliver", `{"handlerId":"h","documentId":"","event":"document.validated","messageId":"m","eventAt":"2030-01-02T03:04:05Z"}`},
			{"noop", `{"documentId":"` + doc + `"}`}, // not a kind of inkform's
			{"maintenance", `{}`},
		}
		for _, r := range rows {
			db.Exec(t, `INSERT INTO jobs (org_id, queue, kind, args, state, priority, attempt, max_attempts, run_at, last_error, created_at)
				VALUES (?, ?, ?, ?, 'available', 0, 0, 25, 1, '', 1)`, "org", "default", r.kind, r.args)
		}
		for range 2 {
			db.MigrateTo(t, 8)
			if n := db.Count(t, "jobs", "document_id = ?", doc); n != 3 {
				t.Errorf("%d jobs of the document after the migration, want 3 (interpret, render_pdf, deliver)", n)
			}
			if n := db.Count(t, "jobs", "document_id IS NULL"); n != 3 {
				t.Errorf("%d jobs without a document, want 3", n)
			}
			db.MigrateTo(t, 7)
		}
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

package sqlstore_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func TestCaptureCopied(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 2)
		p1, p2 := pageInk(f.Pages[0].Address, 5, 30), pageInk(f.Pages[1].Address, 3, 20)

		res := capture(t, db, org.ID, submission("", p1, p2))
		if res.Replayed || len(res.Documents) != 1 || res.Documents[0].Form != f.ID || !slices.Equal(res.Documents[0].Pages, []int{1, 2}) {
			t.Fatalf("result = %+v", res)
		}
		// Copied pattern: the same page sent again is a new document.
		res2 := capture(t, db, org.ID, submission("", pageInk(f.Pages[0].Address, 2, 10)))
		if res2.Documents[0].ID == res.Documents[0].ID {
			t.Fatalf("second submission joined document %s", res.Documents[0].ID)
		}

		doc, err := db.FindDocument(ctx, org.ID, res.Documents[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		wantPages := []inkform.DocumentPage{{Number: 1, Address: p1.Address, Strokes: 5}, {Number: 2, Address: p2.Address, Strokes: 3}}
		if doc.Status != inkform.StatusReceived || doc.FormVersion != 1 || doc.PenID != "AJX-AAB-7KH-6P" ||
			doc.CopyID != "" || !reflect.DeepEqual(doc.Pages, wantPages) {
			t.Errorf("document = %+v", doc)
		}
		di, err := db.FindDocumentInk(ctx, org.ID, doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(di.Pages, []inkform.PageInk{p1, p2}) || len(di.SHA256) != 64 || di.PenID != doc.PenID {
			t.Errorf("stored ink differs from captured ink (sha %q)", di.SHA256)
		}
		changes, err := db.ListStatusChanges(ctx, org.ID, doc.ID)
		if err != nil || len(changes) != 1 || changes[0].To != inkform.StatusReceived || changes[0].From != "" || changes[0].Cause != "capture" {
			t.Errorf("status changes = %+v, %v", changes, err)
		}
		// One interpret job per document, enqueued with it.
		for _, d := range []string{res.Documents[0].ID, res2.Documents[0].ID} {
			if n := db.Count(t, "jobs", "org_id = ? AND queue = ? AND kind = ? AND unique_key = ? AND state = ?",
				org.ID, inkform.QueueInterpret, "interpret", d, "available"); n != 1 {
				t.Errorf("%d interpret jobs for %s, want 1", n, d)
			}
		}
		if n := db.Count(t, "ink", "org_id = ?", org.ID); n != 2 {
			t.Errorf("%d ink rows, want 2", n)
		}
	})
}

func TestCaptureUnique(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternUnique, 2)
		copies, err := db.CreateCopies(ctx, org.ID, f.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		c1, c2 := copies[0], copies[1]
		a1 := pageInk(c1.Addresses[0], 4, 25)
		r1 := capture(t, db, org.ID, submission("s1", a1))
		docA := r1.Documents[0].ID
		before, err := db.FindDocumentInk(ctx, org.ID, docA)
		if err != nil {
			t.Fatal(err)
		}
		// Later ink on the same printed copy joins its document.
		a2, a1b := pageInk(c1.Addresses[1], 2, 10), pageInk(c1.Addresses[0], 1, 10)
		r2 := capture(t, db, org.ID, submission("s2", a2, a1b))
		if len(r2.Documents) != 1 || r2.Documents[0].ID != docA || !slices.Equal(r2.Documents[0].Pages, []int{1, 2}) {
			t.Fatalf("second capture = %+v, want document %s pages [1 2]", r2, docA)
		}
		// One submission on two copies makes two documents.
		b1 := pageInk(c2.Addresses[0], 1, 10)
		r3 := capture(t, db, org.ID, submission("s3", b1, pageInk(c1.Addresses[1], 1, 5)))
		if len(r3.Documents) != 2 || r3.Documents[0].ID == docA || r3.Documents[1].ID != docA {
			t.Fatalf("third capture = %+v", r3)
		}
		doc, err := db.FindDocument(ctx, org.ID, docA)
		if err != nil {
			t.Fatal(err)
		}
		want := []inkform.DocumentPage{{Number: 1, Address: c1.Addresses[0], Strokes: 5}, {Number: 2, Address: c1.Addresses[1], Strokes: 3}}
		if doc.CopyID != c1.ID || !reflect.DeepEqual(doc.Pages, want) {
			t.Errorf("document = %+v, want copy %s pages %+v", doc, c1.ID, want)
		}
		after, err := db.FindDocumentInk(ctx, org.ID, docA)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Pages) != 2 || len(after.Pages[0].Strokes) != 5 || len(after.Pages[1].Strokes) != 3 ||
			!reflect.DeepEqual(after.Pages[0].Strokes[:4], a1.Strokes) || after.SHA256 == before.SHA256 ||
			before.Rows != 1 || after.Rows != 3 {
			t.Errorf("merged ink: %d pages, sha changed %v, rows %d then %d", len(after.Pages), after.SHA256 != before.SHA256, before.Rows, after.Rows)
		}
		if n := db.Count(t, "documents", "org_id = ?", org.ID); n != 2 {
			t.Errorf("%d documents, want 2", n)
		}
		// The job not yet run covers later ink too: one per document.
		if n := db.Count(t, "jobs", "org_id = ? AND unique_key = ?", org.ID, docA); n != 1 {
			t.Errorf("%d jobs for document A, want 1", n)
		}
		if n := db.Count(t, "status_changes", "document_id = ?", docA); n != 1 {
			t.Errorf("%d status changes for document A, want 1", n)
		}
	})
}

func TestCaptureIdempotent(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		sub := submission("pen-42/0001", pageInk(f.Pages[0].Address, 3, 10))
		first := capture(t, db, org.ID, sub)
		again := capture(t, db, org.ID, sub)
		if first.Replayed || !again.Replayed || !reflect.DeepEqual(first.Documents, again.Documents) {
			t.Fatalf("first %+v, again %+v", first, again)
		}
		for table, want := range map[string]int{"ink": 1, "documents": 1, "jobs": 1, "submissions": 1} {
			if n := db.Count(t, table, "org_id = ?", org.ID); n != want {
				t.Errorf("%d rows in %s after a resubmission, want %d", n, table, want)
			}
		}
		// Submission IDs are per org.
		g := newForm(t, db, other.ID, inkform.PatternCopied, 1)
		res, err := db.CaptureInk(ctx, other.ID, submission(sub.SubmissionID, pageInk(g.Pages[0].Address, 1, 5)))
		if err != nil || res.Replayed {
			t.Errorf("same ID in another org: %+v, %v", res, err)
		}
	})
}

func TestCaptureRejects(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		long := make([]byte, inkform.MaxSubmissionIDLength+1)
		tests := []struct {
			name string
			sub  *inkform.InkSubmission
			code string
		}{
			{"nil", nil, inkform.EINVALID},
			{"no pages", submission("x"), inkform.EINVALID},
			{"long id", submission(string(long), pageInk(f.Pages[0].Address, 1, 2)), inkform.EINVALID},
			{"too many pages", submission("", make([]inkform.PageInk, inkform.DefaultMaxPagesPerSubmit+1)...), inkform.ETOOLARGE},
		}
		for _, tt := range tests {
			_, err := db.CaptureInk(ctx, org.ID, tt.sub)
			wantCode(t, err, tt.code)
		}
		if n := db.Count(t, "quarantine", ""); n != 0 {
			t.Errorf("bad requests were quarantined: %d", n)
		}
		// A cancelled caller gets its context's error.
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := db.CaptureInk(cctx, org.ID, submission("", pageInk(f.Pages[0].Address, 1, 2))); err == nil {
			t.Errorf("capture with a cancelled context succeeded")
		}
	})
}

// TestCaptureWakesWorkers checks that a committed capture tells this
// node's workers (SetEnqueueHook) that the interpret queue has work.
func TestCaptureWakesWorkers(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		org := newOrg(t, db)
		f := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		woken := make(chan string, 10)
		db.SetEnqueueHook(func(queue string) { woken <- queue })
		capture(t, db, org.ID, submission("", pageInk(f.Pages[0].Address, 1, 3)))
		select {
		case q := <-woken:
			if q != inkform.QueueInterpret {
				t.Errorf("woken for queue %q", q)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no wake-up after a capture")
		}
		_, err := db.CaptureInk(context.Background(), org.ID, submission("", pageInk("9.9.9.9", 1, 3)))
		wantCode(t, err, inkform.EUNPROCESSABLE)
		select {
		case q := <-woken:
			t.Errorf("woken for %q by a quarantined capture", q)
		case <-time.After(50 * time.Millisecond):
		}
	})
}

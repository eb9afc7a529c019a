package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// renderJobs returns the org's render_pdf jobs that are still to run.
func renderJobs(t *testing.T, db *sqlstore.DB, orgID string) []*inkform.Job {
	t.Helper()
	jobs, err := db.ListJobs(context.Background(), orgID, inkform.JobFilter{Kind: inkform.RenderPDFArgs{}.Kind(), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var pending []*inkform.Job
	for _, j := range jobs {
		if j.State == inkform.JobAvailable || j.State == inkform.JobRetryable {
			pending = append(pending, j)
		}
	}
	return pending
}

// TestDocumentChangesEnqueueRender checks that every change of a document's
// values or status asks for a new PDF in the same transaction, unless the
// interpretation's caller renders it, and that one pending job per document
// is enough.
func TestDocumentChangesEnqueueRender(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		id := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 2, 10))).Documents[0].ID
		if n := len(renderJobs(t, db, org.ID)); n != 0 {
			t.Fatalf("%d render jobs before any interpretation", n)
		}
		in := &inkform.Interpretation{Status: inkform.StatusNeedsVerification, Cause: "test", InkRows: 1}
		if saved, err := db.SaveInterpretation(ctx, org.ID, id, in); err != nil || !saved {
			t.Fatalf("SaveInterpretation = %v, %v", saved, err)
		}
		jobs := renderJobs(t, db, org.ID)
		if len(jobs) != 1 || jobs[0].Queue != inkform.QueueRender || jobs[0].UniqueKey != id {
			t.Fatalf("after interpretation: jobs %+v", jobs)
		}
		if _, err := db.UpdateFields(ctx, org.ID, id, map[string]inkform.FieldValue{"a": {Value: "1", Source: inkform.SourceVerifier}}, "test", "fix"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetStatus(ctx, org.ID, id, inkform.StatusValidated, "approved"); err != nil {
			t.Fatal(err)
		}
		if n := len(renderJobs(t, db, org.ID)); n != 1 {
			t.Errorf("%d pending render jobs for one document, want 1", n)
		}
	})
}

func TestSaveRender(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		id := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 10))).Documents[0].ID
		if _, err := db.FindRender(ctx, org.ID, id); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Fatalf("FindRender before any render: %v", err)
		}
		t1 := time.UnixMicro(1_700_000_000_000_000).UTC()
		t2 := t1.Add(time.Second)
		r2 := &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: t2, Key: "k2", SHA256: "bb", Size: 20}
		r1 := &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: t1, Key: "k1", SHA256: "aa", Size: 10}

		tests := []struct {
			name    string
			org     string
			r       *inkform.DocumentRender
			saved   bool
			code    string
			wantKey string
		}{
			{"first", org.ID, r2, true, "", "k2"},
			{"older state is refused", org.ID, r1, false, "", "k2"},
			{"same state keeps the first", org.ID, &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: t2, Key: "k3", SHA256: "cc", Size: 30}, false, "", "k2"},
			{"other org", other.ID, &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: t2.Add(time.Hour), Key: "x", SHA256: "dd"}, false, inkform.ENOTFOUND, "k2"},
			{"no key", org.ID, &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: t2}, false, inkform.EINVALID, "k2"},
		}
		for _, tt := range tests {
			saved, err := db.SaveRender(ctx, tt.org, tt.r)
			if saved != tt.saved || inkform.ErrorCode(err) != tt.code && (tt.code != "" || err != nil) {
				t.Errorf("%s: SaveRender = %v, %v; want %v, code %q", tt.name, saved, err, tt.saved, tt.code)
			}
			got, err := db.FindRender(ctx, org.ID, id)
			if err != nil || got.Key != tt.wantKey {
				t.Errorf("%s: FindRender = %+v, %v; want key %s", tt.name, got, err, tt.wantKey)
			}
		}
		got, _ := db.FindRender(ctx, org.ID, id)
		if !got.SourceUpdatedAt.Equal(t2) || got.SHA256 != "bb" || got.Size != 20 || got.CreatedAt.IsZero() {
			t.Errorf("stored render %+v", got)
		}
		if _, err := db.FindRender(ctx, other.ID, id); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("another org finds the render: %v", err)
		}
	})
}

func TestRequestRender(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		id := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 10))).Documents[0].ID
		if err := db.RequestRender(ctx, other.ID, id); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("RequestRender for another org's document: %v", err)
		}
		if n := len(renderJobs(t, db, other.ID)) + len(renderJobs(t, db, org.ID)); n != 0 {
			t.Errorf("%d jobs after a refused request", n)
		}
		for range 2 {
			if err := db.RequestRender(ctx, org.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		if jobs := renderJobs(t, db, org.ID); len(jobs) != 1 || jobs[0].UniqueKey != id {
			t.Errorf("after two requests: %+v", jobs)
		}
	})
}

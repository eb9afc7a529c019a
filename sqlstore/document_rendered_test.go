package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestSaveRenderedInterpretation checks the interpret job's single write
// (inkform.RenderedSaver) on every database: on an unchanged document it
// saves the interpretation as of the render's state, records the render
// in place of the earlier one and enqueues the deliveries due, with no
// render job; on a document a verifier changed meanwhile it saves the
// interpretation with a render job and leaves the render out; with newer
// ink it saves nothing.
func TestSaveRenderedInterpretation(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		hook := newSubscription(t, db, org.ID, form.ID, inkform.EventDocumentNeedsVerification)
		id := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 10))).Documents[0].ID
		read := func() *inkform.Document {
			t.Helper()
			d, err := db.FindDocument(ctx, org.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		in := &inkform.Interpretation{Status: inkform.StatusNeedsVerification, Cause: "test", InkRows: 1,
			Fields: map[string]inkform.FieldValue{"a": {Value: "7", Source: inkform.SourcePen}}}
		render := func(d *inkform.Document, key string) *inkform.DocumentRender {
			return &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: d.UpdatedAt.Add(time.Millisecond),
				Key: key, SHA256: key, Size: 10}
		}

		doc := read()
		start := time.Now()
		r1 := render(doc, "k1")
		if _, err := db.SaveRenderedInterpretation(ctx, org.ID, id, in, &inkform.DocumentRender{DocumentID: id,
			SourceUpdatedAt: doc.UpdatedAt, Key: "k0"}, doc.UpdatedAt); inkform.ErrorCode(err) != inkform.EINVALID {
			t.Errorf("render of the state read: %v, want EINVALID", err)
		}
		if _, err := db.SaveRenderedInterpretation(ctx, newOrg(t, db).ID, id, in, r1, doc.UpdatedAt); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("another org's document: %v, want ENOTFOUND", err)
		}
		out, err := db.SaveRenderedInterpretation(ctx, org.ID, id, in, r1, doc.UpdatedAt)
		if err != nil || out != (inkform.RenderedSave{Saved: true, Rendered: true}) {
			t.Fatalf("first save = %+v, %v; want saved and rendered, nothing replaced", out, err)
		}
		saved := read()
		if !saved.UpdatedAt.Equal(r1.SourceUpdatedAt) || saved.Status != in.Status || saved.Fields["a"].Value != "7" {
			t.Errorf("saved %v %s %v; want the render's state %v, %s, a=7", saved.UpdatedAt, saved.Status, saved.Fields, r1.SourceUpdatedAt, in.Status)
		}
		if rec, err := db.FindRender(ctx, org.ID, id); err != nil || rec.Key != "k1" || !rec.Current(saved) {
			t.Errorf("render %+v, %v; want k1 of the saved state", rec, err)
		}
		if n := len(renderJobs(t, db, org.ID)); n != 0 {
			t.Errorf("%d render jobs; the caller rendered", n)
		}
		jobs, err := db.ListJobs(ctx, org.ID, inkform.JobFilter{Kind: inkform.DeliverArgs{}.Kind(), Limit: 10})
		if err != nil || len(jobs) != 1 || jobs[0].RunAt.After(start.Add(inkform.DeliveryPDFWait/2)) {
			t.Fatalf("deliveries %+v, %v; want one for %s, due at once", jobs, err, hook.ID)
		}

		// Interpreting again replaces the render, and says which.
		doc = saved
		out, err = db.SaveRenderedInterpretation(ctx, org.ID, id, in, render(doc, "k2"), doc.UpdatedAt)
		if err != nil || out != (inkform.RenderedSave{Saved: true, Rendered: true, Replaced: "k1"}) {
			t.Fatalf("second save = %+v, %v; want k1 replaced", out, err)
		}

		// A verifier's correction after the read: saved, the correction
		// kept, the caller's render left out for a render job.
		doc = read()
		if _, err := db.UpdateFields(ctx, org.ID, id, map[string]inkform.FieldValue{"a": {Value: "1", Source: inkform.SourceVerifier}}, "user", "fix"); err != nil {
			t.Fatal(err)
		}
		out, err = db.SaveRenderedInterpretation(ctx, org.ID, id, in, render(doc, "k3"), doc.UpdatedAt)
		if err != nil || out != (inkform.RenderedSave{Saved: true}) {
			t.Fatalf("save over a correction = %+v, %v; want saved, not rendered", out, err)
		}
		if got := read().Fields["a"]; got.Value != "1" {
			t.Errorf("field a = %+v after the save; the verifier's 1 must win", got)
		}
		if rec, err := db.FindRender(ctx, org.ID, id); err != nil || rec.Key != "k2" {
			t.Errorf("render %+v, %v; want k2 still", rec, err)
		}
		if n := len(renderJobs(t, db, org.ID)); n != 1 {
			t.Errorf("%d render jobs after a save over a correction, want 1", n)
		}

		// Newer ink than the interpretation read: nothing saved.
		doc = read()
		stale := *in
		stale.InkRows = 0
		out, err = db.SaveRenderedInterpretation(ctx, org.ID, id, &stale, render(doc, "k4"), doc.UpdatedAt)
		if err != nil || out != (inkform.RenderedSave{}) {
			t.Fatalf("save of older ink = %+v, %v; want nothing saved", out, err)
		}
		if now := read(); !now.UpdatedAt.Equal(doc.UpdatedAt) {
			t.Errorf("document changed to %v by a dropped interpretation", now.UpdatedAt)
		}
	})
}

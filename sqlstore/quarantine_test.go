package sqlstore_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func TestQuarantineAndReprocess(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		known := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		const unknown = "70.3.12.5"
		sub := submission("q-1", pageInk(known.Pages[0].Address, 2, 5), pageInk(unknown, 3, 5))
		_, err := db.CaptureInk(ctx, org.ID, sub)
		wantCode(t, err, inkform.EUNPROCESSABLE)
		msg := inkform.ErrorMessage(err)
		if !strings.Contains(msg, unknown) || strings.Contains(msg, known.Pages[0].Address) {
			t.Errorf("message %q should name %s only", msg, unknown)
		}
		// Nothing of the submission is stored but its quarantine entry.
		for _, table := range []string{"documents", "ink", "jobs", "submissions"} {
			if n := db.Count(t, table, "org_id = ?", org.ID); n != 0 {
				t.Errorf("%d rows in %s after a quarantined capture", n, table)
			}
		}
		list, err := db.ListQuarantine(ctx, org.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("ListQuarantine = %v, %v", list, err)
		}
		q := list[0]
		if !strings.Contains(msg, q.ID) || !slices.Equal(q.Addresses, []string{unknown}) || q.PenID != sub.PenID ||
			q.SubmissionID != "q-1" || q.ContentType != sub.ContentType || q.Size != len(sub.Raw) {
			t.Errorf("entry = %+v (message %q)", q, msg)
		}
		got, body, err := db.FindQuarantined(ctx, org.ID, q.ID)
		if err != nil || !bytes.Equal(body, sub.Raw) || got.ID != q.ID {
			t.Errorf("FindQuarantined = %+v, %q, %v", got, body, err)
		}
		if list, _ := db.ListQuarantine(ctx, other.ID); len(list) != 0 {
			t.Errorf("another org sees %d entries", len(list))
		}
		_, _, err = db.FindQuarantined(ctx, other.ID, q.ID)
		wantCode(t, err, inkform.ENOTFOUND)
		_, err = db.ReprocessQuarantined(ctx, other.ID, q.ID, sub)
		wantCode(t, err, inkform.ENOTFOUND)
		wantCode(t, db.DeleteQuarantined(ctx, other.ID, q.ID), inkform.ENOTFOUND)

		// Still unknown: the entry stays, no second entry appears.
		_, err = db.ReprocessQuarantined(ctx, org.ID, q.ID, sub)
		wantCode(t, err, inkform.EUNPROCESSABLE)
		if n := db.Count(t, "quarantine", "org_id = ?", org.ID); n != 1 {
			t.Fatalf("%d entries after a failed reprocess, want 1", n)
		}
		// Once a form has the address, reprocessing stores it and drops the entry.
		tpl := template(inkform.PatternCopied, 1)
		tpl.Pages[0].Address = unknown
		g, err := db.CreateForm(ctx, org.ID, tpl)
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.ReprocessQuarantined(ctx, org.ID, q.ID, sub)
		if err != nil || len(res.Documents) != 2 || res.Documents[1].Form != g.ID {
			t.Fatalf("reprocess = %+v, %v", res, err)
		}
		if n := db.Count(t, "quarantine", "org_id = ?", org.ID); n != 0 {
			t.Errorf("%d entries after reprocessing, want 0", n)
		}
		if n := db.Count(t, "jobs", "org_id = ?", org.ID); n != 2 {
			t.Errorf("%d jobs after reprocessing, want 2", n)
		}
		_, err = db.ReprocessQuarantined(ctx, org.ID, q.ID, sub)
		wantCode(t, err, inkform.ENOTFOUND)

		// A page without an address is quarantined too; Delete drops it.
		// An overlong content type is cut to fit, not a reason to lose the body.
		noAddr := submission("", pageInk("", 1, 3))
		noAddr.ContentType = "application/inkml+xml; " + strings.Repeat("x", 300)
		_, err = db.CaptureInk(ctx, org.ID, noAddr)
		wantCode(t, err, inkform.EUNPROCESSABLE)
		list, _ = db.ListQuarantine(ctx, org.ID)
		if len(list) != 1 || !slices.Equal(list[0].Addresses, []string{""}) || list[0].ContentType != noAddr.ContentType[:200] {
			t.Fatalf("entries = %+v", list)
		}
		if err := db.DeleteQuarantined(ctx, org.ID, list[0].ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.DeleteQuarantined(ctx, org.ID, list[0].ID), inkform.ENOTFOUND)
	})
}

// TestTenantIsolation checks every finder with another org's IDs.
func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a, b := newOrg(t, db), newOrg(t, db)
		f := newForm(t, db, a.ID, inkform.PatternCopied, 1)
		u := newForm(t, db, a.ID, inkform.PatternUnique, 1)
		res := capture(t, db, a.ID, submission("iso", pageInk(f.Pages[0].Address, 1, 5)))
		doc := res.Documents[0].ID

		checks := map[string]error{}
		_, checks["FindForm"] = db.FindForm(ctx, b.ID, f.ID)
		_, checks["FindFormVersion"] = db.FindFormVersion(ctx, b.ID, f.ID, 1)
		_, checks["UpdateForm"] = db.UpdateForm(ctx, b.ID, f.ID, template(inkform.PatternCopied, 1))
		_, checks["CreateCopies"] = db.CreateCopies(ctx, b.ID, u.ID, 1)
		_, checks["ResolveAddress"] = db.ResolveAddress(ctx, b.ID, f.Pages[0].Address)
		_, checks["FindDocument"] = db.FindDocument(ctx, b.ID, doc)
		_, checks["FindDocumentInk"] = db.FindDocumentInk(ctx, b.ID, doc)
		_, checks["ListStatusChanges"] = db.ListStatusChanges(ctx, b.ID, doc)
		_, _, checks["SubmitDigital"] = db.SubmitDigital(ctx, b.ID, &inkform.DigitalSubmission{FormID: f.ID, Values: map[string]any{"patient": "x"}})
		for name, err := range checks {
			if inkform.ErrorCode(err) != inkform.ENOTFOUND {
				t.Errorf("%s with another org's ID: %v, want ENOTFOUND", name, err)
			}
		}
		if forms, _ := db.ListForms(ctx, b.ID, inkform.FormFilter{}); len(forms) != 0 {
			t.Errorf("ListForms shows %d forms of another org", len(forms))
		}
		if docs, _, _ := db.ListDocuments(ctx, b.ID, inkform.DocumentFilter{}); len(docs) != 0 {
			t.Errorf("ListDocuments shows %d documents of another org", len(docs))
		}
		// Org B's pen writing on A's address is quarantined in B, and the
		// same submission ID does not replay A's result.
		_, err := db.CaptureInk(ctx, b.ID, submission("iso", pageInk(f.Pages[0].Address, 1, 5)))
		wantCode(t, err, inkform.EUNPROCESSABLE)
		if n := db.Count(t, "documents", "org_id = ?", a.ID); n != 1 {
			t.Errorf("org A has %d documents, want 1", n)
		}
	})
}

package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func TestMarkExported(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		id := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 2, 10))).Documents[0].ID
		at := time.Date(2026, 11, 27, 12, 30, 0, 123456000, time.UTC)
		if n := db.Count(t, "documents", "org_id = ? AND id = ? AND exported_at IS NULL", org.ID, id); n != 1 {
			t.Fatalf("a new document is marked exported already")
		}

		wantCode(t, db.MarkExported(ctx, other.ID, id, at), inkform.ENOTFOUND)
		wantCode(t, db.MarkExported(ctx, org.ID, inkform.NewID(), at), inkform.ENOTFOUND)
		if n := db.Count(t, "documents", "id = ? AND exported_at IS NULL", id); n != 1 {
			t.Fatalf("another org's mark changed the document")
		}
		if n := db.Count(t, "audit_events", "action = ?", inkform.AuditDocumentExport); n != 0 {
			t.Fatalf("a refused mark wrote %d audit event(s)", n)
		}

		// Twice with the same time: a redelivery marks again, and on MySQL
		// an UPDATE that changes nothing must not read as a missing row.
		for range 2 {
			if err := db.MarkExported(ctx, org.ID, id, at); err != nil {
				t.Fatalf("mark exported: %v", err)
			}
		}
		if n := db.Count(t, "documents", "org_id = ? AND id = ? AND exported_at = ?", org.ID, id, at.UnixMicro()); n != 1 {
			t.Errorf("exported_at is not %v", at)
		}
		events, _, err := db.ListAudit(ctx, org.ID, inkform.AuditFilter{Action: inkform.AuditDocumentExport})
		if err != nil {
			t.Fatalf("list audit: %v", err)
		}
		if len(events) != 2 || events[0].Object != (inkform.AuditObject{Kind: "document", ID: id}) ||
			events[0].Actor != "system" || !events[0].At.Equal(at) {
			t.Errorf("export audit events = %+v, want two for %s by system at %v", events, id, at)
		}
		if evs, _, _ := db.ListAudit(ctx, other.ID, inkform.AuditFilter{}); len(evs) != 0 {
			t.Errorf("the other org's audit log holds %+v", evs)
		}
	})
}

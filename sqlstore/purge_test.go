package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// documentRows counts the rows a document has in every table that holds
// something of it.
func documentRows(t *testing.T, db *sqlstore.DB, orgID, id string) map[string]int {
	t.Helper()
	return map[string]int{
		"documents":        db.Count(t, "documents", "org_id = ? AND id = ?", orgID, id),
		"ink":              db.Count(t, "ink", "org_id = ? AND document_id = ?", orgID, id),
		"status_changes":   db.Count(t, "status_changes", "org_id = ? AND document_id = ?", orgID, id),
		"document_renders": db.Count(t, "document_renders", "org_id = ? AND document_id = ?", orgID, id),
		"pending jobs": db.Count(t, "jobs", "org_id = ? AND unique_key = ? AND state IN (?, ?)",
			orgID, id, string(inkform.JobAvailable), string(inkform.JobRetryable)),
	}
}

// fullDocument captures a document and gives it a status change, a render
// record and pending interpret and render jobs.
func fullDocument(t *testing.T, db *sqlstore.DB, orgID string) string {
	t.Helper()
	ctx := context.Background()
	form := newForm(t, db, orgID, inkform.PatternCopied, 1)
	id := capture(t, db, orgID, submission("", pageInk(form.Pages[0].Address, 2, 10))).Documents[0].ID
	doc, err := db.SetStatus(ctx, orgID, id, inkform.StatusNeedsVerification, "test")
	if err != nil {
		t.Fatalf("set status: %v", err)
	}
	if _, err := db.SaveRender(ctx, orgID, &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: doc.UpdatedAt,
		Key: inkform.DocumentPDFKey(orgID, id, doc.UpdatedAt, ""), SHA256: strings.Repeat("a", 64), Size: 1}); err != nil {
		t.Fatalf("save render: %v", err)
	}
	return id
}

func TestPurgeDocument(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		id, kept := fullDocument(t, db, org.ID), fullDocument(t, db, org.ID)
		for table, n := range documentRows(t, db, org.ID, id) {
			if n == 0 {
				t.Fatalf("before the purge the document has no row in %s: the test proves nothing", table)
			}
		}

		err := db.PurgeDocument(ctx, other.ID, id, "token x")
		wantCode(t, err, inkform.ENOTFOUND)
		if n := db.Count(t, "documents", "id = ?", id); n != 1 {
			t.Fatalf("another org's purge removed the document")
		}

		if err := db.PurgeDocument(ctx, org.ID, id, "token t1"); err != nil {
			t.Fatalf("purge: %v", err)
		}
		for table, n := range documentRows(t, db, org.ID, id) {
			if n != 0 {
				t.Errorf("after the purge %s has %d row(s) of the document", table, n)
			}
		}
		if _, err := db.FindDocument(ctx, org.ID, id); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("FindDocument after purge: %v", err)
		}
		for table, n := range documentRows(t, db, org.ID, kept) {
			if n == 0 {
				t.Errorf("the purge removed another document's %s", table)
			}
		}
		wantCode(t, db.PurgeDocument(ctx, org.ID, id, "token t1"), inkform.ENOTFOUND)

		events, _, err := db.ListAudit(ctx, org.ID, inkform.AuditFilter{Action: inkform.AuditDocumentPurge})
		if err != nil {
			t.Fatalf("list audit: %v", err)
		}
		if len(events) != 1 || events[0].Object != (inkform.AuditObject{Kind: "document", ID: id}) || events[0].Actor != "token t1" {
			t.Errorf("purge audit events = %+v, want one for %s by token t1", events, id)
		}
	})
}

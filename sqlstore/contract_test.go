package sqlstore_test

import (
	"context"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkformtest"
	"github.com/inkform/inkform/sqlstore"
)

// TestContracts runs the inkformtest suites — the contracts the fakes of
// package fake keep too — on every database. All suites share one
// database per engine: their cases keep to orgs and job queues of their
// own, which also tests that nothing leaks between them.
func TestContracts(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		stores := inkformtest.Stores{
			Orgs: db, Tokens: db, Users: db, Sessions: db, Forms: db, Documents: db, Subscriptions: db, Audit: db, Queue: db, Jobs: db,
			Updater: db, Leases: db, Entries: db,
			NewDocument: func(t *testing.T, form *inkform.Form, status inkform.DocumentStatus) *inkform.Document {
				return newDocument(t, db, form, status)
			},
		}
		inkformtest.ExerciseAll(t, func(*testing.T) inkformtest.Stores { return stores })
	})
}

// newDocument captures two strokes on the form's first page and, unless
// status is received, moves the document there as a verifier would.
func newDocument(t testing.TB, db *sqlstore.DB, form *inkform.Form, status inkform.DocumentStatus) *inkform.Document {
	t.Helper()
	ctx := context.Background()
	res := capture(t, db, form.OrgID, submission("", pageInk(form.Pages[0].Address, 2, 5)))
	id := res.Documents[0].ID
	if status != inkform.StatusReceived {
		if _, err := db.SetStatus(ctx, form.OrgID, id, status, "set by the suite"); err != nil {
			t.Fatalf("set status: %v", err)
		}
	}
	doc, err := db.FindDocument(ctx, form.OrgID, id)
	if err != nil {
		t.Fatalf("find document: %v", err)
	}
	return doc
}

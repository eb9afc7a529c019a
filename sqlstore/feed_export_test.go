package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// ValidateOpen validates a document in a transaction that it leaves open,
// so a test can interleave another transaction with it; the returned
// function commits. The transaction is rolled back when the test ends
// without committing.
func (db *DB) ValidateOpen(t testing.TB, orgID, id string) (commit func() error) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.w.BeginTx(ctx, db.d.txOptions())
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	t.Cleanup(func() { _ = tx.Rollback() })
	d, err := db.lockDocument(ctx, db.inTx(tx), orgID, id)
	if err != nil {
		t.Fatalf("lock document: %v", err)
	}
	if _, err := db.writeDocument(ctx, db.inTx(tx), d, inkform.StatusValidated, "test"); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return tx.Commit
}

// SetExportedAt records that a document was exported at, as the export
// subscription does.
func (db *DB) SetExportedAt(t testing.TB, orgID, id string, at time.Time) {
	t.Helper()
	if _, err := db.writer().exec(context.Background(), `UPDATE documents SET exported_at = ? WHERE org_id = ? AND id = ?`,
		micros(at), orgID, id); err != nil {
		t.Fatalf("set exported_at: %v", err)
	}
}

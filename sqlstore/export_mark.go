package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

// MarkExported records that an export subscription wrote a document out: it
// sets the document's exported_at to at and appends a document.export
// audit event by "system", in one transaction, so the log shows every
// time a document left the server. ENOTFOUND when the org has no such
// document.
func (db *DB) MarkExported(ctx context.Context, orgID, id string, at time.Time) error {
	err := db.inWrite(ctx, func(tx querier) error {
		// Reading the row first gives ENOTFOUND for another org's or a
		// purged document; RowsAffected cannot, since MySQL counts an
		// UPDATE that leaves the value as it was as no row.
		if _, err := db.lockDocument(ctx, tx, orgID, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE documents SET exported_at = ? WHERE org_id = ? AND id = ?`,
			micros(at), orgID, id); err != nil {
			return fmt.Errorf("update document: %w", err)
		}
		return db.insertAudit(ctx, tx, orgID, &inkform.AuditEvent{
			At: at, Actor: "system", Action: inkform.AuditDocumentExport,
			Object: inkform.AuditObject{Kind: "document", ID: id},
		})
	})
	if err != nil {
		return fmt.Errorf("mark exported: %w", err)
	}
	return nil
}

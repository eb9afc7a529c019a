package sqlstore

import (
	"context"
	"fmt"

	"github.com/inkform/inkform"
)

var _ inkform.DocumentPurger = (*DB)(nil)

// PurgeDocument implements inkform.DocumentPurger. Everything goes in one
// transaction so a failed purge leaves the document whole (and retryable)
// rather than, say, a document without its ink.
func (db *DB) PurgeDocument(ctx context.Context, orgID, id, actor string) error {
	_, err := db.purge(ctx, orgID, id, actor, nil)
	return err
}

// purge deletes a document as PurgeDocument says. When keep is given, it
// is asked on the locked row first, and a true answer leaves the document
// alone (purge then reports false).
func (db *DB) purge(ctx context.Context, orgID, id, actor string, keep func(tx querier) (bool, error)) (bool, error) {
	delivered, kept := false, false
	err := db.inWrite(ctx, func(tx querier) error {
		// Locking the row first makes a concurrent capture or update wait,
		// so nothing is written to the document after it is gone.
		d, err := db.lockDocument(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		if keep != nil {
			if kept, err = keep(tx); err != nil || kept {
				return err
			}
		}
		deletes := []struct{ what, query string }{
			{"ink", `DELETE FROM ink WHERE org_id = ? AND document_id = ?`},
			{"status changes", `DELETE FROM status_changes WHERE org_id = ? AND document_id = ?`},
			{"render", `DELETE FROM document_renders WHERE org_id = ? AND document_id = ?`},
			{"leases", `DELETE FROM document_leases WHERE org_id = ? AND document_id = ?`},
			{"entries", `DELETE FROM double_entries WHERE org_id = ? AND document_id = ?`},
			{"field changes", `DELETE FROM field_changes WHERE org_id = ? AND document_id = ?`},
			{"document", `DELETE FROM documents WHERE org_id = ? AND id = ?`},
		}
		for _, d := range deletes {
			if _, err := tx.exec(ctx, d.query, orgID, id); err != nil {
				return fmt.Errorf("delete %s: %w", d.what, err)
			}
		}
		// Pending interpret and render jobs of the document go with it; a
		// running one finds the document gone and fails with ENOTFOUND.
		// Finished jobs are kept for the job list, but their args name
		// only the ID.
		if _, err := tx.exec(ctx, `DELETE FROM jobs
			WHERE org_id = ? AND document_id = ? AND kind IN (?, ?) AND state IN (?, ?)`,
			orgID, id, inkform.InterpretArgs{}.Kind(), inkform.RenderPDFArgs{}.Kind(),
			string(inkform.JobAvailable), string(inkform.JobRetryable)); err != nil {
			return fmt.Errorf("delete jobs: %w", err)
		}
		// The purged event carries what is left of the document: its ID,
		// form and the time. Its deliveries must not be the jobs deleted
		// above, so they are enqueued after.
		now := db.now()
		purged := &inkform.PurgedRecord{ID: id, FormID: d.FormID, Status: "purged", PurgedAt: now}
		if delivered, err = db.enqueueDeliveries(ctx, tx, d, inkform.EventDocumentPurged, false, purged); err != nil {
			return fmt.Errorf("enqueue deliveries: %w", err)
		}
		return db.insertAudit(ctx, tx, orgID, &inkform.AuditEvent{
			Actor: actor, Action: inkform.AuditDocumentPurge,
			Object: inkform.AuditObject{Kind: "document", ID: id},
		})
	})
	if err != nil {
		return false, fmt.Errorf("purge document: %w", err)
	}
	if delivered {
		db.notifyEnqueued(inkform.QueueDeliver)
	}
	return !kept, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/inkform/inkform"
)

var _ inkform.RenderStore = (*DB)(nil)

// enqueueRender enqueues a render of the document inside the caller's
// transaction, so the PDF follows every committed change of the document.
// The caller calls notifyEnqueued(inkform.QueueRender) after the commit.
func (db *DB) enqueueRender(ctx context.Context, tx querier, orgID, documentID string) error {
	return db.enqueueTx(ctx, tx, orgID, inkform.RenderPDFArgs{DocumentID: documentID})
}

// FindRender implements inkform.RenderStore.
func (db *DB) FindRender(ctx context.Context, orgID, documentID string) (*inkform.DocumentRender, error) {
	var (
		r               inkform.DocumentRender
		source, created int64
	)
	err := db.reader(ctx).queryRow(ctx, `SELECT document_id, source_updated_at, blob_key, sha256, size, created_at
		FROM document_renders WHERE org_id = ? AND document_id = ?`, orgID, documentID).
		Scan(&r.DocumentID, &source, &r.Key, &r.SHA256, &r.Size, &created)
	if err != nil {
		return nil, notFound(err, "render")
	}
	r.SourceUpdatedAt, r.CreatedAt = fromMicros(source), fromMicros(created)
	return &r, nil
}

// SaveRender implements inkform.RenderStore. The document's row is locked
// first, which checks the org and makes concurrent saves for one document
// take turns, so the "newer state wins" comparison cannot race. A stored
// render wakes the document's held deliveries in the same commit.
func (db *DB) SaveRender(ctx context.Context, orgID string, r *inkform.DocumentRender) (bool, error) {
	if r == nil || r.DocumentID == "" || r.Key == "" {
		return false, inkform.Errorf(inkform.EINVALID, "save render: document and key are required")
	}
	saved, woken := false, int64(0)
	err := db.inWrite(ctx, func(tx querier) error {
		if _, err := db.lockDocument(ctx, tx, orgID, r.DocumentID); err != nil {
			return err
		}
		var err error
		if saved, _, err = db.replaceRender(ctx, tx, orgID, r); err != nil || !saved {
			return err
		}
		woken, err = db.wakeDeliveries(ctx, tx, orgID, r.DocumentID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("save render: %w", err)
	}
	if woken > 0 {
		db.notifyEnqueued(inkform.QueueDeliver)
	}
	return saved, nil
}

// replaceRender records r in tx in place of the document's render, unless
// that one is of the same or a newer state; it reports whether it did and
// the blob key of the render it replaced ("" for none). The caller holds
// the document's lock (lockDocument).
func (db *DB) replaceRender(ctx context.Context, tx querier, orgID string, r *inkform.DocumentRender) (bool, string, error) {
	var have int64
	var old string
	err := tx.queryRow(ctx, `SELECT source_updated_at, blob_key FROM document_renders
		WHERE org_id = ? AND document_id = ?`, orgID, r.DocumentID).Scan(&have, &old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return false, "", fmt.Errorf("read render: %w", err)
	case have >= micros(r.SourceUpdatedAt):
		return false, "", nil // this state or a newer one is already rendered
	default:
		if _, err := tx.exec(ctx, `DELETE FROM document_renders WHERE org_id = ? AND document_id = ?`,
			orgID, r.DocumentID); err != nil {
			return false, "", fmt.Errorf("replace render: %w", err)
		}
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = db.now()
	}
	if _, err := tx.exec(ctx, `INSERT INTO document_renders
		(org_id, document_id, source_updated_at, blob_key, sha256, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		orgID, r.DocumentID, micros(r.SourceUpdatedAt), r.Key, r.SHA256, r.Size, micros(r.CreatedAt)); err != nil {
		return false, "", fmt.Errorf("insert render: %w", err)
	}
	return true, old, nil
}

// RequestRender implements inkform.RenderStore.
func (db *DB) RequestRender(ctx context.Context, orgID, documentID string) error {
	err := db.inWrite(ctx, func(tx querier) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM documents WHERE org_id = ? AND id = ?`,
			orgID, documentID).Scan(&n); err != nil {
			return fmt.Errorf("find document: %w", err)
		} else if n == 0 {
			return inkform.Errorf(inkform.ENOTFOUND, "document not found")
		}
		return db.enqueueRender(ctx, tx, orgID, documentID)
	})
	if err != nil {
		return fmt.Errorf("request render: %w", err)
	}
	db.notifyEnqueued(inkform.QueueRender)
	return nil
}

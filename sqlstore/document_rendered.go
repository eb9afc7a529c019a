package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.RenderedSaver = (*DB)(nil)

// SaveRenderedInterpretation implements inkform.RenderedSaver: one write
// where SaveInterpretation and SaveRender take two, with the deliveries
// enqueued due instead of held and then woken.
func (db *DB) SaveRenderedInterpretation(ctx context.Context, orgID, id string, in *inkform.Interpretation, r *inkform.DocumentRender, readAt time.Time) (inkform.RenderedSave, error) {
	if r == nil || r.DocumentID != id || r.Key == "" || !r.SourceUpdatedAt.After(readAt) {
		return inkform.RenderedSave{}, inkform.Errorf(inkform.EINVALID,
			"save rendered interpretation: a render of a later state of the document is required")
	}
	var out inkform.RenderedSave
	delivered := false
	err := db.inWrite(ctx, func(tx querier) error {
		out, delivered = inkform.RenderedSave{}, false
		d, err := db.lockDocument(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		if fresh, err := db.inkUnchanged(ctx, tx, orgID, id, in.InkRows); err != nil || !fresh {
			return err
		}
		out.Saved = true
		d.Fields = in.Apply(d.Fields)
		// The document is written last (see writeDocumentAt).
		if !d.UpdatedAt.Equal(readAt) {
			// Changed since the caller read it (a verifier's correction):
			// the caller's PDF shows another state than the one saved.
			if err := db.enqueueRender(ctx, tx, orgID, id); err != nil {
				return err
			}
			delivered, err = db.writeDocument(ctx, tx, d, in.Status, in.Cause)
			return err
		}
		// The render's state is the one written below, newer than any
		// recorded, so replaceRender records it; should it not, a render
		// job makes the PDF the deliveries expect, and they wait for it
		// as any delivery whose PDF is not there yet.
		if out.Rendered, out.Replaced, err = db.replaceRender(ctx, tx, orgID, r); err != nil {
			return err
		}
		if !out.Rendered {
			if err := db.enqueueRender(ctx, tx, orgID, id); err != nil {
				return err
			}
		}
		delivered, err = db.writeDocumentAt(ctx, tx, d, in.Status, in.Cause, r.SourceUpdatedAt, true)
		return err
	})
	if err != nil {
		return inkform.RenderedSave{}, fmt.Errorf("save rendered interpretation: %w", err)
	}
	if out.Saved && !out.Rendered {
		db.notifyEnqueued(inkform.QueueRender)
	}
	if delivered {
		db.notifyEnqueued(inkform.QueueDeliver)
	}
	return out, nil
}

// inkUnchanged reports whether the document still has rows rows of ink:
// an interpretation of fewer is dropped, since the job enqueued with the
// newer ink reads it all.
func (db *DB) inkUnchanged(ctx context.Context, tx querier, orgID, id string, rows int) (bool, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM ink WHERE org_id = ? AND document_id = ?`,
		orgID, id).Scan(&n); err != nil {
		return false, fmt.Errorf("count ink: %w", err)
	}
	return n == rows, nil
}

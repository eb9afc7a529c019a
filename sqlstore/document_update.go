package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.DocumentUpdater = (*DB)(nil)

// lockDocument reads a document inside a write transaction, locking its row
// on PostgreSQL and MySQL so concurrent updates of it queue up.
func (db *DB) lockDocument(ctx context.Context, tx querier, orgID, id string) (*inkform.Document, error) {
	d, err := scanDocument(tx.queryRow(ctx, documentColumns+"WHERE org_id = ? AND id = ?"+db.d.forUpdate(), orgID, id))
	if err != nil {
		return nil, notFound(err, "document")
	}
	return d, nil
}

// writeDocument stores a document's fields and status, and records the
// status change when there is one. A change that raises a subscription event
// enqueues its deliveries in the same transaction, so an event is sent if
// and only if its change is committed; it reports whether it enqueued any
// that is due at once, and the caller then calls
// notifyEnqueued(inkform.QueueDeliver) after the commit.
func (db *DB) writeDocument(ctx context.Context, tx querier, d *inkform.Document, status inkform.DocumentStatus, cause string) (bool, error) {
	return db.writeDocumentAt(ctx, tx, d, status, cause, db.now(), false)
}

// writeDocumentAt is writeDocument with the new UpdatedAt, now; rendered
// says the caller records the PDF of the new state in this transaction,
// so the deliveries that wait for it are due at once.
func (db *DB) writeDocumentAt(ctx context.Context, tx querier, d *inkform.Document, status inkform.DocumentStatus, cause string, now time.Time, rendered bool) (bool, error) {
	fields, err := json.Marshal(d.Fields)
	if err != nil {
		return false, fmt.Errorf("encode fields: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE documents SET fields = ?, status = ?, updated_at = ?
		WHERE org_id = ? AND id = ?`, string(fields), string(status), micros(now), d.OrgID, d.ID); err != nil {
		return false, fmt.Errorf("update document: %w", err)
	}
	if status != d.Status {
		if _, err := tx.exec(ctx, `INSERT INTO status_changes
			(document_id, org_id, from_status, to_status, cause, changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
			d.ID, d.OrgID, string(d.Status), string(status), cause, micros(now)); err != nil {
			return false, fmt.Errorf("insert status change: %w", err)
		}
		if status == inkform.StatusValidated || d.Status == inkform.StatusValidated {
			if err := db.markFeed(ctx, tx, d, status, now); err != nil {
				return false, err
			}
		}
	} else if status == inkform.StatusValidated {
		// A validated document whose values change moves to the end of
		// the feed, so a client following it gets the new values.
		if err := db.moveInFeed(ctx, tx, d); err != nil {
			return false, err
		}
	}
	event := inkform.StatusEvent(d.Status, status)
	d.Status, d.UpdatedAt = status, now
	queued, err := db.enqueueDeliveries(ctx, tx, d, event, rendered, nil)
	if err != nil {
		return false, fmt.Errorf("enqueue deliveries: %w", err)
	}
	return queued, nil
}

// SaveInterpretation implements inkform.DocumentUpdater.
func (db *DB) SaveInterpretation(ctx context.Context, orgID, id string, in *inkform.Interpretation) (bool, error) {
	saved, delivered := false, false
	err := db.inWrite(ctx, func(tx querier) error {
		d, err := db.lockDocument(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		if fresh, err := db.inkUnchanged(ctx, tx, orgID, id, in.InkRows); err != nil || !fresh {
			return err
		}
		// A verifier may have corrected a value while the job ran.
		d.Fields = in.Apply(d.Fields)
		saved = true
		if delivered, err = db.writeDocument(ctx, tx, d, in.Status, in.Cause); err != nil {
			return err
		}
		return db.enqueueRender(ctx, tx, orgID, id)
	})
	if err != nil {
		return false, fmt.Errorf("save interpretation: %w", err)
	}
	if saved {
		db.notifyEnqueued(inkform.QueueRender)
	}
	if delivered {
		db.notifyEnqueued(inkform.QueueDeliver)
	}
	return saved, nil
}

// UpdateFields implements inkform.DocumentUpdater.
func (db *DB) UpdateFields(ctx context.Context, orgID, id string, fields map[string]inkform.FieldValue, by, cause string) (*inkform.Document, error) {
	var doc *inkform.Document
	err := db.inWrite(ctx, func(tx querier) error {
		d, err := db.lockDocument(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		if d.Fields == nil {
			d.Fields = map[string]inkform.FieldValue{}
		}
		if err := db.insertFieldChanges(ctx, tx, d, d.Fields, fields, by, cause); err != nil {
			return err
		}
		for name, v := range fields {
			d.Fields[name] = v
		}
		doc = d
		// The status stays, so no subscription event is raised.
		if _, err := db.writeDocument(ctx, tx, d, d.Status, cause); err != nil {
			return err
		}
		return db.enqueueRender(ctx, tx, orgID, id)
	})
	if err != nil {
		return nil, fmt.Errorf("update fields: %w", err)
	}
	db.notifyEnqueued(inkform.QueueRender)
	return doc, nil
}

// SetStatus implements inkform.DocumentUpdater.
func (db *DB) SetStatus(ctx context.Context, orgID, id string, status inkform.DocumentStatus, cause string) (*inkform.Document, error) {
	var doc *inkform.Document
	delivered := false
	err := db.inWrite(ctx, func(tx querier) error {
		d, err := db.lockDocument(ctx, tx, orgID, id)
		if err != nil {
			return err
		}
		doc = d
		if delivered, err = db.writeDocument(ctx, tx, d, status, cause); err != nil {
			return err
		}
		return db.enqueueRender(ctx, tx, orgID, id)
	})
	if err != nil {
		return nil, fmt.Errorf("set status: %w", err)
	}
	db.notifyEnqueued(inkform.QueueRender)
	if delivered {
		db.notifyEnqueued(inkform.QueueDeliver)
	}
	return doc, nil
}

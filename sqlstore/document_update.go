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
//
// It must be the transaction's last statement but the commit: a change
// into, out of or within the validated status takes the next position of
// the form's feed, whose counter stays locked until the commit (feed.go),
// so it is taken here last, right before the document's row is written.
func (db *DB) writeDocumentAt(ctx context.Context, tx querier, d *inkform.Document, status inkform.DocumentStatus, cause string, now time.Time, rendered bool) (bool, error) {
	fields, err := json.Marshal(d.Fields)
	if err != nil {
		return false, fmt.Errorf("encode fields: %w", err)
	}
	if status != d.Status {
		if _, err := tx.exec(ctx, `INSERT INTO status_changes
			(document_id, org_id, from_status, to_status, cause, changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
			d.ID, d.OrgID, string(d.Status), string(status), cause, micros(now)); err != nil {
			return false, fmt.Errorf("insert status change: %w", err)
		}
	}
	old := d.Status
	event := inkform.StatusEvent(old, status)
	d.Status, d.UpdatedAt = status, now
	queued, err := db.enqueueDeliveries(ctx, tx, d, event, rendered, nil)
	if err != nil {
		return false, fmt.Errorf("enqueue deliveries: %w", err)
	}
	query := `UPDATE documents SET fields = ?, status = ?, updated_at = ?`
	args := []any{string(fields), string(status), micros(now)}
	switch {
	case status == inkform.StatusValidated:
		// Into the feed, or, when a validated document's values change,
		// to its end, so a client following it gets the new values; the
		// validation time stays then.
		seq, err := db.nextFeedSeq(ctx, tx, d.FormID)
		if err != nil {
			return false, err
		}
		if old != inkform.StatusValidated {
			query, args = query+`, validated_at = ?`, append(args, micros(now))
		}
		query, args = query+`, feed_seq = ?`, append(args, seq)
	case old == inkform.StatusValidated:
		query += `, validated_at = NULL, feed_seq = NULL` // out of the feed
	}
	if _, err := tx.exec(ctx, query+` WHERE org_id = ? AND id = ?`, append(args, d.OrgID, d.ID)...); err != nil {
		return false, fmt.Errorf("update document: %w", err)
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
		if err := db.enqueueRender(ctx, tx, orgID, id); err != nil {
			return err
		}
		delivered, err = db.writeDocument(ctx, tx, d, in.Status, in.Cause)
		return err
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
		if err := db.enqueueRender(ctx, tx, orgID, id); err != nil {
			return err
		}
		// The status stays, so no subscription event is raised.
		_, err = db.writeDocument(ctx, tx, d, d.Status, cause)
		return err
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
		if err := db.enqueueRender(ctx, tx, orgID, id); err != nil {
			return err
		}
		delivered, err = db.writeDocument(ctx, tx, d, status, cause)
		return err
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

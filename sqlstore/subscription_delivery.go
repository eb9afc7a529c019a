package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

var _ inkform.DeliveryPruner = (*DB)(nil)

// deliveryColumns are the columns scanDelivery reads.
const deliveryColumns = `id, handler_id, message_id, event, document_id, event_at, attempt, status_code, latency_ms, error_message, attempted_at`

// RecordDelivery implements inkform.SubscriptionStore. The subscription must be the
// org's: a worker of one org cannot write into another's log. Records of
// concurrent deliveries share transactions (see deliveryLog), so the log
// does not cap deliveries at one commit each.
func (db *DB) RecordDelivery(ctx context.Context, orgID string, d *inkform.Delivery) error {
	if d == nil || d.SubscriptionID == "" || d.MessageID == "" {
		return inkform.Errorf(inkform.EINVALID, "record delivery: handler and message are required")
	}
	if d.At.IsZero() {
		d.At = db.now()
	}
	// The error may quote a receiver's answer: PostgreSQL refuses NUL and
	// invalid UTF-8, and a long answer must not fill the table.
	msg := strings.ReplaceAll(d.Error, "\x00", "")
	if len(msg) > maxDeliveryError {
		msg = msg[:maxDeliveryError]
	}
	d.Error = strings.ToValidUTF8(msg, "")
	if err := db.deliveries.record(ctx, db, orgID, d); err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	return nil
}

// recordDeliveryTx writes one attempt, and its audit event when the
// endpoint took it, inside tx.
func (db *DB) recordDeliveryTx(ctx context.Context, tx querier, orgID string, d *inkform.Delivery) error {
	var typ string
	if err := tx.queryRow(ctx, `SELECT type FROM handlers WHERE org_id = ? AND id = ?`,
		orgID, d.SubscriptionID).Scan(&typ); err != nil {
		return notFound(err, "handler")
	}
	id, err := db.d.insertID(ctx, tx, `INSERT INTO handler_deliveries
		(org_id, handler_id, message_id, event, document_id, event_at, attempt, status_code, latency_ms, error_message, attempted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		orgID, d.SubscriptionID, d.MessageID, d.Event, d.DocumentID, micros(d.EventAt), d.Attempt, d.StatusCode, d.LatencyMS, d.Error, micros(d.At))
	if err != nil {
		return fmt.Errorf("insert delivery: %w", err)
	}
	d.ID = id
	// An export is audited as document.export by the store's
	// MarkExported; a second event would say the same.
	if d.Error != "" || d.DocumentID == "" || typ == inkform.SubscriptionExport {
		return nil
	}
	// A delivery the endpoint took is a disclosure of the document, so it
	// goes in the audit log with the subscription as actor.
	return db.insertAudit(ctx, tx, orgID, &inkform.AuditEvent{
		Actor: "handler " + d.SubscriptionID, Action: inkform.AuditDocumentDeliver,
		Object: inkform.AuditObject{Kind: "document", ID: d.DocumentID},
		Detail: fmt.Sprintf("%s by %s, attempt %d", d.Event, typ, d.Attempt),
	})
}

// scanDelivery reads one row of deliveryColumns.
func scanDelivery(row interface{ Scan(...any) error }) (*inkform.Delivery, error) {
	var (
		d         inkform.Delivery
		eventAt   int64
		attempted int64
	)
	if err := row.Scan(&d.ID, &d.SubscriptionID, &d.MessageID, &d.Event, &d.DocumentID, &eventAt, &d.Attempt,
		&d.StatusCode, &d.LatencyMS, &d.Error, &attempted); err != nil {
		return nil, err
	}
	if eventAt != 0 {
		d.EventAt = fromMicros(eventAt)
	}
	d.At = fromMicros(attempted)
	return &d, nil
}

// ListDeliveries implements inkform.SubscriptionStore. An unknown subscription is
// ENOTFOUND rather than an empty log, so a caller cannot mistake another
// org's subscription for a quiet one.
func (db *DB) ListDeliveries(ctx context.Context, orgID, handlerID string, limit int) ([]*inkform.Delivery, error) {
	if limit <= 0 {
		limit = defaultDeliveries
	}
	limit = min(limit, maxDeliveries)
	if _, err := db.FindSubscription(ctx, orgID, handlerID); err != nil {
		return nil, err
	}
	rows, err := db.reader(ctx).query(ctx, `SELECT `+deliveryColumns+`
		FROM handler_deliveries WHERE org_id = ? AND handler_id = ?
		ORDER BY id DESC LIMIT ?`, orgID, handlerID, limit)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	defer rows.Close()
	var ds []*inkform.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("scan delivery: %w", err)
		}
		ds = append(ds, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return ds, nil
}

// FindDelivery implements inkform.SubscriptionStore.
func (db *DB) FindDelivery(ctx context.Context, orgID, handlerID string, id int64) (*inkform.Delivery, error) {
	d, err := scanDelivery(db.reader(ctx).queryRow(ctx, `SELECT `+deliveryColumns+`
		FROM handler_deliveries WHERE org_id = ? AND handler_id = ? AND id = ?`, orgID, handlerID, id))
	if err != nil {
		return nil, notFound(err, "delivery")
	}
	return d, nil
}

// Redeliver implements inkform.SubscriptionStore. The new job carries the
// logged message's ID and event time, so the receiver sees the same
// message; a purged document's event is rebuilt from the log, which is all
// that is left of it.
func (db *DB) Redeliver(ctx context.Context, orgID, handlerID string, deliveryID int64) (int64, error) {
	var jobID int64
	err := db.inWrite(ctx, func(tx querier) error {
		h, err := scanSubscription(tx.queryRow(ctx, `SELECT `+handlerColumnsList+`
			FROM handlers WHERE org_id = ? AND id = ?`, orgID, handlerID))
		if err != nil {
			return notFound(err, "handler")
		}
		d, err := scanDelivery(tx.queryRow(ctx, `SELECT `+deliveryColumns+`
			FROM handler_deliveries WHERE org_id = ? AND handler_id = ? AND id = ?`, orgID, handlerID, deliveryID))
		if err != nil {
			return notFound(err, "delivery")
		}
		if d.Event == "" {
			return inkform.Errorf(inkform.EUNPROCESSABLE, "delivery %d was logged before redelivery was possible", deliveryID)
		}
		args := inkform.DeliverArgs{SubscriptionID: h.ID, DocumentID: d.DocumentID, Event: d.Event, MessageID: d.MessageID, EventAt: d.EventAt}
		if d.Event == inkform.EventDocumentPurged {
			args.Purged = &inkform.PurgedRecord{ID: d.DocumentID, FormID: h.FormID, Status: "purged", PurgedAt: d.EventAt}
		}
		jobID, err = db.enqueueJob(ctx, tx, orgID, args, inkform.EnqueueOpts{})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("redeliver: %w", err)
	}
	db.notifyEnqueued(inkform.QueueDeliver)
	return jobID, nil
}

// PruneDeliveries deletes delivery log entries older than before, at most
// limit of them, and reports how many it deleted; a periodic job calls it
// until it deletes fewer than limit.
func (db *DB) PruneDeliveries(ctx context.Context, before time.Time, limit int) (int, error) {
	var n int64
	err := db.inWrite(ctx, func(tx querier) error {
		// A subquery with LIMIT keeps each transaction short; MySQL cannot
		// LIMIT a subquery of IN, so it goes through a derived table.
		res, err := tx.exec(ctx, `DELETE FROM handler_deliveries WHERE id IN
			(SELECT id FROM (SELECT id FROM handler_deliveries WHERE attempted_at < ? ORDER BY attempted_at LIMIT ?) AS old)`,
			micros(before), limit)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	return int(n), nil
}

// wakeDeliveries makes the held deliveries of a document's events due now,
// inside the caller's transaction, and reports how many it woke. A delivery
// that needs the document's PDF is enqueued held (inkform.DeliveryPDFWait)
// or snoozes while it is rendered; SaveRender calls this as it records the
// PDF, so the delivery goes out at once instead of at its next poll. The
// caller calls notifyEnqueued(inkform.QueueDeliver) after the commit when
// it woke any.
func (db *DB) wakeDeliveries(ctx context.Context, tx querier, orgID, documentID string) (int64, error) {
	now := micros(db.now())
	// The index on (org_id, document_id) narrows the update to the
	// document's jobs.
	res, err := tx.exec(ctx, `UPDATE jobs SET run_at = ?
		WHERE org_id = ? AND document_id = ? AND kind = ? AND queue = ? AND state = 'available' AND run_at > ?`,
		now, orgID, documentID, inkform.DeliverArgs{}.Kind(), inkform.QueueDeliver, now)
	if err != nil {
		return 0, fmt.Errorf("wake deliveries: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return 0, err
	}
	// Their keys are not read here: the next claim looks whatever they are.
	db.keyLists.enqueued(inkform.QueueDeliver, "")
	return n, db.notifyTx(ctx, tx, inkform.QueueDeliver)
}

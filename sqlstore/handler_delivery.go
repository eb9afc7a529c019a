package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/inkform/inkform"
)

// RecordDelivery implements inkform.HandlerStore. The handler must be the
// org's: a worker of one org cannot write into another's log.
func (db *DB) RecordDelivery(ctx context.Context, orgID string, d *inkform.Delivery) error {
	if d == nil || d.HandlerID == "" || d.MessageID == "" {
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
	msg = strings.ToValidUTF8(msg, "")
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM handlers WHERE org_id = ? AND id = ?`),
			orgID, d.HandlerID).Scan(&n); err != nil {
			return fmt.Errorf("find handler: %w", err)
		} else if n == 0 {
			return inkform.Errorf(inkform.ENOTFOUND, "handler not found")
		}
		_, err := tx.ExecContext(ctx, db.rebind(`INSERT INTO handler_deliveries
			(org_id, handler_id, message_id, attempt, status_code, latency_ms, error_message, attempted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			orgID, d.HandlerID, d.MessageID, d.Attempt, d.StatusCode, d.LatencyMS, msg, micros(d.At))
		if err != nil {
			return fmt.Errorf("insert delivery: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	return nil
}

// ListDeliveries implements inkform.HandlerStore. An unknown handler is
// ENOTFOUND rather than an empty log, so a caller cannot mistake another
// org's handler for a quiet one.
func (db *DB) ListDeliveries(ctx context.Context, orgID, handlerID string, limit int) ([]*inkform.Delivery, error) {
	if limit <= 0 {
		limit = defaultDeliveries
	}
	limit = min(limit, maxDeliveries)
	if _, err := db.FindHandler(ctx, orgID, handlerID); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, db.rebind(`SELECT handler_id, message_id, attempt, status_code, latency_ms, error_message, attempted_at
		FROM handler_deliveries WHERE org_id = ? AND handler_id = ?
		ORDER BY attempted_at DESC, attempt DESC LIMIT ?`), orgID, handlerID, limit)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	defer rows.Close()
	var ds []*inkform.Delivery
	for rows.Next() {
		var (
			d  inkform.Delivery
			at int64
		)
		if err := rows.Scan(&d.HandlerID, &d.MessageID, &d.Attempt, &d.StatusCode, &d.LatencyMS, &d.Error, &at); err != nil {
			return nil, fmt.Errorf("scan delivery: %w", err)
		}
		d.At = fromMicros(at)
		ds = append(ds, &d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return ds, nil
}

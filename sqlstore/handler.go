package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/inkform/inkform"
)

var _ inkform.HandlerStore = (*DB)(nil)

// Delivery log limits: an error text is cut short so a receiver's long
// answer cannot fill the table; a page of the log is at most maxDeliveries.
const (
	maxDeliveryError   = 1000
	defaultDeliveries  = 50
	maxDeliveries      = 500
	handlerColumnsList = `id, org_id, form_id, type, url, events, created_at`
)

// CreateHandler implements inkform.HandlerStore.
func (db *DB) CreateHandler(ctx context.Context, orgID string, h *inkform.Handler, secret string) error {
	if err := h.Validate(); err != nil {
		return err
	}
	if secret == "" {
		return inkform.Errorf(inkform.EINVALID, "create handler: a secret is required")
	}
	events, err := json.Marshal(h.Events)
	if err != nil {
		return fmt.Errorf("encode events: %w", err)
	}
	err = db.inWrite(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM forms WHERE org_id = ? AND id = ?`),
			orgID, h.FormID).Scan(&n); err != nil {
			return fmt.Errorf("find form: %w", err)
		} else if n == 0 {
			return inkform.Errorf(inkform.ENOTFOUND, "form not found")
		}
		h.ID, h.OrgID, h.CreatedAt = inkform.NewID(), orgID, db.now()
		sealed, err := db.sealSecret(secret, orgID+"/"+h.ID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.rebind(`INSERT INTO handlers (id, org_id, form_id, type, url, events, secret, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), h.ID, orgID, h.FormID, h.Type, h.URL, string(events), sealed, micros(h.CreatedAt))
		if err != nil {
			return fmt.Errorf("insert handler: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create handler: %w", err)
	}
	return nil
}

// scanHandler reads one row of handlerColumnsList.
func scanHandler(row interface{ Scan(...any) error }) (*inkform.Handler, error) {
	var (
		h       inkform.Handler
		events  string
		created int64
	)
	if err := row.Scan(&h.ID, &h.OrgID, &h.FormID, &h.Type, &h.URL, &events, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(events), &h.Events); err != nil {
		return nil, fmt.Errorf("decode events of handler %s: %w", h.ID, err)
	}
	h.CreatedAt = fromMicros(created)
	return &h, nil
}

// FindHandler implements inkform.HandlerStore.
func (db *DB) FindHandler(ctx context.Context, orgID, id string) (*inkform.Handler, error) {
	h, err := scanHandler(db.r.QueryRowContext(ctx, db.rebind(`SELECT `+handlerColumnsList+`
		FROM handlers WHERE org_id = ? AND id = ?`), orgID, id))
	if err != nil {
		return nil, notFound(err, "handler")
	}
	return h, nil
}

// FindHandlerSecret implements inkform.HandlerStore.
func (db *DB) FindHandlerSecret(ctx context.Context, orgID, id string) (*inkform.Handler, string, error) {
	var secret string
	h, err := scanHandler(db.w.QueryRowContext(ctx, db.rebind(`SELECT `+handlerColumnsList+`
		FROM handlers WHERE org_id = ? AND id = ?`), orgID, id))
	if err != nil {
		return nil, "", notFound(err, "handler")
	}
	// A second statement keeps handlerColumnsList (and scanHandler) free of
	// the secret, so no other read can return it by mistake.
	if err := db.w.QueryRowContext(ctx, db.rebind(`SELECT secret FROM handlers WHERE org_id = ? AND id = ?`),
		orgID, id).Scan(&secret); err != nil {
		return nil, "", notFound(err, "handler")
	}
	secret, err = db.openSecret(secret, orgID+"/"+id)
	if err != nil {
		return nil, "", fmt.Errorf("handler %s: %w", id, err)
	}
	return h, secret, nil
}

// ListHandlers implements inkform.HandlerStore.
func (db *DB) ListHandlers(ctx context.Context, orgID, formID string) ([]*inkform.Handler, error) {
	hs, err := db.formHandlers(ctx, db.r, orgID, formID)
	if err != nil {
		return nil, fmt.Errorf("list handlers: %w", err)
	}
	return hs, nil
}

// formHandlers reads a form's handlers through q, so writeDocument can
// read them inside its transaction.
func (db *DB) formHandlers(ctx context.Context, q execer, orgID, formID string) ([]*inkform.Handler, error) {
	rows, err := q.QueryContext(ctx, db.rebind(`SELECT `+handlerColumnsList+`
		FROM handlers WHERE org_id = ? AND form_id = ? ORDER BY created_at, id`), orgID, formID)
	if err != nil {
		return nil, fmt.Errorf("query handlers: %w", err)
	}
	defer rows.Close()
	var hs []*inkform.Handler
	for rows.Next() {
		h, err := scanHandler(rows)
		if err != nil {
			return nil, fmt.Errorf("scan handler: %w", err)
		}
		hs = append(hs, h)
	}
	return hs, rows.Err()
}

// enqueueDeliveries enqueues, inside the caller's transaction, one delivery
// of event per handler of the document's form that subscribes to it, so an
// event is sent exactly when the change that raised it is committed. It
// reports whether it enqueued any; the caller then calls
// notifyEnqueued(inkform.QueueDeliver) after the commit.
func (db *DB) enqueueDeliveries(ctx context.Context, tx execer, d *inkform.Document, event string) (bool, error) {
	if event == "" {
		return false, nil
	}
	hs, err := db.formHandlers(ctx, tx, d.OrgID, d.FormID)
	if err != nil {
		return false, err
	}
	queued := false
	for _, h := range hs {
		if !h.Wants(event) {
			continue
		}
		args := inkform.DeliverArgs{HandlerID: h.ID, DocumentID: d.ID, Event: event, MessageID: "msg_" + inkform.NewID()}
		if err := db.enqueueTx(ctx, tx, d.OrgID, args, inkform.DeliverJobOpts()); err != nil {
			return false, err
		}
		queued = true
	}
	return queued, nil
}

// DeleteHandler implements inkform.HandlerStore.
func (db *DB) DeleteHandler(ctx context.Context, orgID, id string) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.rebind(`DELETE FROM handlers WHERE org_id = ? AND id = ?`), orgID, id)
		if err != nil {
			return fmt.Errorf("delete handler: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete handler: %w", err)
		} else if n == 0 {
			return inkform.Errorf(inkform.ENOTFOUND, "handler not found")
		}
		if _, err := tx.ExecContext(ctx, db.rebind(`DELETE FROM handler_deliveries WHERE org_id = ? AND handler_id = ?`),
			orgID, id); err != nil {
			return fmt.Errorf("delete deliveries: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete handler: %w", err)
	}
	return nil
}

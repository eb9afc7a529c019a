package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/inkform/inkform"
)

var _ inkform.SubscriptionStore = (*DB)(nil)

// Delivery log limits: an error text is cut short so a receiver's long
// answer cannot fill the table; a page of the log is at most maxDeliveries.
const (
	maxDeliveryError   = 1000
	defaultDeliveries  = 50
	maxDeliveries      = 500
	handlerColumnsList = `id, org_id, form_id, type, url, events, settings, created_at, updated_at`
)

// handlerSettings are the settings of a subscription other than its URL and
// events, kept as one JSON column so a new subscription type needs no migration.
type handlerSettings struct {
	Conditions []inkform.Condition `json:"conditions,omitempty"`
	To         []string            `json:"to,omitempty"`
	Subject    string              `json:"subject,omitempty"`
	Body       string              `json:"body,omitempty"`
	Target     string              `json:"target,omitempty"`
	Format     string              `json:"format,omitempty"`
	Path       string              `json:"path,omitempty"`
}

// encodeSubscription returns the events and settings columns of h.
func encodeSubscription(h *inkform.Subscription) (events, settings string, err error) {
	ev, err := json.Marshal(h.Events)
	if err != nil {
		return "", "", fmt.Errorf("encode events: %w", err)
	}
	st, err := json.Marshal(handlerSettings{Conditions: h.Conditions, To: h.To, Subject: h.Subject, Body: h.Body,
		Target: h.Target, Format: h.Format, Path: h.Path})
	if err != nil {
		return "", "", fmt.Errorf("encode settings: %w", err)
	}
	return string(ev), string(st), nil
}

// CreateSubscription implements inkform.SubscriptionStore.
func (db *DB) CreateSubscription(ctx context.Context, orgID string, h *inkform.Subscription, secret string) error {
	if err := h.Validate(); err != nil {
		return err
	}
	if (secret == "") != (h.Type != inkform.SubscriptionWebhook) {
		return inkform.Errorf(inkform.EINVALID, "create handler: a webhook needs a secret, other types none")
	}
	events, settings, err := encodeSubscription(h)
	if err != nil {
		return err
	}
	err = db.inWrite(ctx, func(tx querier) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM forms WHERE org_id = ? AND id = ?`,
			orgID, h.FormID).Scan(&n); err != nil {
			return fmt.Errorf("find form: %w", err)
		} else if n == 0 {
			return inkform.Errorf(inkform.ENOTFOUND, "form not found")
		}
		h.ID, h.OrgID, h.CreatedAt = inkform.NewID(), orgID, db.now()
		h.UpdatedAt = h.CreatedAt
		sealed := ""
		if secret != "" {
			if sealed, err = db.sealSecret(secret, orgID+"/"+h.ID); err != nil {
				return err
			}
		}
		_, err = tx.exec(ctx, `INSERT INTO handlers (id, org_id, form_id, type, url, events, settings, secret, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, h.ID, orgID, h.FormID, h.Type, h.URL, events, settings, sealed,
			micros(h.CreatedAt), micros(h.UpdatedAt))
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

// scanSubscription reads one row of handlerColumnsList.
func scanSubscription(row interface{ Scan(...any) error }) (*inkform.Subscription, error) {
	var (
		h                inkform.Subscription
		events, settings string
		created, updated int64
		st               handlerSettings
	)
	if err := row.Scan(&h.ID, &h.OrgID, &h.FormID, &h.Type, &h.URL, &events, &settings, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(events), &h.Events); err != nil {
		return nil, fmt.Errorf("decode events of handler %s: %w", h.ID, err)
	}
	if err := json.Unmarshal([]byte(settings), &st); err != nil {
		return nil, fmt.Errorf("decode settings of handler %s: %w", h.ID, err)
	}
	h.Conditions, h.To, h.Subject, h.Body = st.Conditions, st.To, st.Subject, st.Body
	h.Target, h.Format, h.Path = st.Target, st.Format, st.Path
	h.CreatedAt, h.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &h, nil
}

// FindSubscription implements inkform.SubscriptionStore.
func (db *DB) FindSubscription(ctx context.Context, orgID, id string) (*inkform.Subscription, error) {
	h, err := scanSubscription(db.reader(ctx).queryRow(ctx, `SELECT `+handlerColumnsList+`
		FROM handlers WHERE org_id = ? AND id = ?`, orgID, id))
	if err != nil {
		return nil, notFound(err, "handler")
	}
	return h, nil
}

// FindSubscriptionSecret implements inkform.SubscriptionStore.
func (db *DB) FindSubscriptionSecret(ctx context.Context, orgID, id string) (*inkform.Subscription, string, error) {
	var secret string
	h, err := scanSubscription(db.primary().queryRow(ctx, `SELECT `+handlerColumnsList+`
		FROM handlers WHERE org_id = ? AND id = ?`, orgID, id))
	if err != nil {
		return nil, "", notFound(err, "handler")
	}
	// A second statement keeps handlerColumnsList (and scanSubscription) free of
	// the secret, so no other read can return it by mistake.
	if err := db.primary().queryRow(ctx, `SELECT secret FROM handlers WHERE org_id = ? AND id = ?`,
		orgID, id).Scan(&secret); err != nil {
		return nil, "", notFound(err, "handler")
	}
	if secret == "" {
		return h, "", nil // only webhooks sign
	}
	secret, err = db.openSecret(secret, orgID+"/"+id)
	if err != nil {
		return nil, "", fmt.Errorf("handler %s: %w", id, err)
	}
	return h, secret, nil
}

// ListSubscriptions implements inkform.SubscriptionStore.
func (db *DB) ListSubscriptions(ctx context.Context, orgID, formID string) ([]*inkform.Subscription, error) {
	hs, err := db.formSubscriptions(ctx, db.reader(ctx), orgID, formID)
	if err != nil {
		return nil, fmt.Errorf("list handlers: %w", err)
	}
	return hs, nil
}

// formSubscriptions reads a form's subscriptions through q, so writeDocument can
// read them inside its transaction.
func (db *DB) formSubscriptions(ctx context.Context, q querier, orgID, formID string) ([]*inkform.Subscription, error) {
	rows, err := q.query(ctx, `SELECT `+handlerColumnsList+`
		FROM handlers WHERE org_id = ? AND form_id = ? ORDER BY created_at, id`, orgID, formID)
	if err != nil {
		return nil, fmt.Errorf("query handlers: %w", err)
	}
	defer rows.Close()
	var hs []*inkform.Subscription
	for rows.Next() {
		h, err := scanSubscription(rows)
		if err != nil {
			return nil, fmt.Errorf("scan handler: %w", err)
		}
		hs = append(hs, h)
	}
	return hs, rows.Err()
}

// enqueueDeliveries enqueues, inside the caller's transaction, one delivery
// of event per subscription of the document's form that subscribes to it and
// whose conditions hold for the document's values, so an event is sent
// exactly when the change that raised it is committed. It reports whether
// it enqueued any that is due at once; the caller then calls
// notifyEnqueued(inkform.QueueDeliver) after the commit (deliveries held
// for their PDF are announced by SaveRender, which makes them due: a
// wake-up now would only send a worker to claim nothing). purged carries a
// document.purged event's data. rendered says the PDF of d's state is
// recorded in this transaction, so no delivery waits for it.
func (db *DB) enqueueDeliveries(ctx context.Context, tx querier, d *inkform.Document, event string, rendered bool, purged *inkform.PurgedRecord) (bool, error) {
	if event == "" {
		return false, nil
	}
	hs, err := db.formSubscriptions(ctx, tx, d.OrgID, d.FormID)
	if err != nil {
		return false, err
	}
	now := db.now()
	deliveries := inkform.Deliveries(hs, event, d.ID, d.Fields, now, purged)
	due := false
	for _, args := range deliveries {
		var opts inkform.EnqueueOpts
		if h := deliveringTo(hs, args.SubscriptionID); !rendered && h != nil && h.WaitsForPDF(event) {
			// Events with a PDF come from writeDocument, whose callers
			// enqueue the document's render in this transaction too: hold
			// the delivery until SaveRender wakes it, so it is not claimed
			// only to find no PDF and snooze.
			opts.RunAt = now.Add(inkform.DeliveryPDFWait)
		} else {
			due = true
		}
		if _, err := db.enqueueJob(ctx, tx, d.OrgID, args, opts); err != nil {
			return false, err
		}
	}
	return due, nil
}

// deliveringTo returns the subscription of hs with the ID, nil when none.
func deliveringTo(hs []*inkform.Subscription, id string) *inkform.Subscription {
	for _, h := range hs {
		if h.ID == id {
			return h
		}
	}
	return nil
}

// DeleteSubscription implements inkform.SubscriptionStore.
func (db *DB) DeleteSubscription(ctx context.Context, orgID, id string) error {
	err := db.inWrite(ctx, func(tx querier) error {
		res, err := tx.exec(ctx, `DELETE FROM handlers WHERE org_id = ? AND id = ?`, orgID, id)
		if err != nil {
			return fmt.Errorf("delete handler: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete handler: %w", err)
		} else if n == 0 {
			return inkform.Errorf(inkform.ENOTFOUND, "handler not found")
		}
		if _, err := tx.exec(ctx, `DELETE FROM handler_deliveries WHERE org_id = ? AND handler_id = ?`,
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

// UpdateSubscription implements inkform.SubscriptionStore.
func (db *DB) UpdateSubscription(ctx context.Context, orgID, id string, change func(*inkform.Subscription) error) (*inkform.Subscription, error) {
	var h *inkform.Subscription
	err := db.inWrite(ctx, func(tx querier) error {
		var err error
		h, err = scanSubscription(tx.queryRow(ctx, `SELECT `+handlerColumnsList+`
			FROM handlers WHERE org_id = ? AND id = ?`+db.d.forUpdate(), orgID, id))
		if err != nil {
			return notFound(err, "handler")
		}
		keep := *h
		if err := change(h); err != nil {
			return err
		}
		h.ID, h.OrgID, h.Type, h.FormID, h.CreatedAt = keep.ID, keep.OrgID, keep.Type, keep.FormID, keep.CreatedAt
		if err := h.Validate(); err != nil {
			return err
		}
		events, settings, err := encodeSubscription(h)
		if err != nil {
			return err
		}
		h.UpdatedAt = db.now()
		if _, err := tx.exec(ctx, `UPDATE handlers SET url = ?, events = ?, settings = ?, updated_at = ?
			WHERE org_id = ? AND id = ?`, h.URL, events, settings, micros(h.UpdatedAt), orgID, id); err != nil {
			return fmt.Errorf("store handler: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update handler: %w", err)
	}
	return h, nil
}

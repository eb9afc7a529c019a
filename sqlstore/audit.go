package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/inkform/inkform"
)

var _ inkform.AuditLog = (*DB)(nil)

// The audit log is append-only: this file holds the only statements that
// touch audit_events, an INSERT and a SELECT. Do not add an UPDATE or DELETE.

// RecordAudit implements inkform.AuditLog. A list of documents records
// one event per document, so the events share a transaction: one commit
// instead of a page's worth.
func (db *DB) RecordAudit(ctx context.Context, orgID string, events ...*inkform.AuditEvent) error {
	err := db.inWrite(ctx, func(tx querier) error {
		for _, e := range events {
			if err := db.insertAudit(ctx, tx, orgID, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record audit: %w", err)
	}
	return nil
}

// insertAudit appends e inside q, so that a change and its audit event are
// committed together.
func (db *DB) insertAudit(ctx context.Context, q querier, orgID string, e *inkform.AuditEvent) error {
	if err := e.Validate(); err != nil {
		return err
	}
	e.ID, e.OrgID = inkform.NewID(), orgID
	if e.At.IsZero() {
		e.At = db.now()
	}
	_, err := q.exec(ctx, `INSERT INTO audit_events
		(id, org_id, created_at, actor, action, object_kind, object_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, orgID, micros(e.At), e.Actor, e.Action, e.Object.Kind, e.Object.ID, e.Detail)
	if err != nil {
		return fmt.Errorf("insert audit event: %w", err)
	}
	return nil
}

// ListAudit implements inkform.AuditLog. Events are ordered by ID, which
// grows with time, so the cursor is the last ID of a page.
func (db *DB) ListAudit(ctx context.Context, orgID string, f inkform.AuditFilter) ([]*inkform.AuditEvent, string, error) {
	where := []string{"org_id = ?"}
	args := []any{orgID}
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.ObjectKind != "" {
		add("object_kind = ?", f.ObjectKind)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", micros(f.Since))
	}
	if !f.Until.IsZero() {
		add("created_at < ?", micros(f.Until))
	}
	if f.After != "" {
		add("id > ?", f.After)
	}
	limit := inkform.ListLimit(f.Limit)
	args = append(args, limit+1) // one more tells whether there is a next page
	rows, err := db.reader(ctx).query(ctx, `SELECT id, created_at, actor, action, object_kind, object_id, detail
		FROM audit_events WHERE `+strings.Join(where, " AND ")+" ORDER BY id LIMIT ?", args...)
	if err != nil {
		return nil, "", fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	out := []*inkform.AuditEvent{}
	for rows.Next() {
		e := &inkform.AuditEvent{OrgID: orgID}
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Object.Kind, &e.Object.ID, &e.Detail); err != nil {
			return nil, "", fmt.Errorf("list audit: %w", err)
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list audit: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

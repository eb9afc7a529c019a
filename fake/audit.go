package fake

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/inkform/inkform"
)

var _ inkform.AuditLog = (*Audit)(nil)

// Audit is an in-memory AuditLog.
type Audit struct {
	Hook Hook

	mu     sync.Mutex
	events []*inkform.AuditEvent
}

// RecordAudit implements inkform.AuditLog: all events are checked before
// any is kept, so a batch is stored all or none.
func (a *Audit) RecordAudit(ctx context.Context, orgID string, events ...*inkform.AuditEvent) error {
	if err := a.Hook.call("RecordAudit", append([]any{orgID}, anySlice(events)...)...); err != nil {
		return err
	}
	for _, e := range events {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	at := now()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, e := range events {
		e.ID, e.OrgID = inkform.NewID(), orgID
		if e.At.IsZero() {
			e.At = at
		}
		c := *e
		c.At = dbTime(e.At)
		a.events = append(a.events, &c)
	}
	return nil
}

// anySlice turns events into hook arguments.
func anySlice(events []*inkform.AuditEvent) []any {
	out := make([]any, len(events))
	for i, e := range events {
		out[i] = e
	}
	return out
}

// ListAudit implements inkform.AuditLog: by ID, which grows with time.
func (a *Audit) ListAudit(ctx context.Context, orgID string, f inkform.AuditFilter) ([]*inkform.AuditEvent, string, error) {
	if err := a.Hook.call("ListAudit", orgID, f); err != nil {
		return nil, "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	out := []*inkform.AuditEvent{}
	for _, e := range a.events {
		switch {
		case e.OrgID != orgID,
			f.Action != "" && e.Action != f.Action,
			f.ObjectKind != "" && e.Object.Kind != f.ObjectKind,
			f.ObjectID != "" && e.Object.ID != f.ObjectID,
			f.Actor != "" && e.Actor != f.Actor,
			!f.Since.IsZero() && e.At.Before(f.Since),
			!f.Until.IsZero() && !e.At.Before(f.Until),
			f.After != "" && e.ID <= f.After:
			continue
		}
		c := *e
		out = append(out, &c)
	}
	slices.SortFunc(out, func(x, y *inkform.AuditEvent) int { return strings.Compare(x.ID, y.ID) })
	out, next := page(out, inkform.ListLimit(f.Limit), func(e *inkform.AuditEvent) string { return e.ID })
	return out, next, nil
}

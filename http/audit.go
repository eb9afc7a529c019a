package http

import (
	"log/slog"
	"net/http"

	"github.com/inkform/inkform"
)

// Handlers record audit events by calling these helpers with what they did,
// rather than through a middleware that sees every request: a handler knows
// which object it touched and can be trusted to pass only IDs and names,
// never the body, a field value or a secret.

// auditRead records that the caller read an object, before the object is
// sent. A read that cannot be recorded is refused (the error is returned),
// so the log never misses a read that happened.
func (s *Server) auditRead(r *http.Request, kind, id, detail string) error {
	return s.recordAudit(r, inkform.AuditDocumentRead, kind, id, detail)
}

// auditList records that the caller read each of the listed documents
// (their fields are in the list), in one transaction. Like auditRead, it
// refuses the answer when the reads cannot be recorded.
func (s *Server) auditList(r *http.Request, docs []*inkform.Document) error {
	if s.Audit == nil || len(docs) == 0 {
		return nil
	}
	org, err := orgID(r)
	if err != nil {
		return err
	}
	events := make([]*inkform.AuditEvent, len(docs))
	for i, d := range docs {
		events[i] = &inkform.AuditEvent{Actor: principalName(r), Action: inkform.AuditDocumentRead,
			Object: inkform.AuditObject{Kind: "document", ID: d.ID}, Detail: "list"}
	}
	return s.Audit.RecordAudit(r.Context(), org, events...)
}

// auditChange records a change the handler has already committed. A
// failure to record is logged rather than returned: answering 500 for a
// committed change would invite a retry that changes it twice.
func (s *Server) auditChange(r *http.Request, action, kind, id, detail string) {
	if err := s.recordAudit(r, action, kind, id, detail); err != nil {
		s.Logger.ErrorContext(r.Context(), "audit event not recorded",
			slog.String("action", action), slog.String("object", kind+" "+id), slog.Any("err", err))
	}
}

// recordAudit appends one event for the authenticated caller; without an
// audit log (a server wired without one) it does nothing.
func (s *Server) recordAudit(r *http.Request, action, kind, id, detail string) error {
	if s.Audit == nil {
		return nil
	}
	org, err := orgID(r)
	if err != nil {
		return err
	}
	return s.Audit.RecordAudit(r.Context(), org, &inkform.AuditEvent{
		Actor: principalName(r), Action: action,
		Object: inkform.AuditObject{Kind: kind, ID: id}, Detail: detail,
	})
}

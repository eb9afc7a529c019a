package ui

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/inkform/inkform"
)

// audit records a sign-in, a failed one or a sign-out of u in u's org. The
// event is already done (a session made or ended), so a failure to record
// it is logged rather than undoing it or failing the request.
func (s *Server) audit(r *http.Request, u *inkform.User, actor, action, detail string) {
	if s.Audit == nil {
		return
	}
	err := s.Audit.RecordAudit(r.Context(), u.OrgID, &inkform.AuditEvent{
		Actor: actor, Action: action, Object: inkform.AuditObject{Kind: "user", ID: u.ID}, Detail: detail,
	})
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "audit event not recorded",
			slog.String("action", action), slog.String("user", u.ID), slog.Any("err", err))
	}
}

// auditRead records that the visitor read a document (its page in the
// station, or a cutout), as the API records its reads. Unlike sign-ins,
// a read that cannot be recorded is not shown: the caller answers 500.
func (s *Server) auditRead(r *http.Request, v *visit, docID, detail string) error {
	if s.Audit == nil {
		return nil
	}
	err := s.Audit.RecordAudit(r.Context(), v.Org.ID, &inkform.AuditEvent{Actor: v.Actor(), Action: inkform.AuditDocumentRead,
		Object: inkform.AuditObject{Kind: "document", ID: docID}, Detail: detail})
	if err != nil {
		return fmt.Errorf("record document read: %w", err)
	}
	return nil
}

// auditChange records a change to a document the workflow has already
// committed, as the API records its changes. A failure is logged rather
// than returned: answering 500 for a committed change would invite the
// person to make it twice.
func (s *Server) auditChange(r *http.Request, v *visit, action, docID, detail string) {
	s.auditCommitted(r, v, action, inkform.AuditObject{Kind: "document", ID: docID}, detail)
}

// auditForm records a change to a form made from the console (a page
// address assigned from the quarantine), as auditChange does.
func (s *Server) auditForm(r *http.Request, v *visit, formID, detail string) {
	s.auditCommitted(r, v, inkform.AuditFormUpdate, inkform.AuditObject{Kind: "form", ID: formID}, detail)
}

// auditCommitted records a committed change, logging a failure.
func (s *Server) auditCommitted(r *http.Request, v *visit, action string, obj inkform.AuditObject, detail string) {
	if s.Audit == nil {
		return
	}
	err := s.Audit.RecordAudit(r.Context(), v.Org.ID, &inkform.AuditEvent{Actor: v.Actor(), Action: action, Object: obj, Detail: detail})
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "audit event not recorded", slog.String("action", action),
			slog.String(obj.Kind, obj.ID), slog.Any("err", err))
	}
}

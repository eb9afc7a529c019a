package ui

import (
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

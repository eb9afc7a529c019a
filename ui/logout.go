package ui

import (
	"net/http"

	"github.com/inkform/inkform"
)

// handleLogout serves POST /logout: it ends this session and shows the
// sign-in page.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, v *visit) error {
	err := s.Sessions.DeleteSession(r.Context(), v.Session.OrgID, v.Session.ID)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return err
	}
	s.clearCookie(w, r, sessionCookie)
	s.audit(r, v.User, v.Actor(), inkform.AuditUserSignOut, "this session")
	http.Redirect(w, r, "/login?signed_out=1", http.StatusSeeOther)
	return nil
}

package ui

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// handleLogoutEverywhere serves POST /logout/everywhere: it ends every
// session of the person, on every device, this one included — what to do
// after signing in on a computer one no longer has at hand.
func (s *Server) handleLogoutEverywhere(w http.ResponseWriter, r *http.Request, v *visit) error {
	n, err := s.Sessions.DeleteUserSessions(r.Context(), v.User.OrgID, v.User.ID)
	if err != nil {
		return err
	}
	s.clearCookie(w, r, sessionCookie)
	s.audit(r, v.User, v.Actor(), inkform.AuditUserSignOut, fmt.Sprintf("everywhere: %d sessions", n))
	http.Redirect(w, r, "/login?signed_out=everywhere", http.StatusSeeOther)
	return nil
}

package ui

import (
	"net/http"

	"github.com/inkform/inkform"
)

// adminTarget returns the org's user an admin's page names, answering
// itself (false) when the visitor is no admin, the server keeps no second
// factors or the org has no such user.
func (s *Server) adminTarget(w http.ResponseWriter, r *http.Request, v *visit) (*inkform.User, bool, error) {
	if v.User.Role != inkform.RoleAdmin {
		s.problem(w, r, v, http.StatusForbidden, "Only an administrator may manage other people's second factors.")
		return nil, false, nil
	}
	if s.TOTP == nil {
		s.problem(w, r, v, http.StatusNotFound, "Second factors are not set up on this server.")
		return nil, false, nil
	}
	u, err := s.Users.FindUserByID(r.Context(), v.Org.ID, r.PathValue("id"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "Your organization has no such user.")
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return u, true, nil
}

// handleTOTPAdmin serves GET /admin/users/{id}/totp: whether a user of
// the admin's org has a second factor, with the form that resets it.
func (s *Server) handleTOTPAdmin(w http.ResponseWriter, r *http.Request, v *visit) error {
	u, ok, err := s.adminTarget(w, r, v)
	if !ok {
		return err
	}
	t, err := s.TOTP.FindTOTP(r.Context(), v.Org.ID, u.ID)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return err
	}
	a := &authView{Target: u}
	if err == nil && t.Enrolled() {
		a.Enrolled, a.Left = true, t.RecoveryCodes
	}
	page := &view{Title: "Second factor of " + u.Email, Visit: v, CSRF: v.CSRF, Auth: a}
	if r.URL.Query().Get("reset") == "1" {
		page.Notice = "The second factor is reset. At the next sign-in the user sets up a new one (if the organization requires it) or signs in with the password alone."
	}
	s.render(w, r, http.StatusOK, "totp_admin", page)
	return nil
}

// handleTOTPReset serves POST /admin/users/{id}/totp/reset: an admin
// removes a user's second factor and recovery codes, say after a lost
// phone, and ends the user's sessions.
func (s *Server) handleTOTPReset(w http.ResponseWriter, r *http.Request, v *visit) error {
	u, ok, err := s.adminTarget(w, r, v)
	if !ok {
		return err
	}
	err = s.TOTP.DeleteTOTP(r.Context(), v.Org.ID, u.ID)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		// Nothing to reset (none set up, or reset by another admin
		// meanwhile): say so, and leave the user's sessions alone.
		s.problem(w, r, v, http.StatusConflict, u.Email+" has no second factor, so there is nothing to reset.")
		return nil
	} else if err != nil {
		return err
	}
	if u.ID != v.User.ID {
		if _, err := s.Sessions.DeleteUserSessions(r.Context(), v.Org.ID, u.ID); err != nil {
			return err
		}
	}
	s.audit(r, u, v.Actor(), inkform.AuditUserTOTPReset, "by "+v.User.Email)
	http.Redirect(w, r, "/admin/users/"+u.ID+"/totp?reset=1", http.StatusSeeOther)
	return nil
}

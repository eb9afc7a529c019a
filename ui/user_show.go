package ui

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// userNotices are the user page's notices after a change, by ?done=.
var userNotices = map[string]string{
	"role":    "The role is changed. It applies to the user's next page.",
	"disable": "The user is disabled and signed out everywhere.",
	"enable":  "The user is enabled and may sign in again.",
}

// handleUserShow serves GET /admin/users/{id}: one user of the org with
// the forms that change the role, disable or enable, and reset the
// password.
func (s *Server) handleUserShow(w http.ResponseWriter, r *http.Request, v *visit) error {
	u, ok, err := s.findUser(w, r, v)
	if !ok {
		return err
	}
	return s.showUser(w, r, v, u, http.StatusOK, "")
}

// findUser returns the org's user the path names, answering itself
// (false) when the org has none.
func (s *Server) findUser(w http.ResponseWriter, r *http.Request, v *visit) (*inkform.User, bool, error) {
	u, err := s.Users.FindUserByID(r.Context(), v.Org.ID, r.PathValue("id"))
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		s.problem(w, r, v, http.StatusNotFound, "Your organization has no such user.")
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("find user: %w", err)
	}
	return u, true, nil
}

// showUser renders the user page with status and an error message ("" for
// none).
func (s *Server) showUser(w http.ResponseWriter, r *http.Request, v *visit, u *inkform.User, status int, message string) error {
	row, err := s.userRow(r.Context(), u)
	if err != nil {
		return err
	}
	page := &view{Title: u.Email, Visit: v, CSRF: v.CSRF, Error: message,
		Notice:   userNotices[r.URL.Query().Get("done")],
		Accounts: &accountsView{Roles: inkform.Roles(), User: &row, Self: u.ID == v.User.ID}}
	if message != "" {
		page.Notice = ""
	}
	s.render(w, r, status, "user", page)
	return nil
}

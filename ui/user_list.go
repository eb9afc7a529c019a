package ui

import (
	"context"
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// userRow is one user of the users pages with their second factor.
type userRow struct {
	*inkform.User
	// TwoFactor is "on", "being set up", "off", or "" when the server
	// keeps no second factors.
	TwoFactor string
}

// userForm is the new-user form: what was typed, kept after an error.
type userForm struct {
	Email string
	Name  string
	Role  inkform.Role
}

// handleUserList serves GET /admin/users: the org's users, oldest first,
// with the form that adds one.
func (s *Server) handleUserList(w http.ResponseWriter, r *http.Request, v *visit) error {
	page, err := s.usersPage(r, v, userForm{Role: inkform.RoleVerifier})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "users", page)
	return nil
}

// usersPage is the users list with the new-user form filled in as f.
func (s *Server) usersPage(r *http.Request, v *visit, f userForm) (*view, error) {
	ctx := r.Context()
	list, err := s.Users.ListUsers(ctx, v.Org.ID)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	rows := make([]userRow, len(list))
	for i, u := range list {
		if rows[i], err = s.userRow(ctx, u); err != nil {
			return nil, err
		}
	}
	return &view{Title: "Users", Visit: v, CSRF: v.CSRF, Accounts: &accountsView{
		Roles: inkform.Roles(), Users: rows, NewUser: f,
	}}, nil
}

// userRow adds the user's second factor, when the server keeps them.
func (s *Server) userRow(ctx context.Context, u *inkform.User) (userRow, error) {
	row := userRow{User: u}
	if s.TOTP == nil {
		return row, nil
	}
	t, err := s.TOTP.FindTOTP(ctx, u.OrgID, u.ID)
	switch {
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		row.TwoFactor = "off"
	case err != nil:
		return row, fmt.Errorf("find second factor: %w", err)
	case t.Enrolled():
		row.TwoFactor = "on"
	default:
		row.TwoFactor = "being set up"
	}
	return row, nil
}

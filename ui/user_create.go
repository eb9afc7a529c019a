package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/inkform/inkform"
)

// handleUserCreate serves POST /admin/users: a new user of the org with a
// password inkform makes, shown on the answer (201) this once for the
// admin to hand over.
func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := userForm{Email: strings.TrimSpace(r.PostFormValue("email")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Role: inkform.Role(r.PostFormValue("role"))}
	ctx := r.Context()
	password := newPassword()
	u := &inkform.User{OrgID: v.Org.ID, Email: f.Email, Name: f.Name, Role: f.Role}
	err := inkform.NormalizeUser(u)
	if err == nil {
		if u.PasswordHash, err = s.hashPassword(ctx, password); err != nil {
			return err
		}
		err = s.Users.CreateUser(ctx, u)
	}
	var status int
	switch inkform.ErrorCode(err) {
	case "":
	case inkform.EINVALID:
		status = http.StatusUnprocessableEntity
	case inkform.ECONFLICT:
		status = http.StatusConflict
		err = inkform.Errorf(inkform.ECONFLICT, "%s already has a user %s.", v.Org.Name, u.Email)
	default:
		return fmt.Errorf("create user: %w", err)
	}
	if status != 0 {
		page, lerr := s.usersPage(r, v, f)
		if lerr != nil {
			return lerr
		}
		page.Error = inkform.ErrorMessage(err)
		s.render(w, r, status, "users", page)
		return nil
	}
	s.audit(r, u, v.Actor(), inkform.AuditUserCreate, "role "+string(u.Role))
	s.showPassword(w, r, v, http.StatusCreated, u, password)
	return nil
}

// showPassword answers with the page that shows a password inkform made
// for u, the only time it is shown (withHeaders keeps caches off it).
func (s *Server) showPassword(w http.ResponseWriter, r *http.Request, v *visit, status int, u *inkform.User, password string) {
	title := "Password of " + u.Email
	if status == http.StatusCreated {
		title = "New user " + u.Email
	}
	s.render(w, r, status, "user_password", &view{Title: title, Visit: v, CSRF: v.CSRF,
		Accounts: &accountsView{User: &userRow{User: u}, Password: password, Self: u.ID == v.User.ID}})
}

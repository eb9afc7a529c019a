package ui

import (
	"fmt"
	"net/http"

	"github.com/inkform/inkform"
)

// lastAdminMessage answers a change that would leave the org without an
// enabled admin (inkform.ErrLastAdmin).
const lastAdminMessage = "This is the organization's last enabled administrator: make another user an administrator first, or nobody could manage users and tokens."

// handleUserUpdate serves POST /admin/users/{id}: action=role (with
// role), disable, enable or reset. Disabling and a new password end the
// user's sessions (the store does, in the change's transaction); a reset
// answers with the new password, shown this once.
func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request, v *visit) error {
	u, ok, err := s.findUser(w, r, v)
	if !ok {
		return err
	}
	action := r.PostFormValue("action")
	var upd inkform.UserUpdate
	var audit, detail, password string
	switch action {
	case "role":
		role := inkform.Role(r.PostFormValue("role"))
		if !role.Valid() {
			return s.showUser(w, r, v, u, http.StatusUnprocessableEntity, "Choose one of the roles listed.")
		}
		if role == u.Role {
			// Nothing to change or audit.
			http.Redirect(w, r, "/admin/users/"+u.ID, http.StatusSeeOther)
			return nil
		}
		upd.Role, audit, detail = &role, inkform.AuditUserRole, fmt.Sprintf("role %s, was %s", role, u.Role)
	case "disable":
		if u.ID == v.User.ID {
			return s.showUser(w, r, v, u, http.StatusConflict, "You cannot disable yourself: ask another administrator.")
		}
		upd.Disabled, audit = new(true), inkform.AuditUserDisable
	case "enable":
		upd.Disabled, audit = new(false), inkform.AuditUserEnable
	case "reset":
		password = newPassword()
		hash, err := s.hashPassword(r.Context(), password)
		if err != nil {
			return err
		}
		upd.PasswordHash, audit = &hash, inkform.AuditUserPasswordReset
	default:
		return s.showUser(w, r, v, u, http.StatusBadRequest, "The form asked for something this page does not do. Reload it and try again.")
	}
	updated, err := s.Users.UpdateUser(r.Context(), v.Org.ID, u.ID, upd)
	switch inkform.ErrorCode(err) {
	case "":
	case inkform.ECONFLICT:
		return s.showUser(w, r, v, u, http.StatusConflict, lastAdminMessage)
	case inkform.ENOTFOUND:
		s.problem(w, r, v, http.StatusNotFound, "Your organization has no such user.")
		return nil
	default:
		return fmt.Errorf("update user: %w", err)
	}
	s.audit(r, updated, v.Actor(), audit, detail)
	if password != "" {
		s.showPassword(w, r, v, http.StatusOK, updated, password)
		return nil
	}
	if updated.ID == v.User.ID && !updated.Role.Can(inkform.PermUsersManage) {
		// Demoted themselves: the users pages are no longer theirs.
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/admin/users/"+u.ID+"?done="+action, http.StatusSeeOther)
	return nil
}

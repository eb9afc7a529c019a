package fake

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/inkform/inkform"
)

var _ inkform.UserService = (*Users)(nil)

// Users is an in-memory UserService. It does not check that a user's org
// exists (it knows no OrgService); every other promise it keeps.
type Users struct {
	Hook Hook
	// Sessions, when set, has the sessions UpdateUser ends when it
	// disables a user or sets a new password.
	Sessions *Sessions

	mu    sync.Mutex
	users []*inkform.User // in creation order
}

// CreateUser implements inkform.UserService.
func (f *Users) CreateUser(ctx context.Context, u *inkform.User) error {
	if err := f.Hook.call("CreateUser", u); err != nil {
		return err
	}
	if u.Email == "" || u.PasswordHash == "" {
		return inkform.Errorf(inkform.EINVALID, "a user needs an e-mail address and a password")
	}
	if !u.Role.Valid() {
		return inkform.Errorf(inkform.EINVALID, "unknown role %q", u.Role)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, o := range f.users {
		if o.OrgID == u.OrgID && o.Email == u.Email {
			return inkform.Errorf(inkform.ECONFLICT, "a user with the e-mail address %s exists", u.Email)
		}
	}
	if u.ID == "" {
		u.ID = inkform.NewID()
	}
	u.CreatedAt = now()
	c := *u
	f.users = append(f.users, &c)
	return nil
}

// FindUserByEmail implements inkform.UserService.
func (f *Users) FindUserByEmail(ctx context.Context, orgID, email string) (*inkform.User, error) {
	if err := f.Hook.call("FindUserByEmail", orgID, email); err != nil {
		return nil, err
	}
	return f.find(func(u *inkform.User) bool { return u.OrgID == orgID && u.Email == email })
}

// FindUserByID implements inkform.UserService.
func (f *Users) FindUserByID(ctx context.Context, orgID, id string) (*inkform.User, error) {
	if err := f.Hook.call("FindUserByID", orgID, id); err != nil {
		return nil, err
	}
	return f.find(func(u *inkform.User) bool { return u.OrgID == orgID && u.ID == id })
}

// FindUsersByEmail implements inkform.UserService, oldest first.
func (f *Users) FindUsersByEmail(ctx context.Context, email string) ([]*inkform.User, error) {
	if err := f.Hook.call("FindUsersByEmail", email); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*inkform.User
	for _, u := range f.users {
		if asciiLower(u.Email) == asciiLower(email) && len(out) < inkform.MaxUsersPerEmail {
			c := *u
			out = append(out, &c)
		}
	}
	return out, nil
}

// ListUsers implements inkform.UserService.
func (f *Users) ListUsers(ctx context.Context, orgID string) ([]*inkform.User, error) {
	if err := f.Hook.call("ListUsers", orgID); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []*inkform.User{}
	for _, u := range f.users {
		if u.OrgID == orgID {
			c := *u
			out = append(out, &c)
		}
	}
	return out, nil
}

// UpdateUser implements inkform.UserService.
func (f *Users) UpdateUser(ctx context.Context, orgID, id string, upd inkform.UserUpdate) (*inkform.User, error) {
	if err := f.Hook.call("UpdateUser", orgID, id, upd); err != nil {
		return nil, err
	}
	if upd.Role != nil && !upd.Role.Valid() {
		return nil, inkform.Errorf(inkform.EINVALID, "unknown role %q", *upd.Role)
	}
	if upd.PasswordHash != nil && *upd.PasswordHash == "" {
		return nil, inkform.Errorf(inkform.EINVALID, "a user needs a password")
	}
	f.mu.Lock()
	i := slices.IndexFunc(f.users, func(u *inkform.User) bool { return u.OrgID == orgID && u.ID == id })
	if i < 0 {
		f.mu.Unlock()
		return nil, notFound("user")
	}
	admins := 0
	for _, u := range f.users {
		if u.OrgID == orgID && u.Role == inkform.RoleAdmin && !u.Disabled {
			admins++
		}
	}
	u := f.users[i]
	if inkform.LeavesNoAdmin(u, upd, admins) {
		f.mu.Unlock()
		return nil, inkform.ErrLastAdmin
	}
	if upd.Role != nil {
		u.Role = *upd.Role
	}
	if upd.Disabled != nil {
		u.Disabled = *upd.Disabled
	}
	if upd.PasswordHash != nil {
		u.PasswordHash = *upd.PasswordHash
	}
	c := *u
	f.mu.Unlock()
	if inkform.EndsSessions(upd) && f.Sessions != nil {
		f.Sessions.deleteWhere(func(s *inkform.Session) bool { return s.OrgID == orgID && s.UserID == id })
	}
	return &c, nil
}

// find returns a copy of the first user match accepts.
func (f *Users) find(match func(*inkform.User) bool) (*inkform.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i := slices.IndexFunc(f.users, match); i >= 0 {
		c := *f.users[i]
		return &c, nil
	}
	return nil, notFound("user")
}

// exists reports whether the org has the user.
func (f *Users) exists(orgID, id string) bool {
	_, err := f.find(func(u *inkform.User) bool { return u.OrgID == orgID && u.ID == id })
	return err == nil
}

// asciiLower lowers ASCII letters only, the case FindUsersByEmail ignores.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

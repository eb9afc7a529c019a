package inkformtest

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// ExerciseUserAdmin runs the contract of the UserService methods the
// console's user administration uses (ListUsers, UpdateUser), with orgs
// made through Orgs and, when Sessions is set, sessions through it.
func ExerciseUserAdmin(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"List", testUserList},
		{"Update", testUserUpdate},
		{"LastAdmin", testUserLastAdmin},
		{"EndsSessions", testUserUpdateEndsSessions},
	})
}

func testUserList(t *testing.T, s Stores) {
	org, other := userOrgs(t, s)
	ctx := context.Background()
	a := newUser(t, s.Users, org.ID, inkform.RoleAdmin)
	b := newUser(t, s.Users, org.ID, inkform.RoleVerifier)
	newUser(t, s.Users, other.ID, inkform.RoleAdmin)
	got, err := s.Users.ListUsers(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !sameUser(got[0], a) || !sameUser(got[1], b) {
		t.Errorf("ListUsers = %d users; want exactly %s and %s, oldest first", len(got), a.Email, b.Email)
	}
	if got, err := s.Users.ListUsers(ctx, inkform.NewID()); err != nil || len(got) != 0 {
		t.Errorf("ListUsers of an unknown org = %d users, %v; want none", len(got), err)
	}
}

func ptr[T any](v T) *T { return &v }

func testUserUpdate(t *testing.T, s Stores) {
	org, other := userOrgs(t, s)
	ctx := context.Background()
	newUser(t, s.Users, org.ID, inkform.RoleAdmin)
	u := newUser(t, s.Users, org.ID, inkform.RoleVerifier)
	got, err := s.Users.UpdateUser(ctx, org.ID, u.ID, inkform.UserUpdate{Role: ptr(inkform.RoleDesigner)})
	if err != nil || got.Role != inkform.RoleDesigner || got.Disabled || got.PasswordHash != u.PasswordHash {
		t.Fatalf("new role: %+v, %v", got, err)
	}
	got, err = s.Users.UpdateUser(ctx, org.ID, u.ID, inkform.UserUpdate{Disabled: ptr(true), PasswordHash: ptr("new-hash")})
	if err != nil || !got.Disabled || got.PasswordHash != "new-hash" || got.Role != inkform.RoleDesigner {
		t.Fatalf("disable and new password: %+v, %v", got, err)
	}
	stored, err := s.Users.FindUserByID(ctx, org.ID, u.ID)
	if err != nil || !stored.Disabled || stored.PasswordHash != "new-hash" || stored.Role != inkform.RoleDesigner {
		t.Errorf("stored %+v, %v; want the changes kept", stored, err)
	}
	if got, err = s.Users.UpdateUser(ctx, org.ID, u.ID, inkform.UserUpdate{Disabled: ptr(false)}); err != nil || got.Disabled {
		t.Errorf("enable: %+v, %v", got, err)
	}
	_, err = s.Users.UpdateUser(ctx, other.ID, u.ID, inkform.UserUpdate{Disabled: ptr(true)})
	wantCode(t, "another org's user", err, inkform.ENOTFOUND)
	if stored, _ := s.Users.FindUserByID(ctx, org.ID, u.ID); stored == nil || stored.Disabled {
		t.Errorf("another org's update changed the user: %+v", stored)
	}
	_, err = s.Users.UpdateUser(ctx, org.ID, u.ID, inkform.UserUpdate{Role: ptr(inkform.Role("boss"))})
	wantCode(t, "an unknown role", err, inkform.EINVALID)
	_, err = s.Users.UpdateUser(ctx, org.ID, u.ID, inkform.UserUpdate{PasswordHash: ptr("")})
	wantCode(t, "an empty password", err, inkform.EINVALID)
}

func testUserLastAdmin(t *testing.T, s Stores) {
	org, other := userOrgs(t, s)
	ctx := context.Background()
	a := newUser(t, s.Users, org.ID, inkform.RoleAdmin)
	newUser(t, s.Users, other.ID, inkform.RoleAdmin) // another org's admin does not count
	_, err := s.Users.UpdateUser(ctx, org.ID, a.ID, inkform.UserUpdate{Role: ptr(inkform.RoleVerifier)})
	wantCode(t, "demoting the last admin", err, inkform.ECONFLICT)
	_, err = s.Users.UpdateUser(ctx, org.ID, a.ID, inkform.UserUpdate{Disabled: ptr(true)})
	wantCode(t, "disabling the last admin", err, inkform.ECONFLICT)
	if got, _ := s.Users.FindUserByID(ctx, org.ID, a.ID); got == nil || got.Role != inkform.RoleAdmin || got.Disabled {
		t.Fatalf("a refused change was stored: %+v", got)
	}
	// A disabled admin is no admin: with b disabled, a is still the last.
	b := newUser(t, s.Users, org.ID, inkform.RoleAdmin)
	if _, err := s.Users.UpdateUser(ctx, org.ID, b.ID, inkform.UserUpdate{Disabled: ptr(true)}); err != nil {
		t.Fatalf("disable one of two admins: %v", err)
	}
	_, err = s.Users.UpdateUser(ctx, org.ID, a.ID, inkform.UserUpdate{Role: ptr(inkform.RoleDesigner)})
	wantCode(t, "demoting the last enabled admin", err, inkform.ECONFLICT)
	if _, err := s.Users.UpdateUser(ctx, org.ID, b.ID, inkform.UserUpdate{Disabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Users.UpdateUser(ctx, org.ID, a.ID, inkform.UserUpdate{Role: ptr(inkform.RoleDesigner)}); err != nil {
		t.Errorf("demoting one of two enabled admins: %v", err)
	}
	// The last admin may still get a new password.
	if _, err := s.Users.UpdateUser(ctx, org.ID, b.ID, inkform.UserUpdate{PasswordHash: ptr("h2")}); err != nil {
		t.Errorf("new password for the last admin: %v", err)
	}
}

func testUserUpdateEndsSessions(t *testing.T, s Stores) {
	need(t, "Sessions", s.Sessions != nil)
	org, _ := userOrgs(t, s)
	ctx := context.Background()
	newUser(t, s.Users, org.ID, inkform.RoleAdmin)
	u := newUser(t, s.Users, org.ID, inkform.RoleVerifier)
	idle, expires := live()
	_, token := newSession(t, s, u, idle, expires)
	if _, err := s.Users.UpdateUser(ctx, org.ID, u.ID, inkform.UserUpdate{Role: ptr(inkform.RoleDesigner)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sessions.FindSession(ctx, token); err != nil {
		t.Errorf("a new role ended the session: %v", err)
	}
	for _, c := range []struct {
		name string
		upd  inkform.UserUpdate
	}{
		{"disabling", inkform.UserUpdate{Disabled: ptr(true)}},
		{"a new password", inkform.UserUpdate{Disabled: ptr(false), PasswordHash: ptr("h" + time.Now().String())}},
	} {
		_, token := newSession(t, s, u, idle, expires)
		if _, err := s.Users.UpdateUser(ctx, org.ID, u.ID, c.upd); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantNoSession(t, s, "a session after "+c.name, token)
	}
}

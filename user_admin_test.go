package inkform

import "testing"

func TestNormalizeUser(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		email, name string
		role        Role
		want        string // the normalised address; "" for EINVALID
	}{
		{" Ann@Example.ORG ", "Ann", RoleAdmin, "ann@example.org"},
		{"bob@example.org", "", RoleVerifier, "bob@example.org"},
		{"not an address", "x", RoleAdmin, ""},
		{"Ann <ann@example.org>", "x", RoleAdmin, ""},
		{"ann@example.org", "x", "boss", ""},
		{"", "x", RoleAdmin, ""},
	} {
		u := &User{Email: c.email, Name: c.name, Role: c.role}
		err := NormalizeUser(u)
		if c.want == "" {
			if ErrorCode(err) != EINVALID {
				t.Errorf("NormalizeUser(%q, %q) = %v; want EINVALID", c.email, c.role, err)
			}
			continue
		}
		if err != nil || u.Email != c.want {
			t.Errorf("NormalizeUser(%q) = %q, %v; want %q", c.email, u.Email, err, c.want)
		}
	}
}

func TestLeavesNoAdmin(t *testing.T) {
	t.Parallel()
	verifier, admin, yes, no := RoleVerifier, RoleAdmin, true, false
	for _, c := range []struct {
		name   string
		u      User
		upd    UserUpdate
		admins int
		want   bool
	}{
		{"demote the last admin", User{Role: RoleAdmin}, UserUpdate{Role: &verifier}, 1, true},
		{"disable the last admin", User{Role: RoleAdmin}, UserUpdate{Disabled: &yes}, 1, true},
		{"demote one of two", User{Role: RoleAdmin}, UserUpdate{Role: &verifier}, 2, false},
		{"keep admin role", User{Role: RoleAdmin}, UserUpdate{Role: &admin, Disabled: &no}, 1, false},
		{"new password for the last admin", User{Role: RoleAdmin}, UserUpdate{PasswordHash: new(string)}, 1, false},
		{"a disabled admin", User{Role: RoleAdmin, Disabled: true}, UserUpdate{Role: &verifier}, 1, false},
		{"a verifier", User{Role: RoleVerifier}, UserUpdate{Disabled: &yes}, 1, false},
	} {
		if got := LeavesNoAdmin(&c.u, c.upd, c.admins); got != c.want {
			t.Errorf("%s: LeavesNoAdmin = %v, want %v", c.name, got, c.want)
		}
		ends := c.upd.Disabled != nil && *c.upd.Disabled || c.upd.PasswordHash != nil
		if EndsSessions(c.upd) != ends {
			t.Errorf("%s: EndsSessions = %v, want %v", c.name, !ends, ends)
		}
	}
}

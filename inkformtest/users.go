package inkformtest

import (
	"context"
	"testing"

	"github.com/inkform/inkform"
)

// ExerciseUserService runs the UserService contract against Users, with
// orgs made through Orgs.
func ExerciseUserService(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"CreateAndFind", testUserCreateAndFind},
		{"PerOrg", testUserPerOrg},
		{"AcrossOrgs", testUserAcrossOrgs},
	})
}

// newUser creates a user of the org with a unique address and the role.
func newUser(t testing.TB, users inkform.UserService, orgID string, role inkform.Role) *inkform.User {
	t.Helper()
	u := &inkform.User{OrgID: orgID, Email: unique("u") + "@example.org", Name: "Ann", Role: role,
		PasswordHash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA"}
	if err := users.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

func userOrgs(t *testing.T, s Stores) (*inkform.Org, *inkform.Org) {
	t.Helper()
	need(t, "Orgs", s.Orgs != nil)
	need(t, "Users", s.Users != nil)
	return newOrg(t, s.Orgs), newOrg(t, s.Orgs)
}

// sameUser reports whether got is want as stored.
func sameUser(got, want *inkform.User) bool {
	return got != nil && got.ID == want.ID && got.OrgID == want.OrgID && got.Email == want.Email &&
		got.Name == want.Name && got.Role == want.Role && got.PasswordHash == want.PasswordHash &&
		got.CreatedAt.Equal(want.CreatedAt)
}

func testUserCreateAndFind(t *testing.T, s Stores) {
	org, _ := userOrgs(t, s)
	ctx := context.Background()
	u := newUser(t, s.Users, org.ID, inkform.RoleVerifier)
	if !inkform.ValidID(u.ID) || u.CreatedAt.IsZero() {
		t.Fatalf("created %+v; want an ID and a time filled in", u)
	}
	byEmail, err := s.Users.FindUserByEmail(ctx, org.ID, u.Email)
	if err != nil || !sameUser(byEmail, u) {
		t.Errorf("FindUserByEmail = %+v, %v; want %+v", byEmail, err, u)
	}
	byID, err := s.Users.FindUserByID(ctx, org.ID, u.ID)
	if err != nil || !sameUser(byID, u) {
		t.Errorf("FindUserByID = %+v, %v; want %+v", byID, err, u)
	}
	dup := *u
	dup.ID = ""
	wantCode(t, "the same address twice in an org", s.Users.CreateUser(ctx, &dup), inkform.ECONFLICT)
	wantCode(t, "a user without a password",
		s.Users.CreateUser(ctx, &inkform.User{OrgID: org.ID, Email: unique("p") + "@example.org", Role: inkform.RoleAdmin}), inkform.EINVALID)
	wantCode(t, "a user with an unknown role",
		s.Users.CreateUser(ctx, &inkform.User{OrgID: org.ID, Email: unique("r") + "@example.org", Role: "boss", PasswordHash: "x"}), inkform.EINVALID)
}

func testUserPerOrg(t *testing.T, s Stores) {
	org, other := userOrgs(t, s)
	ctx := context.Background()
	u := newUser(t, s.Users, org.ID, inkform.RoleAdmin)
	_, err := s.Users.FindUserByID(ctx, other.ID, u.ID)
	wantCode(t, "another org's user by ID", err, inkform.ENOTFOUND)
	_, err = s.Users.FindUserByEmail(ctx, other.ID, u.Email)
	wantCode(t, "another org's user by e-mail", err, inkform.ENOTFOUND)
	_, err = s.Users.FindUserByID(ctx, org.ID, inkform.NewID())
	wantCode(t, "an unknown ID", err, inkform.ENOTFOUND)
	// The same address in another org is another person.
	same := &inkform.User{OrgID: other.ID, Email: u.Email, Role: inkform.RoleVerifier, PasswordHash: u.PasswordHash}
	if err := s.Users.CreateUser(ctx, same); err != nil {
		t.Fatalf("the same address in another org: %v", err)
	}
	if got, err := s.Users.FindUserByEmail(ctx, other.ID, u.Email); err != nil || got.ID != same.ID {
		t.Errorf("the other org's user = %+v, %v; want %s", got, err, same.ID)
	}
}

func testUserAcrossOrgs(t *testing.T, s Stores) {
	org, other := userOrgs(t, s)
	ctx := context.Background()
	email := unique("Mixed.Case") + "@Example.org"
	a := &inkform.User{OrgID: org.ID, Email: email, Role: inkform.RoleAdmin, PasswordHash: "h"}
	b := &inkform.User{OrgID: other.ID, Email: email, Role: inkform.RoleVerifier, PasswordHash: "h"}
	for _, u := range []*inkform.User{a, b} {
		if err := s.Users.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	lone := newUser(t, s.Users, org.ID, inkform.RoleDesigner)
	for _, c := range []struct {
		typed string
		want  []string
	}{
		{email, []string{a.ID, b.ID}},
		{asciiUpper(email), []string{a.ID, b.ID}},
		{lone.Email, []string{lone.ID}},
		{"nobody-" + email, nil},
		{"", nil},
	} {
		got, err := s.Users.FindUsersByEmail(ctx, c.typed)
		if err != nil {
			t.Fatalf("FindUsersByEmail(%q): %v", c.typed, err)
		}
		ids := map[string]bool{}
		for _, u := range got {
			ids[u.ID] = true
		}
		if len(got) != len(c.want) || len(ids) != len(c.want) {
			t.Errorf("FindUsersByEmail(%q) found %d users, want %d", c.typed, len(got), len(c.want))
		}
		for _, id := range c.want {
			if !ids[id] {
				t.Errorf("FindUsersByEmail(%q) misses user %s", c.typed, id)
			}
		}
	}
	// The promise is ASCII case only, the same on every engine, though
	// some engines' LOWER folds more.
	intl := &inkform.User{OrgID: org.ID, Email: unique("ÄNN") + "@example.org", Role: inkform.RoleAdmin, PasswordHash: "h"}
	if err := s.Users.CreateUser(ctx, intl); err != nil {
		t.Fatal(err)
	}
	folded := "ä" + intl.Email[len("Ä"):]
	if got, err := s.Users.FindUsersByEmail(ctx, folded); err != nil || len(got) != 0 {
		t.Errorf("FindUsersByEmail(%q) = %d users, %v; want none: only ASCII case is ignored", folded, len(got), err)
	}
}

// asciiUpper raises ASCII letters only.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

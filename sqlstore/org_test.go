package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

func TestOrgs(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a, err := db.CreateOrg(ctx, "  Clinic North ")
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.CreateOrg(ctx, "Clinic South")
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != "Clinic North" || !inkform.ValidID(a.ID) {
			t.Errorf("org = %+v", a)
		}
		if a.PatternPool == b.PatternPool || !strings.HasPrefix(a.PatternPool, "900.") {
			t.Errorf("pattern pools %q and %q: want distinct 900.N", a.PatternPool, b.PatternPool)
		}
		_, err = db.CreateOrg(ctx, "Clinic North")
		wantCode(t, err, inkform.ECONFLICT)
		_, err = db.CreateOrg(ctx, " ")
		wantCode(t, err, inkform.EINVALID)

		got, err := db.FindOrgByID(ctx, a.ID)
		if err != nil || got.Name != a.Name || got.PatternPool != a.PatternPool || !got.CreatedAt.Equal(a.CreatedAt) {
			t.Errorf("FindOrgByID = %+v, %v; want %+v", got, err, a)
		}
		got, err = db.FindOrgByName(ctx, "Clinic South")
		if err != nil || got.ID != b.ID {
			t.Errorf("FindOrgByName = %+v, %v", got, err)
		}
		_, err = db.FindOrgByID(ctx, inkform.NewID())
		wantCode(t, err, inkform.ENOTFOUND)
		_, err = db.FindOrgByName(ctx, "nobody")
		wantCode(t, err, inkform.ENOTFOUND)
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		tok, secret, err := db.CreateToken(ctx, org.ID, inkform.RoleGateway, "pen gateway")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, inkform.TokenPrefix) || tok.Hint != inkform.TokenHint(secret) {
			t.Errorf("secret %q hint %q", secret, tok.Hint)
		}
		if n := db.Count(t, "tokens", "hash = ?", inkform.HashTokenSecret(secret)); n != 1 {
			t.Errorf("%d tokens stored by hash, want 1", n)
		}
		if n := db.Count(t, "tokens", "hash = ? OR hint = ?", secret, secret); n != 0 {
			t.Errorf("the secret itself is stored")
		}
		got, err := db.Authenticate(ctx, secret)
		if err != nil || got.ID != tok.ID || got.OrgID != org.ID || got.Role != inkform.RoleGateway {
			t.Fatalf("Authenticate = %+v, %v", got, err)
		}
		for _, bad := range []string{"", "ifk_nope", secret + "x", strings.TrimPrefix(secret, inkform.TokenPrefix)} {
			_, err = db.Authenticate(ctx, bad)
			wantCode(t, err, inkform.EUNAUTHORIZED)
		}
		_, _, err = db.CreateToken(ctx, org.ID, "root", "x")
		wantCode(t, err, inkform.EINVALID)
		_, _, err = db.CreateToken(ctx, inkform.NewID(), inkform.RoleAdmin, "x")
		wantCode(t, err, inkform.ENOTFOUND)

		list, err := db.ListTokens(ctx, org.ID)
		if err != nil || len(list) != 1 || list[0].ID != tok.ID {
			t.Errorf("ListTokens = %v, %v", list, err)
		}
		if list, _ := db.ListTokens(ctx, other.ID); len(list) != 0 {
			t.Errorf("other org sees %d tokens", len(list))
		}
		wantCode(t, db.DeleteToken(ctx, other.ID, tok.ID), inkform.ENOTFOUND)
		if err := db.DeleteToken(ctx, org.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.DeleteToken(ctx, org.ID, tok.ID), inkform.ENOTFOUND)
		_, err = db.Authenticate(ctx, secret)
		wantCode(t, err, inkform.EUNAUTHORIZED)
	})
}

func TestUsers(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		u := &inkform.User{OrgID: org.ID, Email: "ann@example.org", Name: "Ann", Role: inkform.RoleVerifier, PasswordHash: "$argon2id$v=19$x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		dup := *u
		dup.ID = ""
		wantCode(t, db.CreateUser(ctx, &dup), inkform.ECONFLICT)
		// The same address in another org is another person.
		same := *u
		same.ID, same.OrgID = "", other.ID
		if err := db.CreateUser(ctx, &same); err != nil {
			t.Errorf("same e-mail in another org: %v", err)
		}
		wantCode(t, db.CreateUser(ctx, &inkform.User{OrgID: org.ID, Email: "b@example.org", Role: inkform.RoleAdmin}), inkform.EINVALID)

		got, err := db.FindUserByEmail(ctx, org.ID, "ann@example.org")
		if err != nil || got.ID != u.ID || got.PasswordHash != u.PasswordHash || got.Role != u.Role || got.Name != "Ann" {
			t.Errorf("FindUserByEmail = %+v, %v", got, err)
		}
		_, err = db.FindUserByEmail(ctx, org.ID, "nobody@example.org")
		wantCode(t, err, inkform.ENOTFOUND)
		got, err = db.FindUserByEmail(ctx, other.ID, "ann@example.org")
		if err != nil || got.ID != same.ID {
			t.Errorf("other org's user = %+v, %v", got, err)
		}
	})
}

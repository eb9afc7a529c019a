package inkformtest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// ExerciseOrgService runs the OrgService contract against Orgs.
func ExerciseOrgService(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"CreateAndFind", testOrgCreateAndFind},
		{"NameTaken", testOrgNameTaken},
		{"NotFound", testOrgNotFound},
	})
}

func testOrgCreateAndFind(t *testing.T, s Stores) {
	need(t, "Orgs", s.Orgs != nil)
	ctx := context.Background()
	name := unique("Clinic ")
	a, err := s.Orgs.CreateOrg(ctx, "  "+name+" ")
	if err != nil {
		t.Fatal(err)
	}
	b := newOrg(t, s.Orgs)
	if !inkform.ValidID(a.ID) || a.Name != name || a.CreatedAt.IsZero() || a.PatternPool == "" {
		t.Errorf("created %+v; want an ID, the name without surrounding space, a time and a pattern pool", a)
	}
	if a.ID == b.ID || a.PatternPool == b.PatternPool {
		t.Errorf("two orgs share ID or pattern pool: %+v and %+v", a, b)
	}
	for _, find := range []struct {
		name string
		fn   func() (*inkform.Org, error)
	}{
		{"FindOrgByID", func() (*inkform.Org, error) { return s.Orgs.FindOrgByID(ctx, a.ID) }},
		{"FindOrgByName", func() (*inkform.Org, error) { return s.Orgs.FindOrgByName(ctx, name) }},
	} {
		got, err := find.fn()
		if err != nil || got.ID != a.ID || got.Name != a.Name || got.PatternPool != a.PatternPool || !got.CreatedAt.Equal(a.CreatedAt) {
			t.Errorf("%s = %+v, %v; want %+v", find.name, got, err, a)
		}
	}
}

func testOrgNameTaken(t *testing.T, s Stores) {
	need(t, "Orgs", s.Orgs != nil)
	ctx := context.Background()
	a := newOrg(t, s.Orgs)
	_, err := s.Orgs.CreateOrg(ctx, a.Name)
	wantCode(t, "a name already taken", err, inkform.ECONFLICT)
	_, err = s.Orgs.CreateOrg(ctx, " ")
	wantCode(t, "a blank name", err, inkform.EINVALID)
	if got, err := s.Orgs.FindOrgByName(ctx, a.Name); err != nil || got.ID != a.ID {
		t.Errorf("after the refused duplicate, the name finds %+v (%v), want %s", got, err, a.ID)
	}
}

func testOrgNotFound(t *testing.T, s Stores) {
	need(t, "Orgs", s.Orgs != nil)
	ctx := context.Background()
	_, err := s.Orgs.FindOrgByID(ctx, inkform.NewID())
	wantCode(t, "unknown ID", err, inkform.ENOTFOUND)
	_, err = s.Orgs.FindOrgByName(ctx, unique("nobody "))
	wantCode(t, "unknown name", err, inkform.ENOTFOUND)
}

// ExerciseTokenService runs the TokenService contract against Tokens, with
// orgs made through Orgs.
func ExerciseTokenService(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"CreateAndAuthenticate", testTokenCreateAndAuthenticate},
		{"BadSecrets", testTokenBadSecrets},
		{"ListIsolation", testTokenListIsolation},
		{"Delete", testTokenDelete},
	})
}

// newToken creates a token of the org and returns it with its secret.
func newToken(t *testing.T, s Stores, orgID string, role inkform.Role) (*inkform.Token, string) {
	t.Helper()
	tok, secret, err := s.Tokens.CreateToken(context.Background(), orgID, role, "token "+string(role))
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	return tok, secret
}

func tokenStores(t *testing.T, s Stores) *inkform.Org {
	t.Helper()
	need(t, "Orgs", s.Orgs != nil)
	need(t, "Tokens", s.Tokens != nil)
	return newOrg(t, s.Orgs)
}

func testTokenCreateAndAuthenticate(t *testing.T, s Stores) {
	org := tokenStores(t, s)
	tok, secret := newToken(t, s, org.ID, inkform.RoleGateway)
	if !inkform.ValidID(tok.ID) || tok.OrgID != org.ID || tok.Role != inkform.RoleGateway || tok.Name != "token gateway" ||
		tok.CreatedAt.IsZero() {
		t.Errorf("created %+v", tok)
	}
	if !strings.HasPrefix(secret, inkform.TokenPrefix) || tok.Hint != inkform.TokenHint(secret) || len(tok.Hint) >= len(secret) {
		t.Errorf("secret %q with hint %q: want the prefix, and a hint that is the secret's start only", secret, tok.Hint)
	}
	got, err := s.Tokens.Authenticate(context.Background(), secret)
	if err != nil || got.ID != tok.ID || got.OrgID != org.ID || got.Role != tok.Role || got.Hint != tok.Hint {
		t.Errorf("Authenticate = %+v, %v; want %+v", got, err, tok)
	}
	_, _, err = s.Tokens.CreateToken(context.Background(), org.ID, "root", "x")
	wantCode(t, "an unknown role", err, inkform.EINVALID)
}

func testTokenBadSecrets(t *testing.T, s Stores) {
	org := tokenStores(t, s)
	_, secret := newToken(t, s, org.ID, inkform.RoleAdmin)
	for _, bad := range []string{"", inkform.TokenPrefix, "ifk_nope", secret + "x", secret[:len(secret)-1],
		strings.TrimPrefix(secret, inkform.TokenPrefix), strings.ToUpper(secret)} {
		_, err := s.Tokens.Authenticate(context.Background(), bad)
		wantCode(t, "secret "+bad, err, inkform.EUNAUTHORIZED)
	}
}

func testTokenListIsolation(t *testing.T, s Stores) {
	org := tokenStores(t, s)
	other := newOrg(t, s.Orgs)
	a, _ := newToken(t, s, org.ID, inkform.RoleAdmin)
	b, _ := newToken(t, s, org.ID, inkform.RoleVerifier)
	c, _ := newToken(t, s, other.ID, inkform.RoleAdmin)
	list, err := s.Tokens.ListTokens(context.Background(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range list {
		got = append(got, tok.ID)
		if tok.OrgID != org.ID {
			t.Errorf("listed token %+v of another org", tok)
		}
	}
	slices.Sort(got)
	want := []string{a.ID, b.ID}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	if list, err := s.Tokens.ListTokens(context.Background(), other.ID); err != nil || len(list) != 1 || list[0].ID != c.ID {
		t.Errorf("the other org lists %+v (%v), want its one token", list, err)
	}
}

func testTokenDelete(t *testing.T, s Stores) {
	org := tokenStores(t, s)
	other := newOrg(t, s.Orgs)
	ctx := context.Background()
	tok, secret := newToken(t, s, org.ID, inkform.RoleAdmin)
	wantCode(t, "delete by another org", s.Tokens.DeleteToken(ctx, other.ID, tok.ID), inkform.ENOTFOUND)
	if _, err := s.Tokens.Authenticate(ctx, secret); err != nil {
		t.Fatalf("another org's delete revoked the token: %v", err)
	}
	if err := s.Tokens.DeleteToken(ctx, org.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.Tokens.Authenticate(ctx, secret)
	wantCode(t, "a revoked token", err, inkform.EUNAUTHORIZED)
	wantCode(t, "a second delete", s.Tokens.DeleteToken(ctx, org.ID, tok.ID), inkform.ENOTFOUND)
	if list, _ := s.Tokens.ListTokens(ctx, org.ID); len(list) != 0 {
		t.Errorf("a revoked token is still listed: %+v", list)
	}
}

// ExerciseTokenExpiry runs the contract of CreateTokenUntil: a token
// works until its expiry, which the list shows, and not after.
func ExerciseTokenExpiry(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{{"Expiry", testTokenExpiry}})
}

func testTokenExpiry(t *testing.T, s Stores) {
	org := tokenStores(t, s)
	ctx := context.Background()
	until := time.Now().Add(2 * time.Second).Truncate(time.Millisecond)
	tok, secret, err := s.Tokens.CreateTokenUntil(ctx, org.ID, inkform.RoleAdmin, "short", until)
	if err != nil || !tok.ExpiresAt.Equal(until) {
		t.Fatalf("CreateTokenUntil = %+v, %v; want it to expire at %s", tok, err, until)
	}
	if got, err := s.Tokens.Authenticate(ctx, secret); err != nil || got.ID != tok.ID || !got.ExpiresAt.Equal(until) {
		t.Errorf("before its expiry: %+v, %v", got, err)
	}
	list, err := s.Tokens.ListTokens(ctx, org.ID)
	if err != nil || len(list) != 1 || !list[0].ExpiresAt.Equal(until) {
		t.Errorf("ListTokens = %v, %v; want the one token with its expiry", list, err)
	}
	_, _, err = s.Tokens.CreateTokenUntil(ctx, org.ID, inkform.RoleAdmin, "past", time.Now().Add(-time.Minute))
	wantCode(t, "an expiry in the past", err, inkform.EINVALID)
	time.Sleep(time.Until(until) + 10*time.Millisecond)
	_, err = s.Tokens.Authenticate(ctx, secret)
	wantCode(t, "an expired token", err, inkform.EUNAUTHORIZED)
	never, _ := newToken(t, s, org.ID, inkform.RoleGateway)
	if !never.ExpiresAt.IsZero() {
		t.Errorf("CreateToken made a token expiring at %s; want never", never.ExpiresAt)
	}
}

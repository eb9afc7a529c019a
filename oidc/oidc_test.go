package oidc_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/oidc"
	"github.com/inkform/inkform/oidc/oidctest"
)

// authorize runs the browser's half of a sign-in: it follows AuthURL to
// the test provider and returns the code and state it sends back.
func authorize(t *testing.T, p *oidc.Provider, state, nonce, verifier string) (code, backState string) {
	t.Helper()
	u, err := p.AuthURL(context.Background(), state, nonce, verifier)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

// TestExchange: a sign-in's ID token is verified and read; one whose
// nonce, audience, issuer or expiry was tampered with, a wrong PKCE
// verifier and a code used twice are refused with EUNAUTHORIZED.
func TestExchange(t *testing.T) {
	t.Parallel()
	const verifier = "a-verifier-of-enough-length-0123456789-abcdefgh"
	tests := []struct {
		name     string
		tamper   func(map[string]any)
		verifier string
		nonce    string // the nonce the client expects
		ok       bool
	}{
		{name: "good", verifier: verifier, nonce: "n1", ok: true},
		{name: "other nonce", tamper: func(c map[string]any) { c["nonce"] = "n2" }, verifier: verifier, nonce: "n1"},
		{name: "expected another nonce", verifier: verifier, nonce: "n-other"},
		{name: "other audience", tamper: func(c map[string]any) { c["aud"] = "someone-else" }, verifier: verifier, nonce: "n1"},
		{name: "other issuer", tamper: func(c map[string]any) { c["iss"] = "https://evil.example" }, verifier: verifier, nonce: "n1"},
		{name: "expired", tamper: func(c map[string]any) { c["exp"] = int64(1_000_000_000) }, verifier: verifier, nonce: "n1"},
		{name: "wrong verifier", verifier: verifier + "x", nonce: "n1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			idp := oidctest.New()
			defer idp.Close()
			idp.SignIn(oidctest.User{Subject: "s-1", Email: "Ann@Example.org", EmailVerified: true, Name: "Ann"})
			idp.Tamper(tt.tamper)
			p := oidc.New(oidc.Config{Name: "Test", Issuer: idp.URL, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
				RedirectURL: "http://127.0.0.1/login/sso/callback"})
			code, state := authorize(t, p, "st", "n1", verifier)
			if state != "st" {
				t.Fatalf("state came back as %q", state)
			}
			id, err := p.Exchange(context.Background(), code, tt.verifier, tt.nonce)
			if !tt.ok {
				if inkform.ErrorCode(err) != inkform.EUNAUTHORIZED {
					t.Fatalf("Exchange = %+v, %v; want EUNAUTHORIZED", id, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := inkform.Identity{Issuer: idp.URL, Subject: "s-1", Email: "Ann@Example.org", EmailVerified: true, Name: "Ann"}
			if *id != want {
				t.Errorf("Exchange = %+v, want %+v", *id, want)
			}
			if _, err := p.Exchange(context.Background(), code, tt.verifier, tt.nonce); inkform.ErrorCode(err) != inkform.EUNAUTHORIZED {
				t.Errorf("a code used twice: %v, want EUNAUTHORIZED", err)
			}
		})
	}
}

// TestUnverifiedEmail: the identity says when the provider did not verify
// the address (the console refuses it), in either spelling of the claim.
func TestUnverifiedEmail(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		claim any
		want  bool
	}{{false, false}, {"false", false}, {"true", true}, {nil, false}} {
		idp := oidctest.New()
		idp.SignIn(oidctest.User{Subject: "s-2", Email: "bob@example.org"})
		idp.Tamper(func(c map[string]any) { c["email_verified"] = tt.claim })
		p := oidc.New(oidc.Config{Name: "Test", Issuer: idp.URL, ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
			RedirectURL: "http://127.0.0.1/cb"})
		code, _ := authorize(t, p, "st", "n", "v-0123456789012345678901234567890123456789")
		id, err := p.Exchange(context.Background(), code, "v-0123456789012345678901234567890123456789", "n")
		if err != nil || id.EmailVerified != tt.want {
			t.Errorf("email_verified %#v: identity %+v, %v; want EmailVerified %v", tt.claim, id, err, tt.want)
		}
		idp.Close()
	}
}

// TestDiscoveryFails: a provider that cannot be reached fails the start
// of a sign-in, not the server's start.
func TestDiscoveryFails(t *testing.T) {
	t.Parallel()
	idp := oidctest.New()
	issuer := idp.URL
	idp.Close()
	p := oidc.New(oidc.Config{Name: "Gone", Issuer: issuer, ClientID: "x", RedirectURL: "http://127.0.0.1/cb"})
	if _, err := p.AuthURL(context.Background(), "s", "n", "v"); err == nil {
		t.Error("AuthURL worked without a provider")
	}
}

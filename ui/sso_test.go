package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/oidc"
	"github.com/inkform/inkform/oidc/oidctest"
)

// withSSO runs a test provider and gives the console single sign-on
// through it for the orgs; configure may change the SSO further.
func withSSO(t *testing.T, h *harness, orgs []string, configure ...func(*SSO)) *oidctest.Provider {
	t.Helper()
	idp := oidctest.New()
	t.Cleanup(idp.Close)
	sso := &SSO{Orgs: orgs, Provider: oidc.New(oidc.Config{Name: "Test ID", Issuer: idp.URL, ClientID: idp.ClientID,
		ClientSecret: idp.ClientSecret, RedirectURL: h.ts.URL + "/login/sso/callback"})}
	for _, c := range configure {
		c(sso)
	}
	h.srv.SSO = sso
	return idp
}

// ssoTrip starts a sign-in through the provider and returns the path of
// the callback the provider sends the browser back to.
func (b *browser) ssoTrip() string {
	b.t.Helper()
	start := b.get("/login/sso")
	if start.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("GET /login/sso answered %d:\n%s", start.StatusCode, start.body)
	}
	resp, err := b.hc.Get(start.Header.Get("Location"))
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		b.t.Fatalf("the provider answered %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return back.RequestURI()
}

// TestSSO: the provider's verified address signs in its user of a mapped
// org (ignoring case) without a second factor; the sign-in page offers
// it; an address no mapped org knows is refused, or made a user when the
// operator gave a role.
func TestSSO(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withTOTP)
	org, other := h.org("Clinic"), h.org("Other")
	ann := h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")
	h.user(other, "bob@example.org", inkform.RoleAdmin, "bob's password")
	idp := withSSO(t, h, []string{org.ID})

	if p := h.browser(t).get("/login"); !strings.Contains(p.body, `href="/login/sso">Sign in with Test ID<`) {
		t.Errorf("the sign-in page does not offer single sign-on:\n%s", p.body)
	}
	b := h.browser(t)
	b.mustSignIn("ann@example.org", "ann's password")
	b.enrol()
	// A second factor is for passwords: the provider does its own.
	c := h.browserFrom(t, "203.0.113.2")
	idp.SignIn(oidctest.User{Subject: "ann-1", Email: "ANN@example.org", EmailVerified: true})
	c.get(c.ssoTrip()).wantRedirect(t, "single sign-on", "/")
	if p := c.get("/"); p.StatusCode != http.StatusOK || !strings.Contains(p.body, "Clinic") {
		t.Fatalf("the console after single sign-on answered %d", p.StatusCode)
	}
	if ev := h.events(org.ID, inkform.AuditUserSignInSSO); len(ev) != 1 || ev[0].Object.ID != ann.ID {
		t.Errorf("single sign-on events %+v, want one of ann", ev)
	}

	// bob is a user, but of an org the provider is not mapped to.
	d := h.browserFrom(t, "203.0.113.3")
	idp.SignIn(oidctest.User{Subject: "bob-1", Email: "bob@example.org", EmailVerified: true})
	if p := d.get(d.ssoTrip()); p.StatusCode != http.StatusForbidden || !strings.Contains(p.body, "no account for bob@example.org") {
		t.Errorf("an address of an unmapped org answered %d:\n%s", p.StatusCode, p.body)
	}
	d.get("/").wantRedirect(t, "the console after a refused sign-on", "/login")

	// With a role for new people, the first mapped org gets the user.
	h.srv.SSO.Role = inkform.RoleVerifier
	idp.SignIn(oidctest.User{Subject: "cy-1", Email: "Cy@Example.org", EmailVerified: true, Name: "Cy"})
	d.get(d.ssoTrip()).wantRedirect(t, "single sign-on of a new person", "/")
	u, err := h.users.FindUserByEmail(t.Context(), org.ID, "cy@example.org")
	if err != nil || u.Role != inkform.RoleVerifier || u.Name != "Cy" {
		t.Fatalf("the new user: %+v, %v", u, err)
	}
	if got := len(h.events(org.ID, inkform.AuditUserCreateSSO)); got != 1 {
		t.Errorf("%d user creation events, want 1", got)
	}
}

// TestSSORefused: a tampered or replayed round trip, a provider's error,
// a nonce not this sign-in's, an unverified address and a domain not
// allowed all end on a page that says so, without a session.
func TestSSORefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	org := h.org("Clinic")
	h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")
	h.user(org, "ann@elsewhere.example", inkform.RoleVerifier, "ann's password")
	idp := withSSO(t, h, []string{org.ID}, func(s *SSO) { s.Domains = []string{"example.org"} })
	good := oidctest.User{Subject: "ann-1", Email: "ann@example.org", EmailVerified: true}

	tests := []struct {
		name   string
		user   oidctest.User
		tamper func(map[string]any)
		spoil  func(b *browser, callback string) string // returns the callback to call
		status int
		says   string
	}{
		{name: "other state", user: good, status: http.StatusBadRequest, says: "did not start here",
			spoil: func(_ *browser, cb string) string { return strings.Replace(cb, "state=", "state=x", 1) }},
		{name: "no cookie", user: good, status: http.StatusBadRequest, says: "did not start here",
			spoil: func(b *browser, cb string) string {
				u, _ := url.Parse(h.ts.URL)
				b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: ssoCookie, Value: "", Path: "/", MaxAge: -1}})
				return cb
			}},
		{name: "forged cookie", user: good, status: http.StatusBadRequest, says: "did not start here",
			spoil: func(b *browser, cb string) string {
				u, _ := url.Parse(h.ts.URL)
				msg := "s|n|v|9999999999"
				b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: ssoCookie, Value: b64.EncodeToString([]byte(msg)) + ".x", Path: "/"}})
				return cb
			}},
		{name: "replayed", user: good, status: http.StatusBadRequest, says: "used already",
			spoil: func(b *browser, cb string) string {
				// The cookie of a round trip, kept and sent again with
				// its callback after the first use.
				kept := b.hc.Jar.Cookies(mustURL(h.ts.URL))
				b.get(cb).wantRedirect(t, "the first use", "/")
				b.hc.Jar.SetCookies(mustURL(h.ts.URL), kept)
				return cb
			}},
		{name: "provider error", user: good, status: http.StatusForbidden, says: "answered access_denied",
			spoil: func(_ *browser, cb string) string {
				return strings.Replace(cb, "code=", "error=access_denied&code=", 1)
			}},
		{name: "other nonce", user: good, tamper: func(c map[string]any) { c["nonce"] = "another" },
			status: http.StatusForbidden, says: "could not confirm who you are"},
		{name: "unverified", user: oidctest.User{Subject: "ann-1", Email: "ann@example.org"},
			status: http.StatusForbidden, says: "has not verified your e-mail address"},
		{name: "other domain", user: oidctest.User{Subject: "ann-2", Email: "ann@elsewhere.example", EmailVerified: true},
			status: http.StatusForbidden, says: "may not sign in through Test ID"},
	}
	for _, tt := range tests {
		b := h.browser(t)
		idp.SignIn(tt.user)
		idp.Tamper(tt.tamper)
		cb := b.ssoTrip()
		if tt.spoil != nil {
			cb = tt.spoil(b, cb)
		}
		p := b.get(cb)
		if p.StatusCode != tt.status || !strings.Contains(p.body, tt.says) {
			t.Errorf("%s: %d, want %d saying %q:\n%s", tt.name, p.StatusCode, tt.status, tt.says, p.body)
		}
		if tt.name != "replayed" && p.cookie(sessionCookie) != nil && p.cookie(sessionCookie).Value != "" {
			t.Errorf("%s: a session cookie was set", tt.name)
		}
	}
	if got := len(h.events(org.ID, inkform.AuditUserSignInSSO)); got != 1 {
		t.Errorf("%d single sign-on events, want 1 (the replay's first use)", got)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestSSONewUserNormalized: a user the provider's sign-in makes is
// normalised as every other user (address trimmed and lowered, name
// trimmed), so the next sign-in, spelt another way, finds the same user
// and a password sign-in finds the address; an address inkform would not
// take makes no user.
func TestSSONewUserNormalized(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withTOTP)
	org := h.org("Clinic")
	h.user(org, "boss@example.org", inkform.RoleAdmin, "boss password")
	idp := withSSO(t, h, []string{org.ID}, func(s *SSO) { s.Role = inkform.RoleVerifier })
	b := h.browser(t)
	idp.SignIn(oidctest.User{Subject: "cy-1", Email: "  Cy@Example.ORG ", EmailVerified: true, Name: "  Cy  "})
	b.get(b.ssoTrip()).wantRedirect(t, "single sign-on of a new person", "/")
	users, err := h.users.FindUsersByEmail(t.Context(), "cy@example.org")
	if err != nil || len(users) != 1 || users[0].Email != "cy@example.org" || users[0].Name != "Cy" {
		t.Fatalf("the new user: %+v, %v", users, err)
	}
	c := h.browserFrom(t, "203.0.113.2")
	idp.SignIn(oidctest.User{Subject: "cy-1", Email: "CY@example.org", EmailVerified: true, Name: "Cy"})
	c.get(c.ssoTrip()).wantRedirect(t, "the next single sign-on", "/")
	if got := len(h.events(org.ID, inkform.AuditUserCreateSSO)); got != 1 {
		t.Errorf("%d user creation events, want 1", got)
	}

	d := h.browserFrom(t, "203.0.113.3")
	idp.SignIn(oidctest.User{Subject: "bad-1", Email: "a b@example.org", EmailVerified: true})
	if p := d.get(d.ssoTrip()); p.StatusCode != http.StatusForbidden {
		t.Errorf("an address inkform does not take answered %d:\n%s", p.StatusCode, p.body)
	}
	if got := len(h.events(org.ID, inkform.AuditUserCreateSSO)); got != 1 {
		t.Errorf("%d user creation events after a bad address, want 1", got)
	}
}

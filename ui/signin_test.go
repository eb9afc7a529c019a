package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

const password = "correct horse battery"

// TestSignIn walks the contract scripts rely on: GET / without a session
// is a 303 to /login; the form posts email, password and its CSRF token to
// /login; a good sign-in is a 303 that sets the session cookie.
func TestSignIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	org := h.org("Clinic")
	u := h.user(org, "ann@example.org", inkform.RoleVerifier, password)
	b := h.browser(t)

	b.get("/").wantRedirect(t, "GET / signed out", "/login")
	form := b.get("/login")
	form.wantStatus(t, "GET /login", http.StatusOK)
	for _, field := range []string{`name="email"`, `name="password"`, `name="csrf"`, `action="/login"`, `method="post"`} {
		if !strings.Contains(form.body, field) {
			t.Errorf("the sign-in page lacks %s", field)
		}
	}
	if c := form.cookie(loginCookie); c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("sign-in nonce cookie = %+v; want HttpOnly, SameSite=Lax", c)
	}

	in := b.do("POST", "/login", url.Values{"csrf": {form.csrf(t)}, "email": {"  Ann@Example.org "}, "password": {password}})
	in.wantRedirect(t, "a good sign-in", "/")
	c := in.cookie(sessionCookie)
	if c == nil || c.Value == "" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || c.MaxAge != 0 {
		t.Fatalf("session cookie = %+v; want HttpOnly, SameSite=Lax, Path=/, not Secure over HTTP, ending with the browser", c)
	}
	if gone := in.cookie(loginCookie); gone == nil || gone.MaxAge >= 0 {
		t.Errorf("the sign-in nonce cookie was not deleted: %+v", gone)
	}
	home := b.get("/")
	home.wantStatus(t, "GET / signed in", http.StatusOK)
	if !strings.Contains(home.body, "ann@example.org") || !strings.Contains(home.body, "Clinic") {
		t.Errorf("the console does not name the person and org:\n%s", home.body)
	}
	b.get("/login").wantRedirect(t, "GET /login signed in", "/")

	ev := h.events(org.ID, inkform.AuditUserSignIn)
	if len(ev) != 1 || ev[0].Actor != "user "+u.ID || ev[0].Object.ID != u.ID || !strings.Contains(ev[0].Detail, "203.0.113.1") {
		t.Errorf("sign-in audit events = %+v", ev)
	}
}

func TestSignInSecureCookies(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Server) { s.SecureCookies = true })
	h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)
	// A cookie jar keeps Secure cookies off plain HTTP, so this test
	// carries the nonce itself.
	b := h.browser(t)
	form := b.get("/login")
	nonce := form.cookie("__Host-" + loginCookie)
	if nonce == nil || !nonce.Secure || !nonce.HttpOnly || nonce.Path != "/" || nonce.Domain != "" {
		t.Fatalf("sign-in cookie = %+v; want __Host-, Secure, HttpOnly, Path=/, no Domain", nonce)
	}
	in := b.do("POST", "/login", url.Values{"csrf": {form.csrf(t)}, "email": {"ann@example.org"}, "password": {password}},
		"Cookie", nonce.Name+"="+nonce.Value)
	in.wantRedirect(t, "a good sign-in", "/")
	c := in.cookie("__Host-" + sessionCookie)
	if c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie = %+v; want __Host-, Secure, HttpOnly, SameSite=Lax", c)
	}
	home := b.do("GET", "/", nil, "Cookie", c.Name+"="+c.Value)
	home.wantStatus(t, "GET / with the secure cookie", http.StatusOK)
}

// TestSignInRefused: every way a sign-in fails leaves no session, and the
// failures on credentials read the same.
func TestSignInRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	org := h.org("Clinic")
	u := h.user(org, "ann@example.org", inkform.RoleAdmin, password)
	other := newHarness(t) // its key signs other tokens

	cases := []struct {
		name   string
		form   func(token string) url.Values
		header []string
		status int
		says   string
	}{
		{"wrong password", func(tok string) url.Values {
			return url.Values{"csrf": {tok}, "email": {"ann@example.org"}, "password": {"wrong horse battery"}}
		}, nil, http.StatusOK, errSignIn.Message},
		{"unknown address", func(tok string) url.Values {
			return url.Values{"csrf": {tok}, "email": {"bob@example.org"}, "password": {password}}
		}, nil, http.StatusOK, errSignIn.Message},
		{"unknown org named", func(tok string) url.Values {
			return url.Values{"csrf": {tok}, "email": {"ann@example.org"}, "password": {password}, "org": {"Elsewhere"}}
		}, nil, http.StatusOK, errSignIn.Message},
		{"no CSRF token", func(string) url.Values {
			return url.Values{"email": {"ann@example.org"}, "password": {password}}
		}, nil, http.StatusForbidden, "expired"},
		{"another server's token", func(string) url.Values {
			return url.Values{"csrf": {other.srv.loginToken(newNonce())}, "email": {"ann@example.org"}, "password": {password}}
		}, nil, http.StatusForbidden, "expired"},
		{"a token of another nonce", func(string) url.Values {
			return url.Values{"csrf": {h.srv.loginToken(newNonce())}, "email": {"ann@example.org"}, "password": {password}}
		}, nil, http.StatusForbidden, "expired"},
		{"cross-site post", func(tok string) url.Values {
			return url.Values{"csrf": {tok}, "email": {"ann@example.org"}, "password": {password}}
		}, []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden, "another site"},
		{"foreign origin", func(tok string) url.Values {
			return url.Values{"csrf": {tok}, "email": {"ann@example.org"}, "password": {password}}
		}, []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, http.StatusForbidden, "another site"},
		{"empty password", func(tok string) url.Values {
			return url.Values{"csrf": {tok}, "email": {"ann@example.org"}}
		}, nil, http.StatusUnprocessableEntity, "Enter your e-mail address"},
		{"address too long", func(tok string) url.Values {
			return url.Values{"csrf": {tok}, "email": {strings.Repeat("a", 400) + "@example.org"}, "password": {password}}
		}, nil, http.StatusUnprocessableEntity, "Enter your e-mail address"},
	}
	// The group ends when every parallel case has, before the audit check.
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				refused(t, h, c.form, c.header, c.status, c.says)
			})
		}
	})
	// The wrong password of a real user is recorded in its org; an
	// unknown address has no org to record it in.
	ev := h.events(org.ID, inkform.AuditUserSignInFail)
	if len(ev) != 1 || ev[0].Object.ID != u.ID || ev[0].Actor != "anonymous" {
		t.Errorf("failed sign-in events = %+v; want the one wrong password", ev)
	}
}

// refused posts the sign-in form that form makes of a fresh token and
// checks that it is refused with the status and a message saying says.
func refused(t *testing.T, h *harness, form func(token string) url.Values, header []string, status int, says string) {
	t.Helper()
	b := h.browser(t)
	p := b.do("POST", "/login", form(b.get("/login").csrf(t)), header...)
	p.wantStatus(t, "the refused sign-in", status)
	if !strings.Contains(p.body, says) {
		t.Errorf("the page does not say %q:\n%s", says, p.body)
	}
	if p.cookie(sessionCookie) != nil {
		t.Error("a session cookie was set")
	}
	b.get("/").wantRedirect(t, "GET / after the refused sign-in", "/login")
}

// TestSignInOrg: an address two orgs know signs in only with the org
// named, and then to that org.
func TestSignInOrg(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	north, south := h.org("North"), h.org("South")
	h.user(north, "ann@example.org", inkform.RoleAdmin, password)
	h.user(south, "ann@example.org", inkform.RoleVerifier, "another good password")

	if p := h.browser(t).signIn("ann@example.org", password, ""); p.StatusCode != http.StatusOK || !strings.Contains(p.body, errSignIn.Message) {
		t.Fatalf("an address of two orgs without the org: %d\n%s", p.StatusCode, p.body)
	}
	if p := h.browser(t).signIn("ann@example.org", password, "South"); p.StatusCode != http.StatusOK {
		t.Fatalf("North's password with South named: %d, want the form again", p.StatusCode)
	}
	for _, c := range []struct{ org, password, role string }{
		{"North", password, "admin"},
		{"South", "another good password", "verifier"},
	} {
		b := h.browser(t)
		b.signInTo(c.org, c.password)
		if home := b.get("/"); !strings.Contains(home.body, c.org) || !strings.Contains(home.body, c.role) {
			t.Errorf("signed in to %s: the console shows\n%s", c.org, home.body)
		}
	}
}

// signInTo signs ann@example.org in to the named org, or fails.
func (b *browser) signInTo(org, password string) {
	b.t.Helper()
	p := b.signIn("ann@example.org", password, org)
	p.wantRedirect(b.t, "sign-in to "+org, "/")
}

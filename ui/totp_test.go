package ui

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/twofactor"
)

// withTOTP gives the console an in-memory store of second factors.
func withTOTP(s *Server) { s.TOTP = &fake.TOTP{Users: s.Users.(*fake.Users)} }

var (
	secretText   = regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)</code>`)
	recoveryText = regexp.MustCompile(`<li><code>([a-z2-7-]+)</code></li>`)
)

// code returns the secret's code at the harness's time.
func (h *harness) code(secret string) string {
	h.t.Helper()
	c, err := twofactor.Code(secret, h.clock.now())
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

// enrol sets up a second factor on the enrolment page the browser can
// reach and returns the secret and the recovery codes shown.
func (b *browser) enrol() (secret string, codes []string) {
	b.t.Helper()
	p := b.get("/account/totp")
	p.wantStatus(b.t, "the enrolment page", http.StatusOK)
	m := secretText.FindStringSubmatch(p.body)
	if m == nil {
		b.t.Fatalf("no secret on the enrolment page:\n%s", p.body)
	}
	secret = strings.ReplaceAll(m[1], " ", "")
	if again := secretText.FindStringSubmatch(b.get("/account/totp").body); again == nil || again[1] != m[1] {
		b.t.Fatal("a reload of the enrolment page showed another secret")
	}
	if qr := b.get("/account/totp/qr.png"); qr.StatusCode != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" {
		b.t.Fatalf("the QR code answered %d %s", qr.StatusCode, qr.Header.Get("Content-Type"))
	}
	token := p.csrf(b.t)
	wrong := b.do("POST", "/account/totp", url.Values{"csrf": {token}, "code": {"000000"}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(wrong.body, "not right") {
		// 000000 is the right code once in a million runs.
		b.t.Fatalf("a wrong first code answered %d", wrong.StatusCode)
	}
	done := b.do("POST", "/account/totp", url.Values{"csrf": {token}, "code": {b.h.code(secret)}})
	done.wantStatus(b.t, "the first code", http.StatusOK)
	for _, m := range recoveryText.FindAllStringSubmatch(done.body, -1) {
		codes = append(codes, m[1])
	}
	if len(codes) != inkform.RecoveryCodeCount {
		b.t.Fatalf("%d recovery codes shown, want %d:\n%s", len(codes), inkform.RecoveryCodeCount, done.body)
	}
	return secret, codes
}

// signInWithCode signs in with the password, then posts code on the
// second factor's page and returns that answer.
func (b *browser) signInWithCode(email, password, code string) *page {
	b.t.Helper()
	b.signIn(email, password, "").wantRedirect(b.t, "password of a user with a second factor", "/login/code")
	form := b.get("/login/code")
	form.wantStatus(b.t, "the code page", http.StatusOK)
	return b.do("POST", "/login/code", url.Values{"csrf": {form.csrf(b.t)}, "code": {code}})
}

// TestTOTP: a user enrols from the console, then a password alone no
// longer signs in; the app's code does, once; a recovery code does, once;
// the QR code is gone once enrolled.
func TestTOTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withTOTP)
	org := h.org("Clinic")
	h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")

	b := h.browser(t)
	b.mustSignIn("ann@example.org", "ann's password")
	secret, codes := b.enrol()
	if got := len(h.events(org.ID, inkform.AuditUserTOTPEnrol)); got != 1 {
		t.Errorf("%d enrolment events, want 1", got)
	}
	if p := b.get("/account/totp/qr.png"); p.StatusCode != http.StatusNotFound {
		t.Errorf("the QR code after enrolment answered %d, want 404", p.StatusCode)
	}
	if p := b.get("/account/totp"); !strings.Contains(p.body, "has a second factor") || secretText.MatchString(p.body) {
		t.Errorf("the page after enrolment does not say so, or shows the secret:\n%s", p.body)
	}

	// The password alone is half a sign-in: the console is closed.
	c := h.browserFrom(t, "203.0.113.2")
	c.signIn("ann@example.org", "ann's password", "").wantRedirect(t, "password", "/login/code")
	c.get("/").wantRedirect(t, "the console after the password alone", "/login")
	c.get("/account/totp").wantRedirect(t, "enrolment after the password alone", "/login")

	// The code used at enrolment is spent; the next step's works once.
	c.signInWithCode("ann@example.org", "ann's password", h.code(secret)).wantStatus(t, "the enrolment's code again", http.StatusOK)
	h.clock.advance(twofactor.Period * time.Second)
	code := h.code(secret)
	c.signInWithCode("ann@example.org", "ann's password", code).wantRedirect(t, "a fresh code", "/")
	c.get("/").wantStatus(t, "the console after the code", http.StatusOK)
	d := h.browserFrom(t, "203.0.113.3")
	if p := d.signInWithCode("ann@example.org", "ann's password", code); p.StatusCode != http.StatusOK || !strings.Contains(p.body, "used already") {
		t.Errorf("a replayed code answered %d", p.StatusCode)
	}

	// A recovery code, typed in capitals and with spaces, works once.
	typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
	d.signInWithCode("ann@example.org", "ann's password", typed).wantRedirect(t, "a recovery code", "/")
	e := h.browserFrom(t, "203.0.113.4")
	e.signInWithCode("ann@example.org", "ann's password", codes[3]).wantStatus(t, "a spent recovery code", http.StatusOK)
	if got := len(h.events(org.ID, inkform.AuditUserRecoveryUsed)); got != 1 {
		t.Errorf("%d recovery code events, want 1", got)
	}

}

// TestTOTPThrottled: wrong codes are throttled per user like passwords
// per account, and audited; after the wait the right code works.
func TestTOTPThrottled(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withTOTP)
	org := h.org("Clinic")
	h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")
	b := h.browser(t)
	b.mustSignIn("ann@example.org", "ann's password")
	secret, _ := b.enrol() // one wrong code on the way
	h.clock.advance(twofactor.Period * time.Second)
	c := h.browserFrom(t, "203.0.113.2")
	for range codeBurst - 1 {
		c.signInWithCode("ann@example.org", "ann's password", "12345x").wantStatus(t, "a wrong code", http.StatusOK)
	}
	p := c.signInWithCode("ann@example.org", "ann's password", h.code(secret))
	if p.StatusCode != http.StatusTooManyRequests || p.Header.Get("Retry-After") == "" {
		t.Fatalf("after %d wrong codes the right one answered %d", codeBurst, p.StatusCode)
	}
	if got := len(h.events(org.ID, inkform.AuditUserTOTPFail)); got != codeBurst-1 {
		t.Errorf("%d wrong-code events, want %d", got, codeBurst-1)
	}
	h.clock.advance(codeEvery)
	c.signInWithCode("ann@example.org", "ann's password", h.code(secret)).wantRedirect(t, "the right code after the wait", "/")
}

// TestPendingRefused: the half sign-in's cookie works only as issued: not
// forged, not after pendingAge, not for the other purpose, not without its
// CSRF token.
func TestPendingRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withTOTP)
	org := h.org("Clinic")
	u := h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")
	b := h.browser(t)
	b.mustSignIn("ann@example.org", "ann's password")
	secret, _ := b.enrol()

	pendingOf := func() (*browser, *http.Cookie) {
		c := h.browserFrom(t, "203.0.113.9")
		p := c.signIn("ann@example.org", "ann's password", "")
		p.wantRedirect(t, "password", "/login/code")
		return c, p.cookie(pendingCookie)
	}
	replace := func(c *browser, value string) {
		u, _ := url.Parse(h.ts.URL)
		c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: pendingCookie, Value: value, Path: "/"}})
	}
	tests := []struct {
		name  string
		spoil func(c *browser, value string)
	}{
		{"forged user", func(c *browser, v string) {
			enc, sig, _ := strings.Cut(v, ".")
			raw, _ := b64.DecodeString(enc)
			replace(c, b64.EncodeToString([]byte(strings.Replace(string(raw), u.ID, "someone-else", 1)))+"."+sig)
		}},
		{"forged signature", func(c *browser, v string) { replace(c, v[:len(v)-2]+"AA") }},
		{"expired", func(*browser, string) { h.clock.advance(pendingAge) }},
		{"other purpose", func(c *browser, v string) {
			enc, _, _ := strings.Cut(v, ".")
			raw, _ := b64.DecodeString(enc)
			msg := strings.Replace(string(raw), pendingCode, pendingEnrol, 1)
			replace(c, b64.EncodeToString([]byte(msg))+"."+mac(h.srv.auth.pendingKey, "x"))
		}},
	}
	for _, tt := range tests {
		c, cookie := pendingOf()
		tt.spoil(c, cookie.Value)
		if p := c.get("/login/code"); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/login" {
			t.Errorf("%s: the code page answered %d to %q, want 303 to /login", tt.name, p.StatusCode, p.Header.Get("Location"))
		}
		if p := c.do("POST", "/login/code", url.Values{"code": {h.code(secret)}}); p.StatusCode != http.StatusForbidden {
			t.Errorf("%s: a code posted answered %d, want 403", tt.name, p.StatusCode)
		}
	}
	// A cookie for the code is no enrolment cookie, and the code page
	// wants its CSRF token.
	c, _ := pendingOf()
	c.get("/account/totp").wantRedirect(t, "enrolment with a code's cookie", "/login")
	if p := c.do("POST", "/login/code", url.Values{"csrf": {"forged"}, "code": {h.code(secret)}}); p.StatusCode != http.StatusForbidden {
		t.Errorf("a code without its CSRF token answered %d, want 403", p.StatusCode)
	}
}

// TestTOTPRequired: in an org that requires a second factor, a password
// user without one is sent to enrol, can reach nothing else, and is
// signed in by the enrolment; another org is not affected.
func TestTOTPRequired(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withTOTP)
	org, other := h.org("Clinic"), h.org("Other")
	h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")
	h.user(other, "bob@example.org", inkform.RoleVerifier, "bob's password")
	if err := h.srv.TOTP.SetTOTPRequired(t.Context(), org.ID, true); err != nil {
		t.Fatal(err)
	}
	h.browser(t).mustSignIn("bob@example.org", "bob's password")

	b := h.browser(t)
	b.signIn("ann@example.org", "ann's password", "").wantRedirect(t, "password in an org that requires a second factor", "/account/totp")
	for _, path := range []string{"/", "/verify", "/login/code"} {
		if p := b.get(path); p.StatusCode != http.StatusSeeOther || p.Header.Get("Location") != "/login" {
			t.Errorf("GET %s before enrolling: %d to %q, want 303 to /login", path, p.StatusCode, p.Header.Get("Location"))
		}
	}
	if p := b.get("/account/totp"); !strings.Contains(p.body, "requires a second factor") {
		t.Errorf("the enrolment page does not say the org requires it:\n%s", p.body)
	}
	b.enrol()
	b.get("/").wantStatus(t, "the console after enrolling", http.StatusOK)
	if got := len(h.events(org.ID, inkform.AuditUserSignIn)); got != 1 {
		t.Errorf("%d sign-in events, want 1", got)
	}
}

// TestTOTPReset: an admin resets a user's second factor, and the user's
// sessions end; a verifier may not, and an admin of another org finds no
// such user.
func TestTOTPReset(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withTOTP)
	org, other := h.org("Clinic"), h.org("Other")
	ann := h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")
	h.user(org, "boss@example.org", inkform.RoleAdmin, "boss's password")
	h.user(other, "eve@example.org", inkform.RoleAdmin, "eve's password")
	b := h.browser(t)
	b.mustSignIn("ann@example.org", "ann's password")
	b.enrol()

	b.get("/admin/users/"+ann.ID+"/totp").wantStatus(t, "a verifier's look at the reset page", http.StatusForbidden)
	eve := h.browserFrom(t, "203.0.113.7")
	eve.mustSignIn("eve@example.org", "eve's password")
	eve.get("/admin/users/"+ann.ID+"/totp").wantStatus(t, "another org's admin", http.StatusNotFound)
	p := eve.get("/")
	eve.do("POST", "/admin/users/"+ann.ID+"/totp/reset", url.Values{"csrf": {p.csrf(t)}}).wantStatus(t, "another org's reset", http.StatusNotFound)

	boss := h.browserFrom(t, "203.0.113.8")
	boss.mustSignIn("boss@example.org", "boss's password")
	page := boss.get("/admin/users/" + ann.ID + "/totp")
	if !strings.Contains(page.body, "Reset the second factor") {
		t.Fatalf("the reset page has no reset button:\n%s", page.body)
	}
	boss.do("POST", "/admin/users/"+ann.ID+"/totp/reset", url.Values{"csrf": {"forged"}}).wantStatus(t, "a forged reset", http.StatusForbidden)
	boss.do("POST", "/admin/users/"+ann.ID+"/totp/reset", url.Values{"csrf": {page.csrf(t)}}).
		wantRedirect(t, "the reset", "/admin/users/"+ann.ID+"/totp?reset=1")
	if got := len(h.events(org.ID, inkform.AuditUserTOTPReset)); got != 1 {
		t.Errorf("%d reset events, want 1", got)
	}
	b.get("/").wantRedirect(t, "the user's session after the reset", "/login")
	h.browserFrom(t, "203.0.113.5").mustSignIn("ann@example.org", "ann's password")
}

package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/oidc/oidctest"
	"github.com/inkform/inkform/twofactor"
)

// TestDisabledUser: disabling a user ends the user's session at once and
// refuses the next sign-in with the wrong-password answer; enabling lets
// the user sign in again.
func TestDisabledUser(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	org := h.org("clinic")
	h.user(org, "boss@example.org", inkform.RoleAdmin, "boss password")
	u := h.user(org, "ann@example.org", inkform.RoleVerifier, "ann password")
	b := h.browser(t)
	b.mustSignIn("ann@example.org", "ann password")
	b.get("/").wantStatus(t, "home before disabling", http.StatusOK)
	disabled, enabled := true, false
	if _, err := h.users.UpdateUser(context.Background(), org.ID, u.ID, inkform.UserUpdate{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	b.get("/").wantRedirect(t, "home after disabling", "/login")
	if p := b.signIn("ann@example.org", "ann password", ""); p.StatusCode == http.StatusSeeOther {
		t.Fatalf("a disabled user signed in (303 to %q)", p.Header.Get("Location"))
	}
	if _, err := h.users.UpdateUser(context.Background(), org.ID, u.ID, inkform.UserUpdate{Disabled: &enabled}); err != nil {
		t.Fatal(err)
	}
	b.mustSignIn("ann@example.org", "ann password")
}

// TestSSODisabledUser: single sign-on refuses a disabled user with a page
// that says so, and starts no session.
func TestSSODisabledUser(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withTOTP)
	org := h.org("Clinic")
	h.user(org, "boss@example.org", inkform.RoleAdmin, "boss password")
	ann := h.user(org, "ann@example.org", inkform.RoleVerifier, "ann password")
	idp := withSSO(t, h, []string{org.ID})
	disabled := true
	if _, err := h.users.UpdateUser(context.Background(), org.ID, ann.ID, inkform.UserUpdate{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	b := h.browser(t)
	idp.SignIn(oidctest.User{Subject: "ann-1", Email: "ann@example.org", EmailVerified: true})
	if p := b.get(b.ssoTrip()); p.StatusCode != http.StatusForbidden || !strings.Contains(p.body, "is disabled") {
		t.Errorf("single sign-on of a disabled user answered %d:\n%s", p.StatusCode, p.body)
	}
	b.get("/").wantRedirect(t, "the console after a refused sign-on", "/login")
}

// TestPendingDisabledUser: a user disabled while half signed in (the
// password was right, the second factor is owed) cannot finish: neither
// the right code nor an enrolment the org requires starts a session.
func TestPendingDisabledUser(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		required bool // the org requires a second factor ann lacks
	}{
		{"code", false},
		{"required enrolment", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, withTOTP)
			org := h.org("Clinic")
			ann := h.user(org, "ann@example.org", inkform.RoleVerifier, "ann password")
			b := h.browser(t)
			var secret, path, form string
			if c.required {
				if err := h.srv.TOTP.SetTOTPRequired(t.Context(), org.ID, true); err != nil {
					t.Fatal(err)
				}
				b.signIn("ann@example.org", "ann password", "").wantRedirect(t, "the password", "/account/totp")
				path, form = "/account/totp", "/account/totp"
				m := secretText.FindStringSubmatch(b.get(path).body)
				if m == nil {
					t.Fatal("no secret on the enrolment page")
				}
				secret = strings.ReplaceAll(m[1], " ", "")
			} else {
				b.mustSignIn("ann@example.org", "ann password")
				secret, _ = b.enrol()
				h.clock.advance(twofactor.Period * time.Second)
				b = h.browserFrom(t, "203.0.113.2")
				b.signIn("ann@example.org", "ann password", "").wantRedirect(t, "the password", "/login/code")
				path, form = "/login/code", "/login/code"
			}
			token := b.get(form).csrf(t)
			disabled := true
			if _, err := h.users.UpdateUser(t.Context(), org.ID, ann.ID, inkform.UserUpdate{Disabled: &disabled}); err != nil {
				t.Fatal(err)
			}
			p := b.do("POST", path, url.Values{"csrf": {token}, "code": {h.code(secret)}})
			if p.StatusCode == http.StatusOK || p.Header.Get("Location") == "/" || p.cookie(sessionCookie) != nil {
				t.Fatalf("a user disabled while half signed in finished signing in: %d to %q", p.StatusCode, p.Header.Get("Location"))
			}
			b.get("/").wantRedirect(t, "the console", "/login")
			if n := len(h.events(org.ID, inkform.AuditUserSignIn)); n != map[bool]int{true: 0, false: 1}[c.required] {
				t.Errorf("%d sign-in events", n)
			}
			if c.required {
				if f, err := h.srv.TOTP.FindTOTP(t.Context(), org.ID, ann.ID); err == nil && f.Enrolled() {
					t.Error("a disabled user enrolled a second factor")
				}
			}
		})
	}
}

package ui

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/oidc/oidctest"
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

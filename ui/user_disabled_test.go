package ui

import (
	"context"
	"net/http"
	"testing"

	"github.com/inkform/inkform"
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

package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/inkform/inkform"
)

// TestTOTPResetNoFactor: an admin's reset of a user who has no second
// factor says so (409) and changes nothing: no event, no sessions ended.
func TestTOTPResetNoFactor(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withTOTP)
	org := h.org("Clinic")
	ann := h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")
	h.user(org, "boss@example.org", inkform.RoleAdmin, "boss's password")
	b := h.browser(t)
	b.mustSignIn("ann@example.org", "ann's password")
	boss := h.browserFrom(t, "203.0.113.8")
	boss.mustSignIn("boss@example.org", "boss's password")
	page := boss.get("/admin/users/" + ann.ID + "/totp")
	p := boss.do("POST", "/admin/users/"+ann.ID+"/totp/reset", url.Values{"csrf": {page.csrf(t)}})
	p.wantStatus(t, "the reset of no second factor", http.StatusConflict)
	if !strings.Contains(p.body, "has no second factor") {
		t.Errorf("the answer does not say why:\n%s", p.body)
	}
	if got := len(h.events(org.ID, inkform.AuditUserTOTPReset)); got != 0 {
		t.Errorf("%d reset events, want none", got)
	}
	b.get("/").wantStatus(t, "the user's session after a reset of nothing", http.StatusOK)
}

// failingSessions fails to start sessions while armed.
type failingSessions struct {
	inkform.SessionStore
	armed *atomic.Bool
}

func (f failingSessions) CreateSession(ctx context.Context, s *inkform.Session) (string, error) {
	if f.armed.Load() {
		return "", errors.New("database gone")
	}
	return f.SessionStore.CreateSession(ctx, s)
}

// TestTOTPConfirmSessionFails: when the session cannot be started after
// the right first code of a required enrolment, the person sees an error
// and is not left enrolled with recovery codes never shown; enrolling
// again then works.
func TestTOTPConfirmSessionFails(t *testing.T) {
	t.Parallel()
	var armed atomic.Bool
	h := newHarness(t, withTOTP, func(s *Server) { s.Sessions = failingSessions{s.Sessions, &armed} })
	org := h.org("Clinic")
	ann := h.user(org, "ann@example.org", inkform.RoleVerifier, "ann's password")
	if err := h.srv.TOTP.SetTOTPRequired(t.Context(), org.ID, true); err != nil {
		t.Fatal(err)
	}
	b := h.browser(t)
	b.signIn("ann@example.org", "ann's password", "").wantRedirect(t, "the password", "/account/totp")
	form := b.get("/account/totp")
	m := secretText.FindStringSubmatch(form.body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page:\n%s", form.body)
	}
	armed.Store(true)
	p := b.do("POST", "/account/totp", url.Values{"csrf": {form.csrf(t)}, "code": {h.code(strings.ReplaceAll(m[1], " ", ""))}})
	armed.Store(false)
	p.wantStatus(t, "the first code when no session can start", http.StatusInternalServerError)
	if p.cookie(sessionCookie) != nil || recoveryText.MatchString(p.body) {
		t.Errorf("a session cookie or recovery codes after the failure:\n%s", p.body)
	}
	if f, err := h.srv.TOTP.FindTOTP(t.Context(), org.ID, ann.ID); err == nil && f.Enrolled() {
		t.Fatal("enrolled although the sign-in failed and the recovery codes were never shown")
	}
	if got := len(h.events(org.ID, inkform.AuditUserTOTPEnrol)); got != 0 {
		t.Errorf("%d enrolment events, want none", got)
	}
	b.enrol()
	b.get("/").wantStatus(t, "the console after enrolling again", http.StatusOK)
}

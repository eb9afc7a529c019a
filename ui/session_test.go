package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// TestSessionIdle: a session unused for longer than the idle timeout ends;
// one in use lives on, until its absolute end.
func TestSessionIdle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(s *Server) { s.IdleTimeout, s.MaxAge = 30*time.Minute, 2*time.Hour })
	h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)

	idle := h.browser(t)
	idle.mustSignIn("ann@example.org", password)
	h.clock.advance(29 * time.Minute)
	idle.get("/").wantStatus(t, "29 minutes idle", http.StatusOK)
	h.clock.advance(29 * time.Minute) // touched at 29: alive until 59
	idle.get("/").wantStatus(t, "29 more minutes idle", http.StatusOK)
	h.clock.advance(31 * time.Minute)
	idle.get("/").wantRedirect(t, "31 minutes idle", "/login")

	busy := h.browser(t)
	busy.mustSignIn("ann@example.org", password)
	for elapsed := 20 * time.Minute; elapsed < 2*time.Hour; elapsed += 20 * time.Minute {
		h.clock.advance(20 * time.Minute)
		busy.get("/").wantStatus(t, "in use after "+elapsed.String(), http.StatusOK)
	}
	h.clock.advance(20 * time.Minute)
	busy.get("/").wantRedirect(t, "in use, but past the absolute end", "/login")
}

// TestSessionTouchThrottled: within touchEvery a page view writes nothing.
func TestSessionTouchThrottled(t *testing.T) {
	t.Parallel()
	var rec fake.Recorder
	h := newHarness(t)
	h.sessions.Hook = rec.Hook
	h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)
	b := h.browser(t)
	b.mustSignIn("ann@example.org", password)
	for range 5 {
		h.clock.advance(10 * time.Second)
		b.get("/")
	}
	if n := len(rec.Calls("TouchSession")); n != 0 {
		t.Errorf("%d touches within a minute, want none", n)
	}
	h.clock.advance(touchEvery)
	b.get("/")
	if n := len(rec.Calls("TouchSession")); n != 1 {
		t.Errorf("%d touches after a minute, want 1", n)
	}
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	org := h.org("Clinic")
	u := h.user(org, "ann@example.org", inkform.RoleVerifier, password)
	b, other := h.browser(t), h.browser(t)
	b.mustSignIn("ann@example.org", password)
	other.mustSignIn("ann@example.org", password)
	home := b.get("/")
	token := home.csrf(t)

	out := b.do("POST", "/logout", url.Values{"csrf": {token}})
	out.wantRedirect(t, "sign out", "/login?signed_out=1")
	if c := out.cookie(sessionCookie); c == nil || c.MaxAge >= 0 {
		t.Errorf("the session cookie was not deleted: %+v", c)
	}
	if p := b.get("/login?signed_out=1"); !strings.Contains(p.body, "You have signed out.") {
		t.Errorf("the sign-in page does not confirm the sign-out:\n%s", p.body)
	}
	b.get("/").wantRedirect(t, "GET / after signing out", "/login")
	other.get("/").wantStatus(t, "the other session after one signed out", http.StatusOK)
	ev := h.events(org.ID, inkform.AuditUserSignOut)
	if len(ev) != 1 || ev[0].Actor != "user "+u.ID || ev[0].Detail != "this session" {
		t.Errorf("sign-out events = %+v", ev)
	}
}

// TestSignOutEverywhere ends every session of the person and no one
// else's, even one kept by a cookie the browser was told to delete.
func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	org := h.org("Clinic")
	h.user(org, "ann@example.org", inkform.RoleVerifier, password)
	h.user(org, "bob@example.org", inkform.RoleVerifier, password)
	phone, desk, bob := h.browser(t), h.browser(t), h.browser(t)
	phone.mustSignIn("ann@example.org", password)
	desk.mustSignIn("ann@example.org", password)
	bob.mustSignIn("bob@example.org", password)

	out := desk.do("POST", "/logout/everywhere", url.Values{"csrf": {desk.get("/").csrf(t)}})
	out.wantRedirect(t, "sign out everywhere", "/login?signed_out=everywhere")
	phone.get("/").wantRedirect(t, "the phone after signing out everywhere", "/login")
	desk.get("/").wantRedirect(t, "the desk after signing out everywhere", "/login")
	bob.get("/").wantStatus(t, "a colleague's session", http.StatusOK)
	if ev := h.events(org.ID, inkform.AuditUserSignOut); len(ev) != 1 || ev[0].Detail != "everywhere: 2 sessions" {
		t.Errorf("sign-out events = %+v", ev)
	}
}

// TestFormsNeedCSRF: a signed-in POST without its session's token changes
// nothing.
func TestFormsNeedCSRF(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)
	b, other := h.browser(t), h.browser(t)
	b.mustSignIn("ann@example.org", password)
	other.mustSignIn("ann@example.org", password)
	otherToken := other.get("/").csrf(t)
	for _, c := range []struct {
		name   string
		form   url.Values
		header []string
		says   string
	}{
		{"no token", url.Values{}, nil, "out of date"},
		{"a forged token", url.Values{"csrf": {"forged"}}, nil, "out of date"},
		{"another session's token", url.Values{"csrf": {otherToken}}, nil, "out of date"},
		{"the sign-in form's token", url.Values{"csrf": {h.srv.loginToken(newNonce())}}, nil, "out of date"},
		{"a cross-site post with the right token", url.Values{"csrf": {b.get("/").csrf(t)}},
			[]string{"Sec-Fetch-Site", "cross-site"}, "another site"},
	} {
		for _, path := range []string{"/logout", "/logout/everywhere"} {
			p := b.do("POST", path, c.form, c.header...)
			p.wantStatus(t, c.name+" to "+path, http.StatusForbidden)
			if !strings.Contains(p.body, c.says) {
				t.Errorf("%s to %s: the page does not say %q", c.name, path, c.says)
			}
		}
	}
	b.get("/").wantStatus(t, "still signed in", http.StatusOK)
	other.get("/").wantStatus(t, "the other session too", http.StatusOK)
}

// TestSweep: a sign-in deletes expired sessions, at most once an hour.
func TestSweep(t *testing.T) {
	t.Parallel()
	var rec fake.Recorder
	h := newHarness(t)
	h.sessions.Hook = rec.Hook
	u := h.user(h.org("Clinic"), "ann@example.org", inkform.RoleVerifier, password)
	now := h.clock.now()
	if _, err := h.sessions.CreateSession(context.Background(),
		&inkform.Session{OrgID: u.OrgID, UserID: u.ID, IdleExpiresAt: now.Add(-time.Minute), ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	h.browser(t).mustSignIn("ann@example.org", password)
	h.browser(t).mustSignIn("ann@example.org", password)
	if n := len(rec.Calls("DeleteExpiredSessions")); n != 1 {
		t.Fatalf("%d sweeps after two sign-ins, want 1", n)
	}
	if n, _ := h.sessions.DeleteExpiredSessions(context.Background(), now); n != 0 {
		t.Errorf("the sweep left %d expired sessions", n)
	}
	h.clock.advance(sweepEvery)
	h.browser(t).mustSignIn("ann@example.org", password)
	if n := len(rec.Calls("DeleteExpiredSessions")); n != 3 { // the two sweeps and this test's own call
		t.Errorf("%d calls after an hour, want 3", n)
	}
}

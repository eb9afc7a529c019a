package ui

import (
	"net/http"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/inkml"
)

// TestHomeByRole: each role's console lists what it may use and never
// names what it may not — a verifier reads nothing of tokens or
// subscriptions.
func TestHomeByRole(t *testing.T) {
	t.Parallel()
	// Every part wired, so that only the role decides what is shown
	// (TestHomeHidesUnwired holds the rest). The home page only asks
	// whether the quarantine is there, never calls it.
	h := newHarness(t, func(s *Server) {
		jobs := &fake.JobQueue{}
		s.Tokens, s.Jobs, s.Capture = &fake.Tokens{}, jobs, &fake.Capture{}
		s.Subscriptions = &fake.Subscriptions{Forms: s.Forms, Queue: jobs}
		s.Quarantine, s.InkParser = struct{ inkform.QuarantineService }{}, inkml.Parser{Limits: inkml.DefaultLimits()}
	})
	org := h.org("Clinic")
	for _, c := range []struct {
		role   inkform.Role
		shows  []string
		hides  []string
		verify int // GET /verify
	}{
		{inkform.RoleVerifier, []string{`href="/verify"`, "Verification"},
			[]string{"token", "subscription", "handler", "webhook", "Forms", "Quarantine", "Jobs", "Audit", "/admin/users"}, http.StatusOK},
		{inkform.RoleAdmin, []string{`href="/verify"`, "Forms", "Handlers", "Quarantine", "Jobs", "API tokens", `href="/tokens"`,
			"Users", `href="/admin/users"`, "Audit log"},
			nil, http.StatusOK},
		{inkform.RoleDesigner, []string{"Forms"},
			[]string{"Verification", "token", "Handlers", "Audit", "/admin/users"}, http.StatusForbidden},
		{inkform.RoleIntegrator, []string{"Handlers"},
			[]string{"Verification", "API tokens", "Audit", "/admin/users"}, http.StatusForbidden},
		{inkform.RoleGateway, []string{"nothing to do in the console"},
			[]string{"Verification", "token", "Handlers"}, http.StatusForbidden},
	} {
		t.Run(string(c.role), func(t *testing.T) {
			t.Parallel()
			email := string(c.role) + "@example.org"
			h.user(org, email, c.role, password)
			b := h.browser(t)
			b.mustSignIn(email, password)
			home := b.get("/")
			home.wantStatus(t, "GET /", http.StatusOK)
			main := home.body[strings.Index(home.body, "<main"):]
			for _, s := range c.shows {
				if !strings.Contains(main, s) {
					t.Errorf("the %s's console does not show %q", c.role, s)
				}
			}
			for _, s := range c.hides {
				if strings.Contains(strings.ToLower(home.body), strings.ToLower(s)) {
					t.Errorf("the %s's console names %q", c.role, s)
				}
			}
			b.get("/verify").wantStatus(t, "GET /verify", c.verify)
		})
	}
}

func TestSectionsFor(t *testing.T) {
	t.Parallel()
	for _, role := range inkform.Roles() {
		for _, sec := range sectionsFor(role) {
			if !role.Can(sec.Perm) {
				t.Errorf("%s is shown %s, which needs %s", role, sec.Title, sec.Perm)
			}
		}
	}
	if n := len(sectionsFor(inkform.RoleAdmin)); n != len(sections) {
		t.Errorf("an admin sees %d of %d sections", n, len(sections))
	}
	for i, sec := range sections {
		if (sec.Path == "") == (sec.API == "") {
			t.Errorf("section %s needs either a page or the API route that stands in for it", sec.Title)
		}
		// The accounts pages: tokens, then users, both pages of the
		// console now and both for admins alone.
		want := map[string]string{"API tokens": "/tokens", "Users": "/admin/users"}[sec.Title]
		if want == "" {
			continue
		}
		if sec.Path != want {
			t.Errorf("section %s is at %q, want %q", sec.Title, sec.Path, want)
		}
		for _, role := range inkform.Roles() {
			if role.Can(sec.Perm) != (role == inkform.RoleAdmin) {
				t.Errorf("section %s: %s sees it: %v", sec.Title, role, role.Can(sec.Perm))
			}
		}
		if sec.Title == "Users" && (i == 0 || sections[i-1].Title != "API tokens") {
			t.Errorf("section Users does not follow API tokens")
		}
	}
}

// TestHomeHidesUnwired: the home page links a part of the console exactly
// when the server has its services, so nobody is sent to a page that
// answers 503; a role whose parts are all missing is told so.
func TestHomeHidesUnwired(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		wire  func(*Server)
		shown int // of the sections, for an admin
	}{
		{"users only", func(s *Server) {
			s.Audit, s.Verification, s.Leases, s.Entries, s.Documents, s.Forms = nil, nil, nil, nil, nil, nil
		}, 1},
		{"no tokens, handlers, quarantine or tablets", func(s *Server) { s.Jobs = &fake.JobQueue{} }, 6},
		{"no jobs, handlers, quarantine or tablets", func(s *Server) { s.Tokens = &fake.Tokens{} }, 6},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, c.wire)
			org := h.org("Clinic")
			h.user(org, "boss@example.org", inkform.RoleAdmin, password)
			h.user(org, "val@example.org", inkform.RoleVerifier, password)
			b := h.browser(t)
			b.mustSignIn("boss@example.org", password)
			home := b.get("/").body
			shown := 0
			for _, sec := range sections {
				linked := strings.Contains(home, `href="`+sec.Path+`"`)
				status := b.get(sec.Path).StatusCode
				if linked != (status != http.StatusServiceUnavailable) {
					t.Errorf("%s: linked %v, its page answers %d", sec.Title, linked, status)
				}
				if linked {
					shown++
				}
			}
			if shown != c.shown {
				t.Errorf("%d sections shown, want %d", shown, c.shown)
			}
			val := h.browser(t)
			val.mustSignIn("val@example.org", password)
			home = val.get("/").body
			if wired := h.srv.Verification != nil; strings.Contains(home, "nothing to do") || strings.Contains(home, "not set up") == wired {
				t.Errorf("a verifier's console with the station wired %v:\n%s", wired, home)
			}
		})
	}
}

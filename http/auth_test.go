package http

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// routeTarget turns a route pattern into a request path with well-formed
// IDs, so that the permission check is what decides.
func routeTarget(path string) string {
	path = strings.ReplaceAll(path, "/jobs/{id}", "/jobs/7")
	path = strings.ReplaceAll(path, "{id}", inkform.NewID())
	return strings.ReplaceAll(path, "{version}", "1")
}

func TestAuthMissingOrBadToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name, header string
	}{
		{"missing", ""},
		{"basic scheme", "Basic dXNlcjpwYXNz"},
		{"no scheme", e.secrets[inkform.RoleAdmin]},
		{"not an inkform token", "Bearer abc123"},
		{"unknown token", "Bearer " + inkform.NewTokenSecret()},
		{"overlong token", "Bearer ifk_" + strings.Repeat("a", 500)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/api/v1/forms", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, r)
			p := decodeProblem(t, w)
			if w.Code != 401 || p.Type != ProblemTypeBase+inkform.EUNAUTHORIZED {
				t.Fatalf("status %d %+v", w.Code, p)
			}
			if !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", w.Header().Get("WWW-Authenticate"))
			}
			if secret := strings.TrimPrefix(tt.header, "Bearer "); len(secret) > 8 && strings.Contains(w.Body.String(), secret) {
				t.Errorf("problem repeats the credential: %s", w.Body)
			}
		})
	}
}

// TestAuthPermissionsPerRoute walks the route table with a token of every
// role: a role that lacks the route's permission gets a 403 naming both;
// a role that has it gets past authorization (any other answer).
func TestAuthPermissionsPerRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, rt := range e.srv.routes() {
		for _, role := range inkform.Roles() {
			w := e.do(t, role, rt.method, routeTarget(rt.path), "application/json", "{}")
			switch {
			case rt.perm == "":
				if w.Code == 401 || w.Code == 403 {
					t.Errorf("%s as %s: public route answered %d", rt.pattern(), role, w.Code)
				}
			case role.Can(rt.perm):
				if w.Code == 401 || w.Code == 403 {
					t.Errorf("%s as %s: allowed role got %d: %s", rt.pattern(), role, w.Code, w.Body)
				}
			default:
				if w.Code != 403 {
					t.Errorf("%s as %s: status %d, want 403", rt.pattern(), role, w.Code)
					continue
				}
				p := decodeProblem(t, w)
				if !strings.Contains(p.Detail, string(role)) || !strings.Contains(p.Detail, string(rt.perm)) {
					t.Errorf("%s as %s: detail %q does not name role and permission", rt.pattern(), role, p.Detail)
				}
			}
		}
	}
}

// TestAuthGatewayOnlySubmitsInk is the pen gateway's least privilege spelt
// out: POST /api/v1/ink and the public routes, nothing else.
func TestAuthGatewayOnlySubmitsInk(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, rt := range e.srv.routes() {
		w := e.do(t, inkform.RoleGateway, rt.method, routeTarget(rt.path), "application/inkml+xml", testInkML)
		allowed := rt.perm == "" || rt.pattern() == "POST /api/v1/ink"
		if allowed == (w.Code == 403) {
			t.Errorf("%s: gateway got %d", rt.pattern(), w.Code)
		}
	}
}

func TestAuthCache(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	e := newEnv(t, func(s *Server) { s.now = clock; s.TokenCacheTTL = time.Minute })

	get := func() int { return e.do(t, inkform.RoleDesigner, "GET", "/api/v1/forms", "", "").Code }
	for i := 0; i < 3; i++ {
		if c := get(); c != 200 {
			t.Fatalf("status %d", c)
		}
	}
	if n := len(e.calls.Calls("Authenticate")); n != 1 {
		t.Errorf("3 requests in the TTL made %d lookups, want 1", n)
	}
	now = now.Add(time.Minute)
	get()
	if n := len(e.calls.Calls("Authenticate")); n != 2 {
		t.Errorf("after the TTL: %d lookups, want 2", n)
	}
}

func TestAuthCacheDisabled(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.TokenCacheTTL = -1 })
	for i := 0; i < 3; i++ {
		e.do(t, inkform.RoleDesigner, "GET", "/api/v1/forms", "", "")
	}
	if n := len(e.calls.Calls("Authenticate")); n != 3 {
		t.Errorf("%d lookups with the cache off, want 3", n)
	}
}

func TestTokenCacheCap(t *testing.T) {
	t.Parallel()
	now := time.Unix(0, 0)
	c := newTokenCache(time.Minute, 3, func() time.Time { return now })
	for i := 0; i < 10; i++ {
		c.put([32]byte{byte(i)}, inkform.Token{ID: "t"})
		if c.len() > 3 {
			t.Fatalf("cache holds %d entries, cap 3", c.len())
		}
	}
	if _, ok := c.get([32]byte{9}); !ok {
		t.Errorf("the newest entry was evicted")
	}
	now = now.Add(time.Minute)
	if _, ok := c.get([32]byte{9}); ok {
		t.Errorf("an expired entry was returned")
	}
}

func TestTokenDeleteInvalidatesCache(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// A second admin token, revoked by the first while cached.
	tok, secret, _ := e.tokens.CreateToken(t.Context(), e.orgID, inkform.RoleAdmin, "doomed")
	e.secrets["doomed"] = secret
	if w := e.do(t, "doomed", "GET", "/api/v1/tokens", "", ""); w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
	if w := e.do(t, inkform.RoleAdmin, "DELETE", "/api/v1/tokens/"+tok.ID, "", ""); w.Code != 204 {
		t.Fatalf("delete: status %d %s", w.Code, w.Body)
	}
	if w := e.do(t, "doomed", "GET", "/api/v1/tokens", "", ""); w.Code != 401 {
		t.Errorf("revoked token: status %d, want 401", w.Code)
	}
}

func TestProtect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) {
		s.ExtraRoutes = func(mux *http.ServeMux) {
			mux.Handle("GET /ui/forms", s.Protect(inkform.PermFormsRead, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				p := inkform.PrincipalFromContext(r.Context())
				_, _ = w.Write([]byte(string(p.Role)))
			})))
		}
	})
	tests := []struct {
		role   inkform.Role
		status int
	}{{"", 401}, {inkform.RoleGateway, 403}, {inkform.RoleDesigner, 200}}
	for _, tt := range tests {
		w := e.do(t, tt.role, "GET", "/ui/forms", "", "")
		if w.Code != tt.status || (tt.status == 200 && w.Body.String() != string(tt.role)) {
			t.Errorf("%q: %d %s", tt.role, w.Code, w.Body)
		}
	}
}

// TestAuthCacheExpiry: a token that expires while cached is refused at
// its expiry, not when the cache entry ends.
func TestAuthCacheExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.TokenCacheTTL = time.Hour })
	until := time.Now().Add(time.Second)
	_, secret, err := e.tokens.CreateTokenUntil(context.Background(), e.orgID, inkform.RoleDesigner, "short", until)
	if err != nil {
		t.Fatal(err)
	}
	get := func() int {
		r := httptest.NewRequest("GET", "/api/v1/forms", nil)
		r.Header.Set("Authorization", "Bearer "+secret)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		return w.Code
	}
	if c := get(); c != 200 {
		t.Fatalf("before its expiry: status %d", c)
	}
	time.Sleep(time.Until(until) + 20*time.Millisecond)
	if c := get(); c != 401 {
		t.Errorf("after its expiry, while cached: status %d, want 401", c)
	}
}

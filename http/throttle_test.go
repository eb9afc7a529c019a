package http

import (
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/inkform/inkform"
)

// TestBadTokensThrottled checks that bad tokens from one client address
// are answered 429 with Retry-After once its budget is spent, while a
// valid token, another address, and other clients behind a trusted proxy
// still get through.
func TestBadTokensThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) {
		s.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	good := e.secrets[inkform.RoleAdmin]
	call := func(remote, xff, secret string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/forms", nil)
		r.RemoteAddr = remote
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		r.Header.Set("Authorization", "Bearer "+secret)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		return w
	}
	// A valid token used once is cached: it passes the limiter later.
	if w := call("198.51.100.7:4000", "", good); w.Code != 200 {
		t.Fatalf("good token: %d %s", w.Code, w.Body)
	}
	bad := []string{inkform.TokenPrefix + "guess", "not-a-token"}
	for i := range authFailureBurst {
		if w := call("198.51.100.7:4000", "", bad[i%2]); w.Code != 401 {
			t.Fatalf("bad token %d: %d, want 401", i+1, w.Code)
		}
	}
	w := call("198.51.100.7:4001", "", bad[0])
	if w.Code != 429 || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("over the budget: %d Retry-After %q, want 429 and 1", w.Code, w.Header().Get("Retry-After"))
	}
	if p := decodeProblem(t, w); p.Type != ProblemTypeBase+inkform.ETOOMANY {
		t.Errorf("problem type %q", p.Type)
	}
	// Spoofing X-Forwarded-For from an untrusted address changes nothing.
	if w := call("198.51.100.7:4002", "203.0.113.9", bad[0]); w.Code != 429 {
		t.Errorf("spoofed X-Forwarded-For: %d, want 429", w.Code)
	}
	if w := call("198.51.100.7:4003", "", good); w.Code != 200 {
		t.Errorf("cached good token from the throttled address: %d", w.Code)
	}
	if w := call("198.51.100.8:4000", "", bad[0]); w.Code != 401 {
		t.Errorf("another address: %d, want 401", w.Code)
	}
	// Behind the trusted proxy, each forwarded client has its own budget.
	for i := range authFailureBurst {
		if w := call("10.1.1.1:5000", "192.0.2.1, 198.51.100.50", bad[0]); w.Code != 401 {
			t.Fatalf("forwarded bad token %d: %d, want 401", i+1, w.Code)
		}
	}
	if w := call("10.1.1.1:5000", "198.51.100.50", bad[0]); w.Code != 429 {
		t.Errorf("forwarded client over the budget: %d, want 429", w.Code)
	}
	if w := call("10.1.1.1:5000", "198.51.100.51", bad[0]); w.Code != 401 {
		t.Errorf("another forwarded client: %d, want 401", w.Code)
	}
}

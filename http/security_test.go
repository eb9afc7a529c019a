package http

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, hsts := range []bool{false, true} {
		w := httptest.NewRecorder()
		SecurityHeaders(ok, hsts).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		h := w.Header()
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("hsts=%v: headers %v", hsts, h)
		}
		if got := h.Get("Strict-Transport-Security") != ""; got != hsts {
			t.Errorf("hsts=%v: Strict-Transport-Security %q", hsts, h.Get("Strict-Transport-Security"))
		}
	}
}

func TestRedirectHTTPS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr, method, host, target string
		status                     int
		location                   string
	}{
		{":443", "GET", "forms.example.org", "/api/v1/forms?limit=5", 308, "https://forms.example.org/api/v1/forms?limit=5"},
		{":443", "POST", "forms.example.org:80", "/api/v1/ink", 308, "https://forms.example.org/api/v1/ink"},
		{"0.0.0.0:8443", "GET", "forms.example.org:8080", "/healthz", 308, "https://forms.example.org:8443/healthz"},
		{":8443", "GET", "[::1]:8080", "/", 308, "https://[::1]:8443/"},
		{":443", "GET", "[::1]", "/", 308, "https://[::1]/"},
		{":443", "GET", "evil.example/@x", "/", 400, ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, nil)
		r.Host = tt.host
		w := httptest.NewRecorder()
		RedirectHTTPS(tt.addr).ServeHTTP(w, r)
		if w.Code != tt.status || w.Header().Get("Location") != tt.location {
			t.Errorf("%s %s%s via %s: %d %q, want %d %q", tt.method, tt.host, tt.target, tt.addr,
				w.Code, w.Header().Get("Location"), tt.status, tt.location)
		}
	}
}

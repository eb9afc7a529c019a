package http

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
)

// TestOverTheWire runs the subscription behind a real listener, where bodies
// arrive with a Content-Length or chunked, and HEAD is answered without
// a body.
func TestOverTheWire(t *testing.T) {
	t.Parallel()
	lim := inkml.DefaultLimits()
	lim.MaxBytes = 1000
	e := newEnv(t, func(s *Server) { s.Limits = lim })
	ts := httptest.NewServer(SecurityHeaders(e.h, false))
	t.Cleanup(ts.Close)

	big := testInkML + strings.Repeat(" ", 2000)
	tests := []struct {
		name   string
		body   io.Reader
		status int
	}{
		{"fits", strings.NewReader(testInkML), 202},
		{"Content-Length over the limit", strings.NewReader(big), 413},
		// Wrapping hides the length, so the client sends it chunked and
		// only the reader's limit can stop it.
		{"chunked over the limit", io.MultiReader(strings.NewReader(big)), 413},
	}
	for _, tt := range tests {
		req, err := http.NewRequest("POST", ts.URL+"/api/v1/ink", tt.body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/inkml+xml")
		req.Header.Set("Authorization", "Bearer "+e.secrets[inkform.RoleGateway])
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d: %s", tt.name, res.StatusCode, tt.status, body)
		}
		if tt.status == 413 && !strings.Contains(string(body), "1000 bytes") {
			t.Errorf("%s: detail does not name the limit: %s", tt.name, body)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s: headers %v", tt.name, res.Header)
		}
	}

	res, err := ts.Client().Head(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || len(body) != 0 {
		t.Errorf("HEAD /healthz: %d with %d bytes", res.StatusCode, len(body))
	}
}

package http

import (
	"testing"

	"github.com/inkform/inkform"
)

// TestRenderRoutesAccess checks the new routes' permissions and that a
// server without object storage answers 503 rather than failing inside.
func TestRenderRoutesAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := inkform.NewID()
	tests := []struct {
		role         inkform.Role
		method, path string
		contentType  string
		status       int
	}{
		{inkform.RoleGateway, "GET", "/api/v1/documents/" + id + "/pdf", "", 403},
		{inkform.RoleGateway, "GET", "/api/v1/documents/" + id + "/fields/a/cutout.png", "", 403},
		{inkform.RoleVerifier, "PUT", "/api/v1/forms/" + id + "/background", "application/pdf", 403},
		{inkform.RoleGateway, "GET", "/api/v1/forms/" + id + "/print.pdf", "", 403},
		{"", "GET", "/api/v1/documents/" + id + "/pdf", "", 401},
		{inkform.RoleVerifier, "GET", "/api/v1/documents/" + id + "/pdf", "", 503},
		{inkform.RoleVerifier, "GET", "/api/v1/documents/" + id + "/fields/a/cutout.svg", "", 503},
		{inkform.RoleDesigner, "PUT", "/api/v1/forms/" + id + "/background", "application/pdf", 503},
		{inkform.RoleDesigner, "GET", "/api/v1/forms/" + id + "/print.pdf", "", 503},
	}
	for _, tt := range tests {
		w := e.do(t, tt.role, tt.method, tt.path, tt.contentType, "%PDF-1.4")
		if w.Code != tt.status {
			t.Errorf("%s %s %s: %d, want %d: %s", tt.role, tt.method, tt.path, w.Code, tt.status, w.Body)
		}
	}
}

package http

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.Ready = func(context.Context) error { return errors.New("db down") } })
	var res healthResponse
	w := e.do(t, "", "GET", "/healthz", "", "")
	decodeJSONBody(t, w, &res)
	if w.Code != 200 || res.Status != "ok" || res.Version != "test" {
		t.Errorf("%d %+v", w.Code, res)
	}
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		ready  func(context.Context) error
		drain  bool
		status int
		detail string
	}{
		{"no check", nil, false, 200, ""},
		{"check passes", func(context.Context) error { return nil }, false, 200, ""},
		{"check fails", func(context.Context) error { return errors.New("dial tcp 10.0.0.5:5432: refused") }, false, 503, "not ready"},
		{"draining", func(context.Context) error { return nil }, true, 503, "draining"},
		{"settings differ", func(context.Context) error {
			return fmt.Errorf("cluster check: %w", &inkform.ClusterMismatchError{Mismatches: []inkform.ClusterMismatch{
				{Name: inkform.SettingSecretKey, Message: "this node has 10.0.0.5"}}})
		}, false, 503, "the server is not ready: this node's settings differ from the cluster's: secret_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, func(s *Server) { s.Ready = tt.ready })
			if w := e.do(t, "", "GET", "/readyz", "", ""); tt.drain && w.Code != 200 {
				t.Fatalf("before Drain: %d", w.Code)
			}
			if tt.drain {
				e.srv.Drain()
			}
			w := e.do(t, "", "GET", "/readyz", "", "")
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			// A worker node's admin port answers with the same code.
			alone := httptest.NewRecorder()
			e.srv.ReadinessHandler().ServeHTTP(alone, httptest.NewRequest("GET", "/readyz", nil))
			if alone.Code != w.Code || alone.Body.String() != w.Body.String() {
				t.Errorf("ReadinessHandler: %d %s; the API: %d %s", alone.Code, alone.Body, w.Code, w.Body)
			}
			if tt.status == 200 {
				return
			}
			p := decodeProblem(t, w)
			if !strings.Contains(p.Detail, tt.detail) || strings.Contains(p.Detail, "10.0.0.5") || w.Header().Get("Retry-After") == "" {
				t.Errorf("problem %+v, Retry-After %q", p, w.Header().Get("Retry-After"))
			}
		})
	}
}

// TestDrainKeepsServing checks that draining only changes readiness:
// requests that still arrive are served.
func TestDrainKeepsServing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.Drain()
	if w := e.do(t, inkform.RoleGateway, "POST", "/api/v1/ink", "application/inkml+xml", testInkML); w.Code != 202 {
		t.Errorf("ink while draining: %d", w.Code)
	}
}

// TestLimitsDefaults checks that unset limits take the defaults instead of
// inkml's "zero allows nothing".
func TestLimitsDefaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) { s.Limits.MaxPoints = 3 })
	def := inkml.DefaultLimits()
	if got := e.srv.Limits; got.MaxPoints != 3 || got.MaxBytes != def.MaxBytes || got.MaxTraces != def.MaxTraces || got.MaxPages != def.MaxPages {
		t.Errorf("limits %+v", got)
	}
	// testInkML has 5 points.
	if w := e.do(t, inkform.RoleGateway, "POST", "/api/v1/ink", "application/inkml+xml", testInkML); w.Code != 413 {
		t.Errorf("5 points with MaxPoints 3: %d", w.Code)
	}
}

package http

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

func TestStatusCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want int
	}{
		{inkform.EINVALID, 400},
		{inkform.EUNAUTHORIZED, 401},
		{inkform.EFORBIDDEN, 403},
		{inkform.ENOTFOUND, 404},
		{codeMethodNotAllowed, 405},
		{inkform.ECONFLICT, 409},
		{inkform.ETOOLARGE, 413},
		{inkform.EUNSUPPORTED, 415},
		{inkform.EUNPROCESSABLE, 422},
		{inkform.EUNAVAILABLE, 503},
		{inkform.EINTERNAL, 500},
		{"no_such_code", 500},
	}
	for _, tt := range tests {
		if got := StatusCode(tt.code); got != tt.want {
			t.Errorf("StatusCode(%q) = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestErrorProblemShape(t *testing.T) {
	t.Parallel()
	withProblems := inkform.Errorf(inkform.EUNPROCESSABLE, "bad template")
	withProblems.Problems = []inkform.Problem{{Path: "fields[0].box", Message: "is outside the page"}}
	tests := []struct {
		name       string
		err        error
		status     int
		code       string
		detail     string
		problems   int
		wantHeader [2]string
	}{
		{"invalid", inkform.Errorf(inkform.EINVALID, "bad limit"), 400, "invalid", "bad limit", 0, [2]string{}},
		{"unauthorized", inkform.Errorf(inkform.EUNAUTHORIZED, "no token"), 401, "unauthorized", "no token", 0, [2]string{"WWW-Authenticate", `Bearer realm="inkform"`}},
		{"forbidden", inkform.Errorf(inkform.EFORBIDDEN, "nope"), 403, "forbidden", "nope", 0, [2]string{}},
		{"not found", inkform.Errorf(inkform.ENOTFOUND, "gone"), 404, "not_found", "gone", 0, [2]string{}},
		{"conflict", inkform.Errorf(inkform.ECONFLICT, "taken"), 409, "conflict", "taken", 0, [2]string{}},
		{"too large", inkform.Errorf(inkform.ETOOLARGE, "big"), 413, "too_large", "big", 0, [2]string{}},
		{"unsupported", inkform.Errorf(inkform.EUNSUPPORTED, "text/plain"), 415, "unsupported", "text/plain", 0, [2]string{}},
		{"unprocessable with problems", withProblems, 422, "unprocessable", "bad template", 1, [2]string{}},
		{"wrapped", fmt.Errorf("create form: %w", withProblems), 422, "unprocessable", "bad template", 1, [2]string{}},
		{"unavailable", inkform.Errorf(inkform.EUNAVAILABLE, "draining"), 503, "unavailable", "draining", 0, [2]string{"Retry-After", retryAfterSeconds}},
		{"outage", inkform.Unavailable(errors.New("dial tcp 10.0.0.5:5432: connect: connection refused"), "the database is unavailable", 7*time.Second), 503, "unavailable", "the database is unavailable", 0, [2]string{"Retry-After", "7"}},
		{"too many", &inkform.Error{Code: inkform.ETOOMANY, Message: "slow down", RetryAfter: 1500 * time.Millisecond}, 429, "too_many", "slow down", 0, [2]string{"Retry-After", "2"}},
		{"plain error is internal", errors.New("pq: password=hunter2 host=db"), 500, "internal", "Internal error.", 0, [2]string{}},
		{"unknown code is internal", inkform.Errorf("weird", "secret detail"), 500, "internal", "Internal error.", 0, [2]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/api/v1/some/path", nil)
			e.srv.Error(w, r, tt.err)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			p := decodeProblem(t, w)
			if p.Type != ProblemTypeBase+tt.code || p.Title != http.StatusText(tt.status) ||
				p.Detail != tt.detail || p.Instance != "/api/v1/some/path" || len(p.Problems) != tt.problems {
				t.Errorf("problem %+v", p)
			}
			if h := tt.wantHeader; h[0] != "" && w.Header().Get(h[0]) != h[1] {
				t.Errorf("%s = %q, want %q", h[0], w.Header().Get(h[0]), h[1])
			}
			if tt.status == 500 {
				if strings.Contains(w.Body.String(), "hunter2") || strings.Contains(w.Body.String(), "secret detail") {
					t.Errorf("internal error leaked: %s", w.Body)
				}
				if !strings.Contains(e.logs.String(), "internal error") {
					t.Errorf("internal error not logged: %s", e.logs)
				}
			}
		})
	}
}

func TestInternalErrorLoggedWithRequestID(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.capture.Hook = fake.FailOn("CaptureInk", errors.New("disk on fire"))
	r := httptest.NewRequest("POST", "/api/v1/ink", strings.NewReader(testInkML))
	r.Header.Set("Content-Type", "application/inkml+xml")
	r.Header.Set("Authorization", "Bearer "+e.secrets[inkform.RoleGateway])
	r.Header.Set("X-Request-Id", "req-42")
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	p := decodeProblem(t, w)
	if w.Code != 500 || p.Detail != "Internal error." || strings.Contains(w.Body.String(), "disk on fire") {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `"error":"disk on fire"`) || !strings.Contains(logs, `"request_id":"req-42"`) {
		t.Errorf("log lacks error or request id: %s", logs)
	}
}

// TestClientGoneIsNotAnError checks that a request the client abandoned is
// logged quietly: it is not an outage.
func TestClientGoneIsNotAnError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/api/v1/forms", nil).WithContext(ctx)
	e.srv.Error(httptest.NewRecorder(), r, fmt.Errorf("list forms: %w", context.Canceled))
	if logs := e.logs.String(); !strings.Contains(logs, `"level":"INFO"`) || strings.Contains(logs, `"level":"ERROR"`) {
		t.Errorf("logged as %s", logs)
	}
}

func TestUnknownRouteAndWrongMethod(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		method, target string
		status         int
		allow          string
	}{
		{"GET", "/nope", 404, ""},
		{"GET", "/api/v1/forms/x/y/z", 404, ""},
		{"DELETE", "/api/v1/forms", 405, "GET, HEAD, POST"},
		{"POST", "/healthz", 405, "GET, HEAD"},
		{"PATCH", "/api/v1/tokens/" + inkform.NewID(), 405, "DELETE"},
	}
	for _, tt := range tests {
		w := e.do(t, inkform.RoleAdmin, tt.method, tt.target, "", "")
		if w.Code != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.target, w.Code, tt.status)
			continue
		}
		p := decodeProblem(t, w)
		if !strings.Contains(p.Detail, tt.target) {
			t.Errorf("%s %s: detail %q does not name the path", tt.method, tt.target, p.Detail)
		}
		if tt.status == 405 && !strings.Contains(p.Detail, "use "+orList(tt.allow)) {
			t.Errorf("%s %s: detail %q does not list the allowed methods", tt.method, tt.target, p.Detail)
		}
		if got := w.Header().Get("Allow"); got != tt.allow {
			t.Errorf("%s %s: Allow %q, want %q", tt.method, tt.target, got, tt.allow)
		}
	}
}

func TestOrList(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "DELETE": "DELETE", "GET, HEAD": "GET or HEAD", "GET, HEAD, POST": "GET, HEAD or POST"} {
		if got := orList(in); got != want {
			t.Errorf("orList(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPanicBecomesProblem(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *Server) {
		s.ExtraRoutes = func(mux *http.ServeMux) {
			mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("kaboom") })
		}
	})
	w := e.do(t, "", "GET", "/boom", "", "")
	p := decodeProblem(t, w)
	if w.Code != 500 || strings.Contains(w.Body.String(), "kaboom") {
		t.Fatalf("got %d %+v", w.Code, p)
	}
	if !strings.Contains(e.logs.String(), "kaboom") {
		t.Errorf("panic not logged")
	}
}

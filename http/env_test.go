package http

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// testEnv is a Server over fakes, with one token per role of one org and
// the log output captured. calls records every call that reaches the
// fakes.
type testEnv struct {
	srv        *Server
	h          http.Handler
	tokens     *fake.Tokens
	forms      *fake.Forms
	capture    *fake.Capture
	docs       *fake.Documents
	quarantine *fake.Quarantine
	jobs       *fake.JobQueue
	calls      *fake.Recorder
	secrets    map[inkform.Role]string
	orgID      string
	logs       *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newEnv builds a testEnv; configure may adjust the Server before Handler.
func newEnv(t testing.TB, configure ...func(*Server)) *testEnv {
	t.Helper()
	calls := &fake.Recorder{}
	orgs := &fake.Orgs{}
	org, err := orgs.CreateOrg(context.Background(), "test org")
	if err != nil {
		t.Fatal(err)
	}
	capture := &fake.Capture{Hook: calls.Hook}
	e := &testEnv{
		tokens:     &fake.Tokens{},
		forms:      &fake.Forms{Hook: calls.Hook, Orgs: orgs},
		capture:    capture,
		docs:       &fake.Documents{Hook: calls.Hook},
		quarantine: &fake.Quarantine{Hook: calls.Hook, Capture: capture},
		jobs:       &fake.JobQueue{Hook: calls.Hook},
		calls:      calls,
		secrets:    map[inkform.Role]string{},
		orgID:      org.ID,
		logs:       &syncBuffer{},
	}
	for _, role := range inkform.Roles() {
		_, secret, _ := e.tokens.CreateToken(context.Background(), e.orgID, role, string(role))
		e.secrets[role] = secret
	}
	e.tokens.Hook = calls.Hook // from here on: the setup's calls are not the test's
	e.srv = &Server{
		Tokens: e.tokens, Forms: e.forms, Capture: e.capture, Documents: e.docs,
		Quarantine: e.quarantine, Jobs: e.jobs,
		Logger:  slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Version: "test",
	}
	for _, c := range configure {
		c(e.srv)
	}
	e.h = e.srv.Handler()
	return e
}

// lastArg returns argument i of the latest call of method that reached the
// env's fakes, or nil.
func (e *testEnv) lastArg(method string, i int) any {
	args := e.calls.Last(method)
	if i >= len(args) {
		return nil
	}
	return args[i]
}

// storeCalls counts the calls that reached the env's fakes other than the
// token lookups every request makes.
func (e *testEnv) storeCalls() int {
	return len(e.calls.Calls("")) - len(e.calls.Calls("Authenticate"))
}

// lastInk returns the latest ink submission captured, or nil.
func (e *testEnv) lastInk() *inkform.InkSubmission {
	inks := e.capture.Inks()
	if len(inks) == 0 {
		return nil
	}
	return inks[len(inks)-1]
}

// do sends a request as role ("" for none) and returns the recorded answer.
func (e *testEnv) do(t testing.TB, role inkform.Role, method, target, contentType, body string) *httptest.ResponseRecorder {
	t.Helper()
	return e.doWith(t, role, method, target, body, map[string]string{"Content-Type": contentType})
}

// doWith is do with any request headers; empty values are not sent.
func (e *testEnv) doWith(t testing.TB, role inkform.Role, method, target, body string, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	for k, v := range headers {
		if v != "" {
			r.Header.Set(k, v)
		}
	}
	if role != "" {
		r.Header.Set("Authorization", "Bearer "+e.secrets[role])
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

// decodeProblem parses a problem response, failing the test when the
// response is not one.
func decodeProblem(t testing.TB, w *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, w.Body)
	}
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, w.Body)
	}
	if p.Status != w.Code {
		t.Errorf("problem status %d, response status %d", p.Status, w.Code)
	}
	return p
}

// decodeJSONBody parses a JSON response into v.
func decodeJSONBody(t testing.TB, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json; body %s", ct, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("response body: %v: %s", err, w.Body)
	}
}

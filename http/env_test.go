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
)

// testEnv is a Server over fakes, with one token per role of one org and
// the log output captured.
type testEnv struct {
	srv        *Server
	h          http.Handler
	tokens     *fakeTokens
	forms      *fakeForms
	capture    *fakeCapture
	docs       *fakeDocuments
	quarantine *fakeQuarantine
	jobs       *fakeJobs
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
	e := &testEnv{
		tokens:     &fakeTokens{bySecret: map[string]*inkform.Token{}},
		forms:      &fakeForms{},
		capture:    &fakeCapture{},
		docs:       &fakeDocuments{},
		quarantine: &fakeQuarantine{entries: map[string]*inkform.QuarantinedSubmission{}, bodies: map[string][]byte{}},
		jobs:       &fakeJobs{},
		secrets:    map[inkform.Role]string{},
		orgID:      inkform.NewID(),
		logs:       &syncBuffer{},
	}
	for _, role := range inkform.Roles() {
		_, secret, _ := e.tokens.CreateToken(context.Background(), e.orgID, role, string(role))
		e.secrets[role] = secret
	}
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

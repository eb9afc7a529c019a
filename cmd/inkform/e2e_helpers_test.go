package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// cli runs one inkform command line in-process.
func cli(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// mustCLI runs a command line that must succeed and returns its stdout.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := cli(t, args...)
	if code != 0 {
		t.Fatalf("inkform %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is an inkform serve process running in-process for a test.
type server struct {
	url  string
	args []string // storage flags, for CLI commands against the same store
}

// startServer runs `inkform serve` on a free port with a fresh data
// directory (or the storage flags given) and stops it when the test ends.
func startServer(t *testing.T, storage ...string) *server {
	t.Helper()
	return startServerArgs(t, storage, nil)
}

// startServerArgs is startServer with more flags for serve alone (not for
// the CLI commands that share its storage).
func startServerArgs(t *testing.T, storage, extra []string) *server {
	t.Helper()
	if len(storage) == 0 {
		storage = []string{"--data", t.TempDir()}
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	args := append([]string{"serve", "--addr", addr, "--log-level", "warn", "--poll-interval", "50ms", "--shutdown-timeout", "5s"}, storage...)
	args = append(args, extra...)
	go func() { done <- run(ctx, args, strings.NewReader(""), io.Discard, &syncWriter{w: &stderr}) }()
	s := &server{url: "http://" + addr, args: storage}
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d", code)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop within 15 s")
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			t.Fatalf("serve exited %d at start: %s", code, stderr.String())
		default:
		}
		if resp, err := http.Get(s.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("serve did not become ready: %s", stderr.String())
	return nil
}

// org creates an org and returns a token of each role asked for.
func (s *server) org(t *testing.T, name string, roles ...string) map[string]string {
	t.Helper()
	mustCLI(t, append([]string{"org", "create", name}, s.args...)...)
	tokens := map[string]string{}
	for _, role := range roles {
		tokens[role] = strings.TrimSpace(mustCLI(t, append([]string{"token", "create", "--org", name, "--role", role}, s.args...)...))
	}
	return tokens
}

// response is an API answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("answer %d is not JSON: %v\n%s", r.status, err, r.body)
	}
}

// call sends one API request.
func (s *server) call(t *testing.T, method, path, token, contentType string, body []byte) response {
	t.Helper()
	return s.callWithHeader(t, method, path, token, contentType, body, "", "")
}

// want fails unless the answer has the status.
func want(t *testing.T, r response, status int, what string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, r.status, status, r.body)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// syncWriter makes a buffer safe for a server goroutine and the test.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// String returns what was written so far; the writer wrapped must be a
// fmt.Stringer, such as a strings.Builder.
func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.(fmt.Stringer).String()
}

// callWithHeader is call with one more request header (none when key is "").
func (s *server) callWithHeader(t *testing.T, method, path, token, contentType string, body []byte, key, value string) response {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if key != "" {
		req.Header.Set(key, value)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

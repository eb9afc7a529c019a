package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestKeyedRetries answers every key's first attempt with 503: each
// submission is retried with its own key and written once to -accepted.
func TestKeyedRetries(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		mu.Lock()
		seen[key]++
		n := seen[key]
		mu.Unlock()
		if key == "" || n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, `{"documents":[{"id":"doc-%s"}]}`, key)
	}))
	defer srv.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "ink.xml")
	os.WriteFile(file, []byte("<ink/>"), 0o644)
	accepted := filepath.Join(dir, "accepted")
	var out bytes.Buffer
	c := config{url: srv.URL, token: "tok", file: file, contentType: "application/inkml+xml", concurrency: 4,
		duration: 10 * time.Second, n: 20, keys: "k", retries: 3, accepted: accepted}
	if err := run(c, &out); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(accepted)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 20 {
		t.Fatalf("%d accepted lines, want 20: %q", len(lines), data)
	}
	for _, l := range lines {
		key, doc, _ := strings.Cut(l, " ")
		if doc != "doc-"+key || seen[key] != 2 {
			t.Errorf("line %q: server saw the key %d times, want 2", l, seen[key])
		}
	}
	if !strings.Contains(out.String(), "submissions accepted: 20  given up: 0  attempts retried: 20") {
		t.Errorf("report %q", out.String())
	}
}

// TestReceiver posts deliveries to the webhook receiver and reads its file.
func TestReceiver(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	out := filepath.Join(t.TempDir(), "deliveries")
	go func() { _ = receiveWebhooks(addr, out) }()
	send := func(id, body string) int {
		for range 50 {
			req, _ := http.NewRequest("POST", "http://"+addr+"/hook", strings.NewReader(body))
			if id != "" {
				req.Header.Set("webhook-id", id)
			}
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
				return res.StatusCode
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatal("the receiver does not listen")
		return 0
	}
	msg := `{"type":"document.validated","data":{"id":"d1"}}`
	for _, tt := range []struct {
		id, body string
		want     int
	}{{"m1", msg, 200}, {"m1", msg, 200}, {"", msg, 400}, {"m2", "not json", 400}} {
		if got := send(tt.id, tt.body); got != tt.want {
			t.Errorf("delivery %q %q: %d, want %d", tt.id, tt.body, got, tt.want)
		}
	}
	data, _ := os.ReadFile(out)
	if string(data) != "m1 d1 document.validated\nm1 d1 document.validated\n" {
		t.Errorf("receiver wrote %q", data)
	}
}

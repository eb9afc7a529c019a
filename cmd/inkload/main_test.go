package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunMeasures(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Content-Type") != "application/inkml+xml" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		hits.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "ink.xml")
	os.WriteFile(file, []byte("<ink/>"), 0o644)
	for _, rate := range []float64{0, 200} {
		var out bytes.Buffer
		c := config{url: srv.URL, token: "tok", file: file, contentType: "application/inkml+xml",
			rate: rate, concurrency: 4, duration: 300 * time.Millisecond, warmup: 50 * time.Millisecond, n: 1 << 30}
		if err := run(c, &out); err != nil {
			t.Fatalf("rate %v: %v", rate, err)
		}
		if !strings.Contains(out.String(), "succeeded:") || !strings.Contains(out.String(), "202:") {
			t.Errorf("rate %v: report %q", rate, out.String())
		}
	}
	if hits.Load() < 20 {
		t.Errorf("server saw %d requests", hits.Load())
	}
}

func TestRunRefusesRemote(t *testing.T) {
	t.Parallel()
	err := run(config{url: "http://192.0.2.1/api/v1/ink", file: "x"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("run = %v; want a loopback refusal", err)
	}
}

package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestWorkerNode runs `inkform worker` and checks its admin port and its
// clean exit on shutdown.
func TestWorkerNode(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	admin := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"worker", "--data", data, "--admin-addr", admin, "--log-level", "warn"}, strings.NewReader(""), io.Discard, io.Discard)
	}()
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + admin + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if code, _ := get("/readyz"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("worker never became ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Readiness is the API's: the same answer, with the version.
	if code, body := get("/readyz"); code != 200 || !strings.Contains(body, `"status":"ready"`) || !strings.Contains(body, `"version":`) {
		t.Errorf("/readyz: %d %s", code, body)
	}
	if code, body := get("/healthz"); code != 200 || !strings.Contains(body, `"worker"`) {
		t.Errorf("/healthz: %d %s", code, body)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, "inkform_job_attempts_total") && !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics: %d %.300s", code, body)
	}
	if code, _ := get("/api/v1/forms"); code != 404 {
		t.Errorf("the worker's admin port serves the API: %d", code)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("worker exited %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("worker did not stop")
	}
}

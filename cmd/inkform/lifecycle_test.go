package main

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// TestFailedListenStopsWorkers starts `serve` and `worker` on an address
// that is taken. The command must fail, and the workers it started must be
// stopped before it returns: a worker left running would poll the closed
// database for ever (and log every failed claim).
func TestFailedListenStopsWorkers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, addrFlag string }{
		{"serve", "--addr"},
		{"worker", "--admin-addr"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			taken, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer taken.Close()
			var stderr strings.Builder
			log := &syncWriter{w: &stderr}
			code := run(context.Background(), []string{tt.name, "--data", t.TempDir(), tt.addrFlag, taken.Addr().String(),
				"--log-level", "info", "--poll-interval", "10ms", "--shutdown-timeout", "5s"},
				strings.NewReader(""), &strings.Builder{}, log)
			at := log.String()
			if code == 0 || !strings.Contains(at, "listen") {
				t.Fatalf("exit %d on a taken address: %s", code, at)
			}
			started, stopped := strings.Index(at, "queue started"), strings.Index(at, "queue stopped")
			if started < 0 || stopped < started {
				t.Errorf("the workers were not stopped before %s returned:\n%s", tt.name, at)
			}
			// Twenty poll intervals: a worker still running would
			// have tried to claim jobs on the closed database.
			time.Sleep(200 * time.Millisecond)
			if later := strings.TrimPrefix(log.String(), at); later != "" {
				t.Errorf("%s logged after it returned:\n%.600s", tt.name, later)
			}
		})
	}
}

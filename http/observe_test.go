package http

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// logLines parses the JSON log output into one map per line.
func logLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestRequestLogLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.doWith(t, inkform.RoleGateway, "POST", "/api/v1/ink", testInkML,
		map[string]string{"Content-Type": "application/inkml+xml", "X-Request-Id": "gw-abc-1"})
	if w.Header().Get("X-Request-Id") != "gw-abc-1" {
		t.Errorf("X-Request-Id not echoed: %q", w.Header().Get("X-Request-Id"))
	}
	lines := logLines(t, e.logs.String())
	if len(lines) != 1 {
		t.Fatalf("%d log lines", len(lines))
	}
	l := lines[0]
	want := map[string]any{"msg": "request", "method": "POST", "route": "POST /api/v1/ink", "status": float64(202),
		"bytes": float64(w.Body.Len()), "org": e.orgID, "request_id": "gw-abc-1"}
	for k, v := range want {
		if l[k] != v {
			t.Errorf("log %s = %v, want %v", k, l[k], v)
		}
	}
	if _, ok := l["duration"]; !ok {
		t.Errorf("no duration in %v", l)
	}
}

func TestRequestIDGenerated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, in := range []string{"", "has space", strings.Repeat("x", maxRequestIDLength+1), "new\nline"} {
		w := e.doWith(t, "", "GET", "/healthz", "", map[string]string{"X-Request-Id": in})
		got := w.Header().Get("X-Request-Id")
		if got == "" || got == in || len(got) > maxRequestIDLength {
			t.Errorf("incoming %q gave %q", in, got)
		}
	}
	unmatched := logLines(t, e.logs.String())
	if unmatched[0]["route"] != "GET /healthz" {
		t.Errorf("route %v", unmatched[0]["route"])
	}
	e.do(t, "", "GET", "/nowhere", "", "")
	lines := logLines(t, e.logs.String())
	if last := lines[len(lines)-1]; last["route"] != unmatchedRoute || last["status"] != float64(404) {
		t.Errorf("unmatched request logged as %v", last)
	}
}

// TestNoTokenInLogs sends good, bad, forbidden and failing requests and
// checks that no secret reaches the log, in whole or in part.
func TestNoTokenInLogs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.capture.Hook = fake.FailOn("CaptureInk", inkform.Errorf("bogus", "with details")) // an internal error on the ink route
	bad := inkform.NewTokenSecret()
	e.secrets["bad"] = bad
	for _, role := range []inkform.Role{inkform.RoleAdmin, inkform.RoleGateway, inkform.RoleVerifier, "bad"} {
		e.do(t, role, "GET", "/api/v1/tokens", "", "")
		e.do(t, role, "POST", "/api/v1/ink", "application/inkml+xml", testInkML)
		e.do(t, role, "POST", "/api/v1/tokens", "application/json", `{"role":"gateway","name":"x"}`)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "internal error") || len(logLines(t, logs)) < 12 {
		t.Fatalf("the requests were not logged: %s", logs)
	}
	for role, secret := range e.secrets {
		// The part after the hint is what must stay secret.
		if strings.Contains(logs, secret[len(inkform.TokenHint(secret)):]) {
			t.Errorf("the %s token appears in the log", role)
		}
	}
	if strings.Contains(logs, "ifk_") {
		t.Errorf("something token-like appears in the log: %s", logs)
	}
}

// fakeMetrics records observations as "route status".
type fakeMetrics struct {
	mu    sync.Mutex
	obs   []string
	bytes int64
}

func (m *fakeMetrics) ObserveRequest(route string, status int, d time.Duration, bytes int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.obs = append(m.obs, route+" "+strconv.Itoa(status))
	m.bytes += bytes
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	m := &fakeMetrics{}
	e := newEnv(t, func(s *Server) { s.Metrics = m })
	var total int64
	for _, target := range []string{"/api/v1/forms/" + inkform.NewID(), "/api/v1/forms/abc/def/ghi", "/healthz"} {
		total += int64(e.do(t, inkform.RoleAdmin, "GET", target, "", "").Body.Len())
	}
	want := []string{"GET /api/v1/forms/{id} 404", "unmatched 404", "GET /healthz 200"}
	if fmt.Sprint(m.obs) != fmt.Sprint(want) || m.bytes != total {
		t.Errorf("observed %q and %d bytes, want %q and %d", m.obs, m.bytes, want, total)
	}
}

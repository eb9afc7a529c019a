package http

import (
	"context"
	"fmt"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// heldCapture blocks in CaptureInk until released, so a test can hold a
// submission's memory reservation.
type heldCapture struct {
	inkform.CaptureService
	entered chan struct{}
	release chan struct{}
}

func (c *heldCapture) CaptureInk(ctx context.Context, orgID string, sub *inkform.InkSubmission) (*inkform.CaptureResult, error) {
	c.entered <- struct{}{}
	<-c.release
	return &inkform.CaptureResult{}, nil
}

// TestInkMemoryBudget checks that submissions beyond the ink memory
// budget are refused with 503 and Retry-After while others hold it, and
// accepted again once it is free.
func TestInkMemoryBudget(t *testing.T) {
	t.Parallel()
	held := &heldCapture{entered: make(chan struct{}, 1), release: make(chan struct{})}
	body := testJSONInk + strings.Repeat(" ", 2000)
	// Room for one such body, not two.
	budget := int64(len(body) * inkParseFactor * 3 / 2)
	e := newEnv(t, func(s *Server) { s.Capture = held; s.InkMemory = budget })
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- e.do(t, inkform.RoleGateway, "POST", "/api/v1/ink", "application/json", body) }()
	<-held.entered

	w := e.do(t, inkform.RoleGateway, "POST", "/api/v1/ink", "application/json", body)
	if w.Code != 503 || w.Header().Get("Retry-After") != "1" {
		t.Fatalf("second submission while the first holds the budget: %d Retry-After %q, want 503 and 1: %s",
			w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	close(held.release)
	if w := <-done; w.Code != 202 {
		t.Fatalf("first submission: %d %s", w.Code, w.Body)
	}
	go func() { <-held.entered }()
	if w := e.do(t, inkform.RoleGateway, "POST", "/api/v1/ink", "application/json", body); w.Code != 202 {
		t.Fatalf("after the budget is free: %d %s", w.Code, w.Body)
	}
}

// TestInkParseFactor checks that parsing the largest legal body allocates
// no more than inkParseFactor times its size, which is what the budget
// reserves per request.
func TestInkParseFactor(t *testing.T) {
	// Not parallel: it measures what one parse allocates.
	e := newEnv(t)
	limits := e.srv.Limits
	var b strings.Builder
	b.WriteString(`{"penId":"AJX-AAB-7KH-6P","pages":[{"address":"70.3.12.5","strokes":[`)
	points := 0
	for stroke := 0; b.Len() < int(limits.MaxBytes)-2048 && points < limits.MaxPoints-100 && stroke < limits.MaxTraces-1; stroke++ {
		if stroke > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"points":[`)
		for i := range 100 {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "[%d.5,%d.25]", 100+i, 200+i)
		}
		b.WriteString(`]}`)
		points += 100
	}
	b.WriteString(`]}]}`)
	body := []byte(b.String())
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sub, err := e.srv.parseInk(mediaJSON, body)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("parse %d bytes: %v", len(body), err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d bytes, %d points: %d MB allocated (%.1f× the body)", len(body), points, alloc>>20, float64(alloc)/float64(len(body)))
	if alloc > uint64(len(body))*inkParseFactor {
		t.Errorf("parsing allocated %d bytes, more than %d× the %d-byte body", alloc, inkParseFactor, len(body))
	}
	runtime.KeepAlive(sub)
}

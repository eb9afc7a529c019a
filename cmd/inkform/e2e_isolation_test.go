package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// validSubmission fills every required field of the sample form.
const validSubmission = `{"fields":{"patient_no":"004711","visit_date":"271126","dressing_changed":true,"pain":"some",
	"signature":{"strokes":[{"points":[[5,10],[20,4],[35,15],[50,5],[70,12]]}]}}}`

// TestSlowEndpointIsolation shows that one slow endpoint delays neither
// other endpoints of its org nor other orgs. The slow receiver holds every
// request until the test ends; it is sent more deliveries than the node
// has delivery workers, so without the per-subscription limit they would take
// every worker and the fast receivers would wait for the 10 s webhook
// timeout.
func TestSlowEndpointIsolation(t *testing.T) {
	t.Parallel()
	const slowDocs, fastDocs, workers, perSubscription = 12, 3, 6, 2
	release := make(chan struct{})
	var (
		holding, maxHeld atomic.Int32
		fastMu           sync.Mutex
		fastAt           = map[string][]time.Time{}
	)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := holding.Add(1)
		defer holding.Add(-1)
		for m := maxHeld.Load(); n > m && !maxHeld.CompareAndSwap(m, n); m = maxHeld.Load() {
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fastMu.Lock()
		defer fastMu.Unlock()
		fastAt[r.URL.Path] = append(fastAt[r.URL.Path], time.Now())
	}))
	// Deferred calls run last in, first out: release the slow requests
	// before closing the receivers, and both before the server stops.
	defer fast.Close()
	defer slow.Close()
	defer close(release)

	s := startServerArgs(t, nil, []string{"--webhook-allow-private",
		"--deliver-workers", strconv.Itoa(workers), "--deliver-per-handler", strconv.Itoa(perSubscription)})
	a := s.org(t, "clinic-a", "admin", "integrator")
	b := s.org(t, "clinic-b", "admin", "integrator")
	formA, formB := createSampleForm(t, s, a["admin"]), createSampleForm(t, s, b["admin"])
	hook := func(tok, form, url string) {
		r := s.call(t, "POST", "/api/v1/forms/"+form+"/handlers", tok, "application/json",
			[]byte(`{"type":"webhook","url":"`+url+`","events":["document.received"]}`))
		want(t, r, 201, "create handler")
	}
	hook(a["integrator"], formA, slow.URL+"/slow")
	hook(a["integrator"], formA, fast.URL+"/a")
	hook(b["integrator"], formB, fast.URL+"/b")

	submit := func(tok, form string) {
		r := s.call(t, "POST", "/api/v1/forms/"+form+"/submissions", tok, "application/json", []byte(validSubmission))
		want(t, r, 201, "digital submission")
	}
	for range slowDocs {
		submit(a["integrator"], formA)
	}
	// Let the slow deliveries take what they can before the others come.
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	for range fastDocs {
		submit(b["integrator"], formB)
	}
	deadline := start.Add(5 * time.Second)
	for {
		fastMu.Lock()
		na, nb := len(fastAt["/a"]), len(fastAt["/b"])
		fastMu.Unlock()
		if na == slowDocs && nb == fastDocs {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s the fast receivers had %d/%d (same org) and %d/%d (other org) deliveries, held up by the slow one",
				na, slowDocs, nb, fastDocs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("other org's %d deliveries took %s; slow endpoint held %d at most", fastDocs, time.Since(start).Round(time.Millisecond), maxHeld.Load())
	if m := maxHeld.Load(); m > perSubscription || m == 0 {
		t.Errorf("the slow endpoint held %d requests at once; want 1 to %d", m, perSubscription)
	}
}

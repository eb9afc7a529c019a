package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/inkform/inkform/internal/browsertest"
)

// stationTab is a headless chromium tab for the station's end-to-end
// test; it skips without chromium unless INKFORM_TEST_BROWSER is set, as
// the console's own browser test does.
func stationTab(t *testing.T) context.Context {
	t.Helper()
	return browsertest.Tab(t, 1100, 760)
}

// poll waits up to 20 s for a JavaScript expression to be true; a poll
// that a navigation breaks off is asked again on the new page.
func poll(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		pctx, cancel := context.WithDeadline(ctx, deadline)
		_, err := chromedp.Run(pctx, chromedp.Poll[bool](expr))
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			t.Fatalf("%s: %v (at %s)", what, err, loc)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestStationBrowser is the station on a whole `inkform serve`: pen ink
// is read by the pipeline, the document waits for a person (threshold 1),
// a verifier signs in with chromium, presses Start, corrects the patient
// number the engine misread with the keyboard alone (typing over the
// selected value, Ctrl+Enter) and the subscription's webhook receives
// the validated document with the corrected value.
func TestStationBrowser(t *testing.T) {
	t.Parallel()
	ctx := stationTab(t)
	calls := make(chan []byte, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		calls <- b
	}))
	defer recv.Close()
	s := startServerArgs(t, nil, []string{"--webhook-allow-private"})
	tok := s.org(t, "clinic", "admin", "gateway", "integrator")
	tmpl := strings.Replace(string(readFile(t, "../../examples/wound-check.json")), `"confidenceThreshold": 0.9`, `"confidenceThreshold": 1`, 1)
	r := s.call(t, "POST", "/api/v1/forms", tok["admin"], "application/json", []byte(tmpl))
	want(t, r, 201, "create form")
	var form struct{ ID string }
	r.json(t, &form)
	want(t, s.call(t, "POST", "/api/v1/forms/"+form.ID+"/handlers", tok["integrator"], "application/json",
		[]byte(`{"type":"webhook","url":"`+recv.URL+`/hook","events":["document.validated"]}`)), 201, "create handler")
	r = s.call(t, "POST", "/api/v1/ink", tok["gateway"], inkML, readFile(t, "../../examples/wound-check.inkml"))
	want(t, r, 202, "submit ink")
	var ans captureAnswer
	r.json(t, &ans)
	id := ans.Documents[0].ID
	if doc := waitStatus(t, s, tok["admin"], id); doc["status"] != "needs_verification" {
		t.Fatalf("the document is %v, want needs_verification", doc["status"])
	}
	s.addUser(t, "clinic", "ann@example.org", "verifier", "correct horse battery")

	if err := chromedp.Do(ctx, chromedp.Navigate(s.url+"/login")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx,
		chromedp.SetValue(chromedp.ID("email"), "ann@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(s.url+"/verify")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action="/verify/forms/`+form.ID+`/start"] button`))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "the cursor on the patient number", `location.pathname === "/verify/documents/`+id+`" && document.activeElement && document.activeElement.id === "in-patient_no"`+
		` || (document.querySelector("main") || {}).innerText`)
	// The page's weight as the browser loaded it, nothing cached: the
	// HTML, the static files and every cutout (docs/performance.md).
	poll(t, ctx, "the cutouts loaded", `[...document.images].every(i => i.complete)`)
	weight, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`(() => {
		const nav = performance.getEntriesByType("navigation")[0];
		const w = {html: nav.transferSize, static: 0, images: 0, count: 0, decoded: nav.decodedBodySize};
		for (const e of performance.getEntriesByType("resource")) {
			w[e.name.includes("/static/") ? "static" : "images"] += e.transferSize;
			w.decoded += e.decodedBodySize;
			w.count++;
		}
		w.total = w.html + w.static + w.images;
		return w;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("station page weight: %d bytes transferred (HTML %d, static files %d, cutouts %d; %d files besides the HTML), %d bytes decoded",
		weight["total"], weight["html"], weight["static"], weight["images"], weight["count"], weight["decoded"])
	if weight["total"] > 150<<10 || weight["images"] == 0 {
		t.Errorf("the station page weighs %v; want the cutouts in and under 150 KB", weight)
	}
	read, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.value`))
	if err != nil {
		t.Fatal(err)
	}
	// The test cannot know what the writer meant; it types the number with
	// its last digit changed, as a verifier fixing a misread digit does,
	// and the webhook must carry what was typed.
	fixed := misread(read)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(fixed), chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "the queues after the last document", `location.pathname === "/verify"`)

	select {
	case body := <-calls:
		var msg struct {
			Type string
			Data struct {
				ID     string
				Status string
				Fields map[string]struct {
					Value  any
					Source string
				}
			}
		}
		if err := json.Unmarshal(body, &msg); err != nil {
			t.Fatalf("webhook body %s: %v", body, err)
		}
		f := msg.Data.Fields["patient_no"]
		if msg.Type != "document.validated" || msg.Data.ID != id || f.Value != fixed || f.Source != "verifier" {
			t.Errorf("webhook %s; want document %s validated with patient_no %s by a verifier", body, id, fixed)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no webhook within 20 s of the approval")
	}
}

// misread returns the number with its last digit changed: the correction
// the verifier types.
func misread(read string) string {
	if len(read) != 6 {
		return "004711"
	}
	last := read[5]
	if last == '9' {
		last = '0'
	} else {
		last++
	}
	return read[:5] + string(last)
}

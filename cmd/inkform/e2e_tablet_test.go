package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/inkform/inkform"
)

// TestTabletSignature fills the sample form on a whole `inkform serve`
// in chromium as a tablet: a touch screen of a tablet's size, the
// signature drawn with touch events (which the page sees as Pointer
// Events of type touch). The submission lands on its document's page; the
// pipeline reads the values and the signature from the ink as it reads
// pen ink, and the PDF behind the page's link draws the ink in the
// signature's box.
func TestTabletSignature(t *testing.T) {
	t.Parallel()
	ctx := stationTab(t)
	s := startServer(t)
	tok := s.org(t, "clinic", "admin")
	formID := createSampleForm(t, s, tok["admin"])
	s.addUser(t, "clinic", "tab@example.org", "gateway", "correct horse battery")

	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	run("a tablet's screen", chromedp.EmulateViewport(820, 1180, chromedp.EmulateTouch), chromedp.Navigate(s.url+"/login"))
	if _, err := chromedp.RunResponse(ctx,
		chromedp.SetValue(chromedp.ID("email"), "tab@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(s.url+"/f/"+formID)); err != nil {
		t.Fatal(err)
	}
	if touch, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`navigator.maxTouchPoints > 0`)); !touch {
		t.Fatal("the page does not see a touch screen")
	}
	run("fill in the values",
		chromedp.SendKeys(chromedp.CSS(`input[name="v.patient_no"]`), "004711"),
		chromedp.SetValue(chromedp.CSS(`input[name="v.visit_date"]`), "2026-11-27"),
		chromedp.Click(chromedp.CSS(`input[name="v.dressing_changed"][type=checkbox]`)),
		chromedp.Click(chromedp.CSS(`input[name="v.pain"][value="some"]`)),
		chromedp.ScrollIntoView(chromedp.CSS(`canvas`)))

	// The signature: two strokes across the pad, with touch.
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector("canvas").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	touch := func(kind input.DispatchTouchEventType, p ...[2]float64) {
		t.Helper()
		params := input.DispatchTouchEventParams{Type: kind, TouchPoints: []*input.TouchPoint{}}
		for _, q := range p {
			params.TouchPoints = append(params.TouchPoints, &input.TouchPoint{X: box[0] + q[0]*box[2], Y: box[1] + q[1]*box[3]})
		}
		if _, err := chromedp.Call(ctx, input.DispatchTouchEvent, params); err != nil {
			t.Fatalf("touch %s: %v", kind, err)
		}
	}
	for _, stroke := range [][][2]float64{{{.1, .5}, {.2, .2}, {.3, .8}, {.4, .3}, {.5, .7}}, {{.55, .6}, {.7, .4}, {.9, .5}}} {
		touch(input.DispatchTouchEventTypeTouchStart, stroke[0])
		for _, p := range stroke[1:] {
			touch(input.DispatchTouchEventTypeTouchMove, p)
		}
		touch(input.DispatchTouchEventTypeTouchEnd)
	}
	ink, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".pad-ink").value`))
	if err != nil || !strings.Contains(ink, `"strokes"`) {
		t.Fatalf("the pad holds %q after drawing (%v)", ink, err)
	}

	// Submit is next in the tab order after the pad's Clear button.
	run("tab to submit", chromedp.Focus(chromedp.CSS(`.pad-clear`)), chromedp.KeyEvent("\t"))
	if id, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); id != "go-submit" {
		t.Fatalf("Tab from Clear reached %q, want the Submit button", id)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(" ")); err != nil {
		t.Fatal(err)
	}
	poll(t, ctx, "the document's page", `location.pathname.startsWith("/f/`+formID+`/done/")`)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	docID := strings.SplitN(strings.SplitN(loc, "/done/", 2)[1], "?", 2)[0]

	doc := waitStatus(t, s, tok["admin"], docID)
	fields := doc["fields"].(map[string]any)
	value := func(name string) any { return fields[name].(map[string]any)["value"] }
	if doc["status"] != "validated" || value("patient_no") != "004711" || value("visit_date") != "271126" ||
		value("dressing_changed") != true || value("pain") != "some" || value("signature") != true ||
		fields["signature"].(map[string]any)["source"] != "pen" {
		t.Fatalf("the document: %v %v", doc["status"], fields)
	}
	poll(t, ctx, "the page shows the status", `document.querySelector("main").innerText.includes("validated")`)

	// The PDF through the page's link, with the tablet's session.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".done-links a").href`))
	if err != nil {
		t.Fatal(err)
	}
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{})
	if err != nil {
		t.Fatal(err)
	}
	var data []byte
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", href, nil)
		for _, c := range cookies.Cookies {
			req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 && resp.Header.Get("Content-Type") == "application/pdf" {
			break
		}
		if resp.StatusCode != 202 || time.Now().After(deadline) {
			t.Fatalf("the PDF link answered %d (%s)", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	page := pdfPage1(t, data, 50)
	if n := inkPixels(page, inkform.Box{X: 20, Y: 250, W: 80, H: 20}, [2]float64{0, 0}, 50); n < 40 {
		t.Errorf("%d ink pixels in the signature box of the PDF, want the signature (at least 40)", n)
	}
	if n := inkPixels(page, inkform.Box{X: 110, Y: 100, W: 90, H: 140}, [2]float64{0, 0}, 50); n != 0 {
		t.Errorf("%d ink pixels in an empty part of the page", n)
	}
}

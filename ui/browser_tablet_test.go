package ui

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// tabTo presses Tab until the element with the id has the focus, failing
// after max presses: the control is in the keyboard's reach.
func (tb *tab) tabTo(id string, max int) {
	tb.t.Helper()
	for range max {
		tb.do(chromedp.KeyEvent("\t"))
		if eval[string](tb, `document.activeElement.id`) == id {
			return
		}
	}
	tb.t.Fatalf("%d presses of Tab never reached #%s (the focus is on %q)", max, id, eval[string](tb, `document.activeElement.id || document.activeElement.tagName`))
}

// touchStroke draws one stroke on the signature pad with touch events,
// through the points given as fractions of the pad's width and height.
func (tb *tab) touchStroke(points ...[2]float64) {
	tb.t.Helper()
	box := eval[[]float64](tb, `(() => { const r = document.querySelector("canvas").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	send := func(kind input.DispatchTouchEventType, p ...[2]float64) {
		params := input.DispatchTouchEventParams{Type: kind, TouchPoints: []*input.TouchPoint{}}
		for _, q := range p {
			params.TouchPoints = append(params.TouchPoints, &input.TouchPoint{X: box[0] + q[0]*box[2], Y: box[1] + q[1]*box[3]})
		}
		if _, err := chromedp.Call(tb.ctx, input.DispatchTouchEvent, params); err != nil {
			tb.t.Fatalf("touch %s: %v", kind, err)
		}
	}
	send(input.DispatchTouchEventTypeTouchStart, points[0])
	for _, p := range points[1:] {
		send(input.DispatchTouchEventTypeTouchMove, p)
	}
	send(input.DispatchTouchEventTypeTouchEnd)
}

// TestBrowserTablet fills the two-page visit form in chromium with touch
// emulation and the keyboard: Next with a required field empty shows the
// problem at the field and puts the cursor there; Next, Back and Submit
// are in the tab order; the signature drawn with touch reaches capture in
// millimetres of its box; the pages pass axe and the policy blocks
// nothing.
func TestBrowserTablet(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	c := newTabletClinic(t)
	violations := tb.policyViolations()
	tb.signIn(c.ts.URL, "gateway@example.org")
	tb.do(chromedp.EmulateViewport(1100, 760, chromedp.EmulateTouch), chromedp.Navigate(c.ts.URL+"/f/01form0visit"))
	tb.checkAccessible("the tablet form")
	if w := eval[float64](tb, `document.querySelector("input.comb[type=text]").getBoundingClientRect().width`); w < 100 || w > 400 {
		t.Errorf("the comb of 6 digits is %.0f px wide", w)
	}

	// Next with nothing typed: the problems, the cursor on the first.
	tb.do(chromedp.Focus(chromedp.ID("in-0")))
	tb.tabTo("go-next", 8)
	if status := tb.submit("next, empty", chromedp.KeyEvent(" ")); status != 422 {
		t.Fatalf("Next with required fields empty answered %d", status)
	}
	tb.waitFor("the cursor on the patient number", `document.activeElement.id === "in-0"`)
	if got := eval[string](tb, `document.getElementById("problems-in-0").textContent`); got != "is required" {
		t.Errorf("the patient number's problem: %q", got)
	}
	tb.screenshot("tablet-problem.png")

	tb.do(chromedp.SendKeys(chromedp.ID("in-0"), "004711"), chromedp.SetValue(chromedp.ID("in-1"), "2026-11-27"))
	tb.tabTo("go-next", 8)
	if status := tb.submit("next", chromedp.KeyEvent(" ")); status != 200 || !strings.Contains(tb.text(), "Page 2 of 2") {
		t.Fatalf("Next answered %d: %s", status, tb.text())
	}
	tb.do(chromedp.Click(chromedp.CSS(`input[name="v.pain"][value="some"]`)), chromedp.ScrollIntoView(chromedp.CSS("canvas")))
	tb.touchStroke([2]float64{.1, .5}, [2]float64{.25, .2}, [2]float64{.4, .8}, [2]float64{.6, .3})
	tb.touchStroke([2]float64{.65, .6}, [2]float64{.9, .5})
	if got := eval[string](tb, `document.querySelector(".pad-status").textContent`); got != "Drawn: 2 strokes." {
		t.Errorf("the pad says %q", got)
	}
	tb.checkAccessible("the tablet form's signature page")
	tb.screenshot("tablet.png")

	// Submit, then Back, follow the pad in the tab order.
	tb.do(chromedp.Focus(chromedp.CSS(".pad-clear")))
	tb.tabTo("go-submit", 1)
	tb.tabTo("go-back", 1)
	tb.do(chromedp.Focus(chromedp.ID("go-submit")))
	if status := tb.submit("submit", chromedp.KeyEvent(" ")); status != 200 || !strings.HasPrefix(tb.path(), "/f/01form0visit/done/") {
		t.Fatalf("Submit ended on %s (%d): %s", tb.path(), status, tb.text())
	}
	tb.checkAccessible("the submitted document's page")
	tb.screenshot("tablet-done.png")

	subs := c.capture.Digital()
	if len(subs) != 1 {
		t.Fatalf("%d submissions captured, want 1", len(subs))
	}
	sub := subs[0]
	if sub.Values["patient_no"] != "004711" || sub.Values["visit_date"] != "271126" || sub.Values["pain"] != "some" {
		t.Errorf("captured values %v", sub.Values)
	}
	strokes := sub.Ink["signature"]
	if len(strokes) != 2 || len(strokes[0].Points) < 4 {
		t.Fatalf("captured ink %+v", strokes)
	}
	// The first touch was at a tenth of the pad's width and half its
	// height: 8 × 10 mm in the 80 × 20 mm box; times grow.
	p0, last := strokes[0].Points[0], strokes[1].Points[len(strokes[1].Points)-1]
	if p0.X < 7 || p0.X > 9 || p0.Y < 9 || p0.Y > 11 || p0.F <= 0 || last.X < 71 || last.X > 73 || last.T < p0.T {
		t.Errorf("the ink is not in millimetres of the box: first %+v, last %+v", p0, last)
	}
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}

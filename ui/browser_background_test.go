package ui

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// shadeAt is a JavaScript expression: the background canvas of the first
// page at x, y millimetres is "black" (opaque, every channel below 100),
// "white" (opaque, every channel above 200) or "other" (an empty canvas is
// transparent).
func shadeAt(x, y float64) string {
	return fmt.Sprintf(`(() => {
		const c = document.querySelector(".page-stack canvas.background");
		const [r, g, b, a] = c.getContext("2d").getImageData(Math.round(%g / 210 * c.width), Math.round(%g / 297 * c.height), 1, 1).data;
		return a < 255 ? "other" : Math.max(r, g, b) < 100 ? "black" : Math.min(r, g, b) > 200 ? "white" : "other";
	})()`, x, y)
}

// TestBrowserStationBackground: a form with an uploaded background shows
// it under the page in chromium. pdf.js (vendored, in its worker) draws
// the PDF into a canvas as wide as the page: black where the PDF is black,
// white elsewhere, and the SVG of boxes and ink stays on top. Zooming in
// draws it again, sharper. Nothing is blocked by the Content-Security-
// Policy, and the page passes axe.
//
// Not parallel: pdf.js parses 1.7 MB of script and draws in a worker,
// which on a small machine starves the keyboard tests' timing in chromium
// (TestBrowserStation lost keystrokes beside it); alone it takes seconds.
func TestBrowserStationBackground(t *testing.T) {
	tb := newTab(t)
	c := newClinic(t, 1)
	c.putBackground(t)
	violations := tb.policyViolations()
	tb.signIn(c.ts.URL, "ann@example.org")
	tb.do(chromedp.Navigate(c.ts.URL + "/verify/documents/" + c.docs[0]))
	tb.waitFor("the background drawn", `Number(document.querySelector(".page-stack")?.dataset.drawn) > 0`)
	mark := backgroundMark
	for _, p := range []struct {
		x, y  float64
		shade string
	}{
		{mark.X + mark.W/2, mark.Y + mark.H/2, "black"}, {mark.X + 2, mark.Y + 2, "black"},
		{100, 200, "white"}, {mark.X - 3, mark.Y + mark.H/2, "white"}, {mark.X + mark.W/2, mark.Y + mark.H + 3, "white"},
	} {
		if got := eval[string](tb, shadeAt(p.x, p.y)); got != p.shade {
			t.Errorf("the canvas at %g, %g mm is %s, want %s as in the background", p.x, p.y, got, p.shade)
		}
	}
	// The SVG is on top: what is under the mark's middle on screen is the
	// page's SVG (its paper), not the canvas.
	top := eval[string](tb, `(() => {
		const c = document.querySelector(".page-stack canvas.background").getBoundingClientRect();
		const el = document.elementFromPoint(c.left + c.width * 172.5 / 210, c.top + c.height * 50 / 297);
		return el ? (el.closest("svg") ? "svg" : el.tagName) : "";
	})()`)
	if top != "svg" {
		t.Errorf("on top of the background is %q, want the page's SVG", top)
	}
	if w := eval[float64](tb, `(() => {
		const c = document.querySelector(".page-stack canvas.background").getBoundingClientRect();
		const s = document.querySelector(".page-stack svg.page").getBoundingClientRect();
		return Math.abs(c.width - s.width) + Math.abs(c.height - s.height) + Math.abs(c.left - s.left) + Math.abs(c.top - s.top);
	})()`); w > 1 {
		t.Errorf("the canvas and the page's SVG differ by %.1f CSS pixels in place or size", w)
	}
	tb.screenshot("station-background.png")
	tb.checkAccessible("the station with a background")

	before := eval[float64](tb, `document.querySelector(".page-stack canvas.background").width`)
	tb.do(chromedp.Click(chromedp.CSS(`button[data-zoom="in"]`)))
	tb.waitFor("the background drawn again at the new zoom", fmt.Sprintf(`Number(document.querySelector(".page-stack").dataset.drawn) > %g`, before))
	if got := eval[string](tb, shadeAt(mark.X+mark.W/2, mark.Y+mark.H/2)); got != "black" {
		t.Errorf("zoomed in, the canvas in the mark is %s", got)
	}
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}

package ui

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/inkform/inkform"
)

// TestBrowserBulkApprove approves documents in bulk in chromium: the
// confirmation states the three documents waiting, its button approves
// exactly those, the result page says so and the store holds them
// approved.
func TestBrowserBulkApprove(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	c := newClinic(t, 3)
	violations := tb.policyViolations()
	tb.signIn(c.ts.URL, "ann@example.org")
	tb.do(chromedp.Navigate(c.ts.URL + "/documents/bulk?action=approve&status=needs_verification"))
	if got := eval[string](tb, `document.getElementById("bulk-count").textContent`); got != "3" {
		t.Fatalf("the confirmation states %q, want 3", got)
	}
	for _, id := range c.docs {
		if d := c.doc(t, id); d.Status != inkform.StatusNeedsVerification {
			t.Fatalf("%s is %s before the button is pressed", id, d.Status)
		}
	}
	if status := tb.submit("bulk approval", chromedp.Click(chromedp.CSS(`form[action="/documents/bulk"] button[type="submit"]`))); status != 200 {
		t.Fatalf("the bulk approval answered %d: %s", status, tb.text())
	}
	if got := eval[string](tb, `document.querySelector("#bulk-result strong").textContent`); got != "3" {
		t.Errorf("the result states %q approved, want 3: %s", got, tb.text())
	}
	tb.checkAccessible("a bulk result")
	for _, id := range c.docs {
		if d := c.doc(t, id); d.Status != inkform.StatusValidated {
			t.Errorf("%s is %s after the bulk approval", id, d.Status)
		}
	}
	tb.do(chromedp.Navigate(c.ts.URL + "/documents?status=needs_verification"))
	if text := tb.text(); strings.Contains(text, c.docs[0]) {
		t.Errorf("the list of documents waiting still shows %s: %s", c.docs[0], text)
	}
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}

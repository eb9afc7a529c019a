package ui

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDocuments opens the documents list, a document with its ink
// replay and a bulk confirmation in chromium, checks each with axe-core
// and that the policy blocks nothing (the replay's script runs).
func TestBrowserDocuments(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	c := newClinic(t, 3)
	violations := tb.policyViolations()
	tb.signIn(c.ts.URL, "ann@example.org")
	tb.do(chromedp.Navigate(c.ts.URL + "/documents?status=needs_verification"))
	if text := tb.text(); !strings.Contains(text, c.docs[2]) {
		t.Fatalf("the list lacks %s: %s", c.docs[2], text)
	}
	tb.screenshot("documents.png")
	tb.checkAccessible("the documents list")
	tb.do(chromedp.Navigate(c.ts.URL + "/documents/" + c.docs[0]))
	tb.waitFor("the replay's ink loaded", `document.getElementById("replay").dataset.ready === "9"`)
	tb.do(chromedp.Click(chromedp.ID("replay-play")))
	tb.waitFor("the replay done", `document.getElementById("replay-status").textContent.startsWith("Done")`)
	tb.checkAccessible("a document's page")
	tb.do(chromedp.Navigate(c.ts.URL + "/documents/bulk?action=approve&status=needs_verification"))
	if got := eval[string](tb, `document.getElementById("bulk-count").textContent`); got != "3" {
		t.Errorf("the confirmation states %q, want 3", got)
	}
	tb.checkAccessible("a bulk confirmation")
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}

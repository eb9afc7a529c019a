package ui

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/inkform/inkform"
)

// TestBrowserAudit: an admin opens the audit log from the console's home
// page in chromium, sees the sign-ins, filters them by action with the
// form, and the page passes axe; docs/ui/audit.png comes from here.
func TestBrowserAudit(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ts, db := newBrowserConsole(t)
	_, boss := browserAdmin(t, db)
	violations := tb.policyViolations()
	tb.do(chromedp.Navigate(ts.URL + "/login"))
	status := tb.submit("sign-in",
		chromedp.SetValue(chromedp.ID("email"), "boss@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if status != http.StatusOK || tb.path() != "/" {
		t.Fatalf("sign-in ended on %s (%d)", tb.path(), status)
	}
	if status := tb.submit("the audit log", chromedp.Click(chromedp.CSS(`a[href="/audit"]`))); status != http.StatusOK {
		t.Fatalf("the audit log answered %d", status)
	}
	if text := tb.text(); !strings.Contains(text, inkform.AuditUserSignIn) || !strings.Contains(text, "user "+boss.ID) {
		t.Fatalf("the audit log does not show the sign-in:\n%s", text)
	}
	tb.checkAccessible("the audit log")
	status = tb.submit("filter",
		chromedp.SendKeys(chromedp.ID("action"), inkform.AuditUserSignOut),
		chromedp.Click(chromedp.CSS(`form[action="/audit"] button[type="submit"]`)))
	if status != http.StatusOK || !strings.Contains(tb.text(), "No events match") {
		t.Errorf("filtered by %s (none yet): %d\n%s", inkform.AuditUserSignOut, status, tb.text())
	}
	tb.do(chromedp.Navigate(ts.URL + "/audit?action=" + inkform.AuditUserSignIn))
	if !strings.Contains(tb.text(), "user "+boss.ID) {
		t.Errorf("filtered by %s, the sign-in is missing:\n%s", inkform.AuditUserSignIn, tb.text())
	}
	tb.screenshot("audit.png")
	if v := violations(); len(v) > 0 {
		t.Errorf("the policy blocked: %v", v)
	}
}

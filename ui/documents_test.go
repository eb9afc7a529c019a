package ui

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

var fingerprintInput = regexp.MustCompile(`name="fingerprint" value="([^"]+)"`)

// TestBulkApprove confirms the exact count of what a filter matches, is
// refused when the count no longer holds or the CSRF token is missing,
// and then approves every matching document and only those.
func TestBulkApprove(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 3)
	b := c.browser(t)
	b.mustSignIn("ann@example.org", password)

	list := b.get("/documents?status=needs_verification")
	list.wantStatus(t, "documents list", http.StatusOK)
	for _, id := range c.docs {
		if !strings.Contains(list.body, id) {
			t.Errorf("the list lacks %s", id)
		}
	}
	confirm := b.get("/documents/bulk?action=approve&status=needs_verification")
	confirm.wantStatus(t, "confirmation", http.StatusOK)
	if !strings.Contains(confirm.body, `id="bulk-count">3<`) {
		t.Fatalf("the confirmation does not state 3:\n%s", confirm.body)
	}
	fp := fingerprintInput.FindStringSubmatch(confirm.body)
	if fp == nil {
		t.Fatal("no fingerprint on the confirmation")
	}
	form := url.Values{"csrf": {confirm.csrf(t)}, "action": {"approve"}, "status": {"needs_verification"}, "count": {"2"}, "fingerprint": {fp[1]}}
	b.do("POST", "/documents/bulk", form).wantStatus(t, "a stale count", http.StatusConflict)
	form.Set("count", "3")
	form.Del("csrf")
	b.do("POST", "/documents/bulk", form).wantStatus(t, "no CSRF token", http.StatusForbidden)
	for _, id := range c.docs {
		if d := c.doc(t, id); d.Status != inkform.StatusNeedsVerification {
			t.Fatalf("%s is %s before the confirmed action", id, d.Status)
		}
	}
	form.Set("csrf", confirm.csrf(t))
	done := b.do("POST", "/documents/bulk", form)
	done.wantStatus(t, "bulk approval", http.StatusOK)
	for _, id := range c.docs {
		if d := c.doc(t, id); d.Status != inkform.StatusValidated {
			t.Errorf("%s is %s after the bulk approval", id, d.Status)
		}
	}
	if got := len(c.events(c.org.ID, inkform.AuditDocumentApprove)); got != 3 {
		t.Errorf("%d approvals audited, want 3", got)
	}
}

// TestDocumentPagesIsolationAndRoles shows that another org's document
// is not found and that a verifier cannot reach the quarantine or jobs.
func TestDocumentPagesIsolationAndRoles(t *testing.T) {
	t.Parallel()
	c := newClinic(t, 1)
	other := c.harness.org("Elsewhere")
	c.user(other, "eve@example.org", inkform.RoleAdmin, password)
	eve := c.browser(t)
	eve.mustSignIn("eve@example.org", password)
	eve.get("/documents/"+c.docs[0]).wantStatus(t, "another org's document", http.StatusNotFound)
	if p := eve.get("/documents"); strings.Contains(p.body, c.docs[0]) {
		t.Error("another org's document is listed")
	}
	ann := c.browser(t)
	ann.mustSignIn("ann@example.org", password)
	ann.get("/documents/"+c.docs[0]).wantStatus(t, "own document", http.StatusOK)
	ann.get("/quarantine").wantStatus(t, "a verifier's quarantine", http.StatusForbidden)
	ann.get("/jobs").wantStatus(t, "a verifier's jobs", http.StatusForbidden)
	ann.get("/documents?since=yesterday").wantStatus(t, "a bad date", http.StatusBadRequest)
}

// doc finds a document of the clinic.
func (c *clinic) doc(t *testing.T, id string) *inkform.Document {
	t.Helper()
	d, err := c.harness.docs.FindDocument(context.Background(), c.org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

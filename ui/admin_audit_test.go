package ui

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// TestAuditPage: an admin reads the org's audit log, filtered and paged;
// another org's events never show; a verifier is refused; a bad date is
// explained.
func TestAuditPage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	org, other := h.org("clinic"), h.org("other")
	h.user(org, "boss@example.org", inkform.RoleAdmin, "boss password")
	h.user(org, "ann@example.org", inkform.RoleVerifier, "ann password")
	ctx := context.Background()
	disabledID, otherID := inkform.NewID(), inkform.NewID()
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	var events []*inkform.AuditEvent
	for i := range auditPageSize + 5 {
		events = append(events, &inkform.AuditEvent{At: at, Actor: "user a", Action: inkform.AuditDocumentRead,
			Object: inkform.AuditObject{Kind: "document", ID: inkform.NewID()}, Detail: fmt.Sprintf("read %d", i)})
	}
	events = append(events, &inkform.AuditEvent{At: at.AddDate(0, 0, 1), Actor: "user b", Action: inkform.AuditUserDisable,
		Object: inkform.AuditObject{Kind: "user", ID: disabledID}})
	if err := h.audit.RecordAudit(ctx, org.ID, events...); err != nil {
		t.Fatal(err)
	}
	if err := h.audit.RecordAudit(ctx, other.ID, &inkform.AuditEvent{At: at, Actor: "user z", Action: inkform.AuditUserDisable,
		Object: inkform.AuditObject{Kind: "user", ID: otherID}}); err != nil {
		t.Fatal(err)
	}
	b := h.browser(t)
	b.mustSignIn("boss@example.org", "boss password")

	first := b.get("/audit")
	first.wantStatus(t, "the first page", http.StatusOK)
	if n := strings.Count(first.body, "<tr><td>"); n != auditPageSize {
		t.Errorf("the first page has %d rows, want %d", n, auditPageSize)
	}
	if strings.Contains(first.body, otherID) {
		t.Error("another org's event is on the page")
	}
	next := regexpNext(t, first.body)
	second := b.get(next)
	second.wantStatus(t, "the second page", http.StatusOK)
	if !strings.Contains(second.body, disabledID) || !strings.Contains(second.body, "read 54") || strings.Contains(second.body, "read 0<") {
		t.Errorf("the second page does not hold the last events:\n%s", second.body)
	}

	for _, c := range []struct{ query, want, not string }{
		{"?action=user.disable", disabledID, "read 1<"},
		{"?actor=user+b", disabledID, "read 1<"},
		{"?kind=user&object=" + disabledID, disabledID, "read 1<"},
		{"?since=2026-12-04&until=2026-12-04", disabledID, "read 1<"},
		{"?until=2026-12-03", "read 1<", disabledID},
	} {
		p := b.get("/audit" + c.query)
		p.wantStatus(t, c.query, http.StatusOK)
		if !strings.Contains(p.body, c.want) || strings.Contains(p.body, c.not) {
			t.Errorf("%s: want %q and not %q on the page", c.query, c.want, c.not)
		}
	}
	bad := b.get("/audit?since=yesterday")
	bad.wantStatus(t, "a bad date", http.StatusBadRequest)
	if !strings.Contains(bad.body, "must be a date") {
		t.Errorf("a bad date is not explained:\n%s", bad.body)
	}

	ann := h.browser(t)
	ann.mustSignIn("ann@example.org", "ann password")
	ann.get("/audit").wantStatus(t, "a verifier", http.StatusForbidden)
}

// regexpNext returns the page's next-page link.
func regexpNext(t *testing.T, body string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `<a href="`)
	for ok && !strings.Contains(rest[:strings.Index(rest, ">")], `rel="next"`) {
		_, rest, ok = strings.Cut(rest, `<a href="`)
	}
	if !ok {
		t.Fatalf("no next-page link:\n%s", body)
	}
	link, _, _ := strings.Cut(rest, `"`)
	return strings.ReplaceAll(link, "&amp;", "&")
}

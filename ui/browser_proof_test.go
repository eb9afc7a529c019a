package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/inkml"
	"github.com/inkform/inkform/passwd"
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

// TestBrowserQuarantineAssign assigns quarantined ink to a form's page in
// chromium, over a real SQLite store: the ink is listed on /quarantine
// with its unknown address, its assign page gives the address to the
// form's page, and the ink's document then appears in the documents list
// while the quarantine is empty.
func TestBrowserQuarantineAssign(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tb := newTab(t)
	db, org := newSQLiteOrg(t)
	hash, err := passwd.Hash(password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &inkform.User{OrgID: org.ID, Email: "admin@example.org", Role: inkform.RoleAdmin, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	tpl := &inkform.FormTemplate{Name: "Wound check", Pattern: inkform.PatternCopied, Pages: []inkform.PageSpec{{Size: inkform.Size{W: 210, H: 297}}},
		Fields: []inkform.Field{{Name: "note", Type: inkform.FieldText, Page: 1, Box: &inkform.Box{X: 20, Y: 20, W: 100, H: 10}}}}
	form, err := db.CreateForm(ctx, org.ID, tpl)
	if err != nil {
		t.Fatal(err)
	}
	const unknown = "70.3.12.5"
	body := []byte(`{"penId":"AJX-AAB-7KH-6P","submissionId":"q-1","units":"mm","pages":[{"address":"` + unknown +
		`","strokes":[{"points":[[22,24,1700000000000,100],[40,26,1700000000050,120],[60,23,1700000000100,110]]}]}]}`)
	parser := inkml.Parser{Limits: inkml.DefaultLimits()}
	sub, err := parser.ParseInk(inkml.MediaJSON, body)
	if err != nil {
		t.Fatal(err)
	}
	sub.ReceivedAt = time.Now()
	if _, err := db.CaptureInk(ctx, org.ID, sub); inkform.ErrorCode(err) != inkform.EUNPROCESSABLE {
		t.Fatalf("capturing ink on an unknown address: %v, want it quarantined", err)
	}
	mux := http.NewServeMux()
	(&Server{Users: db, Orgs: db, Sessions: db, Audit: db, Documents: db, Forms: db, Quarantine: db, InkParser: parser}).Register(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	violations := tb.policyViolations()

	tb.signIn(ts.URL, "admin@example.org")
	tb.do(chromedp.Navigate(ts.URL + "/quarantine"))
	if text := tb.text(); !strings.Contains(text, unknown) || !strings.Contains(text, "AJX-AAB-7KH-6P") {
		t.Fatalf("the quarantine does not list the ink: %s", text)
	}
	tb.checkAccessible("the quarantine")
	tb.do(chromedp.Click(chromedp.CSS(`a[href$="/assign"]`)))
	tb.waitFor("the assign page", `!!document.getElementById("a-target")`)
	want := form.ID + "/1"
	if got := eval[string](tb, `document.getElementById("a-target").value`); got != want {
		t.Fatalf("the page offered is %q, want %q", got, want)
	}
	tb.checkAccessible("the assign page")
	if status := tb.submit("assign", chromedp.Click(chromedp.CSS(`form[action$="/assign"] button[type="submit"]`))); status != 200 || tb.path() != "/quarantine?done=assigned" {
		t.Fatalf("assigning ended on %s (%d): %s", tb.path(), status, tb.text())
	}
	if text := tb.text(); strings.Contains(text, unknown) {
		t.Errorf("the quarantine still lists the ink: %s", text)
	}
	docs, _, err := db.ListDocuments(ctx, org.ID, inkform.DocumentFilter{})
	if err != nil || len(docs) != 1 {
		t.Fatalf("documents after the assignment: %v, %v", docs, err)
	}
	tb.do(chromedp.Navigate(ts.URL + "/documents"))
	if text := tb.text(); !strings.Contains(text, docs[0].ID) {
		t.Errorf("the documents list lacks the ink's document %s: %s", docs[0].ID, text)
	}
	if v := violations(); len(v) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", v)
	}
}

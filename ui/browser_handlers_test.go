package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/deliver"
	"github.com/inkform/inkform/passwd"
	"github.com/inkform/inkform/sqlstore"
)

// browserAdmin adds an admin, boss@example.org with the password, to the
// browser console's org and returns both.
func browserAdmin(t *testing.T, db *sqlstore.DB) (*inkform.Org, *inkform.User) {
	t.Helper()
	ctx := context.Background()
	org, err := db.FindOrgByName(ctx, "Riverside Clinic")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := passwd.Hash(password, passwd.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	boss := &inkform.User{OrgID: org.ID, Email: "boss@example.org", Name: "Bo Admin", Role: inkform.RoleAdmin, PasswordHash: hash}
	if err := db.CreateUser(ctx, boss); err != nil {
		t.Fatal(err)
	}
	return org, boss
}

// receiver is a webhook endpoint that answers with a status the test
// sets and counts the message IDs it was sent.
type receiver struct {
	mu     sync.Mutex
	status int
	ids    []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.ids = append(rc.ids, r.Header.Get("webhook-id"))
	w.WriteHeader(rc.status)
}

func (rc *receiver) answer(status int) { rc.mu.Lock(); rc.status = status; rc.mu.Unlock() }

func (rc *receiver) got() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]string(nil), rc.ids...)
}

// deliverOnce runs one attempt of the next due delivery as the deliver
// worker would: claim its job, send it with the webhook sender (which
// logs the attempt), then complete the job or fail it for good.
func deliverOnce(t *testing.T, db *sqlstore.DB, orgID string) error {
	t.Helper()
	ctx := context.Background()
	jobs, err := db.ClaimJobs(ctx, inkform.QueueDeliver, "test-worker", 1, time.Minute, inkform.KeyLimit{})
	if err != nil || len(jobs) != 1 {
		t.Fatalf("claim a delivery: %d jobs, %v", len(jobs), err)
	}
	var args inkform.DeliverArgs
	if err := inkform.DecodeJSON(jobs[0].Args, &args, false); err != nil {
		t.Fatal(err)
	}
	sender := &deliver.Sender{Subscriptions: db, Documents: db, Client: deliver.NewClient(true)}
	sent := sender.Deliver(ctx, orgID, args, jobs[0].Attempt)
	if sent != nil {
		err = db.FailJob(ctx, "test-worker", jobs[0].ID, sent.Error(), time.Time{})
	} else {
		err = db.CompleteJobs(ctx, "test-worker", []int64{jobs[0].ID})
	}
	if err != nil {
		t.Fatal(err)
	}
	return sent
}

// TestBrowserHandlers: an admin makes a webhook in chromium (a bad
// condition is refused beside its field, the secret is shown once with a
// working Copy button), sees a delivery that went dead while the receiver
// was down, presses Redeliver, and after the worker's next attempt sees
// it delivered in the handler's log. Every page passes axe; the
// screenshots in docs/ui/handler*.png and dead-deliveries.png come from
// here.
func TestBrowserHandlers(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	_, db := newBrowserConsole(t)
	ctx := context.Background()
	org, _ := browserAdmin(t, db)
	tpl := intake(org.ID).FormTemplate
	form, err := db.CreateForm(ctx, org.ID, &tpl)
	if err != nil {
		t.Fatal(err)
	}
	rc := &receiver{status: http.StatusServiceUnavailable}
	endpoint := httptest.NewServer(rc)
	defer endpoint.Close()
	crm := &inkform.Subscription{FormID: form.ID, Type: inkform.SubscriptionWebhook, URL: endpoint.URL + "/inkform",
		Events: []string{inkform.EventDocumentValidated, inkform.EventDocumentPurged}}
	if err := db.CreateSubscription(ctx, org.ID, crm, inkform.NewWebhookSecret()); err != nil {
		t.Fatal(err)
	}
	// A purge's delivery needs no document; the receiver is down, and
	// the attempt fails for good.
	at := time.Date(2030, 1, 2, 9, 0, 0, 0, time.UTC)
	msg := inkform.DeliverArgs{SubscriptionID: crm.ID, DocumentID: "01doc0gone", Event: inkform.EventDocumentPurged, MessageID: "msg_" + inkform.NewID(),
		EventAt: at, Purged: &inkform.PurgedRecord{ID: "01doc0gone", FormID: form.ID, Status: "purged", PurgedAt: at}}
	dead, err := db.Enqueue(ctx, org.ID, msg, inkform.EnqueueOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if err := deliverOnce(t, db, org.ID); err == nil {
		t.Fatal("the receiver answered 503, yet the delivery went through")
	}

	mux := http.NewServeMux()
	(&Server{Users: db, Orgs: db, Sessions: db, Audit: db, Forms: db, Subscriptions: db, Jobs: db}).Register(mux)
	ts := httptest.NewServer(mux)
	defer ts.Close()
	violations := tb.policyViolations()
	tb.do(chromedp.Navigate(ts.URL + "/login"))
	tb.submit("sign-in",
		chromedp.SetValue(chromedp.ID("email"), "boss@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if status := tb.submit("the handlers", chromedp.Click(chromedp.CSS(`a[href="/handlers"]`))); status != http.StatusOK || !strings.Contains(tb.text(), endpoint.URL) {
		t.Fatalf("the handlers page answered %d:\n%s", status, tb.text())
	}
	tb.checkAccessible("the handlers list")

	// A new webhook: the type first, then the editor.
	tb.submit("new handler", chromedp.Click(chromedp.CSS(`a[href="/handlers/new?form=`+form.ID+`"]`)))
	tb.checkAccessible("the choice of type")
	tb.submit("webhook", chromedp.Click(chromedp.CSS(`form[action="/handlers/new"] button`)))
	status := tb.submit("a bad condition",
		chromedp.SendKeys(chromedp.ID("h-url"), "https://erp.example.org/hooks/inkform"),
		chromedp.SetValue(chromedp.ID("h-conditions"), `[{"field": "smoker", "op": "is", "value": true}]`),
		chromedp.Click(chromedp.CSS(`form[action="/handlers"] button[type="submit"]`)))
	if status != http.StatusUnprocessableEntity || !strings.Contains(tb.text(), `unknown op "is"`) {
		t.Fatalf("a bad condition answered %d:\n%s", status, tb.text())
	}
	tb.checkAccessible("the editor with an error")
	tb.screenshot("handler-edit.png")
	status = tb.submit("create",
		chromedp.SetValue(chromedp.ID("h-conditions"), `[{"field": "smoker", "op": "equals", "value": true}]`),
		chromedp.Click(chromedp.CSS(`form[action="/handlers"] button[type="submit"]`)))
	if status != http.StatusCreated || !strings.Contains(tb.text(), inkform.WebhookSecretPrefix) {
		t.Fatalf("creating answered %d:\n%s", status, tb.text())
	}
	hidden, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.querySelector("button[data-copy]").hidden`))
	if err != nil || hidden {
		t.Errorf("the Copy button is hidden (%v): handlers.js did not run", err)
	}
	tb.checkAccessible("the new handler with its secret")
	tb.screenshot("handler-secret.png")

	// The dead delivery, delivered again once the receiver is back.
	if status := tb.submit("dead deliveries", chromedp.Navigate(ts.URL+"/deliveries/dead")); status != http.StatusOK || !strings.Contains(tb.text(), "503") {
		t.Fatalf("dead deliveries answered %d:\n%s", status, tb.text())
	}
	tb.checkAccessible("the dead deliveries")
	tb.screenshot("dead-deliveries.png")
	rc.answer(http.StatusNoContent)
	status = tb.submit("redeliver", chromedp.Click(chromedp.CSS(`form[action="/deliveries/dead/`+itoa(dead.ID)+`/redeliver"] button`)))
	if status != http.StatusOK || !strings.Contains(tb.text(), "is queued to deliver its message again") || !strings.Contains(tb.text(), "No dead deliveries") {
		t.Fatalf("redelivering answered %d:\n%s", status, tb.text())
	}
	if err := deliverOnce(t, db, org.ID); err != nil {
		t.Fatalf("the redelivery failed: %v", err)
	}
	if ids := rc.got(); len(ids) != 2 || ids[0] != msg.MessageID || ids[1] != msg.MessageID {
		t.Errorf("the receiver got messages %q, want %s twice", ids, msg.MessageID)
	}
	tb.do(chromedp.Navigate(ts.URL + "/handlers/" + crm.ID))
	text := tb.text()
	if !strings.Contains(text, "delivered") || !strings.Contains(text, "204") || !strings.Contains(text, "503") {
		t.Errorf("the delivery log does not show the failed and the delivered attempt:\n%s", text)
	}
	tb.checkAccessible("a handler's delivery log")
	tb.screenshot("handler.png")
	tb.do(chromedp.Navigate(ts.URL + "/handlers"))
	tb.screenshot("handlers.png")
	tb.do(chromedp.Navigate(ts.URL + "/handlers/" + crm.ID + "/delete"))
	tb.checkAccessible("the delete confirmation")
	if v := violations(); len(v) > 0 {
		t.Errorf("the policy blocked: %v", v)
	}
}

package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// TestHandlerEdit saves the editor: good settings replace the handler's
// and are audited; bad ones come back with the error and change nothing.
func TestHandlerEdit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
		url    string // the URL stored afterwards
	}{
		{"saved", url.Values{"events": {"document.received"}, "url": {"https://new.example.org/hook"},
			"conditions": {`[{"field": "visit", "op": "in", "value": ["first"]}]`}}, http.StatusSeeOther, "https://new.example.org/hook"},
		{"bad URL", url.Values{"events": {"document.received"}, "url": {"https://user:pw@new.example.org/"}},
			http.StatusUnprocessableEntity, "https://hooks.example.org/in?token=s3cret"},
		{"type cannot change", url.Values{"type": {"email"}, "events": {"document.received"}, "url": {"https://new.example.org/hook"}, "to": {"x@example.org"}},
			http.StatusSeeOther, "https://new.example.org/hook"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newHooks(t)
			b := c.as(t, "admin@example.org")
			edit := b.get("/handlers/" + c.webhook.ID + "/edit")
			edit.wantStatus(t, "the editor", http.StatusOK)
			if !strings.Contains(edit.body, "https://hooks.example.org/in?token=s3cret") {
				t.Fatalf("the editor does not hold the URL:\n%s", edit.body)
			}
			tt.form.Set("csrf", edit.csrf(t))
			p := b.do("POST", "/handlers/"+c.webhook.ID+"/edit", tt.form)
			p.wantStatus(t, "save", tt.status)
			got, err := c.subs.FindSubscription(context.Background(), c.org.ID, c.webhook.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.URL != tt.url || got.Type != inkform.SubscriptionWebhook {
				t.Errorf("stored %s %q, want webhook %q", got.Type, got.URL, tt.url)
			}
			updates := c.h.events(c.org.ID, inkform.AuditSubscriptionUpdate)
			if tt.status != http.StatusSeeOther {
				if len(updates) != 0 || !strings.Contains(p.body, `id="err-url"`) || len(got.Conditions) != 0 {
					t.Errorf("a refused edit: %d audit events, conditions %v, body:\n%s", len(updates), got.Conditions, p.body)
				}
				return
			}
			p.wantRedirect(t, "save", "/handlers/"+c.webhook.ID+"?done=saved")
			if len(updates) != 1 || updates[0].Detail != "webhook document.received" {
				t.Errorf("audit after saving: %+v", updates)
			}
			if !strings.Contains(b.get(p.Header.Get("Location")).body, "The handler is saved") {
				t.Error("no notice after saving")
			}
		})
	}
}

// TestHandlerDelete confirms, then deletes; another org's handler and a
// post without the CSRF token delete nothing.
func TestHandlerDelete(t *testing.T) {
	t.Parallel()
	c := newHooks(t)
	b := c.as(t, "admin@example.org")
	confirm := b.get("/handlers/" + c.webhook.ID + "/delete")
	confirm.wantStatus(t, "the confirmation", http.StatusOK)
	token := confirm.csrf(t)
	b.do("POST", "/handlers/"+c.webhook.ID+"/delete", url.Values{}).wantStatus(t, "without a token", http.StatusForbidden)
	b.do("POST", "/handlers/"+c.theirs.ID+"/delete", url.Values{"csrf": {token}}).wantStatus(t, "another org's", http.StatusNotFound)
	if _, err := c.subs.FindSubscription(context.Background(), c.theirs.OrgID, c.theirs.ID); err != nil {
		t.Errorf("another org's handler is gone: %v", err)
	}
	b.do("POST", "/handlers/"+c.webhook.ID+"/delete", url.Values{"csrf": {token}}).wantRedirect(t, "delete", "/handlers?done=deleted")
	if _, err := c.subs.FindSubscription(context.Background(), c.org.ID, c.webhook.ID); inkform.ErrorCode(err) != inkform.ENOTFOUND {
		t.Errorf("after deleting, find answers %v", err)
	}
	if ev := c.h.events(c.org.ID, inkform.AuditSubscriptionDelete); len(ev) != 1 || ev[0].Object.ID != c.webhook.ID {
		t.Errorf("audit after deleting: %+v", ev)
	}
	b.get("/handlers/"+c.webhook.ID).wantStatus(t, "the deleted handler", http.StatusNotFound)
}

// TestHandlerRedeliver sends a logged message again: exactly one job
// with the message's ID, audited as the API audits it; nothing for a
// forged post, a role without the permission or another org's handler.
func TestHandlerRedeliver(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, who, path string
		csrf            bool
		status          int
	}{
		{"redelivered", "admin", "", true, http.StatusSeeOther},
		{"without CSRF", "admin", "", false, http.StatusForbidden},
		{"verifier", "ann", "", true, http.StatusForbidden},
		{"another org's handler", "admin", "theirs", true, http.StatusNotFound},
		{"another org's delivery", "admin", "their delivery", true, http.StatusNotFound},
		{"no such delivery", "admin", "unknown", true, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newHooks(t)
			path := "/handlers/" + c.webhook.ID + "/deliveries/" + itoa(c.failed.ID) + "/redeliver"
			switch tt.path {
			case "theirs":
				path = "/handlers/" + c.theirs.ID + "/deliveries/" + itoa(c.theirLog.ID) + "/redeliver"
			case "their delivery":
				path = "/handlers/" + c.webhook.ID + "/deliveries/" + itoa(c.theirLog.ID) + "/redeliver"
			case "unknown":
				path = "/handlers/" + c.webhook.ID + "/deliveries/x/redeliver"
			}
			b := c.as(t, tt.who+"@example.org")
			form := url.Values{}
			if tt.csrf {
				form.Set("csrf", b.token())
			}
			before := len(c.jobs(t))
			p := b.do("POST", path, form)
			p.wantStatus(t, path, tt.status)
			jobs := c.jobs(t)
			redelivered := c.h.events(c.org.ID, inkform.AuditSubscriptionRedeliver)
			if tt.status != http.StatusSeeOther {
				if len(jobs) != before || len(redelivered) != 0 {
					t.Errorf("a refused redelivery made %d jobs and %d audit events", len(jobs)-before, len(redelivered))
				}
				return
			}
			if len(jobs) != before+1 {
				t.Fatalf("%d jobs after redelivering, want %d", len(jobs), before+1)
			}
			job := jobs[len(jobs)-1]
			if job.Kind != "deliver" || !strings.Contains(string(job.Args), `"messageId":"msg_failed"`) || job.State != inkform.JobAvailable {
				t.Errorf("the new job: %s %s %s", job.Kind, job.State, job.Args)
			}
			p.wantRedirect(t, "redeliver", "/handlers/"+c.webhook.ID+"?redelivered="+itoa(job.ID))
			if len(redelivered) != 1 || redelivered[0].Object.ID != c.webhook.ID || redelivered[0].Detail != "delivery "+itoa(c.failed.ID) {
				t.Errorf("audit after redelivering: %+v", redelivered)
			}
			if !strings.Contains(b.get(p.Header.Get("Location")).body, "queued for delivery again (job "+itoa(job.ID)+")") {
				t.Error("no notice after redelivering")
			}
		})
	}
}

// TestDeadRedeliver delivers a dead delivery again from its page: its
// job runs again (no copy is made), audited; it leaves the page, and a
// second press is refused.
func TestDeadRedeliver(t *testing.T) {
	t.Parallel()
	c := newHooks(t)
	b := c.as(t, "ivy@example.org") // an integrator: handlers, not jobs
	dead := b.get("/deliveries/dead")
	dead.wantStatus(t, "dead deliveries", http.StatusOK)
	path := "/deliveries/dead/" + itoa(c.deadJob) + "/redeliver"
	b.do("POST", path, url.Values{}).wantStatus(t, "without a token", http.StatusForbidden)
	p := b.do("POST", path, url.Values{"csrf": {dead.csrf(t)}})
	p.wantRedirect(t, "redeliver", "/deliveries/dead?redelivered="+itoa(c.deadJob))
	jobs := c.jobs(t)
	if len(jobs) != 1 || jobs[0].ID != c.deadJob || jobs[0].State != inkform.JobAvailable || jobs[0].Attempt != 0 {
		t.Fatalf("after redelivering, jobs: %+v", jobs)
	}
	if ev := c.h.events(c.org.ID, inkform.AuditSubscriptionRedeliver); len(ev) != 1 || ev[0].Object.ID != c.webhook.ID || !strings.Contains(ev[0].Detail, "msg_failed") {
		t.Errorf("audit after redelivering: %+v", ev)
	}
	after := b.get(p.Header.Get("Location"))
	if strings.Contains(after.body, path) || !strings.Contains(after.body, "is queued to deliver its message again") {
		t.Errorf("after redelivering, the page:\n%s", after.body)
	}
	b.do("POST", path, url.Values{"csrf": {dead.csrf(t)}}).wantStatus(t, "again", http.StatusConflict)
}

// TestHandlerFormApply reads the editor's fields into a handler: only the
// settings of its type, recipients split on lines and commas, conditions
// as the API's JSON, and a field that cannot be read named.
func TestHandlerFormApply(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		typ   string
		form  handlerForm
		check func(*inkform.Subscription) bool
		field string // the field refused, "" for none
	}{
		{"e-mail recipients", inkform.SubscriptionEmail,
			handlerForm{To: "desk@example.org\r\n ward@example.org, ,lab@example.org", URL: "https://ignored.example.org/", Target: "archive"},
			func(h *inkform.Subscription) bool {
				return strings.Join(h.To, " ") == "desk@example.org ward@example.org lab@example.org" && h.URL == "" && h.Target == ""
			}, ""},
		{"webhook keeps its URL only", inkform.SubscriptionWebhook,
			handlerForm{URL: "https://crm.example.org/", To: "desk@example.org", Format: "csv"},
			func(h *inkform.Subscription) bool {
				return h.URL == "https://crm.example.org/" && h.To == nil && h.Format == ""
			}, ""},
		{"numeric condition", inkform.SubscriptionWebhook,
			handlerForm{Conditions: ` [{"field": "patient_no", "op": "gte", "value": 100}] `},
			func(h *inkform.Subscription) bool {
				return len(h.Conditions) == 1 && h.Conditions[0].Op == inkform.OpGTE && h.Conditions[0].Validate() == nil
			}, ""},
		{"unknown key", inkform.SubscriptionWebhook, handlerForm{Conditions: `[{"field": "smoker", "operator": "empty"}]`}, nil, "conditions"},
		{"not a list", inkform.SubscriptionWebhook, handlerForm{Conditions: `{"field": "smoker", "op": "empty"}`}, nil, "conditions"},
		{"too long", inkform.SubscriptionWebhook, handlerForm{Conditions: "[" + strings.Repeat(" ", maxConditionsText) + "]"}, nil, "conditions"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &inkform.Subscription{Type: tt.typ}
			err := tt.form.apply(h)
			if tt.field == "" {
				if err != nil || !tt.check(h) {
					t.Errorf("apply: %v, got %+v", err, h)
				}
				return
			}
			f := tt.form
			if !f.refused(err) || f.Errors[tt.field] == "" {
				t.Errorf("apply answered %v, want an error on %s", err, tt.field)
			}
		})
	}
}

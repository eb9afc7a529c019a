package ui

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// hooks is a console with handlers over fakes: an org with the intake
// form, a webhook with a failed and a delivered attempt, and a dead
// delivery of the failed message; another org with a handler of its own.
type hooks struct {
	h        *harness
	org      *inkform.Org
	subs     *fake.Subscriptions
	queue    *fake.JobQueue
	webhook  *inkform.Subscription
	failed   *inkform.Delivery // the webhook's failed attempt
	ok       *inkform.Delivery // its delivered one
	deadJob  int64             // the failed message's dead job
	theirs   *inkform.Subscription
	theirLog *inkform.Delivery
}

// newHooks builds the console; the admin and the verifier of the org
// sign in with password.
func newHooks(t *testing.T) *hooks {
	t.Helper()
	c := &hooks{queue: &fake.JobQueue{}}
	c.h = newHarness(t, func(s *Server) {
		c.subs = &fake.Subscriptions{Forms: s.Forms, Queue: c.queue}
		s.Subscriptions, s.Jobs = c.subs, c.queue
		s.SubscriptionOptions = inkform.SubscriptionOptions{ExportTargets: []string{"archive"}}
	})
	c.org = c.h.org("Clinic")
	other := c.h.org("Elsewhere")
	c.h.user(c.org, "admin@example.org", inkform.RoleAdmin, password)
	c.h.user(c.org, "ann@example.org", inkform.RoleVerifier, password)
	c.h.user(c.org, "ivy@example.org", inkform.RoleIntegrator, password)
	c.h.forms.Put(intake(c.org.ID))
	theirForm := intake(other.ID)
	theirForm.ID = "01form0theirs"
	c.h.forms.Put(theirForm)
	c.webhook = &inkform.Subscription{ID: inkform.NewID(), OrgID: c.org.ID, FormID: "01form0intake", Type: inkform.SubscriptionWebhook,
		Events: []string{inkform.EventDocumentValidated}, URL: "https://hooks.example.org/in?token=s3cret"}
	c.subs.Put(c.webhook, "whsec_old")
	c.theirs = &inkform.Subscription{ID: inkform.NewID(), OrgID: other.ID, FormID: theirForm.ID, Type: inkform.SubscriptionWebhook,
		Events: []string{inkform.EventDocumentValidated}, URL: "https://them.example.org/"}
	c.subs.Put(c.theirs, "whsec_theirs")
	c.failed = c.logged(t, c.org.ID, c.webhook.ID, "msg_failed", 503, "HTTP 503 from the receiver")
	c.ok = c.logged(t, c.org.ID, c.webhook.ID, "msg_ok", 204, "")
	c.theirLog = c.logged(t, other.ID, c.theirs.ID, "msg_theirs", 500, "HTTP 500")
	args, err := json.Marshal(inkform.DeliverArgs{SubscriptionID: c.webhook.ID, DocumentID: "01doc0one", Event: inkform.EventDocumentValidated, MessageID: "msg_failed"})
	if err != nil {
		t.Fatal(err)
	}
	c.deadJob = c.queue.Put(&inkform.Job{OrgID: c.org.ID, Queue: inkform.QueueDeliver, Kind: "deliver", Args: args,
		State: inkform.JobDead, Attempt: 14, MaxAttempts: 14, LastError: "HTTP 503 from the receiver"})
	return c
}

// logged records one attempt in a handler's log.
func (c *hooks) logged(t *testing.T, orgID, handlerID, msg string, code int, errText string) *inkform.Delivery {
	t.Helper()
	d := &inkform.Delivery{SubscriptionID: handlerID, MessageID: msg, Event: inkform.EventDocumentValidated,
		DocumentID: "01doc0one", Attempt: 1, StatusCode: code, Error: errText}
	if err := c.subs.RecordDelivery(context.Background(), orgID, d); err != nil {
		t.Fatal(err)
	}
	return d
}

// as returns a browser signed in as the user.
func (c *hooks) as(t *testing.T, email string) *browser {
	t.Helper()
	b := c.h.browser(t)
	b.mustSignIn(email, password)
	return b
}

// jobs returns the org's jobs in every state.
func (c *hooks) jobs(t *testing.T) []*inkform.Job {
	t.Helper()
	jobs, err := c.queue.ListJobs(context.Background(), c.org.ID, inkform.JobFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return jobs
}

// TestHandlerPagesShow reads the pages as each role and as another
// org's handler would be reached.
func TestHandlerPagesShow(t *testing.T) {
	t.Parallel()
	c := newHooks(t)
	id := c.webhook.ID
	for _, tt := range []struct {
		name, who, path string
		status          int
		has, lacks      []string
	}{
		{"list", "admin", "/handlers", http.StatusOK,
			[]string{"Patient intake", `href="/handlers/` + id + `"`, "hooks.example.org/in", "document.validated", `href="/handlers/new?form=01form0intake"`},
			[]string{"s3cret", "them.example.org", "whsec_"}},
		{"list as integrator", "ivy", "/handlers", http.StatusOK, []string{"Patient intake"}, nil},
		{"list as verifier", "ann", "/handlers", http.StatusForbidden, []string{"does not include this page"}, []string{"hooks.example.org"}},
		{"show", "admin", "/handlers/" + id, http.StatusOK,
			[]string{"https://hooks.example.org/in?token=s3cret", "HTTP 503 from the receiver", "503", "204", "/deliveries/" + itoa(c.failed.ID) + "/redeliver"},
			[]string{"whsec_"}},
		{"failed only", "admin", "/handlers/" + id + "?failed=1", http.StatusOK,
			[]string{"HTTP 503 from the receiver", "/deliveries/" + itoa(c.failed.ID) + "/redeliver"},
			[]string{"/deliveries/" + itoa(c.ok.ID) + "/redeliver"}},
		{"another org's handler", "admin", "/handlers/" + c.theirs.ID, http.StatusNotFound, []string{noHandler}, []string{"them.example.org"}},
		{"another org's handler's editor", "admin", "/handlers/" + c.theirs.ID + "/edit", http.StatusNotFound, nil, []string{"them.example.org"}},
		{"another org's form", "admin", "/handlers/new?form=01form0theirs", http.StatusNotFound, nil, nil},
		{"type choice", "admin", "/handlers/new?form=01form0intake", http.StatusOK,
			[]string{`value="webhook"`, "no SMTP server configured", `value="export"`}, nil},
		{"webhook editor", "admin", "/handlers/new?form=01form0intake&type=webhook", http.StatusOK,
			[]string{`name="url"`, `name="events" value="document.validated" checked`, `name="conditions"`, "patient_no"}, []string{`name="to"`}},
		{"export editor", "admin", "/handlers/new?form=01form0intake&type=export", http.StatusOK,
			[]string{`<option value="archive" selected>`, `name="path"`}, []string{`name="url"`}},
		{"delete confirmation", "admin", "/handlers/" + id + "/delete", http.StatusOK,
			[]string{"Delete handler " + id, `action="/handlers/` + id + `/delete"`}, nil},
		{"dead deliveries", "admin", "/deliveries/dead", http.StatusOK,
			[]string{`action="/deliveries/dead/` + itoa(c.deadJob) + `/redeliver"`, "HTTP 503 from the receiver", "Patient intake"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := c.as(t, tt.who+"@example.org").get(tt.path)
			p.wantStatus(t, tt.path, tt.status)
			for _, s := range tt.has {
				if !strings.Contains(p.body, s) {
					t.Errorf("%s does not show %q", tt.path, s)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(p.body, s) {
					t.Errorf("%s shows %q", tt.path, s)
				}
			}
		})
	}
}

var secretShown = regexp.MustCompile(`whsec_[A-Za-z0-9+/=]+`)

// TestHandlerCreate posts the editor: good handlers are stored and
// audited, bad ones come back with the error beside the field and store
// nothing; a webhook's secret is on the answer only.
func TestHandlerCreate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
		field  string // the field the error is next to
		has    string
	}{
		{"webhook", url.Values{"type": {"webhook"}, "events": {"document.validated", "document.purged"}, "url": {"https://crm.example.org/inkform"},
			"conditions": {`[{"field": "smoker", "op": "equals", "value": true}]`}}, http.StatusCreated, "", "Signing secret"},
		{"export", url.Values{"type": {"export"}, "events": {"document.validated"}, "target": {"archive"}, "format": {"csv"}, "path": {""}},
			http.StatusCreated, "", inkform.DefaultExportPath},
		{"bad condition syntax", url.Values{"type": {"webhook"}, "events": {"document.validated"}, "url": {"https://crm.example.org/"},
			"conditions": {`[{"field": "smoker", "op": "equals", "value": true}`}}, http.StatusUnprocessableEntity, "conditions", "a JSON list is expected"},
		{"unknown op", url.Values{"type": {"webhook"}, "events": {"document.validated"}, "url": {"https://crm.example.org/"},
			"conditions": {`[{"field": "smoker", "op": "is", "value": true}]`}}, http.StatusUnprocessableEntity, "conditions", "unknown op"},
		{"field the form lacks", url.Values{"type": {"webhook"}, "events": {"document.validated"}, "url": {"https://crm.example.org/"},
			"conditions": {`[{"field": "urgent", "op": "not_empty"}]`}}, http.StatusUnprocessableEntity, "conditions", "the form has no such field"},
		{"bad URL", url.Values{"type": {"webhook"}, "events": {"document.validated"}, "url": {"ftp://crm.example.org/"}},
			http.StatusUnprocessableEntity, "url", "absolute http or https URL"},
		{"no event", url.Values{"type": {"webhook"}, "url": {"https://crm.example.org/"}}, http.StatusUnprocessableEntity, "events", "at least one event"},
		{"e-mail without SMTP", url.Values{"type": {"email"}, "events": {"document.validated"}, "to": {"desk@example.org"}},
			http.StatusUnprocessableEntity, "type", "no SMTP server"},
		{"unconfigured target", url.Values{"type": {"export"}, "events": {"document.validated"}, "target": {"elsewhere"}, "format": {"json"}},
			http.StatusUnprocessableEntity, "target", "not configured"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newHooks(t)
			b := c.as(t, "admin@example.org")
			tt.form.Set("csrf", b.token())
			tt.form.Set("form", "01form0intake")
			p := b.do("POST", "/handlers", tt.form)
			p.wantStatus(t, "POST /handlers", tt.status)
			if !strings.Contains(p.body, tt.has) {
				t.Errorf("the answer does not show %q:\n%s", tt.has, p.body)
			}
			subs, err := c.subs.ListSubscriptions(context.Background(), c.org.ID, "01form0intake")
			if err != nil {
				t.Fatal(err)
			}
			created := c.h.events(c.org.ID, inkform.AuditSubscriptionCreate)
			if tt.status != http.StatusCreated {
				if !strings.Contains(p.body, `id="err-`+tt.field+`"`) {
					t.Errorf("the error is not next to %s:\n%s", tt.field, p.body)
				}
				if len(subs) != 1 || len(created) != 0 {
					t.Errorf("a refused handler left %d handlers and %d audit events", len(subs), len(created))
				}
				return
			}
			if len(subs) != 2 || len(created) != 1 || created[0].Object.ID != subs[1].ID {
				t.Fatalf("after creating: %d handlers, audit %+v", len(subs), created)
			}
			if p.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("the answer may be cached: Cache-Control %q", p.Header.Get("Cache-Control"))
			}
			_, secret, err := c.subs.FindSubscriptionSecret(context.Background(), c.org.ID, subs[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			if shown := secretShown.FindString(html.UnescapeString(p.body)); shown != secret {
				t.Errorf("the answer shows secret %q, the store holds %q", shown, secret)
			}
			if again := b.get("/handlers/" + subs[1].ID); again.StatusCode != http.StatusOK || secretShown.MatchString(again.body) {
				t.Errorf("the handler's page (%d) shows a secret again", again.StatusCode)
			}
		})
	}
}

// itoa formats an ID for a path.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

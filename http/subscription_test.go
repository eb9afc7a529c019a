package http

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// newSubscriptionEnv returns an env whose server keeps subscriptions in a
// fake over the env's forms, redelivering into its jobs.
func newSubscriptionEnv(t *testing.T, configure ...func(*Server)) (*testEnv, *fake.Subscriptions) {
	t.Helper()
	store := &fake.Subscriptions{}
	e := newEnv(t, append(configure, func(s *Server) { s.Subscriptions = store })...)
	store.Forms, store.Queue = e.forms, e.jobs
	return e, store
}

func TestSubscriptionRoutes(t *testing.T) {
	t.Parallel()
	e, store := newSubscriptionEnv(t)
	mailer, _ := newSubscriptionEnv(t, func(s *Server) {
		s.EmailEnabled, s.EmailDomains = true, []string{"clinic.example"}
	})
	form := &inkform.Form{ID: inkform.NewID(), OrgID: e.orgID,
		FormTemplate: inkform.FormTemplate{Fields: []inkform.Field{{Name: "urgent", Type: inkform.FieldCheckbox}}}}
	e.forms.Put(form)
	base := "/api/v1/forms/" + form.ID + "/handlers"

	w := e.do(t, inkform.RoleIntegrator, "POST", base, "application/json",
		`{"type":"webhook","url":"https://example.com/hook","events":["document.validated"]}`)
	var created struct {
		ID     string   `json:"id"`
		Form   string   `json:"form"`
		Events []string `json:"events"`
		Secret string   `json:"secret"`
	}
	decodeJSONBody(t, w, &created)
	if w.Code != 201 || created.ID == "" || created.Form != form.ID || !strings.HasPrefix(created.Secret, "whsec_") ||
		w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}

	for _, target := range []string{base, "/api/v1/handlers/" + created.ID, "/api/v1/handlers/" + created.ID + "/deliveries"} {
		w := e.do(t, inkform.RoleAdmin, "GET", target, "", "")
		if w.Code != 200 || strings.Contains(w.Body.String(), created.Secret) || strings.Contains(w.Body.String(), "secret") {
			t.Errorf("GET %s: %d %s", target, w.Code, w.Body)
		}
	}
	if _, secret, err := store.FindSubscriptionSecret(context.Background(), e.orgID, created.ID); err != nil || secret != created.Secret {
		t.Errorf("stored secret %q (%v), want the one shown at creation", secret, err)
	}
	logged := &inkform.Delivery{SubscriptionID: created.ID, MessageID: "msg_1", Event: inkform.EventDocumentValidated,
		DocumentID: inkform.NewID(), Attempt: 1, StatusCode: 500}
	if err := store.RecordDelivery(context.Background(), e.orgID, logged); err != nil {
		t.Fatal(err)
	}
	var ds struct{ Deliveries []inkform.Delivery }
	decodeJSONBody(t, e.do(t, inkform.RoleAdmin, "GET", "/api/v1/handlers/"+created.ID+"/deliveries", "", ""), &ds)
	if len(ds.Deliveries) != 1 || ds.Deliveries[0].StatusCode != 500 {
		t.Errorf("deliveries %+v", ds)
	}

	// With allowed domains, e-mail goes only there.
	mailForm := &inkform.Form{ID: inkform.NewID(), OrgID: mailer.orgID}
	mailer.forms.Put(mailForm)
	for to, status := range map[string]int{"ward@clinic.example": 201, "ward@CLINIC.example": 201, "x@elsewhere.example": 422} {
		w := mailer.do(t, inkform.RoleAdmin, "POST", "/api/v1/forms/"+mailForm.ID+"/handlers", "application/json",
			`{"type":"email","to":["`+to+`"],"events":["document.validated"]}`)
		if w.Code != status {
			t.Errorf("e-mail to %s: %d %s, want %d", to, w.Code, w.Body, status)
		}
	}

	// A PATCH changes what it names and keeps the rest; the form-scoped
	// path reaches the same handler.
	w = e.do(t, inkform.RoleAdmin, "PATCH", base+"/"+created.ID, "application/json",
		`{"events":["document.validated","document.purged"],"conditions":[{"field":"urgent","op":"equals","value":true}]}`)
	var patched inkform.Subscription
	decodeJSONBody(t, w, &patched)
	if w.Code != 200 || patched.URL != "https://example.com/hook" || len(patched.Events) != 2 || len(patched.Conditions) != 1 {
		t.Errorf("patch: %d %s", w.Code, w.Body)
	}
	var redo struct {
		Job       int64  `json:"job"`
		MessageID string `json:"messageId"`
	}
	w = e.do(t, inkform.RoleIntegrator, "POST", "/api/v1/handlers/"+created.ID+"/deliveries/"+strconv.FormatInt(logged.ID, 10)+"/redeliver", "", "")
	if decodeJSONBody(t, w, &redo); w.Code != 202 || redo.MessageID != "msg_1" {
		t.Errorf("redeliver: %d %s", w.Code, w.Body)
	}
	if j := e.jobs.Job(redo.Job); j == nil || j.Kind != "deliver" || !strings.Contains(string(j.Args), `"messageId":"msg_1"`) {
		t.Errorf("redelivery job %d is %+v; want a delivery of msg_1", redo.Job, j)
	}

	tests := []struct {
		name         string
		role         inkform.Role
		method, path string
		body         string
		status       int
		problem      string // path of the one expected problem, for 422
	}{
		{"bad url", inkform.RoleAdmin, "POST", base, `{"type":"webhook","url":"ftp://x","events":["document.validated"]}`, 422, "url"},
		{"bad event", inkform.RoleAdmin, "POST", base, `{"type":"webhook","url":"https://x.com","events":["document.gone"]}`, 422, "events"},
		{"bad type", inkform.RoleAdmin, "POST", base, `{"type":"fax","url":"https://x.com","events":["document.validated"]}`, 422, "type"},
		{"setting of another type", inkform.RoleAdmin, "POST", base, `{"type":"email","url":"https://x.com","to":["a@b.org"],"events":["document.validated"]}`, 422, "type"},
		{"email without smtp", inkform.RoleAdmin, "POST", base, `{"type":"email","to":["a@b.org"],"events":["document.validated"]}`, 422, "type"},
		{"unknown export target", inkform.RoleAdmin, "POST", base, `{"type":"export","target":"nas","format":"pdf","events":["document.validated"]}`, 422, "target"},
		{"condition on no field", inkform.RoleAdmin, "POST", base, `{"type":"webhook","url":"https://x.com","events":["document.validated"],"conditions":[{"field":"nope","op":"not_empty"}]}`, 422, "conditions"},
		{"bad condition op", inkform.RoleAdmin, "POST", base, `{"type":"webhook","url":"https://x.com","events":["document.validated"],"conditions":[{"field":"urgent","op":"like","value":"x"}]}`, 422, "conditions"},
		{"patch type", inkform.RoleAdmin, "PATCH", "/api/v1/handlers/" + created.ID, `{"type":"email"}`, 422, "type"},
		{"patch bad url", inkform.RoleAdmin, "PATCH", "/api/v1/handlers/" + created.ID, `{"url":"nope"}`, 422, "url"},
		{"other form's handler", inkform.RoleAdmin, "GET", "/api/v1/forms/" + inkform.NewID() + "/handlers/" + created.ID, "", 404, ""},
		{"redeliver unknown", inkform.RoleAdmin, "POST", "/api/v1/handlers/" + created.ID + "/deliveries/999/redeliver", "", 404, ""},
		{"redeliver bad id", inkform.RoleAdmin, "POST", "/api/v1/handlers/" + created.ID + "/deliveries/x/redeliver", "", 404, ""},
		{"unknown key", inkform.RoleAdmin, "POST", base, `{"type":"webhook","url":"https://x.com","events":["document.validated"],"secret":"x"}`, 400, ""},
		{"unknown form", inkform.RoleAdmin, "POST", "/api/v1/forms/" + inkform.NewID() + "/handlers", `{"type":"webhook","url":"https://x.com","events":["document.validated"]}`, 404, ""},
		{"list unknown form", inkform.RoleAdmin, "GET", "/api/v1/forms/" + inkform.NewID() + "/handlers", "", 404, ""},
		{"verifier", inkform.RoleVerifier, "GET", "/api/v1/handlers/" + created.ID, "", 403, ""},
		{"designer", inkform.RoleDesigner, "POST", base, `{"type":"webhook","url":"https://x.com","events":["document.validated"]}`, 403, ""},
		{"unknown handler", inkform.RoleAdmin, "GET", "/api/v1/handlers/" + inkform.NewID(), "", 404, ""},
		{"delete", inkform.RoleIntegrator, "DELETE", "/api/v1/handlers/" + created.ID, "", 204, ""},
		{"deleted", inkform.RoleAdmin, "GET", "/api/v1/handlers/" + created.ID, "", 404, ""},
	}
	for _, tt := range tests {
		ct := ""
		if tt.body != "" {
			ct = "application/json"
		}
		w := e.do(t, tt.role, tt.method, tt.path, ct, tt.body)
		if w.Code != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, w.Code, w.Body, tt.status)
		}
		if tt.problem != "" {
			if p := decodeProblem(t, w); len(p.Problems) != 1 || p.Problems[0].Path != tt.problem {
				t.Errorf("%s: problems %+v, want one at %q", tt.name, p.Problems, tt.problem)
			}
		}
	}
}

func TestSubscriptionRoutesUnavailable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if w := e.do(t, inkform.RoleAdmin, "GET", "/api/v1/handlers/"+inkform.NewID(), "", ""); w.Code != 503 {
		t.Errorf("without a store: %d", w.Code)
	}
}

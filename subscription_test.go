package inkform_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

func TestSubscriptionValidate(t *testing.T) {
	t.Parallel()
	ok := func() inkform.Subscription {
		return inkform.Subscription{Type: "webhook", URL: "https://example.com/hook", Events: []string{"document.validated"}}
	}
	email := func() inkform.Subscription {
		return inkform.Subscription{Type: "email", To: []string{"ward@example.org"}, Subject: "{{.Form.Name}} {{.Values.patient_no}}",
			Events: []string{"document.validated"}}
	}
	export := func() inkform.Subscription {
		return inkform.Subscription{Type: "export", Target: "archive", Format: "pdf", Path: "{form}/{yyyy}/{mm}/{document}.{ext}",
			Events: []string{"document.validated"}}
	}
	tests := []struct {
		name   string
		change func(h *inkform.Subscription)
		want   string // substring of the error; "" for valid
	}{
		{"valid", func(*inkform.Subscription) {}, ""},
		{"all events", func(h *inkform.Subscription) { h.Events = inkform.SubscriptionEvents() }, ""},
		{"http", func(h *inkform.Subscription) { h.URL = "http://example.com/" }, ""},
		{"type", func(h *inkform.Subscription) { h.Type = "fax" }, "type"},
		{"url on email", func(h *inkform.Subscription) { h.Type = "email"; h.To = []string{"a@b.org"} }, `"url" does not apply`},
		{"email", func(h *inkform.Subscription) { *h = email() }, ""},
		{"email no to", func(h *inkform.Subscription) { *h = email(); h.To = nil }, "recipients"},
		{"email named to", func(h *inkform.Subscription) { *h = email(); h.To = []string{"Ann <a@b.org>"} }, "plain address"},
		{"email two lines", func(h *inkform.Subscription) { *h = email(); h.Subject = "a\r\nBcc: x@y.org" }, "one line"},
		{"email bad template", func(h *inkform.Subscription) { *h = email(); h.Body = "{{.Values" }, "body template"},
		{"email range values", func(h *inkform.Subscription) {
			*h = email()
			h.Body = "{{range $k, $v := .Values}}{{if ne $v \"\"}}{{$k}}={{$v}}{{end}}{{end}}{{index .Values \"a\"}}"
		}, ""},
		{"email range number", func(h *inkform.Subscription) { *h = email(); h.Body = "{{range 1000000000}}x{{end}}" }, "range may only"},
		{"email nested range", func(h *inkform.Subscription) {
			*h = email()
			h.Body = "{{range .Values}}{{range .Values}}x{{end}}{{end}}"
		}, "inside a range"},
		{"email define", func(h *inkform.Subscription) {
			*h = email()
			h.Body = `{{define "a"}}{{template "a"}}{{end}}{{template "a"}}`
		}, "not allowed"},
		{"email block", func(h *inkform.Subscription) { *h = email(); h.Subject = `{{block "a" .}}x{{end}}` }, "not allowed"},
		{"email printf", func(h *inkform.Subscription) { *h = email(); h.Body = `{{printf "%0999999999d" 1}}` }, "printf"},
		{"email too big", func(h *inkform.Subscription) { *h = email(); h.Body = strings.Repeat("{{.Y}}", 2100) }, "elements"},
		{"export", func(h *inkform.Subscription) { *h = export() }, ""},
		{"export default path", func(h *inkform.Subscription) { *h = export(); h.Path = "" }, ""},
		{"export bad target", func(h *inkform.Subscription) { *h = export(); h.Target = "../x" }, "export target"},
		{"export bad format", func(h *inkform.Subscription) { *h = export(); h.Format = "xml" }, "export format"},
		{"export purged", func(h *inkform.Subscription) { *h = export(); h.Events = []string{"document.purged"} }, "nothing is left"},
		{"pdf on arrival", func(h *inkform.Subscription) { *h = export(); h.Events = []string{"document.received"} }, "no PDF"},
		{"export dotdot", func(h *inkform.Subscription) { *h = export(); h.Path = "../{document}.pdf" }, "relative"},
		{"export unknown placeholder", func(h *inkform.Subscription) { *h = export(); h.Path = "{org}/{document}" }, "unknown placeholder"},
		{"export absolute", func(h *inkform.Subscription) { *h = export(); h.Path = "/{document}" }, "relative"},
		{"export dot segment", func(h *inkform.Subscription) { *h = export(); h.Path = ".cache/{document}.{ext}" }, "export path"},
		{"export control character", func(h *inkform.Subscription) { *h = export(); h.Path = "a\x01/{document}" }, "export path"},
		{"condition", func(h *inkform.Subscription) {
			h.Conditions = []inkform.Condition{{Field: "urgent", Op: "equals", Value: true}}
		}, ""},
		{"condition needs value", func(h *inkform.Subscription) { h.Conditions = []inkform.Condition{{Field: "urgent", Op: "equals"}} }, "needs a value"},
		{"condition takes none", func(h *inkform.Subscription) {
			h.Conditions = []inkform.Condition{{Field: "urgent", Op: "empty", Value: 1.0}}
		}, "takes no value"},
		{"condition numeric", func(h *inkform.Subscription) { h.Conditions = []inkform.Condition{{Field: "n", Op: "gt", Value: "x"}} }, "needs a number"},
		{"condition in", func(h *inkform.Subscription) { h.Conditions = []inkform.Condition{{Field: "n", Op: "in", Value: "x"}} }, "list"},
		{"too many conditions", func(h *inkform.Subscription) {
			h.Conditions = make([]inkform.Condition, inkform.MaxConditions+1)
		}, "at most"},
		{"no events", func(h *inkform.Subscription) { h.Events = nil }, "at least one event"},
		{"unknown event", func(h *inkform.Subscription) { h.Events = []string{"document.deleted"} }, "unknown handler event"},
		{"twice", func(h *inkform.Subscription) { h.Events = []string{"document.validated", "document.validated"} }, "twice"},
		{"relative", func(h *inkform.Subscription) { h.URL = "/hook" }, "absolute"},
		{"ftp", func(h *inkform.Subscription) { h.URL = "ftp://example.com/" }, "absolute"},
		{"credentials", func(h *inkform.Subscription) { h.URL = "https://u:p@example.com/" }, "credentials"},
		{"long", func(h *inkform.Subscription) { h.URL = "https://example.com/" + strings.Repeat("a", 2048) }, "longer"},
	}
	for _, tt := range tests {
		h := ok()
		tt.change(&h)
		err := h.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		case tt.want != "" && inkform.ErrorCode(err) != inkform.EINVALID:
			t.Errorf("%s: code %q, want EINVALID", tt.name, inkform.ErrorCode(err))
		}
	}
}

func TestNewWebhookSecret(t *testing.T) {
	t.Parallel()
	a, b := inkform.NewWebhookSecret(), inkform.NewWebhookSecret()
	if a == b {
		t.Fatal("two secrets are equal")
	}
	key, ok := strings.CutPrefix(a, "whsec_")
	if !ok {
		t.Fatalf("secret %q lacks whsec_", a)
	}
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != 24 {
		t.Fatalf("secret key decodes to %d bytes, %v; want 24", len(raw), err)
	}
}

func TestStatusEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to inkform.DocumentStatus
		want     string
	}{
		{inkform.StatusReceived, inkform.StatusValidated, "document.validated"},
		{inkform.StatusNeedsVerification, inkform.StatusValidated, "document.validated"},
		{inkform.StatusReceived, inkform.StatusNeedsVerification, "document.needs_verification"},
		{inkform.StatusValidated, inkform.StatusValidated, ""},
		{inkform.StatusValidated, inkform.StatusReceived, ""},
	}
	for _, tt := range tests {
		if got := inkform.StatusEvent(tt.from, tt.to); got != tt.want {
			t.Errorf("StatusEvent(%s, %s) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestConditionHolds(t *testing.T) {
	t.Parallel()
	fields := map[string]inkform.FieldValue{
		"urgent":  {Value: true},
		"calm":    {Value: false},
		"pain":    {Value: "7"},
		"ward":    {Value: "B2"},
		"signs":   {Value: []string{"fever", "rash"}},
		"note":    {Value: ""},
		"missing": {},
	}
	tests := []struct {
		c    inkform.Condition
		want bool
	}{
		{inkform.Condition{Field: "urgent", Op: "equals", Value: true}, true},
		{inkform.Condition{Field: "calm", Op: "equals", Value: true}, false},
		{inkform.Condition{Field: "absent", Op: "equals", Value: false}, true},
		{inkform.Condition{Field: "pain", Op: "equals", Value: 7.0}, true},
		{inkform.Condition{Field: "pain", Op: "gte", Value: 7.0}, true},
		{inkform.Condition{Field: "pain", Op: "gt", Value: 7.0}, false},
		{inkform.Condition{Field: "pain", Op: "lt", Value: 10.0}, true},
		{inkform.Condition{Field: "ward", Op: "lt", Value: 10.0}, false},
		{inkform.Condition{Field: "ward", Op: "equals", Value: "B2"}, true},
		{inkform.Condition{Field: "ward", Op: "not_equals", Value: "B2"}, false},
		{inkform.Condition{Field: "ward", Op: "in", Value: []any{"A1", "B2"}}, true},
		{inkform.Condition{Field: "ward", Op: "in", Value: []any{"A1"}}, false},
		{inkform.Condition{Field: "signs", Op: "contains", Value: "rash"}, true},
		{inkform.Condition{Field: "signs", Op: "contains", Value: "cough"}, false},
		{inkform.Condition{Field: "note", Op: "empty"}, true},
		{inkform.Condition{Field: "missing", Op: "empty"}, true},
		{inkform.Condition{Field: "calm", Op: "empty"}, true},
		{inkform.Condition{Field: "urgent", Op: "not_empty"}, true},
	}
	for _, tt := range tests {
		if got := tt.c.Holds(fields); got != tt.want {
			t.Errorf("%+v: %v, want %v", tt.c, got, tt.want)
		}
	}
	h := inkform.Subscription{Events: []string{"document.validated"},
		Conditions: []inkform.Condition{{Field: "urgent", Op: "equals", Value: true}, {Field: "pain", Op: "gte", Value: 5.0}}}
	if !h.Matches("document.validated", fields) || h.Matches("document.received", fields) {
		t.Error("Matches with all conditions true")
	}
	fields["pain"] = inkform.FieldValue{Value: "3"}
	if h.Matches("document.validated", fields) {
		t.Error("Matches with one condition false")
	}
}

func TestExpandExportPath(t *testing.T) {
	t.Parallel()
	v := inkform.ExportVars{FormID: "f1", DocumentID: "d1", Status: "validated", Event: "document.validated",
		PenID: "pen/../x", Ext: "pdf", At: time.Date(2026, 3, 9, 7, 0, 0, 0, time.UTC)}
	tests := []struct{ tmpl, want, err string }{
		{"{form}/{yyyy}/{mm}/{document}.{ext}", "f1/2026/03/d1.pdf", ""},
		{"{yyyy}{mm}{dd}-{hh}/{status}/{document}", "20260309-07/validated/d1", ""},
		{"pens/{pen}.{ext}", "pens/pen_.._x.pdf", ""}, // a value cannot add segments
		{"{copy}/{document}", "_/d1", ""},             // an empty value is not an empty segment
		{"a//{document}", "", "relative"},
		{"{document}}", "", "stray"},
		{"{document", "", "unclosed"},
		{"a\\b", "", "backslash"},
	}
	for _, tt := range tests {
		got, err := inkform.ExpandExportPath(tt.tmpl, v)
		if tt.err == "" && (err != nil || got != tt.want) {
			t.Errorf("%q: %q, %v; want %q", tt.tmpl, got, err, tt.want)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%q: %q, %v; want an error with %q", tt.tmpl, got, err, tt.err)
		}
	}
}

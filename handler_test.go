package inkform_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

func TestHandlerValidate(t *testing.T) {
	t.Parallel()
	ok := func() inkform.Handler {
		return inkform.Handler{Type: "webhook", URL: "https://example.com/hook", Events: []string{"document.validated"}}
	}
	tests := []struct {
		name   string
		change func(h *inkform.Handler)
		want   string // substring of the error; "" for valid
	}{
		{"valid", func(*inkform.Handler) {}, ""},
		{"all events", func(h *inkform.Handler) { h.Events = inkform.HandlerEvents() }, ""},
		{"http", func(h *inkform.Handler) { h.URL = "http://example.com/" }, ""},
		{"type", func(h *inkform.Handler) { h.Type = "email" }, "type"},
		{"no events", func(h *inkform.Handler) { h.Events = nil }, "at least one event"},
		{"unknown event", func(h *inkform.Handler) { h.Events = []string{"document.deleted"} }, "unknown handler event"},
		{"twice", func(h *inkform.Handler) { h.Events = []string{"document.validated", "document.validated"} }, "twice"},
		{"relative", func(h *inkform.Handler) { h.URL = "/hook" }, "absolute"},
		{"ftp", func(h *inkform.Handler) { h.URL = "ftp://example.com/" }, "absolute"},
		{"credentials", func(h *inkform.Handler) { h.URL = "https://u:p@example.com/" }, "credentials"},
		{"long", func(h *inkform.Handler) { h.URL = "https://example.com/" + strings.Repeat("a", 2048) }, "longer"},
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

package deliver_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/deliver"
)

// verify checks a request's signature as the Standard Webhooks spec says a
// receiver must, written here from the spec rather than with deliver.Sign.
func verify(t *testing.T, secret string, r *http.Request, body []byte) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(r.Header.Get("webhook-id") + "." + r.Header.Get("webhook-timestamp") + "." + string(body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if got := r.Header.Get("webhook-signature"); got != want {
		t.Errorf("webhook-signature %q, want %q", got, want)
	}
	ts, err := strconv.ParseInt(r.Header.Get("webhook-timestamp"), 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > time.Minute {
		t.Errorf("webhook-timestamp %q is not now", r.Header.Get("webhook-timestamp"))
	}
}

// fixture returns a sender for one subscription on url and its store.
func fixture(url string, allowPrivate bool) (*deliver.Sender, *oneSubscription, inkform.DeliverArgs) {
	h := &inkform.Subscription{ID: "h1", OrgID: "o1", FormID: "f1", Type: "webhook", URL: url, Events: []string{inkform.EventDocumentValidated}}
	store := newOneSubscription(h, inkform.NewWebhookSecret())
	doc := &inkform.Document{ID: "d1", OrgID: "o1", FormID: "f1", Status: inkform.StatusValidated,
		Fields: map[string]inkform.FieldValue{"patient": {Value: "ANNA", Valid: true}}}
	s := &deliver.Sender{Subscriptions: store, Documents: oneDoc(doc), BaseURL: "https://inkform.example/", Client: deliver.NewClient(allowPrivate)}
	return s, store, inkform.DeliverArgs{SubscriptionID: "h1", DocumentID: "d1", Event: inkform.EventDocumentValidated, MessageID: "msg_1"}
}

func TestDeliverSignsAndRetries(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		calls int
		ids   []string
		body  []byte
		req   *http.Request
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		calls++
		ids = append(ids, r.Header.Get("webhook-id"))
		body, req = b, r
		if calls == 1 {
			http.Error(w, "try later", http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	s, store, args := fixture(srv.URL, true)
	at := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

	args.EventAt = at
	err := s.Deliver(context.Background(), "o1", args, 1)
	if err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("first attempt: %v, want an error naming 500", err)
	}
	if err := s.Deliver(context.Background(), "o1", args, 2); err != nil {
		t.Fatalf("second attempt: %v", err)
	}
	verify(t, store.secret, req, body)
	if len(ids) != 2 || ids[0] != "msg_1" || ids[1] != "msg_1" {
		t.Errorf("webhook-id across retries: %v", ids)
	}
	var msg struct {
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
		Data      struct {
			ID     string                        `json:"id"`
			Status string                        `json:"status"`
			Fields map[string]inkform.FieldValue `json:"fields"`
			Links  inkform.Links                 `json:"links"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		t.Fatal(err)
	}
	if msg.Type != "document.validated" || msg.Timestamp != "2026-11-27T12:00:00Z" || msg.Data.ID != "d1" ||
		msg.Data.Status != "validated" || msg.Data.Fields["patient"].Value != "ANNA" ||
		msg.Data.Links.PDF != "https://inkform.example/api/v1/documents/d1/pdf" ||
		msg.Data.Links.Ink != "https://inkform.example/api/v1/documents/d1/ink" {
		t.Errorf("message %s", body)
	}
	rec := store.recorded()
	if len(rec) != 2 || rec[0].StatusCode != 500 || rec[0].Attempt != 1 ||
		!strings.Contains(rec[0].Error, "try later") || rec[1].StatusCode != 200 ||
		rec[1].Attempt != 2 || rec[1].Error != "" {
		t.Errorf("recorded deliveries %+v", rec)
	}
	for _, d := range rec {
		if strings.Contains(d.Error, strings.TrimPrefix(store.secret, "whsec_")) {
			t.Errorf("the secret is in a recorded error")
		}
	}
}

func TestDeliverRefusesPrivateAddress(t *testing.T) {
	t.Parallel()
	called := false
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	defer srv.Close()
	for _, url := range []string{srv.URL, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)} {
		s, store, args := fixture(url, false)
		err := s.Deliver(context.Background(), "o1", args, 1)
		if !errors.Is(err, deliver.ErrPrivateAddress) {
			t.Errorf("%s: error %v, want ErrPrivateAddress", url, err)
		}
		if rec := store.recorded(); len(rec) != 1 || rec[0].StatusCode != 0 || rec[0].Error == "" {
			t.Errorf("%s: refused attempt not recorded: %+v", url, rec)
		}
	}
	if called {
		t.Error("the private receiver was called")
	}
}

func TestDeliverGoneIsNotFound(t *testing.T) {
	t.Parallel()
	s, _, args := fixture("https://example.com/", false)
	tests := []struct {
		name   string
		org    string
		change func(a *inkform.DeliverArgs)
	}{
		{"handler", "o1", func(a *inkform.DeliverArgs) { a.SubscriptionID = "h2" }},
		{"document", "o1", func(a *inkform.DeliverArgs) { a.DocumentID = "d2" }},
		{"other org", "o2", func(*inkform.DeliverArgs) {}},
	}
	for _, tt := range tests {
		a := args
		tt.change(&a)
		if err := s.Deliver(context.Background(), tt.org, a, 1); inkform.ErrorCode(err) != inkform.ENOTFOUND {
			t.Errorf("%s: %v, want ENOTFOUND", tt.name, err)
		}
	}
}

// TestDeliverDocumentSendsGivenDocument checks that DeliverDocument sends
// the document it is given without reading the store, and refuses to send
// a document event without one.
func TestDeliverDocumentSendsGivenDocument(t *testing.T) {
	t.Parallel()
	bodies := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- b
	}))
	defer srv.Close()
	s, _, args := fixture(srv.URL+"/hook", true)
	s.Documents = oneDoc(&inkform.Document{ID: "other", OrgID: "o1"}) // d1 is not in the store
	doc := &inkform.Document{ID: "d1", OrgID: "o1", FormID: "f1", Status: inkform.StatusValidated,
		Fields: map[string]inkform.FieldValue{"patient": {Value: "BERTA", Valid: true}}}
	if err := s.DeliverDocument(context.Background(), "o1", args, 1, doc); err != nil {
		t.Fatalf("DeliverDocument: %v", err)
	}
	if body := <-bodies; !strings.Contains(string(body), `"BERTA"`) || !strings.Contains(string(body), `"d1"`) {
		t.Errorf("body %s lacks the given document", body)
	}
	if err := s.Deliver(context.Background(), "o1", args, 1); inkform.ErrorCode(err) != inkform.ENOTFOUND {
		t.Errorf("Deliver, which reads the store: %v; want ENOTFOUND", err)
	}
	if err := s.DeliverDocument(context.Background(), "o1", args, 1, nil); err == nil || !strings.Contains(err.Error(), "not read") {
		t.Errorf("DeliverDocument without a document: %v; want an error", err)
	}
}

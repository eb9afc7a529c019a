package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// webhookCall is one request a test receiver got.
type webhookCall struct {
	header http.Header
	body   []byte
}

// TestWebhookDeliversValidatedDocument follows an integration end to end:
// a subscription is added to a form, a valid digital submission is validated by
// the interpret worker, and the receiver gets a document.validated message
// whose signature it checks as Standard Webhooks tells a receiver to. The
// receiver listens on loopback, so the server runs with
// --webhook-allow-private.
func TestWebhookDeliversValidatedDocument(t *testing.T) {
	t.Parallel()
	calls := make(chan webhookCall, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		calls <- webhookCall{header: r.Header.Clone(), body: b}
	}))
	defer recv.Close()

	s := startServerArgs(t, nil, []string{"--webhook-allow-private"})
	tok := s.org(t, "clinic", "admin", "integrator")
	formID := createSampleForm(t, s, tok["admin"])

	r := s.call(t, "POST", "/api/v1/forms/"+formID+"/handlers", tok["integrator"], "application/json",
		[]byte(`{"type":"webhook","url":"`+recv.URL+`/hook","events":["document.validated"]}`))
	want(t, r, 201, "create handler")
	var h struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	r.json(t, &h)
	if h.ID == "" || !strings.HasPrefix(h.Secret, "whsec_") {
		t.Fatalf("created handler %s", r.body)
	}
	if r := s.call(t, "GET", "/api/v1/handlers/"+h.ID, tok["integrator"], "", nil); r.status != 200 || strings.Contains(string(r.body), h.Secret) {
		t.Fatalf("GET handler: %d %s", r.status, r.body)
	}

	body := `{"fields":{"patient_no":"004711","visit_date":"271126","dressing_changed":true,"pain":"some",
		"signature":{"strokes":[{"points":[[5,10],[20,4],[35,15],[50,5],[70,12]]}]}}}`
	r = s.call(t, "POST", "/api/v1/forms/"+formID+"/submissions", tok["integrator"], "application/json", []byte(body))
	want(t, r, 201, "digital submission")
	var doc struct{ ID string }
	r.json(t, &doc)

	var call webhookCall
	select {
	case call = <-calls:
	case <-time.After(15 * time.Second):
		t.Fatal("no webhook delivery within 15 s")
	}
	verifyStandardWebhook(t, h.Secret, call)
	var msg struct {
		Type      string `json:"type"`
		Timestamp string `json:"timestamp"`
		Data      struct {
			ID     string                    `json:"id"`
			Status string                    `json:"status"`
			Fields map[string]map[string]any `json:"fields"`
			Links  inkform.Links             `json:"links"`
		} `json:"data"`
	}
	if err := json.Unmarshal(call.body, &msg); err != nil {
		t.Fatal(err)
	}
	if _, err := time.Parse(time.RFC3339, msg.Timestamp); err != nil || msg.Type != "document.validated" ||
		msg.Data.ID != doc.ID || msg.Data.Status != "validated" || msg.Data.Fields["patient_no"]["value"] != "004711" ||
		!strings.HasSuffix(msg.Data.Links.PDF, "/api/v1/documents/"+doc.ID+"/pdf") ||
		!strings.HasSuffix(msg.Data.Links.Ink, "/api/v1/documents/"+doc.ID+"/ink") {
		t.Errorf("message %s", call.body)
	}

	// The attempt is in the subscription's log, with the message's webhook-id.
	var log struct {
		Deliveries []struct {
			MessageID  string `json:"messageId"`
			StatusCode int    `json:"statusCode"`
		} `json:"deliveries"`
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(log.Deliveries) == 0 && time.Now().Before(deadline) {
		r = s.call(t, "GET", "/api/v1/handlers/"+h.ID+"/deliveries", tok["integrator"], "", nil)
		want(t, r, 200, "list deliveries")
		r.json(t, &log)
		time.Sleep(20 * time.Millisecond)
	}
	if len(log.Deliveries) != 1 || log.Deliveries[0].StatusCode != 200 || log.Deliveries[0].MessageID != call.header.Get("webhook-id") {
		t.Errorf("delivery log %+v", log)
	}
	select {
	case extra := <-calls:
		t.Errorf("a second delivery: %s", extra.body)
	case <-time.After(200 * time.Millisecond):
	}
}

// verifyStandardWebhook checks a delivery's headers as the Standard
// Webhooks spec describes, independently of the server's signing code.
func verifyStandardWebhook(t *testing.T, secret string, c webhookCall) {
	t.Helper()
	id, ts := c.header.Get("webhook-id"), c.header.Get("webhook-timestamp")
	if id == "" {
		t.Error("no webhook-id")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		t.Errorf("webhook-timestamp %q is not a recent Unix time", ts)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(c.body)))
	expected := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	// The header may hold several space-separated signatures.
	for _, sig := range strings.Fields(c.header.Get("webhook-signature")) {
		if hmac.Equal([]byte(sig), []byte(expected)) {
			return
		}
	}
	t.Errorf("webhook-signature %q does not verify", c.header.Get("webhook-signature"))
}

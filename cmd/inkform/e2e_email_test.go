package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// TestEmailSubscription sends a validated document's e-mail through the real
// SMTP server that .ci/run starts (mailpit: STARTTLS required, a password)
// and reads it back from the server's API: subject and body from the
// subscription's templates with the document's values, the PDF attached.
func TestEmailSubscription(t *testing.T) {
	t.Parallel()
	smtpURL, api, ca := os.Getenv("INKFORM_TEST_SMTP_URL"), os.Getenv("INKFORM_TEST_SMTP_API"), os.Getenv("INKFORM_TEST_SMTP_CA")
	if smtpURL == "" {
		t.Skip("INKFORM_TEST_SMTP_URL is unset: no real SMTP server to test against (.ci/run starts mailpit)")
	}
	if api == "" || ca == "" {
		t.Fatal("INKFORM_TEST_SMTP_URL is set without INKFORM_TEST_SMTP_API and INKFORM_TEST_SMTP_CA")
	}
	s := startServerArgs(t, nil, []string{"--smtp-url", smtpURL, "--smtp-from", "forms@inkform.test", "--smtp-ca", ca,
		"--public-url", "https://forms.clinic.example"})
	tok := s.org(t, "clinic", "admin", "integrator")
	formID := createSampleForm(t, s, tok["admin"])
	r := s.call(t, "POST", "/api/v1/forms/"+formID+"/handlers", tok["integrator"], "application/json", []byte(`{
		"type":"email","to":["ward7@inkform.test"],"events":["document.validated"],
		"subject":"Wound check {{.Values.patient_no}} {{.Document.ID}}",
		"body":"Patient {{.Values.patient_no}}, dressing changed: {{.Values.dressing_changed}}\nPDF: {{.Links.PDF}}\n",
		"conditions":[{"field":"dressing_changed","op":"equals","value":true}]}`))
	want(t, r, 201, "create e-mail handler")
	if strings.Contains(string(r.body), "secret") {
		t.Errorf("an e-mail handler shows a secret: %s", r.body)
	}

	r = s.call(t, "POST", "/api/v1/forms/"+formID+"/submissions", tok["integrator"], "application/json", []byte(validSubmission))
	want(t, r, 201, "digital submission")
	var doc struct{ ID string }
	r.json(t, &doc)

	msg := findMail(t, api, "Wound check 004711 "+doc.ID)
	if len(msg.To) != 1 || msg.To[0].Address != "ward7@inkform.test" ||
		!strings.Contains(msg.Text, "Patient 004711, dressing changed: yes") ||
		!strings.Contains(msg.Text, "https://forms.clinic.example/api/v1/documents/"+doc.ID+"/pdf") {
		t.Errorf("mail to %+v: %q", msg.To, msg.Text)
	}
	if len(msg.Attachments) != 1 || msg.Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("attachments %+v", msg.Attachments)
	}
	part := fetch(t, api+"/api/v1/message/"+url.PathEscape(msg.ID)+"/part/"+url.PathEscape(msg.Attachments[0].PartID))
	pdf := waitPDF(t, s, doc.ID, tok["integrator"])
	if !bytes.HasPrefix(part, []byte("%PDF-")) || !bytes.Equal(part, pdf.body) {
		t.Errorf("attachment of %d bytes is not the document's PDF (%d bytes)", len(part), len(pdf.body))
	}
}

// mailpitMail is what mailpit's GET /api/v1/message/{ID} answers, in part.
type mailpitMail struct {
	ID, Subject, Text string
	To                []struct{ Address string }
	Attachments       []struct{ PartID, ContentType string }
}

// findMail waits for the message with the subject and returns it.
func findMail(t *testing.T, api, subject string) *mailpitMail {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var list struct {
			Messages []struct{ ID, Subject string }
		}
		if err := json.Unmarshal(fetch(t, api+"/api/v1/messages?limit=500"), &list); err != nil {
			t.Fatal(err)
		}
		for _, m := range list.Messages {
			if m.Subject == subject {
				var msg mailpitMail
				if err := json.Unmarshal(fetch(t, api+"/api/v1/message/"+url.PathEscape(m.ID)), &msg); err != nil {
					t.Fatal(err)
				}
				return &msg
			}
		}
	}
	t.Fatalf("no mail %q arrived within 20 s", subject)
	return nil
}

// fetch GETs a URL of the mail server's API.
func fetch(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return b
}

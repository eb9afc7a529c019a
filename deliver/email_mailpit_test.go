package deliver_test

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform/deliver"
)

// mailpitServer returns a client for the SMTP server .ci/run starts
// (mailpit, STARTTLS required, with a password) and the base URL of its
// REST API, or skips the test when INKFORM_TEST_SMTP_URL is unset. A set
// but unreachable server fails the test.
func mailpitServer(t *testing.T) (*deliver.SMTP, string) {
	t.Helper()
	raw := os.Getenv("INKFORM_TEST_SMTP_URL")
	if raw == "" {
		t.Skip("INKFORM_TEST_SMTP_URL is unset: no real SMTP server to test against (.ci/run starts mailpit)")
	}
	api := strings.TrimRight(os.Getenv("INKFORM_TEST_SMTP_API"), "/")
	if api == "" {
		t.Fatal("INKFORM_TEST_SMTP_URL is set but INKFORM_TEST_SMTP_API is not")
	}
	s, err := deliver.ParseSMTP(raw, "Inkform CI <forms@inkform.test>")
	if err != nil {
		t.Fatal(err)
	}
	if ca := os.Getenv("INKFORM_TEST_SMTP_CA"); ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			t.Fatalf("no certificate in %s", ca)
		}
		s.TLSConfig = &tls.Config{RootCAs: pool}
	}
	s.Timeout = 20 * time.Second
	return s, api
}

// mailpitMessage is what GET /api/v1/message/{ID} answers, in part.
type mailpitMessage struct {
	ID, MessageID, Subject, Text string
	To                           []struct{ Address string }
	Attachments                  []struct{ PartID, FileName, ContentType string }
}

// getJSON fetches a mailpit API path into v.
func getJSON(ctx context.Context, api, path string, v any) error {
	body, err := getBytes(ctx, api+path)
	if err != nil {
		return err
	}
	return json.Unmarshal(body, v)
}

func getBytes(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return b, nil
}

// findMailpit waits until mailpit holds the message with this Message-ID
// (without brackets) and returns it.
func findMailpit(t *testing.T, api, messageID string) *mailpitMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		var list struct {
			Messages []struct{ ID, MessageID string }
		}
		if err := getJSON(ctx, api, "/api/v1/messages?limit=500", &list); err != nil {
			t.Fatalf("mailpit api: %v", err)
		}
		for _, m := range list.Messages {
			if m.MessageID == messageID {
				var msg mailpitMessage
				if err := getJSON(ctx, api, "/api/v1/message/"+url.PathEscape(m.ID), &msg); err != nil {
					t.Fatalf("mailpit api: %v", err)
				}
				return &msg
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("mailpit never received message %s", messageID)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func TestEmailMailpit(t *testing.T) {
	t.Parallel()
	s, api := mailpitServer(t)
	fx := newMailFixture(s)
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	fx.args.MessageID = "msg_ci_" + hex.EncodeToString(id)
	fx.store.h.To = []string{"desk@inkform.test", "archive@inkform.test"}

	if err := fx.deliver(1); err != nil {
		t.Fatalf("deliver through %s: %v", s, err)
	}
	msg := findMailpit(t, api, fx.args.MessageID+"@inkform")
	if msg.Subject != "Intake (Köln): ANNA Müller (validated)" {
		t.Errorf("subject %q", msg.Subject)
	}
	if len(msg.To) != 2 || msg.To[0].Address != "desk@inkform.test" || msg.To[1].Address != "archive@inkform.test" {
		t.Errorf("to %+v", msg.To)
	}
	for _, want := range []string{"patient=ANNA Müller;", "consent=yes;", "allergies=nuts, milk;", "pdf=https://inkform.example/api/v1/documents/d1/pdf"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("text %q lacks %q", msg.Text, want)
		}
	}
	if len(msg.Attachments) != 1 || msg.Attachments[0].FileName != "Intake_K_ln-d1.pdf" || msg.Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("attachments %+v", msg.Attachments)
	}
	part, err := getBytes(context.Background(), api+"/api/v1/message/"+url.PathEscape(msg.ID)+"/part/"+url.PathEscape(msg.Attachments[0].PartID))
	if err != nil {
		t.Fatal(err)
	}
	if string(part) != string(fx.deps.pdf) {
		t.Errorf("attachment: %d bytes, want the %d of the PDF", len(part), len(fx.deps.pdf))
	}
	if rec := fx.store.recorded(); len(rec) != 1 || rec[0].StatusCode != 250 || rec[0].Error != "" {
		t.Errorf("recorded %+v", rec)
	}
}

func TestEmailMailpitRefusals(t *testing.T) {
	t.Parallel()
	s, _ := mailpitServer(t)
	wrong := *s
	wrong.Password = "not-the-password"
	plain := *s
	plain.Mode, plain.Username, plain.Password = deliver.SMTPNone, "", ""
	cases := []struct {
		name      string
		s         *deliver.SMTP
		wantErr   string
		permanent bool
	}{
		// mailpit answers 535 to a wrong password: the operator's mistake,
		// which a retry after a fix mends.
		{"wrong password", &wrong, "auth as", false},
		// STARTTLS is required: a plain session's MAIL gets a 5xx.
		{"no tls", &plain, "smtp mail from", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, err := tc.s.Send(context.Background(), testMail())
			if err == nil || code < 500 || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Send = %d, %v; want a 5xx naming %q", code, err, tc.wantErr)
			}
			t.Logf("%s: %d %v", tc.name, code, err)
			if errors.Is(err, deliver.ErrPermanent) != tc.permanent {
				t.Errorf("ErrPermanent %v, want %v: %v", !tc.permanent, tc.permanent, err)
			}
			if strings.Contains(err.Error(), "not-the-password") || strings.Contains(err.Error(), s.Password) {
				t.Errorf("error %q holds the password", err)
			}
		})
	}
}

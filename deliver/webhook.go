// Package deliver delivers document events to a form's subscriptions. Webhooks
// follow Standard Webhooks (https://www.standardwebhooks.com/): a JSON
// body signed with HMAC-SHA256 under the subscription's secret, in the headers
// webhook-id, webhook-timestamp and webhook-signature.
package deliver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// DocumentFinder reads a document as GET /api/v1/documents/{id} shows it.
type DocumentFinder interface {
	FindDocument(ctx context.Context, orgID, id string) (*inkform.Document, error)
}

// Sender sends deliveries and records every attempt in the subscription's log.
type Sender struct {
	Subscriptions inkform.SubscriptionStore
	Documents     DocumentFinder
	// BaseURL prefixes the links of a message ("" gives absolute paths).
	BaseURL string
	// Client sends the requests; NewClient(false) when nil.
	Client *http.Client
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Message is the body of a delivery.
type Message struct {
	Type      string          `json:"type"`
	Timestamp string          `json:"timestamp"` // RFC 3339
	Data      json.RawMessage `json:"data"`
}

var _ inkform.DocumentDeliverer = (*Sender)(nil)

// Deliver sends one attempt of a delivery and records it. It returns an
// error when the attempt failed (no answer or a non-2xx status), which the
// queue retries with backoff; a subscription or document that is gone is an
// ENOTFOUND error, which no retry will mend. The message's timestamp is
// args.EventAt, the same on every attempt.
func (s *Sender) Deliver(ctx context.Context, orgID string, args inkform.DeliverArgs, n int) error {
	var doc *inkform.Document
	if args.Event != inkform.EventDocumentPurged {
		var err error
		if doc, err = s.Documents.FindDocument(ctx, orgID, args.DocumentID); err != nil {
			return fmt.Errorf("find document: %w", err)
		}
	}
	return s.DeliverDocument(ctx, orgID, args, n, doc)
}

// DeliverDocument implements inkform.DocumentDeliverer: Deliver with the
// document already read (nil for document.purged, whose message carries
// the purge record instead).
func (s *Sender) DeliverDocument(ctx context.Context, orgID string, args inkform.DeliverArgs, n int, doc *inkform.Document) error {
	if doc == nil && args.Event != inkform.EventDocumentPurged {
		return fmt.Errorf("deliver %s: the document was not read", args.Event)
	}
	h, secret, err := s.Subscriptions.FindSubscriptionSecret(ctx, orgID, args.SubscriptionID)
	if err != nil {
		return fmt.Errorf("find handler: %w", err)
	}
	body, err := s.message(args, doc)
	if err != nil {
		return err
	}
	a := startAttempt(s.Subscriptions, orgID, args, n, s.Now)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	ts := strconv.FormatInt(a.start.Unix(), 10)
	sig, err := Sign(secret, args.MessageID, ts, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "inkform-webhook")
	req.Header.Set("webhook-id", args.MessageID)
	req.Header.Set("webhook-timestamp", ts)
	req.Header.Set("webhook-signature", sig)
	code, sendErr := s.send(req)
	return a.finish(ctx, code, sendErr)
}

// send posts req and returns the status code; it fails unless the answer
// is 2xx. The error text holds the status and the start of the answer,
// never the request or its headers (the signature is derived from the
// secret).
func (s *Sender) send(req *http.Request) (int, error) {
	client := s.Client
	if client == nil {
		client = NewClient(false)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("webhook post: %w", err)
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("webhook answered %d: %s", resp.StatusCode, strings.TrimSpace(string(head)))
	}
	return resp.StatusCode, nil
}

// message returns the body of a delivery: the event's type, its time and
// its data.
func (s *Sender) message(args inkform.DeliverArgs, doc *inkform.Document) ([]byte, error) {
	data, err := eventData(s.BaseURL, args, doc)
	if err != nil {
		return nil, err
	}
	at := args.EventAt
	if at.IsZero() {
		at = s.now()
	}
	body, err := json.Marshal(Message{Type: args.Event, Timestamp: at.UTC().Format(time.RFC3339), Data: data})
	if err != nil {
		return nil, fmt.Errorf("encode message: %w", err)
	}
	return body, nil
}

// Sign returns the webhook-signature of a message: "v1," and the base64 of
// HMAC-SHA256 over id.timestamp.body, keyed with the secret's decoded key.
func Sign(secret, id, timestamp string, body []byte) (string, error) {
	enc, ok := strings.CutPrefix(secret, inkform.WebhookSecretPrefix)
	if !ok {
		return "", fmt.Errorf("sign webhook: secret lacks the %s prefix", inkform.WebhookSecretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		// The error of DecodeString names only an offset, not the secret.
		return "", fmt.Errorf("sign webhook: decode secret: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

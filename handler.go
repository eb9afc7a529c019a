package inkform

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Handler events: a document arrived, or its status became one a handler
// may act on. The names are part of the API ("keep it exactly").
const (
	EventDocumentReceived          = "document.received"
	EventDocumentNeedsVerification = "document.needs_verification"
	EventDocumentValidated         = "document.validated"
)

// HandlerEvents lists every event a handler may subscribe to (a fresh
// slice each call: no package-level mutable state).
func HandlerEvents() []string {
	return []string{EventDocumentReceived, EventDocumentNeedsVerification, EventDocumentValidated}
}

// HandlerWebhook is the only handler type so far: an HTTP POST signed as
// Standard Webhooks describes.
const HandlerWebhook = "webhook"

// Handler limits.
const (
	MaxHandlerURLLength = 2048
	// WebhookSecretPrefix starts every webhook secret, as Standard
	// Webhooks does, so a leaked secret is recognisable.
	WebhookSecretPrefix = "whsec_"
	// webhookSecretBytes is the length of a secret's random key.
	webhookSecretBytes = 24
	// DeliverMaxAttempts makes the queue's backoff (attempt⁴ seconds)
	// span about a day: the 13 waits between 14 attempts add up to ~25 h.
	DeliverMaxAttempts = 14
)

// Handler sends a form's document events to an integration. Its secret is
// kept apart from this struct on purpose: it is shown once, when the
// handler is made, and never returned by a read.
type Handler struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"-"`
	FormID    string    `json:"form"`
	Type      string    `json:"type"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	CreatedAt time.Time `json:"createdAt"`
}

// Validate returns EINVALID unless h can be stored: a known type, an
// absolute http(s) URL and at least one known event, each once.
func (h *Handler) Validate() error {
	if h.Type != HandlerWebhook {
		return Errorf(EINVALID, "handler type must be %q", HandlerWebhook)
	}
	if len(h.URL) > MaxHandlerURLLength {
		return Errorf(EINVALID, "handler url is longer than %d bytes", MaxHandlerURLLength)
	}
	u, err := url.Parse(h.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return Errorf(EINVALID, "handler url must be an absolute http or https URL without credentials")
	}
	if len(h.Events) == 0 {
		return Errorf(EINVALID, "handler needs at least one event of %s", strings.Join(HandlerEvents(), ", "))
	}
	for i, e := range h.Events {
		if !slices.Contains(HandlerEvents(), e) {
			return Errorf(EINVALID, "unknown handler event %q; known: %s", e, strings.Join(HandlerEvents(), ", "))
		}
		if slices.Contains(h.Events[:i], e) {
			return Errorf(EINVALID, "handler event %q is listed twice", e)
		}
	}
	return nil
}

// Wants reports whether the handler subscribes to event.
func (h *Handler) Wants(event string) bool { return slices.Contains(h.Events, event) }

// NewWebhookSecret returns a fresh secret: WebhookSecretPrefix followed by
// the base64 of 24 random bytes.
func NewWebhookSecret() string {
	b := make([]byte, webhookSecretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return WebhookSecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// StatusEvent returns the handler event a document status change raises,
// or "" when the new status raises none.
func StatusEvent(from, to DocumentStatus) string {
	if from == to {
		return ""
	}
	switch to {
	case StatusValidated:
		return EventDocumentValidated
	case StatusNeedsVerification:
		return EventDocumentNeedsVerification
	}
	return ""
}

// DeliverArgs asks for one event to be delivered to one handler. MessageID
// is chosen at enqueue time, so every retry carries the same webhook-id and
// the receiver can drop duplicates.
type DeliverArgs struct {
	HandlerID  string `json:"handlerId"`
	DocumentID string `json:"documentId"`
	Event      string `json:"event"`
	MessageID  string `json:"messageId"`
}

// Kind implements JobArgs.
func (DeliverArgs) Kind() string { return "deliver" }

// DeliverJobOpts are the options of every deliver job.
func DeliverJobOpts() EnqueueOpts {
	return EnqueueOpts{Queue: QueueDeliver, MaxAttempts: DeliverMaxAttempts}
}

// Delivery records one attempt to deliver a message to a handler.
type Delivery struct {
	HandlerID  string    `json:"handler"`
	MessageID  string    `json:"messageId"`
	Attempt    int       `json:"attempt"`
	StatusCode int       `json:"statusCode,omitempty"` // 0 when no response came
	LatencyMS  int64     `json:"latencyMs"`
	Error      string    `json:"error,omitempty"`
	At         time.Time `json:"at"`
}

// HandlerStore keeps an org's handlers and their delivery log. Every method
// is scoped by org: another org's handler is ENOTFOUND.
type HandlerStore interface {
	// CreateHandler stores h (after Validate) for one of the org's forms
	// with its secret, filling ID, OrgID and CreatedAt. ENOTFOUND when the
	// org has no such form.
	CreateHandler(ctx context.Context, orgID string, h *Handler, secret string) error
	FindHandler(ctx context.Context, orgID, id string) (*Handler, error)
	// FindHandlerSecret returns a handler with the secret a sender signs
	// with, read from the primary database so a handler made a moment ago
	// is found even when reads go to a lagging replica; the HTTP layer
	// never calls it.
	FindHandlerSecret(ctx context.Context, orgID, id string) (*Handler, string, error)
	// ListHandlers returns a form's handlers, oldest first.
	ListHandlers(ctx context.Context, orgID, formID string) ([]*Handler, error)
	// DeleteHandler removes a handler and its delivery log; jobs already
	// enqueued for it find it gone and are cancelled.
	DeleteHandler(ctx context.Context, orgID, id string) error
	// RecordDelivery appends one attempt to a handler's log.
	RecordDelivery(ctx context.Context, orgID string, d *Delivery) error
	// ListDeliveries returns a handler's latest attempts, newest first, at
	// most limit (a default when limit <= 0).
	ListDeliveries(ctx context.Context, orgID, handlerID string, limit int) ([]*Delivery, error)
}

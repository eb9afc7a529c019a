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

// Subscription events: a document arrived, its status became one a subscription may
// act on, or it was purged. The names are part of the API ("keep it
// exactly").
const (
	EventDocumentReceived          = "document.received"
	EventDocumentNeedsVerification = "document.needs_verification"
	EventDocumentValidated         = "document.validated"
	EventDocumentPurged            = "document.purged"
)

// SubscriptionEvents lists every event a subscription may subscribe to (a fresh
// slice each call: no package-level mutable state).
func SubscriptionEvents() []string {
	return []string{EventDocumentReceived, EventDocumentNeedsVerification, EventDocumentValidated, EventDocumentPurged}
}

// EventWaitsForPDF reports whether a delivery of event waits until the
// document's current PDF exists, so a receiver can fetch it (or an e-mail
// attach it) at once. A document that has just arrived has no values to
// render yet, and a purged one has no PDF any more.
func EventWaitsForPDF(event string) bool {
	return event == EventDocumentValidated || event == EventDocumentNeedsVerification
}

// WaitsForPDF reports whether a delivery of event to s waits for the
// document's current PDF: webhooks (so the receiver can fetch it at once),
// e-mail (it is attached) and PDF exports, for the events that have one.
func (s *Subscription) WaitsForPDF(event string) bool {
	if !EventWaitsForPDF(event) {
		return false
	}
	return s.Type != SubscriptionExport || s.Format == ExportPDF
}

// DeliveryPDFWait is how long a delivery that waits for its document's PDF
// (Subscription.WaitsForPDF) is held when it is enqueued: the change that
// raised the event enqueued the render in the same transaction, and saving
// that render makes the delivery due (RenderStore.SaveRender), so it is not
// claimed before its PDF exists, however long the render queue. The wait is
// only the safety net for a render that does not come (the delivery then
// asks for one itself).
const DeliveryPDFWait = 30 * time.Second

// Subscription types.
const (
	// SubscriptionWebhook POSTs each event, signed as Standard Webhooks
	// describes.
	SubscriptionWebhook = "webhook"
	// SubscriptionEmail mails each event, with the PDF attached when the
	// event has one, through the SMTP server the operator configured.
	SubscriptionEmail = "email"
	// SubscriptionExport writes the document (PDF, JSON or a CSV row) to an
	// export target the operator configured.
	SubscriptionExport = "export"
)

// SubscriptionTypes lists the subscription types.
func SubscriptionTypes() []string {
	return []string{SubscriptionWebhook, SubscriptionEmail, SubscriptionExport}
}

// Subscription limits.
const (
	MaxWebhookURLLength = 2048
	// WebhookSecretPrefix starts every webhook secret, as Standard
	// Webhooks does, so a leaked secret is recognisable.
	WebhookSecretPrefix = "whsec_"
	// webhookSecretBytes is the length of a secret's random key.
	webhookSecretBytes = 24
	// DeliverMaxAttempts makes the queue's backoff (attempt⁴ seconds)
	// span about a day: the 13 waits between 14 attempts add up to ~25 h.
	DeliverMaxAttempts = 14
	// MaxEmailRecipients, MaxEmailSubject and MaxEmailBody bound an e-mail
	// subscription; a subject is one line.
	MaxEmailRecipients = 20
	MaxEmailSubject    = 500
	MaxEmailBody       = 16 << 10
)

// Subscription sends a form's document events to an integration. The HTTP
// API and its JSON call it a "handler" (/api/v1/handlers): that name is the
// API's and stays; in Go, "handler" means only an HTTP handler. Which of its
// settings apply depends on Type: URL for webhooks; To, Subject and Body for
// e-mail; Target, Format and Path for exports. A webhook's secret is kept
// apart from this struct on purpose: it is shown once, when the subscription is
// made, and never returned by a read.
type Subscription struct {
	ID     string   `json:"id"`
	OrgID  string   `json:"-"`
	FormID string   `json:"form"`
	Type   string   `json:"type"`
	Events []string `json:"events"`
	// Conditions must all hold for the document's values when the event
	// happens, or the event is not sent to this subscription.
	Conditions []Condition `json:"conditions,omitempty"`

	URL string `json:"url,omitempty"` // webhook

	To      []string `json:"to,omitempty"`      // e-mail recipients
	Subject string   `json:"subject,omitempty"` // e-mail subject template (text/template)
	Body    string   `json:"body,omitempty"`    // e-mail body template (text/template)

	Target string `json:"target,omitempty"` // export target name
	Format string `json:"format,omitempty"` // export format: pdf, json or csv
	Path   string `json:"path,omitempty"`   // export path template

	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Validate returns EINVALID unless h can be stored: a known type with the
// settings of that type and no others, at least one known event (each
// once) that the type can take, and well-formed conditions.
func (h *Subscription) Validate() error {
	if !slices.Contains(SubscriptionTypes(), h.Type) {
		return Errorf(EINVALID, "handler type must be one of %s", strings.Join(SubscriptionTypes(), ", "))
	}
	if len(h.Events) == 0 {
		return Errorf(EINVALID, "handler needs at least one event of %s", strings.Join(SubscriptionEvents(), ", "))
	}
	for i, e := range h.Events {
		if !slices.Contains(SubscriptionEvents(), e) {
			return Errorf(EINVALID, "unknown handler event %q; known: %s", e, strings.Join(SubscriptionEvents(), ", "))
		}
		if slices.Contains(h.Events[:i], e) {
			return Errorf(EINVALID, "handler event %q is listed twice", e)
		}
	}
	if len(h.Conditions) > MaxConditions {
		return Errorf(EINVALID, "conditions: at most %d", MaxConditions)
	}
	for i := range h.Conditions {
		if err := h.Conditions[i].Validate(); err != nil {
			return err
		}
	}
	switch h.Type {
	case SubscriptionWebhook:
		return h.validateWebhook()
	case SubscriptionEmail:
		return h.validateEmail()
	default:
		return h.validateExport()
	}
}

// validateWebhook checks a webhook's URL.
func (h *Subscription) validateWebhook() error {
	if err := h.refuseOthers("url", h.URL); err != nil {
		return err
	}
	if len(h.URL) > MaxWebhookURLLength {
		return Errorf(EINVALID, "handler url is longer than %d bytes", MaxWebhookURLLength)
	}
	u, err := url.Parse(h.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return Errorf(EINVALID, "handler url must be an absolute http or https URL without credentials")
	}
	return nil
}

// refuseOthers returns EINVALID when a setting of another subscription type is
// set; own names the settings of h's type, in the order URL, To, Subject,
// Body, Target, Format, Path.
func (h *Subscription) refuseOthers(own ...string) error {
	settings := []struct {
		name string
		set  bool
	}{
		{"url", h.URL != ""}, {"to", len(h.To) > 0}, {"subject", h.Subject != ""}, {"body", h.Body != ""},
		{"target", h.Target != ""}, {"format", h.Format != ""}, {"path", h.Path != ""},
	}
	for _, s := range settings {
		if s.set && !slices.Contains(own, s.name) {
			return Errorf(EINVALID, "handler setting %q does not apply to a %s handler", s.name, h.Type)
		}
	}
	return nil
}

// Wants reports whether the subscription subscribes to event.
func (h *Subscription) Wants(event string) bool { return slices.Contains(h.Events, event) }

// Matches reports whether the subscription takes event for a document with
// these values: it subscribes to the event and every condition holds.
func (h *Subscription) Matches(event string, fields map[string]FieldValue) bool {
	if !h.Wants(event) {
		return false
	}
	for i := range h.Conditions {
		if !h.Conditions[i].Holds(fields) {
			return false
		}
	}
	return true
}

// NewWebhookSecret returns a fresh secret: WebhookSecretPrefix followed by
// the base64 of 24 random bytes.
func NewWebhookSecret() string {
	b := make([]byte, webhookSecretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return WebhookSecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// StatusEvent returns the subscription event a document status change raises,
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

// DeliverArgs asks for one event to be delivered to one subscription. MessageID
// is chosen at enqueue time, so every retry carries the same webhook-id and
// the receiver can drop duplicates. A document.purged event carries what
// is left of the document, since the document itself is gone.
type DeliverArgs struct {
	SubscriptionID string `json:"handlerId"`
	DocumentID     string `json:"documentId"`
	Event          string `json:"event"`
	MessageID      string `json:"messageId"`
	// EventAt is when the event happened: the message's timestamp, the
	// same on every attempt and on a redelivery.
	EventAt time.Time     `json:"eventAt"`
	Purged  *PurgedRecord `json:"purged,omitempty"`
}

// Kind implements JobArgs.
func (DeliverArgs) Kind() string { return "deliver" }

// Deliveries returns the deliveries an event of a document raises: one per
// subscription of the document's form that takes the event for the
// document's values (Matches), each with a fresh message ID, none when
// event is "". purged carries a document.purged event's data.
func Deliveries(subs []*Subscription, event, documentID string, fields map[string]FieldValue, at time.Time, purged *PurgedRecord) []DeliverArgs {
	if event == "" {
		return nil
	}
	var out []DeliverArgs
	for _, h := range subs {
		if h.Matches(event, fields) {
			out = append(out, DeliverArgs{SubscriptionID: h.ID, DocumentID: documentID, Event: event,
				MessageID: "msg_" + NewID(), EventAt: at, Purged: purged})
		}
	}
	return out
}

// PurgedRecord is the data of a document.purged event: which document was
// deleted, of which form, and when. It holds no values.
type PurgedRecord struct {
	ID       string    `json:"id"`
	FormID   string    `json:"form"`
	Status   string    `json:"status"` // always "purged"
	PurgedAt time.Time `json:"purgedAt"`
}

// InsertOpts implements JobArgsWithInsertOpts: deliveries have a queue of
// their own, attempts that span about a day, and their handler as limit
// key, so a node runs at most its per-handler limit of one handler's
// deliveries at once and claims others meanwhile.
func (a DeliverArgs) InsertOpts() EnqueueOpts {
	return EnqueueOpts{Queue: QueueDeliver, MaxAttempts: DeliverMaxAttempts, LimitKey: DeliveryLimitKey(a.SubscriptionID)}
}

// DeliveryLimitKey is the limit key (EnqueueOpts.LimitKey) of the
// deliveries to one subscription.
func DeliveryLimitKey(subscriptionID string) string { return "handler " + subscriptionID }

// JobDocumentID implements DocumentJobArgs.
func (a DeliverArgs) JobDocumentID() string { return a.DocumentID }

// Delivery records one attempt to deliver a message to a subscription.
type Delivery struct {
	ID             int64     `json:"id"`
	SubscriptionID string    `json:"handler"`
	MessageID      string    `json:"messageId"`
	Event          string    `json:"event"`
	DocumentID     string    `json:"document"`
	Attempt        int       `json:"attempt"`
	StatusCode     int       `json:"statusCode,omitempty"` // HTTP or SMTP reply code; 0 when no answer came
	LatencyMS      int64     `json:"latencyMs"`
	Error          string    `json:"error,omitempty"`
	EventAt        time.Time `json:"eventAt,omitzero"` // zero in entries logged before it was kept
	At             time.Time `json:"at"`
}

// SubscriptionStore keeps an org's subscriptions and their delivery log. Every method
// is scoped by org: another org's subscription is ENOTFOUND.
type SubscriptionStore interface {
	// CreateSubscription stores h (after Validate) for one of the org's forms
	// with its secret (webhooks only; "" for other types), filling ID,
	// OrgID, CreatedAt and UpdatedAt. ENOTFOUND when the org has no such
	// form.
	CreateSubscription(ctx context.Context, orgID string, h *Subscription, secret string) error
	FindSubscription(ctx context.Context, orgID, id string) (*Subscription, error)
	// FindSubscriptionSecret returns a subscription with the secret a sender signs
	// with, read from the primary database so a subscription made a moment ago
	// is found even when reads go to a lagging replica; the HTTP layer
	// never calls it.
	FindSubscriptionSecret(ctx context.Context, orgID, id string) (*Subscription, string, error)
	// ListSubscriptions returns a form's subscriptions, oldest first.
	ListSubscriptions(ctx context.Context, orgID, formID string) ([]*Subscription, error)
	// UpdateSubscription reads the subscription with its row locked, lets change
	// alter its settings (an error from change aborts), validates and
	// stores them, and returns the subscription as stored. Its ID, type, form
	// and secret stay whatever change does. Concurrent updates of one
	// subscription run one after the other, so none is lost.
	UpdateSubscription(ctx context.Context, orgID, id string, change func(*Subscription) error) (*Subscription, error)
	// DeleteSubscription removes a subscription and its delivery log; jobs already
	// enqueued for it find it gone and are cancelled.
	DeleteSubscription(ctx context.Context, orgID, id string) error
	// RecordDelivery appends one attempt to a subscription's log;
	// ENOTFOUND when the org has no such subscription.
	RecordDelivery(ctx context.Context, orgID string, d *Delivery) error
	// ListDeliveries returns a subscription's latest attempts, newest first, at
	// most limit (a default when limit <= 0).
	ListDeliveries(ctx context.Context, orgID, handlerID string, limit int) ([]*Delivery, error)
	// FindDelivery returns one attempt of a subscription's log.
	FindDelivery(ctx context.Context, orgID, handlerID string, id int64) (*Delivery, error)
	// Redeliver enqueues the message of a logged attempt once more, with
	// the same message ID so a receiver can still drop a duplicate, and
	// returns the new job's ID.
	Redeliver(ctx context.Context, orgID, handlerID string, deliveryID int64) (int64, error)
}

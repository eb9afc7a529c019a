package inkform

import (
	"context"
	"errors"
	"time"
)

// Deliverer sends one attempt of a delivery to a subscription of one type
// (webhook, e-mail or export) and records it in the subscription's log. The
// deliver package implements it per type; the worker that retries
// deliveries tells the outcomes apart by the errors below, so it needs no
// knowledge of how a type sends.
type Deliverer interface {
	// Deliver sends args for the org's subscription as attempt number
	// attempt. Nil means delivered and logged. ErrDeliveryUnrecorded
	// means delivered but not logged, ErrDeliveryRefused a refusal no
	// retry mends, ErrPrivateTarget a webhook aimed at a private
	// address; any other error is a failed attempt worth retrying.
	Deliver(ctx context.Context, orgID string, args DeliverArgs, attempt int) error
}

// DocumentDeliverer is a Deliverer that can send the event's document as
// its caller has just read it, sparing a second read of the same row (the
// deliver worker reads it to see whether its PDF is rendered). doc must
// not be changed; Deliver, which reads it itself, gives the same outcome.
type DocumentDeliverer interface {
	Deliverer
	DeliverDocument(ctx context.Context, orgID string, args DeliverArgs, attempt int, doc *Document) error
}

// Outcomes a Deliverer reports by wrapping one of these errors.
var (
	// ErrDeliveryUnrecorded: the delivery went out but its log entry
	// could not be written. It counts as done, since a retry would send
	// it twice.
	ErrDeliveryUnrecorded = errors.New("delivered, but the delivery log did not take it")
	// ErrDeliveryRefused: the receiver refused the delivery for good (an
	// SMTP server's 5xx reply to the sender, a recipient or the message).
	ErrDeliveryRefused = errors.New("permanent smtp failure")
	// ErrPrivateTarget: a webhook's host resolves to an address of this
	// machine or of a private network, which a tenant must not reach
	// through the server (SSRF).
	ErrPrivateTarget = errors.New("webhook target resolves to a loopback, private or link-local address")
)

// DeliveryPruner trims the subscriptions' delivery logs of all orgs, for the
// maintenance job.
type DeliveryPruner interface {
	// PruneDeliveries deletes at most limit delivery log entries older
	// than before and reports how many it deleted; the caller repeats
	// until fewer than limit are deleted.
	PruneDeliveries(ctx context.Context, before time.Time, limit int) (int, error)
}

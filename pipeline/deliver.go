package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
)

// Delivery timing.
const (
	// pdfPatience is how long a delivery that needs the document's PDF
	// waits in all before an attempt counts as failed (a render that
	// keeps failing must not make a delivery wait for ever); pdfWait
	// gives each snooze meanwhile.
	pdfPatience = 10 * time.Minute
	// renderLost is how long a delivery waits for the render that the
	// event's change enqueued before it asks for one itself.
	renderLost = 30 * time.Second
	// replicaGrace is how long a "not found" may be a lagging replica.
	replicaGrace = time.Minute
)

// DeliverWorker sends one event to one subscription. A failed attempt is an
// error, so the queue retries it with backoff for about a day
// (inkform.DeliverMaxAttempts); every attempt is in the subscription's log.
//
// One slow or failing endpoint must not hold up the others: each
// subscription may have at most PerSubscription deliveries running on this
// node. The claim enforces it (deliveries carry their handler as limit key,
// queue.QueueConfig.PerKey), leaving the others in the queue while the
// node's workers take other subscriptions' (claims are already fair between
// orgs). Deliveries stored without a limit key (before migration 00015)
// are counted here instead, and one over the limit snoozes briefly.
type DeliverWorker struct {
	Subscriptions inkform.SubscriptionStore
	Documents     inkform.DocumentService
	Renders       inkform.RenderStore
	// ByType sends the subscription types this node is configured for,
	// by type.
	ByType map[string]inkform.Deliverer
	// PerSubscription is how many deliveries of one subscription may run
	// at once on this node; 0 means no limit.
	PerSubscription int
	// EmailDomains, when set, are the only domains e-mail may go to; a
	// subscription made before the operator narrowed them is stopped here.
	EmailDomains []string
	// Notifier, when set, tells the worker of saved renders
	// (TopicRenders): a delivery waiting for its PDF then snoozes until
	// the render wakes it (pdfWoken), where without one it polls
	// (pdfWait).
	Notifier inkform.Notifier
	Logger   *slog.Logger

	once      sync.Once
	inFlight  *limiter
	watchOnce sync.Once
	watching  *pdfWatch
}

// Work implements queue.Worker.
func (w *DeliverWorker) Work(ctx context.Context, job *queue.Job[inkform.DeliverArgs]) error {
	a := job.Args
	if a.EventAt.IsZero() {
		a.EventAt = job.CreatedAt // enqueued before messages carried their time
	}
	// The subscription is read from the primary database: a replica that lags
	// must not make a new subscription look deleted. Its secret is the
	// sender's to read.
	h, err := w.Subscriptions.FindSubscription(inkform.WithPrimaryReads(ctx), job.OrgID, a.SubscriptionID)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return queue.Cancel(err) // deleted: no retry brings it back
	} else if err != nil {
		return fmt.Errorf("find handler: %w", err)
	}
	if h.Type == inkform.SubscriptionEmail {
		if err := inkform.CheckEmailDomains(h.To, w.EmailDomains); err != nil {
			return queue.Cancel(err)
		}
	}
	release, ok := w.limiter().acquire(h.ID)
	if !ok {
		return queue.Snooze(jitter(busyWait(time.Since(job.CreatedAt))))
	}
	defer release()
	var doc *inkform.Document // as the PDF check read it
	if h.WaitsForPDF(a.Event) {
		// A redelivery of an old message waits from its own start.
		since := a.EventAt
		if job.CreatedAt.After(since) {
			since = job.CreatedAt
		}
		var wait time.Duration
		if doc, wait, err = w.waitForPDF(ctx, job.OrgID, a, since); err != nil {
			return w.gone(job, err)
		} else if wait > 0 {
			return queue.Snooze(jitter(wait))
		}
	}
	d := w.ByType[h.Type]
	if d == nil {
		// The subscription was made on a node configured for its type; this
		// one is not. Retrying gives the operator time to mend it.
		return fmt.Errorf("%s handlers are not configured on this node", h.Type)
	}
	if dd, ok := d.(inkform.DocumentDeliverer); ok && doc != nil {
		err = dd.DeliverDocument(ctx, job.OrgID, a, job.Attempt, doc)
	} else {
		err = d.Deliver(ctx, job.OrgID, a, job.Attempt)
	}
	switch {
	case err == nil:
		w.Logger.Debug("delivered", "handler", a.SubscriptionID, "type", h.Type, "event", a.Event, "message", a.MessageID)
		return nil
	case errors.Is(err, inkform.ErrDeliveryUnrecorded):
		// Sent, but the log did not take it: sending again would deliver
		// twice, which is worse than a missing log line.
		w.Logger.Warn("delivery not logged", "handler", a.SubscriptionID, "message", a.MessageID, "err", err)
		return nil
	case errors.Is(err, inkform.ErrDeliveryRefused):
		// The SMTP server refused the message for good (say, an unknown
		// recipient): the attempt is logged, another changes nothing.
		return queue.Cancel(err)
	case errors.Is(err, inkform.ErrPrivateTarget):
		w.Logger.Warn("webhook target refused", "handler", a.SubscriptionID, "err", err)
	}
	return w.gone(job, err)
}

// limiter returns the node's count of running deliveries per subscription,
// made at the first delivery so the worker can be a struct literal.
func (w *DeliverWorker) limiter() *limiter {
	w.once.Do(func() { w.inFlight = newLimiter(w.PerSubscription) })
	return w.inFlight
}

// gone turns a "not found" of the subscription or document into a cancel —
// deleted, no retry brings it back — except in a job's first minute, when
// it may only be a read replica that has not caught up: then it is an
// ordinary failure, retried with backoff (after 1 s, then 16 s).
func (w *DeliverWorker) gone(job *queue.Job[inkform.DeliverArgs], err error) error {
	if inkform.ErrorCode(err) != inkform.ENOTFOUND || time.Since(job.CreatedAt) < replicaGrace {
		return err
	}
	return queue.Cancel(err)
}

// busyWait is how long a delivery snoozes when its subscription has as many
// deliveries running on this node as it may: half a second at first, then
// a tenth of the time it has waited, at most 30 s, so a long queue behind
// a slow endpoint does not poll the database in a tight loop.
func busyWait(waited time.Duration) time.Duration {
	return min(max(waited/10, 500*time.Millisecond), 30*time.Second)
}

// awaitPDF reads the event's document and reports whether the delivery
// must wait for its PDF. After pdfPatience it gives up with an error,
// which counts as a failed attempt.
func (w *DeliverWorker) awaitPDF(ctx context.Context, orgID string, a inkform.DeliverArgs, since time.Time) (*inkform.Document, bool, error) {
	doc, err := w.Documents.FindDocument(ctx, orgID, a.DocumentID)
	if err != nil {
		return nil, false, fmt.Errorf("find document: %w", err)
	}
	r, err := w.Renders.FindRender(ctx, orgID, a.DocumentID)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return nil, false, fmt.Errorf("find render: %w", err)
	}
	if r.Current(doc) {
		return doc, false, nil
	}
	waited := time.Since(since)
	if waited > pdfPatience {
		return nil, false, fmt.Errorf("the document's PDF is still not rendered %s after the event", pdfPatience)
	}
	// The change that raised the event enqueued its render. Asking again
	// at every poll would queue a render behind each running one, so only
	// a render that seems lost (say, its job died) is asked for again.
	if waited > renderLost {
		if err := w.Renders.RequestRender(ctx, orgID, a.DocumentID); err != nil {
			return nil, false, fmt.Errorf("request render: %w", err)
		}
	}
	return doc, true, nil
}

// pdfWait is how long a delivery snoozes while the document's PDF is
// rendered, given how long it has waited: a render usually takes a few
// milliseconds, so the first waits are short; a slow or failing one is
// polled less and less often.
func pdfWait(waited time.Duration) time.Duration {
	switch {
	case waited < time.Second:
		return 40 * time.Millisecond
	case waited < 10*time.Second:
		return 250 * time.Millisecond
	}
	return 2 * time.Second
}

// jitter returns d give or take a quarter, so snoozed jobs do not come
// back in lockstep.
func jitter(d time.Duration) time.Duration {
	return d*3/4 + rand.N(d/2)
}

// limiter counts running deliveries per subscription on this node.
type limiter struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

func newLimiter(max int) *limiter { return &limiter{max: max, n: map[string]int{}} }

// acquire takes a slot of key and returns its release, or false when key
// has max running already. max <= 0 means no limit.
func (l *limiter) acquire(key string) (func(), bool) {
	if l == nil || l.max <= 0 {
		return func() {}, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n[key] >= l.max {
		return nil, false
	}
	l.n[key]++
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.n[key]--; l.n[key] == 0 {
			delete(l.n, key)
		}
	}, true
}

package deliver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/inkform/inkform"
)

// attempt is one try at a delivery, whatever the subscription type: it is timed
// and recorded in the subscription's log when finished.
type attempt struct {
	store inkform.SubscriptionStore
	orgID string
	d     inkform.Delivery
	start time.Time
	now   func() time.Time
}

// startAttempt begins timing an attempt of args.
func startAttempt(store inkform.SubscriptionStore, orgID string, args inkform.DeliverArgs, n int, now func() time.Time) *attempt {
	if now == nil {
		now = time.Now
	}
	t := now()
	return &attempt{store: store, orgID: orgID, now: now, start: t, d: inkform.Delivery{
		SubscriptionID: args.SubscriptionID, MessageID: args.MessageID, Event: args.Event, DocumentID: args.DocumentID,
		EventAt: args.EventAt, Attempt: n, At: t,
	}}
}

// finish records the attempt with its outcome (code is the HTTP or SMTP
// reply, 0 for none) and returns sendErr, or the recording's error when
// only that failed.
func (a *attempt) finish(ctx context.Context, code int, sendErr error) error {
	a.d.StatusCode = code
	a.d.LatencyMS = a.now().Sub(a.start).Milliseconds()
	if sendErr != nil {
		a.d.Error = sendErr.Error()
	}
	// Record with a fresh context: an attempt cut short by the job's
	// timeout still belongs in the log.
	recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := a.store.RecordDelivery(recCtx, a.orgID, &a.d); err != nil {
		if sendErr != nil {
			return fmt.Errorf("%w (and record delivery: %v)", sendErr, err)
		}
		return fmt.Errorf("%w: %v", ErrUnrecorded, err)
	}
	return sendErr
}

// ErrUnrecorded is returned when a delivery went out but its log entry
// could not be written. The caller should count the delivery as done: a
// retry would send it twice. It is inkform.ErrDeliveryUnrecorded, the
// outcome the inkform.Deliverer contract names.
var ErrUnrecorded = inkform.ErrDeliveryUnrecorded

// Every subscription type's sender is an inkform.Deliverer.
var (
	_ inkform.Deliverer = (*Sender)(nil)
	_ inkform.Deliverer = (*Mailer)(nil)
	_ inkform.Deliverer = (*Exporter)(nil)
)

// DocumentLinks returns the API addresses of a document's parts under
// baseURL (the server's public URL; "" gives absolute paths).
func DocumentLinks(baseURL string, doc *inkform.Document) inkform.Links {
	base := strings.TrimRight(baseURL, "/") + "/api/v1/documents/" + doc.ID
	l := inkform.Links{Document: base, PDF: base + "/pdf", Ink: base + "/ink"}
	if len(doc.Fields) > 0 {
		l.Cutouts = make(map[string]string, len(doc.Fields))
		for name := range doc.Fields {
			l.Cutouts[name] = base + "/fields/" + url.PathEscape(name) + "/cutout.png"
		}
	}
	return l
}

// eventData returns the data of an event: the document as
// GET /api/v1/documents/{id} shows it with its links, or for a purged
// document what is left of it.
func eventData(baseURL string, args inkform.DeliverArgs, doc *inkform.Document) (json.RawMessage, error) {
	if args.Event == inkform.EventDocumentPurged {
		if args.Purged == nil {
			return nil, fmt.Errorf("purged event without its record")
		}
		return json.Marshal(args.Purged)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode document: %w", err)
	}
	var data map[string]any
	if err := json.Unmarshal(raw, &data); err != nil {
		return nil, fmt.Errorf("encode document: %w", err)
	}
	data["links"] = DocumentLinks(baseURL, doc)
	return json.Marshal(data)
}

package fake

import (
	"context"
	"fmt"

	"github.com/inkform/inkform"
)

// Delivery log page sizes, as in sqlstore.
const (
	defaultDeliveries = 50
	maxDeliveries     = 500
)

// RecordDelivery implements inkform.SubscriptionStore; it fills in d.ID
// and, when zero, d.At.
func (s *Subscriptions) RecordDelivery(ctx context.Context, orgID string, d *inkform.Delivery) error {
	if err := s.Hook.call("RecordDelivery", orgID, d); err != nil {
		return err
	}
	if d == nil || d.SubscriptionID == "" || d.MessageID == "" {
		return inkform.Errorf(inkform.EINVALID, "record delivery: handler and message are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.find(orgID, d.SubscriptionID)
	if err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	if d.At.IsZero() {
		d.At = now()
	}
	s.lastDeliveryID++
	d.ID = s.lastDeliveryID
	c := *d
	c.At, c.EventAt = dbTime(d.At), dbTime(d.EventAt)
	rec.deliveries = append(rec.deliveries, &c)
	return nil
}

// ListDeliveries implements inkform.SubscriptionStore.
func (s *Subscriptions) ListDeliveries(ctx context.Context, orgID, handlerID string, limit int) ([]*inkform.Delivery, error) {
	if err := s.Hook.call("ListDeliveries", orgID, handlerID, limit); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultDeliveries
	}
	limit = min(limit, maxDeliveries)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.find(orgID, handlerID)
	if err != nil {
		return nil, err
	}
	var out []*inkform.Delivery
	for i := len(rec.deliveries) - 1; i >= 0 && len(out) < limit; i-- {
		c := *rec.deliveries[i]
		out = append(out, &c)
	}
	return out, nil
}

// FindDelivery implements inkform.SubscriptionStore.
func (s *Subscriptions) FindDelivery(ctx context.Context, orgID, handlerID string, id int64) (*inkform.Delivery, error) {
	if err := s.Hook.call("FindDelivery", orgID, handlerID, id); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, _, err := s.delivery(orgID, handlerID, id)
	if err != nil {
		return nil, err
	}
	c := *d
	return &c, nil
}

// delivery returns a logged attempt and its subscription. Callers hold
// s.mu.
func (s *Subscriptions) delivery(orgID, handlerID string, id int64) (*inkform.Delivery, *inkform.Subscription, error) {
	rec, err := s.find(orgID, handlerID)
	if err != nil {
		return nil, nil, notFound("delivery")
	}
	for _, d := range rec.deliveries {
		if d.ID == id {
			return d, rec.h, nil
		}
	}
	return nil, nil, notFound("delivery")
}

// Redeliver implements inkform.SubscriptionStore: the new job carries the
// logged message's ID and event time, and for a purged document the
// purged record rebuilt from the log, as in sqlstore.
func (s *Subscriptions) Redeliver(ctx context.Context, orgID, handlerID string, deliveryID int64) (int64, error) {
	if err := s.Hook.call("Redeliver", orgID, handlerID, deliveryID); err != nil {
		return 0, err
	}
	s.mu.Lock()
	d, h, err := s.delivery(orgID, handlerID, deliveryID)
	var args inkform.DeliverArgs
	if err == nil {
		args = inkform.DeliverArgs{SubscriptionID: h.ID, DocumentID: d.DocumentID, Event: d.Event, MessageID: d.MessageID, EventAt: d.EventAt}
		if d.Event == inkform.EventDocumentPurged {
			args.Purged = &inkform.PurgedRecord{ID: d.DocumentID, FormID: h.FormID, Status: "purged", PurgedAt: d.EventAt}
		}
	}
	s.mu.Unlock()
	switch {
	case err != nil:
		return 0, err
	case args.Event == "":
		return 0, inkform.Errorf(inkform.EUNPROCESSABLE, "delivery %d was logged before redelivery was possible", deliveryID)
	case s.Queue == nil:
		return 0, fmt.Errorf("fake.Subscriptions needs Queue to redeliver")
	}
	job, err := s.Queue.Enqueue(ctx, orgID, args, inkform.EnqueueOpts{})
	if err != nil {
		return 0, fmt.Errorf("redeliver: %w", err)
	}
	return job.ID, nil
}

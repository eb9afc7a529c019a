package fake

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/inkform/inkform"
)

var _ inkform.SubscriptionStore = (*Subscriptions)(nil)

// Subscriptions is an in-memory SubscriptionStore. CreateSubscription
// needs Forms, to refuse a form the org does not have; Redeliver needs
// Queue, to enqueue to. Put stores a subscription without either.
//
// Unlike sqlstore, RecordDelivery writes no document.deliver audit event:
// the fakes share no transactions, and the audit trail of deliveries is
// the store's business, tested there.
type Subscriptions struct {
	Hook  Hook
	Forms inkform.FormService
	Queue inkform.JobQueue

	mu             sync.Mutex
	subs           map[string]*subRec
	lastDeliveryID int64
}

// subRec is a stored subscription with its secret and delivery log.
type subRec struct {
	h          *inkform.Subscription
	secret     string
	deliveries []*inkform.Delivery // oldest first
	update     sync.Mutex          // held through an UpdateSubscription
}

// cloneSubscription copies a subscription so that neither side's changes
// to its lists reach the other.
func cloneSubscription(h *inkform.Subscription) *inkform.Subscription {
	c := *h
	c.Events, c.Conditions, c.To = slices.Clone(h.Events), slices.Clone(h.Conditions), slices.Clone(h.To)
	return &c
}

// Put stores a copy of h with its secret as it is, unvalidated, replacing
// a subscription with the same ID.
func (s *Subscriptions) Put(h *inkform.Subscription, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.subs == nil {
		s.subs = map[string]*subRec{}
	}
	s.subs[h.ID] = &subRec{h: cloneSubscription(h), secret: secret}
}

// find returns the org's subscription record. Callers hold s.mu.
func (s *Subscriptions) find(orgID, id string) (*subRec, error) {
	rec := s.subs[id]
	if rec == nil || rec.h.OrgID != orgID {
		return nil, notFound("handler")
	}
	return rec, nil
}

// CreateSubscription implements inkform.SubscriptionStore.
func (s *Subscriptions) CreateSubscription(ctx context.Context, orgID string, h *inkform.Subscription, secret string) error {
	if err := s.Hook.call("CreateSubscription", orgID, h, secret); err != nil {
		return err
	}
	if err := h.Validate(); err != nil {
		return err
	}
	if (secret == "") != (h.Type != inkform.SubscriptionWebhook) {
		return inkform.Errorf(inkform.EINVALID, "create handler: a webhook needs a secret, other types none")
	}
	if s.Forms == nil {
		return fmt.Errorf("fake.Subscriptions needs Forms to create a subscription")
	}
	if _, err := s.Forms.FindForm(ctx, orgID, h.FormID); err != nil {
		return fmt.Errorf("create handler: %w", err)
	}
	h.ID, h.OrgID, h.CreatedAt = inkform.NewID(), orgID, now()
	h.UpdatedAt = h.CreatedAt
	s.Put(h, secret)
	return nil
}

// FindSubscription implements inkform.SubscriptionStore.
func (s *Subscriptions) FindSubscription(ctx context.Context, orgID, id string) (*inkform.Subscription, error) {
	if err := s.Hook.call("FindSubscription", orgID, id); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.find(orgID, id)
	if err != nil {
		return nil, err
	}
	return cloneSubscription(rec.h), nil
}

// FindSubscriptionSecret implements inkform.SubscriptionStore.
func (s *Subscriptions) FindSubscriptionSecret(ctx context.Context, orgID, id string) (*inkform.Subscription, string, error) {
	if err := s.Hook.call("FindSubscriptionSecret", orgID, id); err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.find(orgID, id)
	if err != nil {
		return nil, "", err
	}
	return cloneSubscription(rec.h), rec.secret, nil
}

// ListSubscriptions implements inkform.SubscriptionStore.
func (s *Subscriptions) ListSubscriptions(ctx context.Context, orgID, formID string) ([]*inkform.Subscription, error) {
	if err := s.Hook.call("ListSubscriptions", orgID, formID); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*inkform.Subscription
	for _, rec := range s.subs {
		if rec.h.OrgID == orgID && rec.h.FormID == formID {
			out = append(out, cloneSubscription(rec.h))
		}
	}
	slices.SortFunc(out, func(a, b *inkform.Subscription) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// UpdateSubscription implements inkform.SubscriptionStore. The
// subscription's own lock, held from the read to the write, makes
// concurrent updates of it run one after the other.
func (s *Subscriptions) UpdateSubscription(ctx context.Context, orgID, id string, change func(*inkform.Subscription) error) (*inkform.Subscription, error) {
	if err := s.Hook.call("UpdateSubscription", orgID, id, change); err != nil {
		return nil, err
	}
	s.mu.Lock()
	rec, err := s.find(orgID, id)
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	rec.update.Lock()
	defer rec.update.Unlock()
	s.mu.Lock()
	h := cloneSubscription(rec.h)
	s.mu.Unlock()
	keep := *h
	if err := change(h); err != nil {
		return nil, err
	}
	h.ID, h.OrgID, h.Type, h.FormID, h.CreatedAt = keep.ID, keep.OrgID, keep.Type, keep.FormID, keep.CreatedAt
	if err := h.Validate(); err != nil {
		return nil, err
	}
	h.UpdatedAt = now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.subs[id] != rec {
		return nil, notFound("handler") // deleted meanwhile
	}
	rec.h = cloneSubscription(h)
	return h, nil
}

// DeleteSubscription implements inkform.SubscriptionStore.
func (s *Subscriptions) DeleteSubscription(ctx context.Context, orgID, id string) error {
	if err := s.Hook.call("DeleteSubscription", orgID, id); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.find(orgID, id); err != nil {
		return err
	}
	delete(s.subs, id)
	return nil
}

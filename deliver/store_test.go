package deliver_test

import (
	"context"
	"errors"
	"sync"

	"github.com/inkform/inkform"
)

// memSubscriptions is an in-memory inkform.SubscriptionStore for one subscription.
type memSubscriptions struct {
	h      *inkform.Subscription
	secret string

	mu         sync.Mutex
	deliveries []inkform.Delivery
}

func (m *memSubscriptions) CreateSubscription(context.Context, string, *inkform.Subscription, string) error {
	return errors.New("not used")
}

func (m *memSubscriptions) FindSubscription(_ context.Context, org, id string) (*inkform.Subscription, error) {
	if org != m.h.OrgID || id != m.h.ID {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "handler not found")
	}
	return m.h, nil
}

func (m *memSubscriptions) FindSubscriptionSecret(ctx context.Context, org, id string) (*inkform.Subscription, string, error) {
	h, err := m.FindSubscription(ctx, org, id)
	if err != nil {
		return nil, "", err
	}
	return h, m.secret, nil
}

func (m *memSubscriptions) ListSubscriptions(context.Context, string, string) ([]*inkform.Subscription, error) {
	return []*inkform.Subscription{m.h}, nil
}

func (m *memSubscriptions) DeleteSubscription(context.Context, string, string) error {
	return errors.New("not used")
}

func (m *memSubscriptions) RecordDelivery(_ context.Context, org string, d *inkform.Delivery) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deliveries = append(m.deliveries, *d)
	return nil
}

func (m *memSubscriptions) ListDeliveries(context.Context, string, string, int) ([]*inkform.Delivery, error) {
	return nil, errors.New("not used")
}

func (m *memSubscriptions) UpdateSubscription(context.Context, string, string, func(*inkform.Subscription) error) (*inkform.Subscription, error) {
	return nil, errors.New("not used")
}

func (m *memSubscriptions) FindDelivery(context.Context, string, string, int64) (*inkform.Delivery, error) {
	return nil, errors.New("not used")
}

func (m *memSubscriptions) Redeliver(context.Context, string, string, int64) (int64, error) {
	return 0, errors.New("not used")
}

// recorded returns the attempts recorded so far.
func (m *memSubscriptions) recorded() []inkform.Delivery {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]inkform.Delivery(nil), m.deliveries...)
}

// oneDoc finds one document.
type oneDoc struct{ d *inkform.Document }

func (o oneDoc) FindDocument(_ context.Context, org, id string) (*inkform.Document, error) {
	if org != o.d.OrgID || id != o.d.ID {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "document not found")
	}
	return o.d, nil
}

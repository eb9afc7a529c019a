package handler_test

import (
	"context"
	"errors"
	"sync"

	"github.com/inkform/inkform"
)

// memHandlers is an in-memory inkform.HandlerStore for one handler.
type memHandlers struct {
	h      *inkform.Handler
	secret string

	mu         sync.Mutex
	deliveries []inkform.Delivery
}

func (m *memHandlers) CreateHandler(context.Context, string, *inkform.Handler, string) error {
	return errors.New("not used")
}

func (m *memHandlers) FindHandler(_ context.Context, org, id string) (*inkform.Handler, error) {
	if org != m.h.OrgID || id != m.h.ID {
		return nil, inkform.Errorf(inkform.ENOTFOUND, "handler not found")
	}
	return m.h, nil
}

func (m *memHandlers) FindHandlerSecret(ctx context.Context, org, id string) (*inkform.Handler, string, error) {
	h, err := m.FindHandler(ctx, org, id)
	if err != nil {
		return nil, "", err
	}
	return h, m.secret, nil
}

func (m *memHandlers) ListHandlers(context.Context, string, string) ([]*inkform.Handler, error) {
	return []*inkform.Handler{m.h}, nil
}

func (m *memHandlers) DeleteHandler(context.Context, string, string) error {
	return errors.New("not used")
}

func (m *memHandlers) RecordDelivery(_ context.Context, org string, d *inkform.Delivery) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deliveries = append(m.deliveries, *d)
	return nil
}

func (m *memHandlers) ListDeliveries(context.Context, string, string, int) ([]*inkform.Delivery, error) {
	return nil, errors.New("not used")
}

func (m *memHandlers) UpdateHandler(context.Context, string, string, func(*inkform.Handler) error) (*inkform.Handler, error) {
	return nil, errors.New("not used")
}

func (m *memHandlers) FindDelivery(context.Context, string, string, int64) (*inkform.Delivery, error) {
	return nil, errors.New("not used")
}

func (m *memHandlers) Redeliver(context.Context, string, string, int64) (int64, error) {
	return 0, errors.New("not used")
}

// recorded returns the attempts recorded so far.
func (m *memHandlers) recorded() []inkform.Delivery {
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

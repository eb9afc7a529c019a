package deliver_test

import (
	"context"
	"slices"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
)

// oneSubscription is a fake.Subscriptions holding one subscription, kept
// with the secret it was stored with.
type oneSubscription struct {
	*fake.Subscriptions
	h      *inkform.Subscription
	secret string
}

// newOneSubscription stores h with secret ("" for no secret).
func newOneSubscription(h *inkform.Subscription, secret string) *oneSubscription {
	s := &oneSubscription{Subscriptions: &fake.Subscriptions{}, h: h, secret: secret}
	s.Put(h, secret)
	return s
}

// save stores the subscription again as it is now: tests change h.
func (s *oneSubscription) save() { s.Put(s.h, s.secret) }

// recorded returns the attempts in the subscription's log, oldest first.
func (s *oneSubscription) recorded() []inkform.Delivery {
	ds, err := s.ListDeliveries(context.Background(), s.h.OrgID, s.h.ID, 500)
	if err != nil {
		panic(err) // the one subscription is always there
	}
	out := make([]inkform.Delivery, len(ds))
	for i, d := range ds {
		out[i] = *d
	}
	slices.Reverse(out)
	return out
}

// oneDoc returns documents holding d.
func oneDoc(d *inkform.Document) *fake.Documents {
	docs := &fake.Documents{}
	docs.Put(d, nil)
	return docs
}

// oneForm returns forms holding form, as stored.
func oneForm(form *inkform.Form) *fake.Forms {
	forms := &fake.Forms{}
	forms.Put(form)
	return forms
}

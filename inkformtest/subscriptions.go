package inkformtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/inkform/inkform"
)

// ExerciseSubscriptionStore runs the SubscriptionStore contract against
// Subscriptions, on forms made through Forms in orgs made through Orgs;
// Jobs shows the jobs Redeliver enqueues.
func ExerciseSubscriptionStore(t *testing.T, newStores NewStores) {
	run(t, newStores, []suiteCase{
		{"Create", testSubscriptionCreate},
		{"CreateRefuses", testSubscriptionCreateRefuses},
		{"List", testSubscriptionList},
		{"Update", testSubscriptionUpdate},
		{"ConcurrentUpdates", testSubscriptionConcurrentUpdates},
		{"Delete", testSubscriptionDelete},
		{"Isolation", testSubscriptionIsolation},
		{"Deliveries", testSubscriptionDeliveries},
		{"Redeliver", testSubscriptionRedeliver},
	})
}

// subFixture is an org with a form.
type subFixture struct {
	org  *inkform.Org
	form *inkform.Form
}

func newSubFixture(t *testing.T, s Stores) *subFixture {
	t.Helper()
	need(t, "Orgs", s.Orgs != nil)
	need(t, "Forms", s.Forms != nil)
	need(t, "Subscriptions", s.Subscriptions != nil)
	org := newOrg(t, s.Orgs)
	return &subFixture{org: org, form: newForm(t, s.Forms, org.ID, "Intake", inkform.PatternCopied, 1)}
}

// webhook returns a valid webhook subscription of the form.
func webhook(formID string) *inkform.Subscription {
	return &inkform.Subscription{FormID: formID, Type: inkform.SubscriptionWebhook, URL: "https://example.com/hook",
		Events: []string{inkform.EventDocumentValidated}}
}

// create stores h for the org with a fresh secret (webhooks) and returns
// the secret.
func (fx *subFixture) create(t *testing.T, s Stores, h *inkform.Subscription) string {
	t.Helper()
	secret := ""
	if h.Type == inkform.SubscriptionWebhook {
		secret = inkform.NewWebhookSecret()
	}
	if err := s.Subscriptions.CreateSubscription(context.Background(), fx.org.ID, h, secret); err != nil {
		t.Fatalf("create subscription: %v", err)
	}
	return secret
}

func testSubscriptionCreate(t *testing.T, s Stores) {
	fx := newSubFixture(t, s)
	ctx := context.Background()
	h := webhook(fx.form.ID)
	h.Conditions = []inkform.Condition{{Field: "urgent", Op: inkform.OpNotEmpty}}
	secret := fx.create(t, s, h)
	if !inkform.ValidID(h.ID) || h.OrgID != fx.org.ID || h.CreatedAt.IsZero() || !h.UpdatedAt.Equal(h.CreatedAt) {
		t.Errorf("created %+v; want its ID, org and times filled in", h)
	}
	got, err := s.Subscriptions.FindSubscription(ctx, fx.org.ID, h.ID)
	if err != nil || got.ID != h.ID || got.FormID != fx.form.ID || got.URL != h.URL || !slices.Equal(got.Events, h.Events) ||
		len(got.Conditions) != 1 || got.Conditions[0] != h.Conditions[0] || !got.CreatedAt.Equal(h.CreatedAt) {
		t.Errorf("FindSubscription = %+v, %v; want %+v", got, err, h)
	}
	got, gotSecret, err := s.Subscriptions.FindSubscriptionSecret(ctx, fx.org.ID, h.ID)
	if err != nil || got.ID != h.ID || gotSecret != secret {
		t.Errorf("FindSubscriptionSecret = %+v, %q, %v; want the secret it was made with", got, gotSecret, err)
	}
	mail := &inkform.Subscription{FormID: fx.form.ID, Type: inkform.SubscriptionEmail, To: []string{"desk@example.org"},
		Events: []string{inkform.EventDocumentReceived}}
	fx.create(t, s, mail)
	if _, gotSecret, err := s.Subscriptions.FindSubscriptionSecret(ctx, fx.org.ID, mail.ID); err != nil || gotSecret != "" {
		t.Errorf("an e-mail subscription's secret is %q (%v), want none", gotSecret, err)
	}
}

func testSubscriptionCreateRefuses(t *testing.T, s Stores) {
	fx := newSubFixture(t, s)
	other := newSubFixture(t, s)
	ctx := context.Background()
	bad := webhook(fx.form.ID)
	bad.Events = nil
	wantCode(t, "a subscription to no events", s.Subscriptions.CreateSubscription(ctx, fx.org.ID, bad, inkform.NewWebhookSecret()), inkform.EINVALID)
	wantCode(t, "a webhook without a secret", s.Subscriptions.CreateSubscription(ctx, fx.org.ID, webhook(fx.form.ID), ""), inkform.EINVALID)
	wantCode(t, "an unknown form", s.Subscriptions.CreateSubscription(ctx, fx.org.ID, webhook(inkform.NewID()), inkform.NewWebhookSecret()), inkform.ENOTFOUND)
	wantCode(t, "another org's form", s.Subscriptions.CreateSubscription(ctx, fx.org.ID, webhook(other.form.ID), inkform.NewWebhookSecret()), inkform.ENOTFOUND)
	for _, f := range []*subFixture{fx, other} {
		if hs, err := s.Subscriptions.ListSubscriptions(ctx, f.org.ID, f.form.ID); err != nil || len(hs) != 0 {
			t.Errorf("refused subscriptions were stored: %+v (%v)", hs, err)
		}
	}
}

func testSubscriptionList(t *testing.T, s Stores) {
	fx := newSubFixture(t, s)
	ctx := context.Background()
	second := newForm(t, s.Forms, fx.org.ID, "Second", inkform.PatternCopied, 1)
	var want []string
	for range 3 {
		h := webhook(fx.form.ID)
		fx.create(t, s, h)
		want = append(want, h.ID)
		nextMillisecond()
	}
	fx.create(t, s, webhook(second.ID))
	hs, err := s.Subscriptions.ListSubscriptions(ctx, fx.org.ID, fx.form.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hs {
		got = append(got, h.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("listed %v, want the form's subscriptions oldest first %v", got, want)
	}
	if hs, _ := s.Subscriptions.ListSubscriptions(ctx, fx.org.ID, inkform.NewID()); len(hs) != 0 {
		t.Errorf("an unknown form lists %+v", hs)
	}
}

func testSubscriptionUpdate(t *testing.T, s Stores) {
	fx := newSubFixture(t, s)
	ctx := context.Background()
	h := webhook(fx.form.ID)
	secret := fx.create(t, s, h)
	nextMillisecond()
	got, err := s.Subscriptions.UpdateSubscription(ctx, fx.org.ID, h.ID, func(c *inkform.Subscription) error {
		c.URL = "https://example.com/other"
		c.Events = append(c.Events, inkform.EventDocumentPurged)
		// Changes to what an update may not change are dropped.
		c.ID, c.Type, c.FormID, c.OrgID = inkform.NewID(), inkform.SubscriptionEmail, inkform.NewID(), inkform.NewID()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != h.ID || got.Type != inkform.SubscriptionWebhook || got.FormID != fx.form.ID || got.OrgID != fx.org.ID ||
		got.URL != "https://example.com/other" || len(got.Events) != 2 || !got.CreatedAt.Equal(h.CreatedAt) || !got.UpdatedAt.After(h.CreatedAt) {
		t.Errorf("updated %+v; want the new URL and events, the same identity", got)
	}
	stored, storedSecret, err := s.Subscriptions.FindSubscriptionSecret(ctx, fx.org.ID, h.ID)
	if err != nil || stored.URL != got.URL || len(stored.Events) != 2 || storedSecret != secret {
		t.Errorf("stored %+v with secret %q (%v); want the update, the secret kept", stored, storedSecret, err)
	}
	refusal := errors.New("no")
	_, err = s.Subscriptions.UpdateSubscription(ctx, fx.org.ID, h.ID, func(c *inkform.Subscription) error {
		c.URL = "https://example.com/aborted"
		return refusal
	})
	if !errors.Is(err, refusal) {
		t.Errorf("an update whose change fails returned %v, want that failure", err)
	}
	_, err = s.Subscriptions.UpdateSubscription(ctx, fx.org.ID, h.ID, func(c *inkform.Subscription) error {
		c.URL = "ftp://example.com/"
		return nil
	})
	wantCode(t, "an update to an invalid subscription", err, inkform.EINVALID)
	if stored, _ := s.Subscriptions.FindSubscription(ctx, fx.org.ID, h.ID); stored == nil || stored.URL != "https://example.com/other" {
		t.Errorf("aborted updates changed the subscription: %+v", stored)
	}
	_, err = s.Subscriptions.UpdateSubscription(ctx, fx.org.ID, inkform.NewID(), func(*inkform.Subscription) error { return nil })
	wantCode(t, "an update of an unknown subscription", err, inkform.ENOTFOUND)
}

// testSubscriptionConcurrentUpdates: updates of one subscription run one
// after the other, so each adds its condition and none is lost.
func testSubscriptionConcurrentUpdates(t *testing.T, s Stores) {
	fx := newSubFixture(t, s)
	h := webhook(fx.form.ID)
	fx.create(t, s, h)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Subscriptions.UpdateSubscription(context.Background(), fx.org.ID, h.ID, func(c *inkform.Subscription) error {
				c.Conditions = append(c.Conditions, inkform.Condition{Field: fmt.Sprintf("f%d", i), Op: inkform.OpNotEmpty})
				return nil
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Subscriptions.FindSubscription(context.Background(), fx.org.ID, h.ID)
	if err != nil || len(got.Conditions) != n {
		t.Errorf("after %d concurrent updates the subscription has %d conditions (%v); an update was lost", n, len(got.Conditions), err)
	}
}

func testSubscriptionDelete(t *testing.T, s Stores) {
	fx := newSubFixture(t, s)
	other := newSubFixture(t, s)
	ctx := context.Background()
	h := webhook(fx.form.ID)
	fx.create(t, s, h)
	record(t, s, fx.org.ID, h.ID, "msg_1")
	wantCode(t, "delete by another org", s.Subscriptions.DeleteSubscription(ctx, other.org.ID, h.ID), inkform.ENOTFOUND)
	if err := s.Subscriptions.DeleteSubscription(ctx, fx.org.ID, h.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.Subscriptions.FindSubscription(ctx, fx.org.ID, h.ID)
	wantCode(t, "a deleted subscription", err, inkform.ENOTFOUND)
	_, err = s.Subscriptions.ListDeliveries(ctx, fx.org.ID, h.ID, 0)
	wantCode(t, "the deliveries of a deleted subscription", err, inkform.ENOTFOUND)
	wantCode(t, "a second delete", s.Subscriptions.DeleteSubscription(ctx, fx.org.ID, h.ID), inkform.ENOTFOUND)
	if hs, _ := s.Subscriptions.ListSubscriptions(ctx, fx.org.ID, fx.form.ID); len(hs) != 0 {
		t.Errorf("a deleted subscription is listed: %+v", hs)
	}
}

func testSubscriptionIsolation(t *testing.T, s Stores) {
	fx := newSubFixture(t, s)
	other := newSubFixture(t, s)
	ctx := context.Background()
	h := webhook(fx.form.ID)
	fx.create(t, s, h)
	d := record(t, s, fx.org.ID, h.ID, "msg_1")
	_, err := s.Subscriptions.FindSubscription(ctx, other.org.ID, h.ID)
	wantCode(t, "FindSubscription by another org", err, inkform.ENOTFOUND)
	_, _, err = s.Subscriptions.FindSubscriptionSecret(ctx, other.org.ID, h.ID)
	wantCode(t, "FindSubscriptionSecret by another org", err, inkform.ENOTFOUND)
	_, err = s.Subscriptions.UpdateSubscription(ctx, other.org.ID, h.ID, func(*inkform.Subscription) error { return nil })
	wantCode(t, "UpdateSubscription by another org", err, inkform.ENOTFOUND)
	if hs, err := s.Subscriptions.ListSubscriptions(ctx, other.org.ID, fx.form.ID); err != nil || len(hs) != 0 {
		t.Errorf("another org lists %+v (%v)", hs, err)
	}
	_, err = s.Subscriptions.ListDeliveries(ctx, other.org.ID, h.ID, 0)
	wantCode(t, "ListDeliveries by another org", err, inkform.ENOTFOUND)
	_, err = s.Subscriptions.FindDelivery(ctx, other.org.ID, h.ID, d.ID)
	wantCode(t, "FindDelivery by another org", err, inkform.ENOTFOUND)
	_, err = s.Subscriptions.Redeliver(ctx, other.org.ID, h.ID, d.ID)
	wantCode(t, "Redeliver by another org", err, inkform.ENOTFOUND)
	// A worker of one org cannot write into another's log.
	err = s.Subscriptions.RecordDelivery(ctx, other.org.ID, &inkform.Delivery{SubscriptionID: h.ID, MessageID: "msg_x", Attempt: 1})
	wantCode(t, "RecordDelivery by another org", err, inkform.ENOTFOUND)
	if ds, _ := s.Subscriptions.ListDeliveries(ctx, fx.org.ID, h.ID, 0); len(ds) != 1 {
		t.Errorf("the log holds %d attempts, want 1", len(ds))
	}
}

package sqlstore_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// deliverJobs returns the org's deliver jobs' args, sorted by subscription and
// event.
func deliverJobs(t *testing.T, db *sqlstore.DB, orgID string) []inkform.DeliverArgs {
	t.Helper()
	jobs, err := db.ListJobs(context.Background(), orgID, inkform.JobFilter{Kind: inkform.DeliverArgs{}.Kind(), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []inkform.DeliverArgs
	for _, j := range jobs {
		var a inkform.DeliverArgs
		if err := json.Unmarshal(j.Args, &a); err != nil {
			t.Fatal(err)
		}
		if j.Queue != inkform.QueueDeliver || j.MaxAttempts != inkform.DeliverMaxAttempts {
			t.Errorf("deliver job on queue %q with %d attempts", j.Queue, j.MaxAttempts)
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b inkform.DeliverArgs) int {
		if a.SubscriptionID+a.Event < b.SubscriptionID+b.Event {
			return -1
		}
		return 1
	})
	return out
}

func newSubscription(t *testing.T, db *sqlstore.DB, orgID, formID string, events ...string) *inkform.Subscription {
	t.Helper()
	h := &inkform.Subscription{FormID: formID, Type: "webhook", URL: "https://example.com/hook", Events: events}
	if err := db.CreateSubscription(context.Background(), orgID, h, inkform.NewWebhookSecret()); err != nil {
		t.Fatalf("create handler: %v", err)
	}
	return h
}

func TestSubscriptionCRUD(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)

		secret := inkform.NewWebhookSecret()
		h := &inkform.Subscription{FormID: form.ID, Type: "webhook", URL: "https://example.com/a", Events: []string{"document.validated"}}
		if err := db.CreateSubscription(ctx, org.ID, h, secret); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindSubscription(ctx, org.ID, h.ID)
		if err != nil || got.URL != h.URL || got.FormID != form.ID || !slices.Equal(got.Events, h.Events) || !got.CreatedAt.Equal(h.CreatedAt) {
			t.Fatalf("FindSubscription = %+v, %v; want %+v", got, err, h)
		}
		if got, s, err := db.FindSubscriptionSecret(ctx, org.ID, h.ID); err != nil || s != secret || got.ID != h.ID || got.URL != h.URL {
			t.Fatalf("secret not kept: %v", err)
		}
		second := newSubscription(t, db, org.ID, form.ID, "document.received")
		list, err := db.ListSubscriptions(ctx, org.ID, form.ID)
		if err != nil || len(list) != 2 || list[0].ID != h.ID || list[1].ID != second.ID {
			t.Fatalf("ListSubscriptions = %v, %v", list, err)
		}

		// Bad input and another org's view.
		wantCode(t, db.CreateSubscription(ctx, org.ID, &inkform.Subscription{FormID: form.ID, Type: "webhook", URL: "x", Events: []string{"document.validated"}}, secret), inkform.EINVALID)
		wantCode(t, db.CreateSubscription(ctx, other.ID, &inkform.Subscription{FormID: form.ID, Type: "webhook", URL: "https://e.com", Events: []string{"document.validated"}}, secret), inkform.ENOTFOUND)
		_, err = db.FindSubscription(ctx, other.ID, h.ID)
		wantCode(t, err, inkform.ENOTFOUND)
		_, _, err = db.FindSubscriptionSecret(ctx, other.ID, h.ID)
		wantCode(t, err, inkform.ENOTFOUND)
		if l, err := db.ListSubscriptions(ctx, other.ID, form.ID); err != nil || len(l) != 0 {
			t.Fatalf("other org lists %d handlers, %v", len(l), err)
		}
		wantCode(t, db.DeleteSubscription(ctx, other.ID, h.ID), inkform.ENOTFOUND)
		wantCode(t, db.RecordDelivery(ctx, other.ID, &inkform.Delivery{SubscriptionID: h.ID, MessageID: "m", Attempt: 1}), inkform.ENOTFOUND)

		// The delivery log, newest first.
		t0 := time.UnixMicro(1_800_000_000_000_000).UTC()
		for i, code := range []int{500, 0, 204} {
			d := &inkform.Delivery{SubscriptionID: h.ID, MessageID: "msg_1", Attempt: i + 1, StatusCode: code, LatencyMS: int64(10 * i), At: t0.Add(time.Duration(i) * time.Minute)}
			if code == 0 {
				d.Error = strings.Repeat("x\x00\xff", 2000) // cleaned and cut short, not refused
			}
			if err := db.RecordDelivery(ctx, org.ID, d); err != nil {
				t.Fatal(err)
			}
		}
		ds, err := db.ListDeliveries(ctx, org.ID, h.ID, 0)
		if err != nil || len(ds) != 3 {
			t.Fatalf("ListDeliveries = %d, %v", len(ds), err)
		}
		if ds[0].Attempt != 3 || ds[0].StatusCode != 204 || ds[2].StatusCode != 500 || len(ds[1].Error) > 1000 || ds[1].Error == "" || !ds[0].At.Equal(t0.Add(2*time.Minute)) {
			t.Errorf("deliveries %+v %+v %+v", ds[0], ds[1], ds[2])
		}
		if ds, err := db.ListDeliveries(ctx, org.ID, h.ID, 1); err != nil || len(ds) != 1 {
			t.Errorf("limit 1 gives %d, %v", len(ds), err)
		}
		_, err = db.ListDeliveries(ctx, other.ID, h.ID, 0)
		wantCode(t, err, inkform.ENOTFOUND)

		if err := db.DeleteSubscription(ctx, org.ID, h.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindSubscription(ctx, org.ID, h.ID)
		wantCode(t, err, inkform.ENOTFOUND)
		wantCode(t, db.DeleteSubscription(ctx, org.ID, h.ID), inkform.ENOTFOUND)
	})
}

// TestStatusChangeEnqueuesDeliveries checks that a status change enqueues
// one delivery per subscribed subscription of the document's form, in the
// transaction of the change, and nothing for other forms or statuses.
func TestStatusChangeEnqueuesDeliveries(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		otherForm := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		validated := newSubscription(t, db, org.ID, form.ID, "document.validated")
		both := newSubscription(t, db, org.ID, form.ID, "document.needs_verification", "document.validated")
		received := newSubscription(t, db, org.ID, form.ID, "document.received")
		newSubscription(t, db, org.ID, otherForm.ID, "document.validated", "document.needs_verification", "document.received")

		id := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 2, 10))).Documents[0].ID
		got := deliverJobs(t, db, org.ID)
		if len(got) != 1 || got[0].SubscriptionID != received.ID || got[0].Event != "document.received" || got[0].DocumentID != id || got[0].EventAt.IsZero() {
			t.Fatalf("after capture: %+v", got)
		}
		// On a copied-pattern page, each submission is a document of its own.
		capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 2, 10)))
		if n := len(deliverJobs(t, db, org.ID)); n != 2 {
			t.Fatalf("%d deliveries after a second document", n)
		}
		in := &inkform.Interpretation{Status: inkform.StatusNeedsVerification, Cause: "low confidence", InkRows: 1}
		if _, err := db.SaveInterpretation(ctx, org.ID, id, in); err != nil {
			t.Fatal(err)
		}
		got = withoutEvent(deliverJobs(t, db, org.ID), "document.received")
		if len(got) != 1 || got[0].SubscriptionID != both.ID || got[0].Event != "document.needs_verification" || got[0].DocumentID != id || got[0].MessageID == "" {
			t.Fatalf("after needs_verification: %+v", got)
		}
		// Same status again, and a value edit: no event.
		if _, err := db.SetStatus(ctx, org.ID, id, inkform.StatusNeedsVerification, "again"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateFields(ctx, org.ID, id, map[string]inkform.FieldValue{"patient": {Value: "A", Valid: true}}, "test", "edit"); err != nil {
			t.Fatal(err)
		}
		if n := len(withoutEvent(deliverJobs(t, db, org.ID), "document.received")); n != 1 {
			t.Fatalf("%d deliveries after changes without a new status", n)
		}
		if _, err := db.SetStatus(ctx, org.ID, id, inkform.StatusValidated, "approved"); err != nil {
			t.Fatal(err)
		}
		got = withoutEvent(deliverJobs(t, db, org.ID), "document.received")
		var validatedFor []string
		msgs := map[string]bool{}
		for _, a := range got {
			msgs[a.MessageID] = true
			if a.Event == "document.validated" {
				validatedFor = append(validatedFor, a.SubscriptionID)
			}
		}
		slices.Sort(validatedFor)
		want := []string{validated.ID, both.ID}
		slices.Sort(want)
		if len(got) != 3 || !slices.Equal(validatedFor, want) || len(msgs) != 3 {
			t.Fatalf("after validated: %+v", got)
		}
	})
}

// withoutEvent returns the deliveries of other events than event.
func withoutEvent(ds []inkform.DeliverArgs, event string) []inkform.DeliverArgs {
	return slices.DeleteFunc(ds, func(a inkform.DeliverArgs) bool { return a.Event == event })
}

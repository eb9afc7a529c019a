package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// TestSubscriptionSettings stores e-mail and export subscriptions, reads their
// settings back, changes them, and checks that only webhooks keep a secret.
func TestSubscriptionSettings(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		mail := &inkform.Subscription{FormID: form.ID, Type: "email", To: []string{"ward@example.org"}, Subject: "{{.Document.ID}}",
			Body: "urgent!", Events: []string{"document.validated"},
			Conditions: []inkform.Condition{{Field: "urgent", Op: "equals", Value: true}}}
		wantCode(t, db.CreateSubscription(ctx, org.ID, mail, "whsec_x"), inkform.EINVALID) // no secret for e-mail
		if err := db.CreateSubscription(ctx, org.ID, mail, ""); err != nil {
			t.Fatal(err)
		}
		got, secret, err := db.FindSubscriptionSecret(ctx, org.ID, mail.ID)
		if err != nil || secret != "" || !slices.Equal(got.To, mail.To) || got.Subject != mail.Subject || got.Body != mail.Body ||
			len(got.Conditions) != 1 || got.Conditions[0].Value != true || !got.UpdatedAt.Equal(got.CreatedAt) {
			t.Fatalf("e-mail handler read back as %+v, %q, %v", got, secret, err)
		}
		exp := &inkform.Subscription{FormID: form.ID, Type: "export", Target: "archive", Format: "csv", Events: []string{"document.received"}}
		if err := db.CreateSubscription(ctx, org.ID, exp, ""); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindSubscription(ctx, org.ID, exp.ID); err != nil || got.Path != inkform.DefaultExportPath || got.Format != "csv" {
			t.Fatalf("export handler read back as %+v, %v", got, err)
		}

		if _, err := db.UpdateSubscription(ctx, org.ID, exp.ID, func(h *inkform.Subscription) error {
			h.Events, h.Path = []string{"document.validated", "document.needs_verification"}, "{document}.csv"
			h.Type, h.FormID = "webhook", inkform.NewID() // ignored: type and form stay
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindSubscription(ctx, org.ID, exp.ID); err != nil || got.Path != "{document}.csv" || len(got.Events) != 2 ||
			got.Type != "export" || got.FormID != form.ID || !got.UpdatedAt.After(got.CreatedAt) {
			t.Fatalf("after update: %+v, %v", got, err)
		}
		// Invalid settings and a refusing change store nothing; another org sees nothing.
		_, err = db.UpdateSubscription(ctx, org.ID, exp.ID, func(h *inkform.Subscription) error { h.Format = "xml"; return nil })
		wantCode(t, err, inkform.EINVALID)
		_, err = db.UpdateSubscription(ctx, org.ID, exp.ID, func(*inkform.Subscription) error { return inkform.Errorf(inkform.EUNPROCESSABLE, "no") })
		wantCode(t, err, inkform.EUNPROCESSABLE)
		if got, _ := db.FindSubscription(ctx, org.ID, exp.ID); got.Format != "csv" {
			t.Fatalf("a refused update changed the format to %q", got.Format)
		}
		_, err = db.UpdateSubscription(ctx, newOrg(t, db).ID, exp.ID, func(*inkform.Subscription) error { return nil })
		wantCode(t, err, inkform.ENOTFOUND)

		// Concurrent updates each add an event; none is lost.
		var wg sync.WaitGroup
		for _, ev := range []string{"document.received", "document.purged"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := db.UpdateSubscription(ctx, org.ID, mail.ID, func(h *inkform.Subscription) error {
					h.Events = append(h.Events, ev)
					return nil
				}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if got, err := db.FindSubscription(ctx, org.ID, mail.ID); err != nil || len(got.Events) != 3 {
			t.Fatalf("after two concurrent updates the events are %v, %v; want three", got.Events, err)
		}
	})
}

// TestDeliveryConditionsAndPurge checks that conditions on values decide
// which documents a subscription hears of, and that a purge sends
// document.purged with what is left of the document.
func TestDeliveryConditionsAndPurge(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		urgent := &inkform.Subscription{FormID: form.ID, Type: "webhook", URL: "https://example.com/u",
			Events:     []string{"document.validated", "document.purged"},
			Conditions: []inkform.Condition{{Field: "urgent", Op: "equals", Value: true}}}
		if err := db.CreateSubscription(ctx, org.ID, urgent, inkform.NewWebhookSecret()); err != nil {
			t.Fatal(err)
		}
		validate := func(tick bool) string {
			id := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 5))).Documents[0].ID
			in := &inkform.Interpretation{Status: inkform.StatusValidated, Cause: "read", InkRows: 1,
				Fields: map[string]inkform.FieldValue{"urgent": {Value: tick, Valid: true}}}
			if _, err := db.SaveInterpretation(ctx, org.ID, id, in); err != nil {
				t.Fatal(err)
			}
			return id
		}
		calm, hot := validate(false), validate(true)
		got := deliverJobs(t, db, org.ID)
		if len(got) != 1 || got[0].DocumentID != hot || got[0].Event != "document.validated" {
			t.Fatalf("deliveries %+v, want one for %s", got, hot)
		}
		if err := db.PurgeDocument(ctx, org.ID, calm, "test"); err != nil {
			t.Fatal(err)
		}
		if err := db.PurgeDocument(ctx, org.ID, hot, "test"); err != nil {
			t.Fatal(err)
		}
		got = withoutEvent(deliverJobs(t, db, org.ID), "document.validated")
		if len(got) != 1 || got[0].Event != "document.purged" || got[0].Purged == nil ||
			got[0].Purged.ID != hot || got[0].Purged.FormID != form.ID || got[0].Purged.Status != "purged" || got[0].Purged.PurgedAt.IsZero() {
			t.Fatalf("after purges: %+v", got)
		}
	})
}

// TestRedeliverAndPrune records attempts, redelivers one with its message
// ID and time, audits the accepted one, and prunes old log entries.
func TestRedeliverAndPrune(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		h := newSubscription(t, db, org.ID, form.ID, "document.validated", "document.purged")
		docID := inkform.NewID()
		eventAt := time.UnixMicro(1_800_000_000_000_000).UTC()
		failed := &inkform.Delivery{SubscriptionID: h.ID, MessageID: "msg_a", Event: "document.validated", DocumentID: docID,
			EventAt: eventAt, Attempt: 14, StatusCode: 503, Error: "webhook answered 503", At: eventAt.Add(25 * time.Hour)}
		purged := &inkform.Delivery{SubscriptionID: h.ID, MessageID: "msg_b", Event: "document.purged", DocumentID: docID,
			EventAt: eventAt, Attempt: 1, StatusCode: 200, At: eventAt.Add(time.Minute)}
		for _, d := range []*inkform.Delivery{failed, purged} {
			if err := db.RecordDelivery(ctx, org.ID, d); err != nil {
				t.Fatal(err)
			}
		}
		if failed.ID == 0 || purged.ID <= failed.ID {
			t.Fatalf("delivery ids %d, %d", failed.ID, purged.ID)
		}
		if d, err := db.FindDelivery(ctx, org.ID, h.ID, failed.ID); err != nil || d.MessageID != "msg_a" || !d.EventAt.Equal(eventAt) || d.DocumentID != docID {
			t.Fatalf("FindDelivery = %+v, %v", d, err)
		}
		_, err := db.FindDelivery(ctx, newOrg(t, db).ID, h.ID, failed.ID)
		wantCode(t, err, inkform.ENOTFOUND)

		for _, d := range []*inkform.Delivery{failed, purged} {
			if id, err := db.Redeliver(ctx, org.ID, h.ID, d.ID); err != nil || id == 0 {
				t.Fatalf("Redeliver(%d) = %d, %v", d.ID, id, err)
			}
		}
		got := deliverJobs(t, db, org.ID)
		if len(got) != 2 {
			t.Fatalf("%d jobs after two redeliveries", len(got))
		}
		for _, a := range got {
			switch a.MessageID {
			case "msg_a":
				if a.Event != "document.validated" || a.DocumentID != docID || !a.EventAt.Equal(eventAt) || a.Purged != nil {
					t.Errorf("redelivery of msg_a: %+v", a)
				}
			case "msg_b":
				if a.Purged == nil || a.Purged.ID != docID || a.Purged.FormID != form.ID || !a.Purged.PurgedAt.Equal(eventAt) {
					t.Errorf("redelivery of msg_b: %+v", a)
				}
			default:
				t.Errorf("unexpected redelivery %+v", a)
			}
		}
		_, err = db.Redeliver(ctx, org.ID, h.ID, 1<<40)
		wantCode(t, err, inkform.ENOTFOUND)

		// Only the accepted attempt is a disclosure in the audit log.
		events, _, err := db.ListAudit(ctx, org.ID, inkform.AuditFilter{Action: inkform.AuditDocumentDeliver})
		if err != nil || len(events) != 1 || events[0].Object.ID != docID || events[0].Actor != "handler "+h.ID {
			t.Fatalf("audit of deliveries: %+v, %v", events, err)
		}

		n, err := db.PruneDeliveries(ctx, eventAt.Add(time.Hour), 100)
		if err != nil || n != 1 {
			t.Fatalf("PruneDeliveries = %d, %v; want the one older attempt", n, err)
		}
		if ds, err := db.ListDeliveries(ctx, org.ID, h.ID, 0); err != nil || len(ds) != 1 || ds[0].MessageID != "msg_a" {
			t.Fatalf("after prune: %+v, %v", ds, err)
		}
	})
}

// TestSaveRenderWakesDeliveries checks that a saved render makes the held
// deliveries of its document due in its commit, and only those of that
// document and org.
func TestSaveRenderWakesDeliveries(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org, other := newOrg(t, db), newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		captured := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 10))).Documents[0]
		doc, err := db.FindDocument(ctx, org.ID, captured.ID)
		if err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Hour)
		enqueue := func(orgID, docID string) int64 {
			j, err := db.Enqueue(ctx, orgID, inkform.DeliverArgs{SubscriptionID: inkform.NewID(), DocumentID: docID,
				Event: "document.validated", MessageID: "msg_" + inkform.NewID()},
				inkform.EnqueueOpts{Queue: inkform.QueueDeliver, RunAt: later})
			if err != nil {
				t.Fatal(err)
			}
			return j.ID
		}
		mine := enqueue(org.ID, doc.ID)
		notMine := enqueue(org.ID, inkform.NewID())
		otherOrg := enqueue(other.ID, doc.ID)
		r := &inkform.DocumentRender{DocumentID: doc.ID, SourceUpdatedAt: doc.UpdatedAt, Key: "k", SHA256: "aa", Size: 1}
		if saved, err := db.SaveRender(ctx, org.ID, r); err != nil || !saved {
			t.Fatalf("SaveRender = %v, %v", saved, err)
		}
		jobs, err := db.ClaimJobs(ctx, inkform.QueueDeliver, "w", 10, time.Minute, inkform.KeyLimit{})
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 1 || jobs[0].ID != mine {
			var ids []int64
			for _, j := range jobs {
				ids = append(ids, j.ID)
			}
			t.Fatalf("claimed %v; want only %d (not %d of another document, %d of another org)", ids, mine, notMine, otherOrg)
		}
	})
}

// TestDeliveriesHeldForPDF checks that the deliveries of an event with a
// PDF are enqueued held (inkform.DeliveryPDFWait) when their subscription
// waits for it, and due at once when it does not.
func TestDeliveriesHeldForPDF(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		events := []string{inkform.EventDocumentValidated, inkform.EventDocumentNeedsVerification}
		hook := &inkform.Subscription{FormID: form.ID, Type: inkform.SubscriptionWebhook,
			URL: "https://example.org/hook", Events: events}
		csv := &inkform.Subscription{FormID: form.ID, Type: inkform.SubscriptionExport,
			Target: "t", Format: inkform.ExportCSV, Path: "{form}.csv", Events: events}
		if err := db.CreateSubscription(ctx, org.ID, hook, inkform.NewWebhookSecret()); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSubscription(ctx, org.ID, csv, ""); err != nil {
			t.Fatal(err)
		}
		id := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 10))).Documents[0].ID
		before := time.Now()
		in := &inkform.Interpretation{Status: inkform.StatusNeedsVerification, Cause: "test", InkRows: 1}
		if saved, err := db.SaveInterpretation(ctx, org.ID, id, in); err != nil || !saved {
			t.Fatalf("SaveInterpretation = %v, %v", saved, err)
		}
		jobs, err := db.ListJobs(ctx, org.ID, inkform.JobFilter{Kind: inkform.DeliverArgs{}.Kind(), Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		held := map[string]bool{}
		for _, j := range jobs {
			var a inkform.DeliverArgs
			if err := json.Unmarshal(j.Args, &a); err != nil {
				t.Fatal(err)
			}
			held[a.SubscriptionID] = j.RunAt.After(before.Add(inkform.DeliveryPDFWait / 2))
		}
		if len(held) != 2 || !held[hook.ID] || held[csv.ID] {
			t.Fatalf("held by subscription %v; want the webhook's held, the CSV export's due", held)
		}
	})
}

// TestRecordDeliveryConcurrent records many attempts at once, some for a
// subscription that does not exist: those fail alone, the others all land
// although they share transactions.
func TestRecordDeliveryConcurrent(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		h := newSubscription(t, db, org.ID, newForm(t, db, org.ID, inkform.PatternCopied, 1).ID, "document.validated")
		const n = 60
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				handlerID := h.ID
				if i%7 == 3 {
					handlerID = inkform.NewID() // gone
				}
				errs[i] = db.RecordDelivery(ctx, org.ID, &inkform.Delivery{SubscriptionID: handlerID, MessageID: fmt.Sprintf("msg_%d", i),
					Event: "document.validated", DocumentID: inkform.NewID(), Attempt: 1, StatusCode: 200})
			}()
		}
		wg.Wait()
		want := 0
		for i, err := range errs {
			if i%7 == 3 {
				wantCode(t, err, inkform.ENOTFOUND)
			} else if err != nil {
				t.Errorf("record %d: %v", i, err)
			} else {
				want++
			}
		}
		ds, err := db.ListDeliveries(ctx, org.ID, h.ID, 500)
		if err != nil || len(ds) != want {
			t.Fatalf("%d deliveries logged, %v; want %d", len(ds), err, want)
		}
		events, _, err := db.ListAudit(ctx, org.ID, inkform.AuditFilter{Action: inkform.AuditDocumentDeliver, Limit: 500})
		if err != nil || len(events) != want {
			t.Fatalf("%d delivery audit events, %v; want %d", len(events), err, want)
		}
	})
}

// TestHeldDeliveriesAnnouncedByRender checks the wake-ups of the deliver
// queue: a delivery held for its PDF is announced when SaveRender makes it
// due, not when it is enqueued (a worker woken then would claim nothing).
func TestHeldDeliveriesAnnouncedByRender(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := newOrg(t, db)
		form := newForm(t, db, org.ID, inkform.PatternCopied, 1)
		newSubscription(t, db, org.ID, form.ID, inkform.EventDocumentNeedsVerification)
		id := capture(t, db, org.ID, submission("", pageInk(form.Pages[0].Address, 1, 10))).Documents[0].ID
		var mu sync.Mutex
		woken := map[string]int{}
		db.SetEnqueueHook(func(queue string) {
			mu.Lock()
			woken[queue]++
			mu.Unlock()
		})
		count := func(queue string) int {
			mu.Lock()
			defer mu.Unlock()
			return woken[queue]
		}
		in := &inkform.Interpretation{Status: inkform.StatusNeedsVerification, Cause: "test", InkRows: 1}
		if saved, err := db.SaveInterpretation(ctx, org.ID, id, in); err != nil || !saved {
			t.Fatalf("SaveInterpretation = %v, %v", saved, err)
		}
		if n := count(inkform.QueueRender); n != 1 {
			t.Errorf("render queue woken %d times by the interpretation, want 1", n)
		}
		if n := count(inkform.QueueDeliver); n != 0 {
			t.Errorf("deliver queue woken %d times for a delivery held for its PDF, want 0", n)
		}
		doc, err := db.FindDocument(ctx, org.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		r := &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: doc.UpdatedAt, Key: "k", SHA256: "aa", Size: 1}
		if saved, err := db.SaveRender(ctx, org.ID, r); err != nil || !saved {
			t.Fatalf("SaveRender = %v, %v", saved, err)
		}
		if n := count(inkform.QueueDeliver); n != 1 {
			t.Errorf("deliver queue woken %d times by the saved PDF, want 1", n)
		}
	})
}

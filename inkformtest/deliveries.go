package inkformtest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// record appends an attempt at a validated event to a subscription's log.
func record(t *testing.T, s Stores, orgID, handlerID, messageID string) *inkform.Delivery {
	t.Helper()
	d := &inkform.Delivery{SubscriptionID: handlerID, MessageID: messageID, Event: inkform.EventDocumentValidated,
		DocumentID: inkform.NewID(), Attempt: 1, StatusCode: 500, LatencyMS: 12, Error: "HTTP 500",
		EventAt: dbTime(time.Now().Add(-time.Minute))}
	if err := s.Subscriptions.RecordDelivery(context.Background(), orgID, d); err != nil {
		t.Fatalf("record delivery: %v", err)
	}
	return d
}

func testSubscriptionDeliveries(t *testing.T, s Stores) {
	fx := newSubFixture(t, s)
	ctx := context.Background()
	h, quiet := webhook(fx.form.ID), webhook(fx.form.ID)
	fx.create(t, s, h)
	fx.create(t, s, quiet)
	var logged []*inkform.Delivery
	for _, msg := range []string{"msg_1", "msg_2", "msg_3"} {
		logged = append(logged, record(t, s, fx.org.ID, h.ID, msg))
	}
	if logged[0].ID == 0 || logged[0].ID == logged[1].ID || logged[0].At.IsZero() {
		t.Errorf("recorded %+v; want an ID and a time filled in", logged[0])
	}
	list, err := s.Subscriptions.ListDeliveries(ctx, fx.org.ID, h.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].MessageID != "msg_3" || list[2].MessageID != "msg_1" {
		t.Fatalf("listed %+v; want the 3 attempts newest first", list)
	}
	want := logged[0]
	got := list[2]
	if got.ID != want.ID || got.SubscriptionID != h.ID || got.Event != want.Event || got.DocumentID != want.DocumentID ||
		got.Attempt != 1 || got.StatusCode != 500 || got.LatencyMS != 12 || got.Error != "HTTP 500" ||
		!got.EventAt.Equal(want.EventAt) || got.At.IsZero() {
		t.Errorf("listed %+v, recorded %+v", got, want)
	}
	if two, _ := s.Subscriptions.ListDeliveries(ctx, fx.org.ID, h.ID, 2); len(two) != 2 || two[0].MessageID != "msg_3" {
		t.Errorf("a limit of 2 listed %+v; want the latest 2", two)
	}
	if none, err := s.Subscriptions.ListDeliveries(ctx, fx.org.ID, quiet.ID, 0); err != nil || len(none) != 0 {
		t.Errorf("a subscription without attempts lists %+v (%v)", none, err)
	}
	found, err := s.Subscriptions.FindDelivery(ctx, fx.org.ID, h.ID, want.ID)
	if err != nil || found.ID != want.ID || found.MessageID != "msg_1" {
		t.Errorf("FindDelivery = %+v, %v", found, err)
	}
	_, err = s.Subscriptions.FindDelivery(ctx, fx.org.ID, quiet.ID, want.ID)
	wantCode(t, "an attempt of another subscription", err, inkform.ENOTFOUND)
	_, err = s.Subscriptions.ListDeliveries(ctx, fx.org.ID, inkform.NewID(), 0)
	wantCode(t, "the log of an unknown subscription", err, inkform.ENOTFOUND)
}

func testSubscriptionRedeliver(t *testing.T, s Stores) {
	fx := newSubFixture(t, s)
	need(t, "Jobs", s.Jobs != nil)
	ctx := context.Background()
	h := webhook(fx.form.ID)
	fx.create(t, s, h)
	d := record(t, s, fx.org.ID, h.ID, "msg_again")
	id, err := s.Subscriptions.Redeliver(ctx, fx.org.ID, h.ID, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := s.Jobs.ListJobs(ctx, fx.org.ID, inkform.JobFilter{Kind: inkform.DeliverArgs{}.Kind()})
	if err != nil || len(jobs) != 1 || jobs[0].ID != id {
		t.Fatalf("the org's deliver jobs are %+v (%v); want the one job %d", jobs, err, id)
	}
	j := jobs[0]
	var args inkform.DeliverArgs
	if err := json.Unmarshal(j.Args, &args); err != nil {
		t.Fatal(err)
	}
	if args.SubscriptionID != h.ID || args.MessageID != "msg_again" || args.Event != d.Event || args.DocumentID != d.DocumentID ||
		!args.EventAt.Equal(d.EventAt) {
		t.Errorf("redelivery args %+v; want the logged message %+v again", args, d)
	}
	if j.Queue != inkform.QueueDeliver || j.MaxAttempts != inkform.DeliverMaxAttempts || j.State != inkform.JobAvailable {
		t.Errorf("redelivery job %+v; want an available job of the deliver queue with a deliver job's attempts", j)
	}
	_, err = s.Subscriptions.Redeliver(ctx, fx.org.ID, h.ID, d.ID+1_000_000)
	wantCode(t, "an unknown attempt", err, inkform.ENOTFOUND)
	_, err = s.Subscriptions.Redeliver(ctx, fx.org.ID, inkform.NewID(), d.ID)
	wantCode(t, "an unknown subscription", err, inkform.ENOTFOUND)
}

package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// TestDeliveryDeadThenRedelivered runs the real deliver worker against a
// receiver that fails: the delivery is retried, goes dead when its attempts
// are used up, is listed as dead, and a redelivery of a logged attempt
// reaches the receiver with the same message ID once it is back.
func TestDeliveryDeadThenRedelivered(t *testing.T) {
	t.Parallel()
	for _, dialect := range sqlstoretest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			d := newDeliverBench(t, dialect, 1)
			d.fail.Store(3)
			d.backoff = func(int) time.Duration { return 10 * time.Millisecond }
			// The queue comes from DeliverArgs; its DeliverMaxAttempts spans a day.
			opts := inkform.EnqueueOpts{MaxAttempts: 3}
			args := inkform.DeliverArgs{SubscriptionID: d.handlers[0], DocumentID: d.doc, Event: inkform.EventDocumentReceived,
				MessageID: "msg_" + inkform.NewID(), EventAt: time.Now()}
			job, err := d.db.Enqueue(ctx, d.org, args, opts)
			if err != nil {
				t.Fatal(err)
			}
			stop := d.start(t)
			defer stop()

			var dead *inkform.Job
			for deadline := time.Now().Add(20 * time.Second); dead == nil; time.Sleep(20 * time.Millisecond) {
				jobs, err := d.db.ListJobs(ctx, d.org, inkform.JobFilter{State: inkform.JobDead, Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if len(jobs) > 0 {
					dead = jobs[0]
				} else if time.Now().After(deadline) {
					t.Fatal("the failing delivery did not go dead within 20 s")
				}
			}
			if dead.ID != job.ID || dead.Attempt != 3 || d.got.Load() != 0 {
				t.Fatalf("dead job %+v, %d delivered; want job %d dead after 3 attempts", dead, d.got.Load(), job.ID)
			}
			log, err := d.db.ListDeliveries(ctx, d.org, d.handlers[0], 0)
			if err != nil || len(log) != 3 || log[0].StatusCode != 500 || log[0].Attempt != 3 || log[2].Attempt != 1 {
				t.Fatalf("delivery log %+v, %v; want three failed attempts, newest first", log, err)
			}

			// The receiver is back: redeliver the last attempt.
			d.mu.Lock()
			d.sent[args.MessageID] = time.Now()
			d.mu.Unlock()
			if _, err := d.db.Redeliver(ctx, d.org, d.handlers[0], log[0].ID); err != nil {
				t.Fatal(err)
			}
			d.wait(t, 1)
			d.mu.Lock()
			delivered := len(d.delays) // counted only for known message IDs
			d.mu.Unlock()
			if delivered != 1 {
				t.Errorf("the redelivery arrived with another message ID")
			}
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				log, err = d.db.ListDeliveries(ctx, d.org, d.handlers[0], 0)
				if err != nil {
					t.Fatal(err)
				}
				if len(log) == 4 {
					break
				} else if time.Now().After(deadline) {
					t.Fatalf("%d log entries after the redelivery, want 4", len(log))
				}
			}
			if log[0].StatusCode != 200 || log[0].MessageID != args.MessageID || log[0].Attempt != 1 {
				t.Errorf("redelivery logged as %+v", log[0])
			}
		})
	}
}

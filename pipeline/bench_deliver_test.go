package pipeline

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/deliver"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// deliverBench is a store with one document, subscriptions posting to a local
// receiver, and a queue client with the real deliver worker.
type deliverBench struct {
	db       *sqlstore.DB
	org, doc string
	handlers []string
	recv     *httptest.Server
	mu       sync.Mutex
	sent     map[string]time.Time // message ID → when it was enqueued
	delays   []time.Duration
	got      atomic.Int64
	// fail is how many more requests the receiver answers with 500.
	fail atomic.Int32
	// backoff, when set, replaces the queue's retry delays.
	backoff func(attempt int) time.Duration
}

// newDeliverBench sets up nSubscriptions webhook subscriptions on one form.
func newDeliverBench(b testing.TB, dialect string, nSubscriptions int) *deliverBench {
	b.Helper()
	ctx := context.Background()
	db, org, form := openSampleStore(b, sqlstoretest.NewDatabase(b, dialect), sqlstore.Options{}, func(t *inkform.FormTemplate) {
		for i := range t.Fields {
			t.Fields[i].Required = false // the benchmark needs a document, not a valid one
		}
	})
	d := &deliverBench{db: db, sent: map[string]time.Time{}}
	d.recv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if d.fail.Add(-1) >= 0 {
			http.Error(w, "not now", http.StatusInternalServerError)
			return
		}
		d.mu.Lock()
		if at, ok := d.sent[r.Header.Get("webhook-id")]; ok {
			d.delays = append(d.delays, time.Since(at))
		}
		d.mu.Unlock()
		d.got.Add(1)
	}))
	b.Cleanup(d.recv.Close)
	doc, _, err := db.SubmitDigital(ctx, org.ID, &inkform.DigitalSubmission{FormID: form.ID,
		Values: map[string]any{"patient_no": "004711", "visit_date": "271126", "dressing_changed": true}})
	if err != nil {
		b.Fatal(err)
	}
	d.org, d.doc = org.ID, doc.ID
	for range nSubscriptions {
		h := &inkform.Subscription{FormID: form.ID, Type: "webhook", URL: d.recv.URL + "/hook", Events: []string{"document.received"}}
		if err := db.CreateSubscription(ctx, org.ID, h, inkform.NewWebhookSecret()); err != nil {
			b.Fatal(err)
		}
		d.handlers = append(d.handlers, h.ID)
	}
	return d
}

// enqueue adds one delivery of document.received to subscription i.
func (d *deliverBench) enqueue(b testing.TB, i int) {
	msg := "msg_" + inkform.NewID()
	d.mu.Lock()
	d.sent[msg] = time.Now()
	d.mu.Unlock()
	args := inkform.DeliverArgs{SubscriptionID: d.handlers[i%len(d.handlers)], DocumentID: d.doc,
		Event: inkform.EventDocumentReceived, MessageID: msg, EventAt: time.Now()}
	if _, err := d.db.Enqueue(context.Background(), d.org, args, inkform.EnqueueOpts{}); err != nil {
		b.Error(err)
	}
}

// start runs the deliver worker as `inkform worker` would, with the
// default delivery settings.
func (d *deliverBench) start(b testing.TB) func() {
	return d.startWith(b, nil, nil)
}

// startWith is start with more workers (add) on more queues.
func (d *deliverBench) startWith(b testing.TB, add func(*queue.Workers), queues map[string]queue.QueueConfig) func() {
	b.Helper()
	// As `inkform worker` with the default delivery flags, but allowed to
	// reach the receiver on loopback.
	const workers = 32
	w := &DeliverWorker{Subscriptions: d.db, Documents: d.db, Renders: d.db, PerSubscription: 4, Logger: slog.New(slog.DiscardHandler),
		ByType: map[string]inkform.Deliverer{inkform.SubscriptionWebhook: &deliver.Sender{Subscriptions: d.db, Documents: d.db,
			Client: deliver.NewClient(true)}}}
	ws := queue.NewWorkers()
	Workers{Deliver: w}.Register(ws)
	if add != nil {
		add(ws)
	}
	all := map[string]queue.QueueConfig{inkform.QueueDeliver: {MaxWorkers: workers}}
	for q, c := range queues {
		all[q] = c
	}
	c, err := queue.NewClient(queue.Config{Store: d.db, Workers: ws, PollInterval: 50 * time.Millisecond, Queues: all,
		Backoff: d.backoff})
	if err != nil {
		b.Fatal(err)
	}
	d.db.SetEnqueueHook(c.Notify)
	if err := c.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = c.Stop(ctx)
	}
}

// wait waits until the receiver got n deliveries.
func (d *deliverBench) wait(b testing.TB, n int64) {
	for deadline := time.Now().Add(10 * time.Minute); d.got.Load() < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d deliveries arrived", d.got.Load(), n)
		}
	}
}

// BenchmarkDeliverWebhooks measures signed webhook deliveries per second
// to a local receiver through the whole path — claim, subscription and
// document reads, signing, POST, delivery log and audit row, completion —
// with 16 subscriptions and the default 32 delivery workers. The jobs are
// enqueued before the clock starts.
//
//	go test ./pipeline -run '^$' -bench DeliverWebhooks -benchtime 5000x
func BenchmarkDeliverWebhooks(b *testing.B) {
	for _, dialect := range sqlstoretest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			d := newDeliverBench(b, dialect, 16)
			for i := range b.N {
				d.enqueue(b, i)
			}
			b.ResetTimer()
			start := time.Now()
			stop := d.start(b)
			d.wait(b, int64(b.N))
			took := time.Since(start)
			b.StopTimer()
			stop()
			b.ReportMetric(float64(b.N)/took.Seconds(), "deliveries/s")
		})
	}
}

// BenchmarkDeliverDelay offers deliveries at a steady rate (an open loop,
// 500/s for b.N deliveries) and reports the delay from the event to its
// arrival at the receiver: median and 99th percentile.
//
//	go test ./pipeline -run '^$' -bench DeliverDelay -benchtime 5000x
func BenchmarkDeliverDelay(b *testing.B) {
	const rate = 500
	for _, dialect := range sqlstoretest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			d := newDeliverBench(b, dialect, 16)
			stop := d.start(b)
			b.ResetTimer()
			tick := time.NewTicker(time.Second / rate)
			for i := range b.N {
				<-tick.C
				d.enqueue(b, i)
			}
			tick.Stop()
			d.wait(b, int64(b.N))
			b.StopTimer()
			stop()
			d.mu.Lock()
			defer d.mu.Unlock()
			slices.Sort(d.delays)
			q := func(p float64) float64 {
				return float64(d.delays[int(p*float64(len(d.delays)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(q(0.5), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
		})
	}
}

// BenchmarkDeliverValidated measures what a partner waits for: the delay
// from a document becoming validated to the signed document.validated
// webhook at its receiver, which includes rendering the PDF first (the
// delivery waits for it). Documents are validated at a steady 100/s; the
// receiver subtracts the document's updatedAt (the time of the status
// change) from its clock. Render and deliver workers run as in
// `inkform worker`, with the disk blob store.
//
//	go test ./pipeline -run '^$' -bench DeliverValidated -benchtime 1000x
func BenchmarkDeliverValidated(b *testing.B) {
	const rate = 100
	for _, dialect := range sqlstoretest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			d := newDeliverBench(b, dialect, 0)
			var (
				mu     sync.Mutex
				delays []time.Duration
				got    atomic.Int64
			)
			recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var msg struct {
					Data struct{ UpdatedAt time.Time } `json:"data"`
				}
				if err := json.NewDecoder(r.Body).Decode(&msg); err == nil {
					mu.Lock()
					delays = append(delays, time.Since(msg.Data.UpdatedAt))
					mu.Unlock()
				}
				got.Add(1)
			}))
			defer recv.Close()
			doc, err := d.db.FindDocument(ctx, d.org, d.doc)
			if err != nil {
				b.Fatal(err)
			}
			h := &inkform.Subscription{FormID: doc.FormID, Type: "webhook", URL: recv.URL, Events: []string{"document.validated"}}
			if err := d.db.CreateSubscription(ctx, d.org, h, inkform.NewWebhookSecret()); err != nil {
				b.Fatal(err)
			}
			blobs := newDisk(b)
			ids := make([]string, b.N)
			for i := range ids {
				doc, _, err := d.db.SubmitDigital(ctx, d.org, &inkform.DigitalSubmission{FormID: doc.FormID,
					Values: map[string]any{"patient_no": "004711", "visit_date": "271126"}})
				if err != nil {
					b.Fatal(err)
				}
				ids[i] = doc.ID
			}
			stop := d.startWith(b, func(ws *queue.Workers) {
				Workers{Render: newRenderWorker(d.db, blobs)}.Register(ws)
			}, map[string]queue.QueueConfig{inkform.QueueRender: {MaxWorkers: 4}})
			b.ResetTimer()
			tick := time.NewTicker(time.Second / rate)
			for _, id := range ids {
				<-tick.C
				if _, err := d.db.SetStatus(ctx, d.org, id, inkform.StatusValidated, "bench"); err != nil {
					b.Fatal(err)
				}
			}
			tick.Stop()
			for deadline := time.Now().Add(time.Minute); got.Load() < int64(b.N); time.Sleep(time.Millisecond) {
				if time.Now().After(deadline) {
					b.Fatalf("only %d of %d deliveries arrived", got.Load(), b.N)
				}
			}
			b.StopTimer()
			stop()
			slices.Sort(delays)
			q := func(p float64) float64 { return float64(delays[int(p*float64(len(delays)-1))].Microseconds()) / 1000 }
			b.ReportMetric(q(0.5), "p50-ms")
			b.ReportMetric(q(0.9), "p90-ms")
			b.ReportMetric(q(0.99), "p99-ms")
		})
	}
}

package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

type noopArgs struct {
	N int `json:"n"`
}

func (noopArgs) Kind() string { return "bench_noop" }

// BenchmarkQueueNoop measures no-op jobs/s through the whole queue —
// claim, work, batched completion — on each database, with one client of
// 100 workers (a worker node sized for short jobs). Enqueueing is not timed.
//
//	go test ./cmd/inkform -run '^$' -bench QueueNoop -benchtime 20000x
func BenchmarkQueueNoop(b *testing.B) {
	for _, dialect := range sqlstoretest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			db, err := sqlstore.Open(ctx, sqlstoretest.NewDatabase(b, dialect), sqlstore.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			enqueueMany(b, db, b.N)
			var done atomic.Int64
			all := make(chan struct{})
			ws := queue.NewWorkers()
			queue.AddWorker(ws, queue.WorkFunc[noopArgs](func(ctx context.Context, j *queue.Job[noopArgs]) error {
				if done.Add(1) == int64(b.N) {
					close(all)
				}
				return nil
			}), queue.WorkerOpts{})
			c, err := queue.NewClient(queue.Config{Store: db, Workers: ws,
				Queues: map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 100}}, PollInterval: 10 * time.Millisecond})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			c.Start(ctx)
			select {
			case <-all:
			case <-time.After(10 * time.Minute):
				b.Fatalf("only %d of %d jobs ran", done.Load(), b.N)
			}
			took := time.Since(start)
			b.StopTimer()
			sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			c.Stop(sctx)
			b.ReportMetric(float64(b.N)/took.Seconds(), "jobs/s")
		})
	}
}

// enqueueMany enqueues n jobs spread over a few orgs, in parallel.
func enqueueMany(b *testing.B, db *sqlstore.DB, n int) {
	b.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				if _, err := db.Enqueue(context.Background(), fmt.Sprintf("org-%d", i%4), noopArgs{N: i}, inkform.EnqueueOpts{}); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

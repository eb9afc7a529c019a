package main

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkPickupLatency measures how long a job waits between its enqueue
// on an API node (no workers) and its start on one of 1 or 3 worker nodes,
// each its own connections to one PostgreSQL database, polling every 250 ms
// (--poll-interval's default) and woken by nothing else ("poll"), by LISTEN/NOTIFY
// ("listen") or by Redis pub/sub ("redis"). Jobs come one every 20 ms, so
// each finds the workers idle; it reports the median and the 99th
// percentile in milliseconds, and the median of the enqueue itself (its
// commit), which is part of each wait.
//
//	go test ./cmd/inkform -run '^$' -bench PickupLatency -benchtime 200x
func BenchmarkPickupLatency(b *testing.B) {
	for _, transport := range []string{"poll", "listen", "redis"} {
		for _, nodes := range []int{1, 3} {
			b.Run(fmt.Sprintf("%s/nodes=%d", transport, nodes), func(b *testing.B) {
				benchPickup(b, transport, nodes)
			})
		}
	}
}

func benchPickup(b *testing.B, transport string, nodes int) {
	dsn := postgresDSN(b)
	o := nodeOpts{local: transport == "poll", prefix: channelPrefix(b)}
	if transport == "redis" {
		o.redis = redisURL(b)
	}
	api := startTestNode(b, dsn, o)
	picked := make(chan pickup, b.N)
	all := []*testNode{api}
	for range nodes {
		w := o
		w.poll, w.workers, w.picked = 250*time.Millisecond, 4, picked
		all = append(all, startTestNode(b, dsn, w))
	}
	waitConnected(b, 10*time.Second, all...)
	time.Sleep(time.Second) // past the first claims, which run at start
	sent := make([]time.Time, b.N)
	commits := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := range b.N {
		sent[i] = time.Now()
		commits[i] = enqueueWake(b, api, "org-bench", i).Sub(sent[i])
		time.Sleep(20 * time.Millisecond)
	}
	waits := make([]time.Duration, 0, b.N)
	for range b.N {
		select {
		case p := <-picked:
			waits = append(waits, p.at.Sub(sent[p.n]))
		case <-time.After(10 * time.Second):
			b.Fatalf("%d of %d jobs started", len(waits), b.N)
		}
	}
	b.StopTimer()
	ms := func(ds []time.Duration, q float64) float64 {
		slices.Sort(ds)
		return float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(ms(waits, 0.5), "p50-ms")
	b.ReportMetric(ms(waits, 0.99), "p99-ms")
	// The enqueue's own commit is part of every wait.
	b.ReportMetric(ms(commits, 0.5), "enqueue-p50-ms")
	b.ReportMetric(0, "ns/op")
}

package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// BenchmarkClaimFullKey measures a claim of the deliver queue while its
// only handler has its limit running on this node and 500 of its
// deliveries wait, which happens about once per delivery when one
// endpoint is busy (issue 13). In "paused" the claims follow each other
// within 100 ms, so after the first they skip the look for due jobs
// (jobqueue_keys.go), as most such claims do; in "looking" the store's
// clock moves 100 ms per claim, so every claim looks (and lists the orgs,
// and looks for retryable jobs): it must skip all 500 to find nothing.
//
//	go test ./sqlstore/ -run '^$' -bench ClaimFullKey -benchtime 2000x
func BenchmarkClaimFullKey(b *testing.B) {
	for _, name := range dialects {
		for _, mode := range []string{"paused", "looking"} {
			b.Run(name+"/"+mode, func(b *testing.B) {
				clk := &clock{t: time.Now()}
				db := openDB(b, newDatabase(b, name), sqlstore.Options{Now: clk.now})
				benchClaimFullKey(b, db, func() {
					if mode == "looking" {
						clk.t = clk.t.Add(100 * time.Millisecond)
					}
				})
			})
		}
	}
}

// benchClaimFullKey is BenchmarkClaimFullKey on db, calling tick before
// each claim.
func benchClaimFullKey(b *testing.B, db *sqlstore.DB, tick func()) {
	ctx := context.Background()
	org := newOrg(b, db)
	const perKey, waiting = 4, 500
	for i := range perKey + waiting {
		args := inkform.DeliverArgs{SubscriptionID: "h", DocumentID: inkform.NewID(), Event: inkform.EventDocumentValidated,
			MessageID: inkform.NewID()}
		if _, err := db.Enqueue(ctx, org.ID, args, inkform.EnqueueOpts{LimitKey: "handler h",
			RunAt: time.Now().Add(-time.Duration(perKey+waiting-i) * time.Millisecond)}); err != nil {
			b.Fatal(err)
		}
	}
	if jobs, err := db.ClaimJobs(ctx, inkform.QueueDeliver, "bench", 8, time.Hour, inkform.KeyLimit{PerKey: perKey}); err != nil || len(jobs) != perKey {
		b.Fatalf("first claim took %d jobs (%v), want %d", len(jobs), err, perKey)
	}
	b.ResetTimer()
	for b.Loop() {
		tick()
		jobs, err := db.ClaimJobs(ctx, inkform.QueueDeliver, "bench", 8, time.Hour, inkform.KeyLimit{PerKey: perKey})
		if err != nil || len(jobs) != 0 {
			b.Fatalf("claim took %d jobs (%v) of a full key", len(jobs), err)
		}
	}
}

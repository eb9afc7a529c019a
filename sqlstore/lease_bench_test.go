package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// BenchmarkLeaseNext measures the store's part of opening the next
// document at the verification station: LeaseNext on a form with 300
// waiting documents whose oldest 200 other people hold, then ReleaseLease
// (so every iteration takes the same document past the same held ones).
//
//	go test ./sqlstore/ -run '^$' -bench BenchmarkLeaseNext -benchtime 200x
func BenchmarkLeaseNext(b *testing.B) {
	for _, name := range dialects {
		b.Run(name, func(b *testing.B) {
			db := openDB(b, newDatabase(b, name), sqlstore.Options{})
			ctx := context.Background()
			org := newOrg(b, db)
			f := newForm(b, db, org.ID, inkform.PatternCopied, 1)
			exp := time.Now().Add(time.Hour)
			for i := range 300 {
				doc := newDocument(b, db, f, inkform.StatusNeedsVerification)
				if i < 200 {
					if _, err := db.LeaseDocument(ctx, org.ID, doc.ID, "other", exp); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ResetTimer()
			for b.Loop() {
				le, err := db.LeaseNext(ctx, org.ID, f.ID, "bench", exp)
				if err != nil {
					b.Fatal(err)
				}
				if err := db.ReleaseLease(ctx, org.ID, le.DocumentID, "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

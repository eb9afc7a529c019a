package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// BenchmarkCaptureInk measures durable group-committed capture: 64
// concurrent callers (SetParallelism 32 on 2 cores) each storing one-page
// submissions of 40 strokes × 60 points = 2,400 points, the size of a
// filled form page. It reports submissions per second and the CPU time of
// this process per submission (all of it for SQLite; the client side only
// for the servers).
//
//	go test ./sqlstore/ -run '^$' -bench BenchmarkCaptureInk -benchtime 3s
func BenchmarkCaptureInk(b *testing.B) {
	for _, name := range dialects {
		b.Run(name, func(b *testing.B) {
			dsn := newDatabase(b, name)
			db := openDB(b, dsn, sqlstore.Options{})
			org := newOrg(b, db)
			f := newForm(b, db, org.ID, inkform.PatternCopied, 1)
			page := pageInk(f.Pages[0].Address, 40, 60)
			var seq atomic.Int64
			ctx := context.Background()
			b.SetParallelism(32)
			b.ReportAllocs()
			b.ResetTimer()
			start, cpu := time.Now(), processCPU()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					sub := &inkform.InkSubmission{
						PenID:        "AJX-AAB-7KH-6P",
						SubmissionID: fmt.Sprintf("bench-%d", seq.Add(1)),
						Pages:        []inkform.PageInk{page},
						ReceivedAt:   time.Now(),
					}
					if _, err := db.CaptureInk(ctx, org.ID, sub); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "subs/s")
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/sub")
			if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
				// The background checkpointer keeps the WAL from growing
				// with the number of captures.
				if fi, err := os.Stat(path + "-wal"); err == nil {
					b.ReportMetric(float64(fi.Size())/1e6, "wal-MB")
				}
			}
		})
	}
}

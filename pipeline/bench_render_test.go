package pipeline

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
)

// BenchmarkRenderWork measures the render worker's whole Work for one
// document of the sample page (examples/wound-check.inkml, interpreted):
// the reads of document, form, ink and previous render, the PDF, storing
// it on a Disk blob store with its fsyncs, recording it on SQLite and the
// cutout check. Each iteration renders a new document, as in production,
// where nearly every render is a new document's first one.
//
// ns/op includes waiting for the disk; cpu-µs/op is the process's user and
// system CPU time per render (SQLite's writer included), the steadier
// figure on a shared machine. Documents are captured and interpreted before
// the timed loop. Run it with a fixed count, e.g.
//
//	go test -run '^$' -bench RenderWork -benchmem -benchtime 200x -count 6 ./pipeline/
func BenchmarkRenderWork(b *testing.B) {
	ctx := context.Background()
	db, org, _ := openSampleStore(b, sqliteDSN(b), sqlstore.Options{}, nil)
	iw := newInterpretWorker(db, db, nil)
	ids := captureSamples(b, db, org.ID, b.N)
	for _, id := range ids {
		if err := iw.Work(ctx, &queue.Job[inkform.InterpretArgs]{Job: &inkform.Job{OrgID: org.ID},
			Args: inkform.InterpretArgs{DocumentID: id}}); err != nil {
			b.Fatal(err)
		}
	}
	w := newRenderWorker(db, newDisk(b))
	timeRenders(b, db, org.ID, ids, func(id string) error {
		return w.Work(ctx, &queue.Job[inkform.RenderPDFArgs]{Job: &inkform.Job{OrgID: org.ID},
			Args: inkform.RenderPDFArgs{DocumentID: id}})
	})
}

// timeRenders times work on each of ids, reports its CPU time per
// document as cpu-µs/op, and checks that the first and last documents'
// renders are recorded: a job that rendered nothing would make the
// figures lie.
func timeRenders(b *testing.B, db *sqlstore.DB, orgID string, ids []string, work func(id string) error) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for _, id := range ids {
		if err := work(id); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - cpu0
	b.StopTimer()
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
	for _, id := range []string{ids[0], ids[len(ids)-1]} {
		if _, err := db.FindRender(context.Background(), orgID, id); err != nil {
			b.Fatalf("render of %s: %v", id, err)
		}
	}
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkInterpretWork measures the interpret worker's whole Work on a
// node that renders too, for one document of the sample page: the reads,
// interpretation with the built-in engine's stand-in, the PDF stored on a
// Disk blob store, and the saves on SQLite (since round six of issue 13,
// one write: inkform.RenderedSaver). Each iteration is a new document.
// cpu-µs/op is the steadier figure, as in BenchmarkRenderWork:
//
//	go test -run '^$' -bench InterpretWork -benchmem -benchtime 300x -count 6 ./pipeline/
func BenchmarkInterpretWork(b *testing.B) {
	ctx := context.Background()
	db, org, _ := openSampleStore(b, sqliteDSN(b), sqlstore.Options{}, nil)
	ids := captureSamples(b, db, org.ID, b.N)
	w := newInterpretWorker(db, db, newRenderWorker(db, newDisk(b)))
	timeRenders(b, db, org.ID, ids, func(id string) error {
		return w.Work(ctx, &queue.Job[inkform.InterpretArgs]{Job: &inkform.Job{OrgID: org.ID},
			Args: inkform.InterpretArgs{DocumentID: id}})
	})
}

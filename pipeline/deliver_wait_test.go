package pipeline

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
)

// racingRenders is a RenderStore whose document is rendered, and the
// render announced, while the first FindRender reads "not yet": the race
// between a delivery's check and its snooze.
type racingRenders struct {
	inkform.RenderStore
	doc      *inkform.Document
	notifier inkform.Notifier // nil: the render is never saved
	reads    atomic.Int32
}

func (r *racingRenders) FindRender(ctx context.Context, org, id string) (*inkform.DocumentRender, error) {
	if r.reads.Add(1) == 1 || r.notifier == nil {
		if r.notifier != nil {
			r.notifier.Publish(ctx, inkform.TopicRenders, inkform.DocumentNotice(org, id))
		}
		return nil, inkform.Errorf(inkform.ENOTFOUND, "no render")
	}
	return &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: r.doc.UpdatedAt}, nil
}

// oneDocument is a DocumentService that knows one document.
type oneDocument struct {
	inkform.DocumentService
	doc *inkform.Document
}

func (d oneDocument) FindDocument(ctx context.Context, org, id string) (*inkform.Document, error) {
	return d.doc, nil
}

// TestWaitForPDF checks how long a delivery waits for its PDF: not at all
// when the render was saved while it checked (it checks again rather than
// snooze past the wake-up), until woken (a safety net of seconds) when
// saved renders are announced, and a short poll without a notifier.
func TestWaitForPDF(t *testing.T) {
	t.Parallel()
	doc := &inkform.Document{ID: inkform.NewID(), UpdatedAt: time.Now().UTC().Truncate(time.Microsecond)}
	a := inkform.DeliverArgs{DocumentID: doc.ID}
	for _, tt := range []struct {
		name       string
		notify     bool
		saved      bool
		min, max   time.Duration
		wantChecks int32
	}{
		{"saved while checking", true, true, 0, 0, 2},
		{"not saved, notifier", true, false, 2 * time.Second, 2 * time.Second, 1},
		{"not saved, no notifier", false, false, 40 * time.Millisecond, 40 * time.Millisecond, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &racingRenders{doc: doc}
			w := &DeliverWorker{Documents: oneDocument{doc: doc}, Renders: r, Logger: discardLogger()}
			if tt.notify {
				w.Notifier = inkform.NewLocalNotifier()
			}
			if tt.saved {
				r.notifier = w.Notifier
			}
			_, got, err := w.waitForPDF(context.Background(), "org", a, time.Now())
			if err != nil || got < tt.min || got > tt.max {
				t.Errorf("waitForPDF = %s, %v; want %s–%s", got, err, tt.min, tt.max)
			}
			if n := r.reads.Load(); n != tt.wantChecks {
				t.Errorf("render read %d times, want %d", n, tt.wantChecks)
			}
			if len(w.pdfs().waiting) != 0 || len(w.pdfs().saved) != 0 {
				t.Errorf("the watch keeps %v / %v after the check", w.pdfs().waiting, w.pdfs().saved)
			}
		})
	}
}

func TestPDFWatch(t *testing.T) {
	t.Parallel()
	p := newPDFWatch()
	p.notice("o/unwatched")
	if len(p.saved) != 0 {
		t.Fatalf("a notice nobody watches is kept: %v", p.saved)
	}
	saved1, done1 := p.watch("o/d")
	saved2, done2 := p.watch("o/d")
	p.notice("o/other")
	if saved1() {
		t.Fatal("another document's notice counts")
	}
	p.notice("o/d")
	if !saved1() || !saved2() {
		t.Fatal("both watchers must see the notice")
	}
	done1()
	if !saved2() {
		t.Fatal("one watcher's end cleared the other's notice")
	}
	done2()
	if saved3, done3 := p.watch("o/d"); saved3() {
		t.Fatal("a new watch sees an old notice")
	} else {
		done3()
	}
	for _, tt := range []struct{ waited, want time.Duration }{
		{0, 2 * time.Second}, {20 * time.Second, 5 * time.Second}, {time.Hour, 30 * time.Second},
	} {
		if got := pdfWoken(tt.waited); got != tt.want {
			t.Errorf("pdfWoken(%s) = %s, want %s", tt.waited, got, tt.want)
		}
	}
}

package pipeline

import (
	"context"
	"sync"
	"time"

	"github.com/inkform/inkform"
)

// pdfWatch tells a delivery that is checking for its document's PDF
// whether a render of the document was saved meanwhile (TopicRenders).
// Saving a render makes the document's held and snoozed deliveries due
// (inkform.RenderStore.SaveRender); a delivery that read "no PDF yet" just
// before the PDF was saved is still running then, and would snooze past it. The watch closes that
// gap, so a waiting delivery can snooze until woken rather than poll.
type pdfWatch struct {
	mu      sync.Mutex
	waiting map[string]int  // document notice → deliveries checking it
	saved   map[string]bool // document notice → a render saved while checked
}

func newPDFWatch() *pdfWatch {
	return &pdfWatch{waiting: map[string]int{}, saved: map[string]bool{}}
}

// watch starts watching a document (its inkform.DocumentNotice). saved
// reports whether its render was saved since; done ends the watch.
func (p *pdfWatch) watch(doc string) (saved func() bool, done func()) {
	p.mu.Lock()
	p.waiting[doc]++
	p.mu.Unlock()
	saved = func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.saved[doc]
	}
	done = func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.waiting[doc]--; p.waiting[doc] == 0 {
			delete(p.waiting, doc)
			delete(p.saved, doc)
		}
	}
	return saved, done
}

// notice records that a document's render was saved, for the deliveries
// watching it; others do not need to know (the wake-up reaches them).
func (p *pdfWatch) notice(doc string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waiting[doc] > 0 {
		p.saved[doc] = true
	}
}

// pdfWoken is how long a delivery waiting for its PDF snoozes when saved
// renders wake it (DeliverWorker.Notifier): the wake-up brings it back,
// so this is only the safety net for a lost one, at first 2 s, then a
// quarter of the time it has waited, at most 30 s.
func pdfWoken(waited time.Duration) time.Duration {
	return min(max(2*time.Second, waited/4), 30*time.Second)
}

// waitForPDF reports how long a delivery must wait for the document's
// PDF (0: it is rendered), checking again when a render was saved while it
// checked, and returns the document as it read it.
func (w *DeliverWorker) waitForPDF(ctx context.Context, orgID string, a inkform.DeliverArgs, since time.Time) (*inkform.Document, time.Duration, error) {
	for try := 0; ; try++ {
		saved, done := w.pdfs().watch(inkform.DocumentNotice(orgID, a.DocumentID))
		doc, wait, err := w.awaitPDF(ctx, orgID, a, since)
		again := wait && saved()
		done()
		switch {
		case err != nil || !wait:
			return doc, 0, err
		case again && try == 0:
			continue
		case w.Notifier == nil:
			return doc, pdfWait(time.Since(since)), nil
		}
		return doc, pdfWoken(time.Since(since)), nil
	}
}

// pdfs returns the node's watch of saved renders, subscribed to
// TopicRenders at the first delivery so the worker can be a struct
// literal. It stays subscribed for the life of the process.
func (w *DeliverWorker) pdfs() *pdfWatch {
	w.watchOnce.Do(func() {
		w.watching = newPDFWatch()
		if w.Notifier != nil {
			w.Notifier.Subscribe(inkform.TopicRenders, w.watching.notice)
		}
	})
	return w.watching
}

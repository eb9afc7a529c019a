// Package pipeline is what happens to a document after capture, as jobs of
// the queue: interpretation reads its ink into values and a status,
// rendering makes its PDF, delivery sends its events to the form's
// subscriptions, and maintenance purges what retention lets go.
//
// Each worker is a queue.Worker of one kind of job that takes the services
// it needs as interfaces of the root package, so it runs on any store and,
// in tests, on fakes. cmd/inkform builds the workers from its flags and
// wires them to sqlstore, a blob store, the interpreter, the PDF printer
// and the deliver package's senders;
// the rules (how long a delivery waits for a PDF, when a "not found" may be
// a lagging replica, how many deliveries one subscription may have running)
// live here.
package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
)

// How long one attempt of each kind of job may take.
const (
	interpretTimeout = time.Minute
	renderTimeout    = time.Minute
	// deliverTimeout covers a webhook's own 10 s or an SMTP session's
	// 30 s, the reads before and the record after.
	deliverTimeout     = 45 * time.Second
	maintenanceTimeout = maintenanceBudget + time.Minute
)

// Workers are the pipeline's workers, ready to be registered with a queue
// client. A nil worker is not registered: its kind of job waits for a node
// that has it.
type Workers struct {
	Interpret   *InterpretWorker
	Render      *RenderWorker
	Deliver     *DeliverWorker
	Maintenance *MaintenanceWorker
}

// Register adds the workers to ws, each with the time one attempt of its
// kind may take.
func (w Workers) Register(ws *queue.Workers) {
	if w.Interpret != nil {
		queue.AddWorker[inkform.InterpretArgs](ws, w.Interpret, queue.WorkerOpts{Timeout: interpretTimeout})
	}
	if w.Render != nil {
		queue.AddWorker[inkform.RenderPDFArgs](ws, w.Render, queue.WorkerOpts{Timeout: renderTimeout})
	}
	if w.Deliver != nil {
		queue.AddWorker[inkform.DeliverArgs](ws, w.Deliver, queue.WorkerOpts{Timeout: deliverTimeout})
	}
	if w.Maintenance != nil {
		queue.AddWorker[inkform.MaintenanceArgs](ws, w.Maintenance, queue.WorkerOpts{Timeout: maintenanceTimeout})
	}
}

// loadDocument reads what a job on a document needs: the document, the
// form version it was written on and its ink (nil when it has none). A
// document that is gone cancels the job: it will not come back.
func loadDocument(ctx context.Context, docs inkform.DocumentService, forms formFinder, org, id string) (*inkform.Document, *inkform.Form, *inkform.DocumentInk, error) {
	doc, err := docs.FindDocument(ctx, org, id)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		return nil, nil, nil, queue.Cancel(fmt.Errorf("document %s is gone", id))
	} else if err != nil {
		return nil, nil, nil, fmt.Errorf("find document: %w", err)
	}
	form, err := forms.FindFormVersion(ctx, org, doc.FormID, doc.FormVersion)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("find form: %w", err)
	}
	di, err := docs.FindDocumentInk(ctx, org, id)
	switch {
	case inkform.ErrorCode(err) == inkform.ENOTFOUND:
		di = nil // a digital document without ink
	case err != nil:
		return nil, nil, nil, fmt.Errorf("find ink: %w", err)
	}
	return doc, form, di, nil
}

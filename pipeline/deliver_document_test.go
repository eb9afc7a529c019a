package pipeline

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/fake"
	"github.com/inkform/inkform/queue"
)

// countedDocuments counts the reads of documents.
type countedDocuments struct {
	*fake.Documents
	reads atomic.Int32
}

func (c *countedDocuments) FindDocument(ctx context.Context, orgID, id string) (*inkform.Document, error) {
	c.reads.Add(1)
	return c.Documents.FindDocument(ctx, orgID, id)
}

// renderedRenders says every document's current state is rendered.
type renderedRenders struct{ docs inkform.DocumentService }

func (r renderedRenders) FindRender(ctx context.Context, orgID, id string) (*inkform.DocumentRender, error) {
	d, err := r.docs.FindDocument(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	return &inkform.DocumentRender{DocumentID: id, SourceUpdatedAt: d.UpdatedAt, Key: "k"}, nil
}

func (renderedRenders) SaveRender(context.Context, string, *inkform.DocumentRender) (bool, error) {
	return true, nil
}

func (renderedRenders) RequestRender(context.Context, string, string) error { return nil }

// sendRecorder records how it was asked to send.
type sendRecorder struct {
	plain, withDoc int
	doc            *inkform.Document
}

func (s *sendRecorder) Deliver(context.Context, string, inkform.DeliverArgs, int) error {
	s.plain++
	return nil
}

// docRecorder is a sendRecorder that takes the document read already.
type docRecorder struct{ sendRecorder }

func (s *docRecorder) DeliverDocument(_ context.Context, _ string, _ inkform.DeliverArgs, _ int, doc *inkform.Document) error {
	s.withDoc++
	s.doc = doc
	return nil
}

// TestDeliverPassesDocument checks that a delivery that waited for its PDF
// hands the document it read to a DocumentDeliverer, so the document is
// read once per delivery, and that other deliverers read it themselves.
func TestDeliverPassesDocument(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	doc := &inkform.Document{ID: "d1", OrgID: "o1", FormID: "f1", Status: inkform.StatusValidated,
		UpdatedAt: time.Now().Truncate(time.Microsecond)}
	withDoc, plain := &docRecorder{}, &sendRecorder{}
	tests := []struct {
		name      string
		deliverer inkform.Deliverer
		check     func(t *testing.T)
	}{
		{"document deliverer", withDoc, func(t *testing.T) {
			if withDoc.withDoc != 1 || withDoc.plain != 0 || withDoc.doc == nil || withDoc.doc.ID != doc.ID {
				t.Errorf("DeliverDocument %d times with %v, Deliver %d times; want DeliverDocument once with d1",
					withDoc.withDoc, withDoc.doc, withDoc.plain)
			}
		}},
		{"plain deliverer", plain, func(t *testing.T) {
			if plain.plain != 1 {
				t.Errorf("Deliver %d times; want once", plain.plain)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := &countedDocuments{Documents: &fake.Documents{}}
			docs.Put(doc, nil)
			subs := &fake.Subscriptions{}
			subs.Put(&inkform.Subscription{ID: "h1", OrgID: "o1", FormID: "f1", Type: inkform.SubscriptionWebhook,
				URL: "https://example.com/", Events: []string{inkform.EventDocumentValidated}}, inkform.NewWebhookSecret())
			w := &DeliverWorker{Subscriptions: subs, Documents: docs, Renders: renderedRenders{docs.Documents},
				ByType: map[string]inkform.Deliverer{inkform.SubscriptionWebhook: tt.deliverer}, Logger: discardLogger()}
			job := &queue.Job[inkform.DeliverArgs]{Job: &inkform.Job{OrgID: "o1", Attempt: 1, CreatedAt: time.Now()},
				Args: inkform.DeliverArgs{SubscriptionID: "h1", DocumentID: "d1", Event: inkform.EventDocumentValidated, MessageID: "m1"}}
			if err := w.Work(ctx, job); err != nil {
				t.Fatalf("Work: %v", err)
			}
			// Once, for the PDF check; a plain deliverer reads it again itself.
			if got := docs.reads.Load(); got != 1 {
				t.Errorf("the worker read the document %d times; want once", got)
			}
			tt.check(t)
		})
	}
}

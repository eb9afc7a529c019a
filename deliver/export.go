package deliver

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/inkform/inkform"
)

// Content types of the export formats.
const (
	contentTypePDF  = "application/pdf"
	contentTypeJSON = "application/json"
	contentTypeCSV  = "text/csv; charset=utf-8"
)

// ExportMarker records that a document was exported (the SQL store sets
// documents.exported_at and writes an audit event), so an operator can
// tell which documents have left the server.
type ExportMarker interface {
	MarkExported(ctx context.Context, orgID, documentID string, at time.Time) error
}

// Exporter writes documents to the export targets the operator configured
// and records every attempt in the subscription's log. An export has no reply
// code: a successful attempt is logged with status code 0 and no error.
type Exporter struct {
	Subscriptions inkform.SubscriptionStore
	Documents     DocumentFinder
	// Forms gives the CSV format the fields of the document's form
	// version, in form order; the other formats do not need it.
	Forms   FormFinder
	Renders inkform.RenderStore
	// Blobs is the main store, where the document PDFs are.
	Blobs inkform.BlobStore
	// Targets maps an export target's name (Subscription.Target) to its store.
	Targets map[string]inkform.BlobStore
	// Marker, when set, is told of every successful export.
	Marker ExportMarker
	// BaseURL prefixes the links of the JSON format ("" gives absolute
	// paths).
	BaseURL string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Deliver writes one document to the subscription's target and records the
// attempt. The object's key is the org's ID, a slash and the subscription's
// path template filled in for the document (ExportKey). A subscription or
// document that is gone is an ENOTFOUND error, returned without recording
// an attempt: no retry will mend it. Every other failure is recorded and
// returned for the queue to retry; a PDF that is missing or not current
// is EUNAVAILABLE, never ENOTFOUND, since a render may still bring it.
func (e *Exporter) Deliver(ctx context.Context, orgID string, args inkform.DeliverArgs, n int) error {
	h, err := e.Subscriptions.FindSubscription(ctx, orgID, args.SubscriptionID)
	if err != nil {
		return fmt.Errorf("find handler: %w", err)
	}
	if args.Event == inkform.EventDocumentPurged {
		// Validate refuses this subscription; a purged document has
		// nothing left to export, and this keeps a stray job from looking
		// for it.
		return fmt.Errorf("export: %w", inkform.Errorf(inkform.EUNPROCESSABLE, "an export handler cannot take %s", args.Event))
	}
	doc, err := e.Documents.FindDocument(ctx, orgID, args.DocumentID)
	if err != nil {
		return fmt.Errorf("find document: %w", err)
	}
	a := startAttempt(e.Subscriptions, orgID, args, n, e.Now)
	return a.finish(ctx, 0, e.export(ctx, orgID, h, args, doc, a.start))
}

// export writes the object and marks the document exported.
func (e *Exporter) export(ctx context.Context, orgID string, h *inkform.Subscription, args inkform.DeliverArgs, doc *inkform.Document, now time.Time) error {
	if h.Type != inkform.SubscriptionExport {
		return fmt.Errorf("export: %w", inkform.Errorf(inkform.EUNPROCESSABLE, "handler %s is a %s handler, not an export", h.ID, h.Type))
	}
	target, ok := e.Targets[h.Target]
	if !ok || target == nil {
		return fmt.Errorf("export: %w", inkform.Errorf(inkform.EUNPROCESSABLE, "export target %q is not configured on this server", h.Target))
	}
	at := args.EventAt
	if at.IsZero() {
		at = now
	}
	key, err := ExportKey(orgID, h, args.Event, doc, at)
	if err != nil {
		return err
	}
	if err := e.put(ctx, orgID, h.Format, doc, target, key); err != nil {
		return err
	}
	if e.Marker != nil {
		if err := e.Marker.MarkExported(ctx, orgID, doc.ID, now); err != nil {
			return fmt.Errorf("mark exported: %w", err)
		}
	}
	return nil
}

// ExportKey returns the key an export subscription writes a document under:
// the org's ID, a slash and the subscription's path template expanded with
// the document's values, the format as extension and at as the time. The
// org's ID as first segment is the tenant fence: whatever a template
// says, one org's export can never overwrite another's in a shared
// target.
func ExportKey(orgID string, h *inkform.Subscription, event string, doc *inkform.Document, at time.Time) (string, error) {
	tmpl := h.Path
	if tmpl == "" {
		tmpl = inkform.DefaultExportPath
	}
	p, err := inkform.ExpandExportPath(tmpl, inkform.ExportVars{
		FormID: doc.FormID, DocumentID: doc.ID, Status: string(doc.Status), Event: event,
		CopyID: doc.CopyID, PenID: doc.PenID, Ext: h.Format, At: at,
	})
	if err != nil {
		return "", fmt.Errorf("export path: %w", err)
	}
	if orgID == "" {
		return "", fmt.Errorf("export path: no org")
	}
	key := orgID + "/" + p
	if err := inkform.ValidateBlobKey(key); err != nil {
		return "", fmt.Errorf("export path: %w", err)
	}
	return key, nil
}

// put writes the document in format under key in target.
func (e *Exporter) put(ctx context.Context, orgID, format string, doc *inkform.Document, target inkform.BlobStore, key string) error {
	var (
		body []byte
		ct   string
		err  error
	)
	switch format {
	case inkform.ExportPDF:
		return e.putPDF(ctx, orgID, doc, target, key)
	case inkform.ExportJSON:
		ct = contentTypeJSON
		body, err = eventData(e.BaseURL, inkform.DeliverArgs{}, doc)
	case inkform.ExportCSV:
		ct = contentTypeCSV
		body, err = e.csv(ctx, orgID, doc)
	default:
		return fmt.Errorf("export: %w", inkform.Errorf(inkform.EUNPROCESSABLE, "unknown export format %q", format))
	}
	if err != nil {
		return err
	}
	if err := target.Put(ctx, key, bytes.NewReader(body), int64(len(body)), ct); err != nil {
		return fmt.Errorf("put export: %w", err)
	}
	return nil
}

// putPDF copies the document's current PDF from the main store to the
// target, streaming it rather than holding it in memory.
func (e *Exporter) putPDF(ctx context.Context, orgID string, doc *inkform.Document, target inkform.BlobStore, key string) error {
	if e.Renders == nil || e.Blobs == nil {
		return fmt.Errorf("export pdf: no render store or blob store")
	}
	render, err := e.Renders.FindRender(ctx, orgID, doc.ID)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return fmt.Errorf("find render: %w", err)
	}
	if !render.Current(doc) {
		// Not ENOTFOUND: that code cancels the job, while a render of
		// the document's current state may yet come.
		return fmt.Errorf("export pdf: %w", inkform.Errorf(inkform.EUNAVAILABLE, "document %s has no PDF of its current state yet", doc.ID))
	}
	rc, info, err := e.Blobs.Get(ctx, render.Key)
	if err != nil {
		if inkform.ErrorCode(err) == inkform.ENOTFOUND {
			return fmt.Errorf("export pdf: %w", inkform.Errorf(inkform.EUNAVAILABLE, "the PDF of document %s is missing from the store", doc.ID))
		}
		return fmt.Errorf("get pdf: %w", err)
	}
	defer rc.Close()
	if err := target.Put(ctx, key, rc, info.Size, contentTypePDF); err != nil {
		return fmt.Errorf("put export: %w", err)
	}
	return nil
}

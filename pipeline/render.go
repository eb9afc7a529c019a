package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
)

// renderFollowUp is how soon a render runs again when the document changed
// while it was being rendered (the change's own enqueue was skipped as a
// duplicate of the running job).
const renderFollowUp = 100 * time.Millisecond

// maxPooledPDF is the largest PDF buffer kept for the next render; most
// PDFs without a background are tens of KB.
const maxPooledPDF = 1 << 20

// RenderWorker makes the PDF of a document: background (or the drawn
// form), ink and values, stored in the blob store and recorded with the
// state of the document it shows. It also drops the document's cutouts of
// ink it no longer has.
type RenderWorker struct {
	Documents inkform.DocumentService
	Forms     inkform.FormService
	Renders   inkform.RenderStore
	Printer   inkform.DocumentPrinter
	// Notifier, when set, hears of every saved render (TopicRenders), so
	// deliveries that were checking for the PDF as it was saved go out.
	// (Deliveries that wait for the PDF are made due by SaveRender.)
	Notifier inkform.Notifier
	Blobs    inkform.BlobStore
	Logger   *slog.Logger

	backgrounds backgroundCache // see render_background.go
	forms       formVersions    // see form_versions.go
	// buffers hold PDFs until they are stored (*bytes.Buffer).
	buffers sync.Pool
}

// Work implements queue.Worker.
func (w *RenderWorker) Work(ctx context.Context, job *queue.Job[inkform.RenderPDFArgs]) error {
	org, id := job.OrgID, job.Args.DocumentID
	doc, form, di, err := loadDocument(ctx, w.Documents, cachedForms{&w.forms, w.Forms}, org, id)
	if err != nil {
		return err
	}
	if err := w.render(ctx, org, doc, form, di); err != nil {
		return err
	}
	if now, err := w.Documents.FindDocument(ctx, org, id); err == nil && !now.UpdatedAt.Equal(doc.UpdatedAt) {
		return queue.Snooze(renderFollowUp)
	}
	return nil
}

// render makes, stores and records the PDF of doc, the document as read
// with its form version and ink, unless that state is rendered already.
// Errors that retrying cannot help are queue.Cancel errors.
func (w *RenderWorker) render(ctx context.Context, org string, doc *inkform.Document, form *inkform.Form, di *inkform.DocumentInk) error {
	id := doc.ID
	prev, err := w.Renders.FindRender(ctx, org, id)
	if err != nil && inkform.ErrorCode(err) != inkform.ENOTFOUND {
		return fmt.Errorf("find render: %w", err)
	}
	if prev != nil && !prev.SourceUpdatedAt.Before(doc.UpdatedAt) {
		// This state is rendered already (a second job was queued while
		// the first ran): rendering it again would only replace the
		// record under readers that hold its ETag.
		return nil
	}
	rec, err := w.draw(ctx, org, doc, form, di)
	if err != nil {
		return err
	}
	saved, err := w.Renders.SaveRender(ctx, org, rec)
	if inkform.ErrorCode(err) == inkform.ENOTFOUND {
		// Purged while this job rendered: the purge has listed the
		// document's objects already, so this one is ours to remove.
		w.deleteBlob(ctx, rec.Key)
		return queue.Cancel(fmt.Errorf("document %s is gone", id))
	} else if err != nil {
		return fmt.Errorf("record render: %w", err)
	}
	if !saved {
		// This state or a newer one was rendered meanwhile, and that
		// render dropped the stale cutouts. The same bytes have the same
		// key as the render that won: delete only our own.
		if cur, err := w.Renders.FindRender(ctx, org, id); err == nil && cur.Key != rec.Key {
			w.deleteBlob(ctx, rec.Key)
		}
		return nil
	}
	var replaced string
	if prev != nil {
		replaced = prev.Key
	}
	w.recorded(ctx, org, rec, replaced, di)
	return nil
}

// draw makes the PDF of doc, the document with its form version and ink,
// and stores it under a key of its state and bytes; the caller records it.
// Errors that retrying cannot help are queue.Cancel errors.
func (w *RenderWorker) draw(ctx context.Context, org string, doc *inkform.Document, form *inkform.Form, di *inkform.DocumentInk) (*inkform.DocumentRender, error) {
	bg, err := w.background(ctx, org, form)
	if err != nil {
		return nil, err
	}
	buf, _ := w.buffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	// Put has read the bytes when it returns, so the buffer is free then.
	// One grown by a large background is left to the collector.
	defer func() {
		if buf.Cap() <= maxPooledPDF {
			buf.Reset()
			w.buffers.Put(buf)
		}
	}()
	if err := w.Printer.Filled(buf, form, doc, di, bg); err != nil {
		if inkform.ErrorCode(err) == inkform.EUNPROCESSABLE || inkform.ErrorCode(err) == inkform.EINVALID {
			return nil, queue.Cancel(fmt.Errorf("render pdf: %w", err)) // retrying cannot help
		}
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	sha := hex.EncodeToString(sum[:])
	rec := &inkform.DocumentRender{
		DocumentID: doc.ID, SourceUpdatedAt: doc.UpdatedAt,
		Key:    inkform.DocumentPDFKey(org, doc.ID, doc.UpdatedAt, sha),
		SHA256: sha, Size: int64(buf.Len()),
	}
	// The object is stored before the record names it, so a recorded
	// render always has its file.
	if err := w.Blobs.Put(ctx, rec.Key, bytes.NewReader(buf.Bytes()), rec.Size, "application/pdf"); err != nil {
		return nil, fmt.Errorf("store pdf: %w", err)
	}
	return rec, nil
}

// recorded follows the recording of rec, which replaced the render whose
// object is replaced ("" for none): it tells the deliveries checking for
// the PDF right now, deletes the replaced object and the cutouts of ink
// the document no longer has.
func (w *RenderWorker) recorded(ctx context.Context, org string, rec *inkform.DocumentRender, replaced string, di *inkform.DocumentInk) {
	id := rec.DocumentID
	if w.Notifier != nil {
		if err := w.Notifier.Publish(ctx, inkform.TopicRenders, inkform.DocumentNotice(org, id)); err != nil {
			w.Logger.Warn("announce render", "document", id, "err", err)
		}
	}
	if replaced != "" && replaced != rec.Key {
		w.deleteBlob(ctx, replaced)
	}
	var inkSHA string
	if di != nil {
		inkSHA = di.SHA256
	}
	if err := w.dropStaleCutouts(ctx, org, id, inkSHA); err != nil {
		w.Logger.Warn("drop stale cutouts", "document", id, "err", err)
	}
	w.Logger.Debug("rendered pdf", "document", id, "bytes", rec.Size)
}

// background returns the form version's background PDF, nil when it has
// none, from the worker's cache while the stored object is unchanged.
func (w *RenderWorker) background(ctx context.Context, org string, form *inkform.Form) ([]byte, error) {
	return w.backgrounds.get(ctx, w.Blobs, inkform.FormBackgroundKey(org, form.ID, form.Version), time.Now())
}

// dropStaleCutouts deletes the document's cached cutouts of earlier ink.
// A render follows every interpretation (in the interpret job or a render
// job), and interpretation follows every ink change, so cutouts of
// replaced ink live only until the next render.
func (w *RenderWorker) dropStaleCutouts(ctx context.Context, org, id, inkSHA string) error {
	keep := inkform.CutoutPrefix(org, id, inkSHA)
	var stale []string
	err := w.Blobs.List(ctx, inkform.DocumentBlobPrefix(org, id)+"cutouts/", func(b inkform.BlobInfo) error {
		if !strings.HasPrefix(b.Key, keep) {
			stale = append(stale, b.Key)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list cutouts: %w", err)
	}
	for _, k := range stale {
		if err := w.Blobs.Delete(ctx, k); err != nil {
			return fmt.Errorf("delete cutout: %w", err)
		}
	}
	return nil
}

// deleteBlob removes an object that nothing names any more; a failure
// leaves garbage under the document's prefix, which its purge removes.
func (w *RenderWorker) deleteBlob(ctx context.Context, key string) {
	if err := w.Blobs.Delete(ctx, key); err != nil {
		w.Logger.Warn("delete unused pdf", "key", key, "err", err)
	}
}

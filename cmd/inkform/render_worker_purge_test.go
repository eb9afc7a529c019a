package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
	"github.com/inkform/inkform/queue"
)

// purgeBeforePut is a blob store whose first Put is preceded by a whole
// purge of the document: the interleaving in which a purge lists the
// document's objects just before a running render job stores its PDF.
type purgeBeforePut struct {
	inkform.BlobStore
	purge func(ctx context.Context) error
}

func (p *purgeBeforePut) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if p.purge != nil {
		if err := p.purge(ctx); err != nil {
			return err
		}
		p.purge = nil
	}
	return p.BlobStore.Put(ctx, key, r, size, contentType)
}

// TestRenderDuringPurge checks that a render job that stores its PDF after
// the document was purged removes the PDF again, so nothing of the
// document is left in the object store.
func TestRenderDuringPurge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, org, form := openSampleStore(t, "sqlite:"+filepath.Join(t.TempDir(), "inkform.db"), nil)
	doc, err := db.SubmitDigital(ctx, org.ID, &inkform.DigitalSubmission{FormID: form.ID, SubmissionID: "s1",
		Values: map[string]any{"patient_no": "407215", "visit_date": "270226", "signature": true}})
	if err != nil {
		t.Fatal(err)
	}
	disk, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	store := &purgeBeforePut{BlobStore: disk, purge: func(ctx context.Context) error {
		if err := db.PurgeDocument(ctx, org.ID, doc.ID, "token t"); err != nil {
			return err
		}
		_, err := inkform.PurgeDocumentBlobs(ctx, disk, org.ID, doc.ID)
		return err
	}}
	w := &renderWorker{db: db, blobs: store, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	job := &queue.Job[inkform.RenderPDFArgs]{Job: &inkform.Job{OrgID: org.ID}, Args: inkform.RenderPDFArgs{DocumentID: doc.ID}}
	if err := w.Work(ctx, job); err == nil {
		t.Error("the render of a purged document succeeded")
	}
	if store.purge != nil {
		t.Fatal("the worker stored nothing, so the test proves nothing")
	}
	var left []string
	disk.List(ctx, inkform.DocumentBlobPrefix(org.ID, doc.ID), func(b inkform.BlobInfo) error {
		left = append(left, b.Key)
		return nil
	})
	if len(left) > 0 {
		t.Errorf("objects of the purged document left: %q", left)
	}
}

package pipeline

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/pdf"
	"github.com/inkform/inkform/pdf/pdftest"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
)

// TestDropStaleCutouts checks that a render keeps the cutouts of the
// document's current ink and deletes those of earlier ink, and touches
// nothing else of the document or of other documents.
func TestDropStaleCutouts(t *testing.T) {
	t.Parallel()
	const org, doc, other = "org1", "doc1", "doc2"
	oldSHA, newSHA := strings.Repeat("a", 64), strings.Repeat("b", 64)
	tests := []struct {
		name   string
		sha    string // the document's ink now
		before []string
		after  []string
	}{
		{
			name: "new ink",
			sha:  newSHA,
			before: []string{
				inkform.CutoutKey(org, doc, oldSHA, "pain", 200, "png"),
				inkform.CutoutKey(org, doc, oldSHA, "pain", 200, "svg"),
				inkform.CutoutKey(org, doc, newSHA, "pain", 200, "png"),
				inkform.CutoutKey(org, other, oldSHA, "pain", 200, "png"),
				inkform.DocumentPDFKey(org, doc, time.UnixMicro(1), ""),
			},
			after: []string{
				inkform.CutoutKey(org, doc, newSHA, "pain", 200, "png"),
				inkform.CutoutKey(org, other, oldSHA, "pain", 200, "png"),
				inkform.DocumentPDFKey(org, doc, time.UnixMicro(1), ""),
			},
		},
		{
			name:   "same ink",
			sha:    oldSHA,
			before: []string{inkform.CutoutKey(org, doc, oldSHA, "a", 100, "png"), inkform.CutoutKey(org, doc, oldSHA, "b", 100, "png")},
			after:  []string{inkform.CutoutKey(org, doc, oldSHA, "a", 100, "png"), inkform.CutoutKey(org, doc, oldSHA, "b", 100, "png")},
		},
		{
			name:   "ink gone",
			sha:    "",
			before: []string{inkform.CutoutKey(org, doc, oldSHA, "a", 100, "png")},
			after:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			store := newDisk(t)
			for _, k := range tt.before {
				if err := store.Put(ctx, k, strings.NewReader("x"), 1, ""); err != nil {
					t.Fatal(err)
				}
			}
			w := &RenderWorker{Blobs: store, Printer: pdf.Printer{}, Logger: discardLogger()}
			if err := w.dropStaleCutouts(ctx, org, doc, tt.sha); err != nil {
				t.Fatal(err)
			}
			var got []string
			store.List(ctx, "", func(b inkform.BlobInfo) error { got = append(got, b.Key); return nil })
			want := slices.Clone(tt.after)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("left %v, want %v", got, want)
			}
		})
	}
}

// renderJob is the render job of a document.
func renderJob(org, id string) *queue.Job[inkform.RenderPDFArgs] {
	return &queue.Job[inkform.RenderPDFArgs]{Job: &inkform.Job{OrgID: org}, Args: inkform.RenderPDFArgs{DocumentID: id}}
}

// renderSetup opens a store with the sample form and a document on it,
// and a blob store that counts its Puts.
func renderSetup(t *testing.T) (*sqlstore.DB, *inkform.Org, *inkform.Form, *inkform.Document, *countingPuts) {
	t.Helper()
	db, org, form := openSampleStore(t, sqliteDSN(t), sqlstore.Options{}, nil)
	doc := submitSample(t, db, org.ID, form.ID)
	return db, org, form, doc, &countingPuts{BlobStore: newDisk(t)}
}

// countingPuts is a blob store that counts its Puts.
type countingPuts struct {
	inkform.BlobStore
	puts int
}

func (c *countingPuts) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	c.puts++
	return c.BlobStore.Put(ctx, key, r, size, contentType)
}

// TestRenderSkipsRenderedState: a second render job of a state that is
// rendered already stores nothing and leaves the record as it was (readers
// hold its ETag).
func TestRenderSkipsRenderedState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, org, _, doc, store := renderSetup(t)
	w := newRenderWorker(db, store)
	job := renderJob(org.ID, doc.ID)
	if err := w.Work(ctx, job); err != nil {
		t.Fatal(err)
	}
	first, err := db.FindRender(ctx, org.ID, doc.ID)
	if err != nil || store.puts != 1 {
		t.Fatalf("first render: %v, %d puts", err, store.puts)
	}
	if err := w.Work(ctx, job); err != nil {
		t.Fatal(err)
	}
	second, _ := db.FindRender(ctx, org.ID, doc.ID)
	if store.puts != 1 || !second.CreatedAt.Equal(first.CreatedAt) || second.SHA256 != first.SHA256 {
		t.Errorf("a second render of the same state: %d puts, record %+v → %+v", store.puts, first, second)
	}
}

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
	db, org, form := openSampleStore(t, sqliteDSN(t), sqlstore.Options{}, nil)
	doc := submitSample(t, db, org.ID, form.ID)
	disk := newDisk(t)
	store := &purgeBeforePut{BlobStore: disk, purge: func(ctx context.Context) error {
		if err := db.PurgeDocument(ctx, org.ID, doc.ID, "token t"); err != nil {
			return err
		}
		_, err := inkform.PurgeDocumentBlobs(ctx, disk, org.ID, doc.ID)
		return err
	}}
	w := newRenderWorker(db, store)
	job := renderJob(org.ID, doc.ID)
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

// TestRenderRefusesBombBackground: a background stored before uploads
// were measured, whose page contents inflate past the limit, cancels the
// render job (retrying cannot help) instead of filling the node's memory,
// and stores no PDF.
func TestRenderRefusesBombBackground(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, org, form, doc, store := renderSetup(t)
	bomb := pdftest.Bomb(pdftest.Contents, len(form.Pages), inkform.MaxBackgroundInflatedBytes+1<<20)
	if err := store.Put(ctx, inkform.FormBackgroundKey(org.ID, form.ID, form.Version), bytes.NewReader(bomb), int64(len(bomb)), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	err := newRenderWorker(db, store).Work(ctx, renderJob(org.ID, doc.ID))
	if err == nil || !strings.HasPrefix(err.Error(), "cancelled: ") || inkform.ErrorCode(err) != inkform.EUNPROCESSABLE {
		t.Errorf("render with a bomb background: %v, want it cancelled as unprocessable", err)
	}
	if store.puts != 1 {
		t.Errorf("%d objects stored after the background, want none", store.puts-1)
	}
}

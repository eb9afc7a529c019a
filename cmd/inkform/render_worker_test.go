package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
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
				inkform.DocumentPDFKey(org, doc, time.UnixMicro(1)),
			},
			after: []string{
				inkform.CutoutKey(org, doc, newSHA, "pain", 200, "png"),
				inkform.CutoutKey(org, other, oldSHA, "pain", 200, "png"),
				inkform.DocumentPDFKey(org, doc, time.UnixMicro(1)),
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
			store, err := blob.NewDisk(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range tt.before {
				if err := store.Put(ctx, k, strings.NewReader("x"), 1, ""); err != nil {
					t.Fatal(err)
				}
			}
			w := &renderWorker{blobs: store, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
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
	db, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "inkform.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	org, _ := db.CreateOrg(ctx, "clinic")
	var tmpl inkform.FormTemplate
	if err := json.Unmarshal(readFile(t, "../../examples/wound-check.json"), &tmpl); err != nil {
		t.Fatal(err)
	}
	form, err := db.CreateForm(ctx, org.ID, &tmpl)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := db.SubmitDigital(ctx, org.ID, &inkform.DigitalSubmission{FormID: form.ID,
		Values: map[string]any{"patient_no": "407215", "visit_date": "270226", "signature": true}})
	if err != nil {
		t.Fatal(err)
	}
	disk, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	store := &countingPuts{BlobStore: disk}
	w := &renderWorker{db: db, blobs: store, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	job := &queue.Job[inkform.RenderPDFArgs]{Job: &inkform.Job{OrgID: org.ID}, Args: inkform.RenderPDFArgs{DocumentID: doc.ID}}
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

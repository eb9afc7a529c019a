package main

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/blob"
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

package inkform_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/inkform/inkform"
)

// mapBlobs is a BlobStore over a map that can fail its deletes; only List
// and Delete are used by a purge.
type mapBlobs struct {
	inkform.BlobStore // nil: the other methods are not called
	objects           map[string]bool
	failDelete        bool
}

func (m *mapBlobs) List(ctx context.Context, prefix string, fn func(inkform.BlobInfo) error) error {
	keys := make([]string, 0, len(m.objects))
	for k := range m.objects {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := fn(inkform.BlobInfo{Key: k}); err != nil {
			return err
		}
	}
	return nil
}

func (m *mapBlobs) Delete(ctx context.Context, key string) error {
	if m.failDelete {
		return io.ErrUnexpectedEOF
	}
	delete(m.objects, key)
	return nil
}

func TestPurgeDocumentBlobs(t *testing.T) {
	t.Parallel()
	const org, doc, otherOrg, otherDoc = "o1", "d1", "o2", "d2"
	ours := []string{inkform.CutoutKey(org, doc, "abc", "f", 200, "png"), inkform.DocumentBlobPrefix(org, doc) + "pdf/1.pdf"}
	theirs := []string{inkform.DocumentBlobPrefix(otherOrg, doc) + "pdf/1.pdf", inkform.DocumentBlobPrefix(org, otherDoc) + "pdf/1.pdf",
		inkform.DocumentBlobPrefix(org, doc+"0") + "pdf/1.pdf"} // an ID that starts like ours
	tests := []struct {
		name       string
		failDelete bool
		wantN      int
		wantErr    bool
		wantLeft   int
	}{
		{"deletes only the document's objects", false, 2, false, len(theirs)},
		{"a failed delete is reported", true, 0, true, len(theirs) + len(ours)},
	}
	for _, tt := range tests {
		m := &mapBlobs{objects: map[string]bool{}, failDelete: tt.failDelete}
		for _, k := range append(slices.Clone(ours), theirs...) {
			m.objects[k] = true
		}
		n, err := inkform.PurgeDocumentBlobs(context.Background(), m, org, doc)
		if n != tt.wantN || (err != nil) != tt.wantErr || len(m.objects) != tt.wantLeft {
			t.Errorf("%s: n=%d err=%v left=%d; want n=%d err=%v left=%d", tt.name, n, err, len(m.objects), tt.wantN, tt.wantErr, tt.wantLeft)
		}
		if tt.wantErr && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: error %v does not wrap the store's", tt.name, err)
		}
		for _, k := range theirs {
			if !m.objects[k] {
				t.Errorf("%s: deleted %s, which is not the document's", tt.name, k)
			}
		}
	}
}

package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/pdf"
)

// otherRenderBeforePut is a blob store whose first Put is preceded by a
// whole other render of the document: two render jobs of one state that
// both read "not rendered yet" and race to store their PDFs.
type otherRenderBeforePut struct {
	inkform.BlobStore
	other func(ctx context.Context) error
}

func (o *otherRenderBeforePut) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if o.other != nil {
		other := o.other
		o.other = nil
		if err := other(ctx); err != nil {
			return err
		}
	}
	return o.BlobStore.Put(ctx, key, r, size, contentType)
}

// TestRenderRaceKeepsFirst checks that when two jobs render one state at
// once, the first to record its PDF keeps it (its ETag stays valid), the
// record's sum is that of the object it names, and the loser neither
// overwrites nor deletes the winner's file — with a background, whose
// renders differ in bytes, and without, whose renders share a key.
func TestRenderRaceKeepsFirst(t *testing.T) {
	t.Parallel()
	for _, withBackground := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "background"}[withBackground], func(t *testing.T) {
			t.Parallel()
			raceRenders(t, withBackground)
		})
	}
}

// raceRenders runs the race of TestRenderRaceKeepsFirst once.
func raceRenders(t *testing.T, withBackground bool) {
	ctx := context.Background()
	db, org, form, doc, disk := renderSetup(t)
	if withBackground {
		// The form's own blank page is a valid background.
		var blank bytes.Buffer
		if err := pdf.Blank(ctx, &blank, form, nil); err != nil {
			t.Fatal(err)
		}
		if err := disk.Put(ctx, inkform.FormBackgroundKey(org.ID, form.ID, form.Version), bytes.NewReader(blank.Bytes()), int64(blank.Len()), "application/pdf"); err != nil {
			t.Fatal(err)
		}
	}
	winner := newRenderWorker(db, disk)
	racing := &otherRenderBeforePut{BlobStore: disk, other: func(ctx context.Context) error {
		return winner.Work(ctx, renderJob(org.ID, doc.ID))
	}}
	if err := newRenderWorker(db, racing).Work(ctx, renderJob(org.ID, doc.ID)); err != nil {
		t.Fatal(err)
	}
	rec, err := db.FindRender(ctx, org.ID, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	rc, _, err := disk.Get(ctx, rec.Key)
	if err != nil {
		t.Fatalf("the recorded PDF %s is gone: %v", rec.Key, err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != rec.SHA256 {
		t.Errorf("the object's sum differs from the record's (the loser overwrote it)")
	}
	var keys []string
	err = disk.List(ctx, inkform.DocumentBlobPrefix(org.ID, doc.ID), func(bi inkform.BlobInfo) error {
		keys = append(keys, bi.Key)
		return nil
	})
	if err != nil || len(keys) != 1 {
		t.Errorf("PDF objects after the race: %v, %v; want the winner's only", keys, err)
	}
}
